"""`shopbot serve` as an operator runs it (a real subprocess on the test database): JSON log
lines with the request id it echoed and the tenant, and /metrics on its own port only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
from sqlalchemy.engine import URL

SHOPBOT = [sys.executable, "-m", "cli.main"]
ORIGIN = "https://shop.observed.test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(process: subprocess.Popen[str], url: str, timeout: float = 180.0) -> None:
    assert process.stderr is not None  # piped by the test that started it
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {process.stderr.read()}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("serve did not come up in time")


def test_serve_logs_json_with_request_and_tenant_ids_and_serves_metrics_on_its_own_port(
    owner_url: URL,
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "SHOPBOT_LOG_FORMAT": "json",
        "SHOPBOT_LOG_LEVEL": "INFO",
        "COLUMNS": "200",
    }
    created = subprocess.run(
        [
            *SHOPBOT,
            "tenants",
            "create",
            "--name",
            "Observed Outfitters",
            "--allowed-origin",
            ORIGIN,
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    tenant = json.loads(created.stdout)

    port, metrics_port = _free_port(), _free_port()
    process = subprocess.Popen(
        [*SHOPBOT, "serve", "--port", str(port)],
        env={**env, "SHOPBOT_METRICS_PORT": str(metrics_port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(process, f"{base}/healthz")
        session = httpx.post(
            f"{base}/widget/v1/sessions",
            json={"widget_key": tenant["widget_key"]},
            headers={"Origin": ORIGIN, "X-Request-ID": "serve-req-0001"},
        )
        public_metrics = httpx.get(f"{base}/metrics")
        own_metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)

    assert session.status_code == 200 and session.headers["X-Request-ID"] == "serve-req-0001"
    assert public_metrics.status_code == 404
    assert own_metrics.status_code == 200
    assert (
        'shopbot_http_requests_total{method="POST",route="/widget/v1/sessions",status="200"} 1.0'
        in own_metrics.text
    )

    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    [access] = [line for line in lines if line.get("request_id") == "serve-req-0001"]
    assert access["logger"] == "shopbot.access" and access["status"] == 200
    assert access["tenant_id"] == tenant["tenant_id"] and access["bot_id"] == tenant["bot_id"]
    assert tenant["widget_key"] not in stderr
    assert not [
        line for line in stderr.splitlines() if line.strip() and not line.startswith("{")
    ], stderr
