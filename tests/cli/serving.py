"""`shopbot serve` (or any `shopbot` command) in a real subprocess, as an operator runs it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

SHOPBOT = [sys.executable, "-m", "cli.main"]
STARTUP_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shopbot_env(extra: dict[str, str]) -> dict[str, str]:
    """The test process's environment (test keys, Redis) plus `extra`; "" unsets a variable."""
    env = {**os.environ, "COLUMNS": "200", **extra}
    return {name: value for name, value in env.items() if value != ""}


def run_shopbot(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SHOPBOT, *args], capture_output=True, text=True, env=shopbot_env(env), timeout=timeout
    )


def wait_until_healthy(
    process: subprocess.Popen[str], base: str, *, output: Callable[[], str]
) -> None:
    """Until `base`/healthz answers 200; a server that exits first fails the test with
    what it wrote (`output`)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise AssertionError(f"shopbot serve exited {process.returncode}:\n{output()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise AssertionError("shopbot serve did not answer /healthz in time")
        time.sleep(0.25)


@contextlib.contextmanager
def serving(env: dict[str, str], *, port: int, host: str = "127.0.0.1") -> Iterator[str]:
    """`shopbot serve` until /healthz answers; yields its base URL; always stopped."""
    process = subprocess.Popen(
        [*SHOPBOT, "serve", "--host", host, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=shopbot_env(env),
    )
    assert process.stdout is not None  # piped above
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, base, output=process.stdout.read)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


@contextlib.contextmanager
def serving_logged_to(
    env: dict[str, str], *, port: int, workers: int, log_path: str
) -> Iterator[subprocess.Popen[str]]:
    """`shopbot serve --workers N` writing its output to `log_path` (a busy server would
    fill a pipe nobody reads) until /healthz answers; yields the process. A test may stop
    it itself; otherwise it is stopped with SIGTERM at the end."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*SHOPBOT, "serve", "--host", "127.0.0.1", "--port", str(port)]
            + ["--workers", str(workers)],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=shopbot_env(env),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, base, output=Path(log_path).read_text)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
