"""`shopbot demo` as a person runs it: a fresh data dir, the storefront's origin, a question,
Ctrl-C, and a second run that reuses the data."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import psutil
import pytest

STARTUP_TIMEOUT_S = 240


def _free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = a.getsockname()[1]
        if port < 65000:
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port pair")


def _start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)  # the embedded default: in-process queue, cache and limits
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _wait_for_summary(process: subprocess.Popen[str], data_dir: Path) -> tuple[dict, str]:
    assert process.stdout is not None  # `_start` pipes the demo's output
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    output: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line)
        if "also written to" in line:  # the last line of the printed summary
            return json.loads((data_dir / "demo.json").read_text()), "".join(output)
    process.kill()
    pytest.fail("demo did not start:\n" + "".join(output))


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    return rest


def _postgres_for(data_dir: Path) -> list[psutil.Process]:
    return [
        p
        for p in psutil.process_iter(["cmdline"])
        if any(str(data_dir) in part for part in (p.info.get("cmdline") or []))
        and "postgres" in " ".join(p.info.get("cmdline") or [])[:200]
    ]


def test_demo_answers_under_30_from_the_storefront_and_restarts_cleanly(tmp_path: Path) -> None:
    port = _free_port_pair()
    process = _start(tmp_path, port)
    try:
        summary, output = _wait_for_summary(process, tmp_path)
        assert set(summary) >= {
            "api_url",
            "demo_page_url",
            "dashboard_url",
            "widget_key",
            "dashboard_email",
            "dashboard_password",
        }
        assert summary["dashboard_url"] == f"{summary['api_url']}/app/"
        for key in (
            "api_url",
            "demo_page_url",
            "dashboard_url",
            "widget_key",
            "dashboard_email",
            "dashboard_password",
        ):
            assert summary[key] in output  # printed as well as written
        # The web app's address answers: the page when the export is built, else the 503
        # that says how to build it.
        app_page = httpx.get(summary["dashboard_url"], timeout=10)
        assert app_page.status_code in (200, 503), app_page.status_code
        assert app_page.headers["content-type"].startswith("text/html")
        page = httpx.get(summary["demo_page_url"], timeout=10)
        assert (
            page.status_code == 200
            and summary["widget_key"] in page.text
            and "/widget.js" in page.text
        )

        origin = summary["demo_page_url"].rstrip("/")
        session = httpx.post(
            f"{summary['api_url']}/widget/v1/sessions",
            json={"widget_key": summary["widget_key"]},
            headers={"Origin": origin},
            timeout=10,
        )
        assert session.status_code == 200, session.text
        token = session.json()["session_token"]
        chat = httpx.post(
            f"{summary['api_url']}/widget/v1/chat",
            json={"message": "do you have anything under $30?"},
            headers={"Origin": origin, "Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert chat.status_code == 200, chat.text
        body = chat.json()
        assert body["sources"], body
        assert all(Decimal(s["price"]) <= Decimal("30") for s in body["sources"])
        assert "$" in body["answer"]
        foreign = httpx.post(
            f"{summary['api_url']}/widget/v1/sessions",
            json={"widget_key": summary["widget_key"]},
            headers={"Origin": "https://evil.example"},
            timeout=10,
        )
        assert foreign.status_code == 403
        # The printed dashboard credentials sign in to the merchant API.
        login = httpx.post(
            f"{summary['api_url']}/v1/auth/login",
            timeout=30,
            json={"email": summary["dashboard_email"], "password": summary["dashboard_password"]},
        )
        assert login.status_code == 200, login.text
        assert login.json()["access_token"]
    finally:
        _stop(process)
    assert process.returncode == 0
    assert _postgres_for(tmp_path) == []

    # A second run reuses the data: same tenant and key, an incremental sync with nothing new.
    second = _start(tmp_path, port)
    try:
        again, output = _wait_for_summary(second, tmp_path)
        assert again["widget_key"] == summary["widget_key"]
        assert again["tenant_id"] == summary["tenant_id"]
        assert "0 created" in output
    finally:
        _stop(second)
    assert _postgres_for(tmp_path) == []
