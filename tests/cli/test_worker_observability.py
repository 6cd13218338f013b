"""`shopbot worker` as an operator runs it (a real subprocess on real Redis): Celery keeps the
log format the settings chose (JSON lines, not its own), and a task's lines name its tenant."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid

from celery import Celery
from sqlalchemy.engine import URL

SHOPBOT = [sys.executable, "-m", "cli.main"]
# A Redis database of its own: no other test's queue is read by this worker.
BROKER = "redis://127.0.0.1:6379/13"


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_worker_logs_json_lines_and_a_task_names_its_tenant(owner_url: URL, tmp_path) -> None:
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "REDIS_URL": BROKER,
        "SHOPBOT_LOG_FORMAT": "json",
        "SHOPBOT_LOG_LEVEL": "INFO",
    }
    tenant_id, event_id = str(uuid.uuid4()), str(uuid.uuid4())
    with log_path.open("w") as log_file:
        worker = subprocess.Popen(
            [*SHOPBOT, "worker", "--concurrency", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
        sender = Celery(broker=BROKER)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and "ready" not in log_path.read_text():
                assert worker.poll() is None, log_path.read_text()
                time.sleep(0.3)
            # Sent by name, so it names its queue (the worker consumes webhooks, sync, bulk).
            sender.send_task(
                "ingestion.webhooks.apply",
                kwargs={"tenant_id": tenant_id, "event_id": event_id},
                queue="webhooks",
            )
            while time.monotonic() < deadline and not any(
                line.get("tenant_id") == tenant_id for line in _json_lines(log_path.read_text())
            ):
                assert worker.poll() is None, log_path.read_text()
                time.sleep(0.3)
        finally:
            sender.close()
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)

    text = log_path.read_text()
    lines = _json_lines(text)
    assert any(
        line["logger"].startswith("celery") and "ready" in line["message"] for line in lines
    ), text
    task_lines = [line for line in lines if line.get("tenant_id") == tenant_id]
    assert task_lines, text
    assert all(
        line["request_id"] != tenant_id for line in task_lines
    )  # the task id, not the tenant
    assert not [line for line in text.splitlines() if line.strip() and not line.startswith("{")], (
        text
    )
