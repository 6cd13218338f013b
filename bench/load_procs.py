"""bench.load's processes: its own Redis, `shopbot serve` (2 workers when the command has
`--workers`), a real `shopbot worker`, and the RSS of a process tree.

Every process is started in a session of its own and stopped by its group id, on errors
too: uvicorn's and Celery's children go with their parent, and nothing outlives the bench.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from bench.widget_setup import ROOT, free_port, healthy

SHOPBOT = [sys.executable, "-c", "from cli.main import run; run()"]


def stop_group(process: subprocess.Popen[bytes], *, grace_s: float = 15.0) -> None:
    """SIGTERM the process's group, SIGKILL what is left after `grace_s`."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children a parent left behind
    process.wait()


@contextlib.contextmanager
def own_redis(data_dir: Path) -> Iterator[str]:
    """A throwaway redis-server on a free port (no persistence); yields its URL."""
    import redis

    port = free_port()
    log = (data_dir / "redis.log").open("wb")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {log.name}")
            time.sleep(0.1)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_group(process, grace_s=5)
        log.close()


def serve_has_workers() -> bool:
    """Whether `shopbot serve` takes `--workers` (branch `serve`); main's runs one process."""
    result = subprocess.run(
        [*SHOPBOT, "serve", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return "--workers" in result.stdout


@contextlib.contextmanager
def shopbot_serve(env: dict[str, str], data_dir: Path, workers: int) -> Iterator[tuple[str, int]]:
    """`shopbot serve [--workers N]` on a free port; yields its base URL and pid (the parent
    of uvicorn's worker processes, if any); always stopped."""
    port = free_port()
    args = [*SHOPBOT, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        args += ["--workers", str(workers)]
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )

    def exited() -> str:
        log.flush()
        return f"shopbot serve exited ({process.returncode}):\n{tail(data_dir / 'serve.log')}"

    try:
        with healthy(process, f"http://127.0.0.1:{port}", log, exited=exited) as base:
            yield base, process.pid
    finally:
        stop_group(process)


class Worker:
    """A started `shopbot worker`; `ready()` waits for Celery's "ready" line."""

    def __init__(self, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.process, self.log_path = process, log_path

    def ready(self, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while " ready." not in self.log_path.read_text(errors="replace"):
            if self.process.poll() is not None:
                raise RuntimeError(f"shopbot worker exited:\n{tail(self.log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"shopbot worker not ready in {timeout_s:.0f} s")
            time.sleep(0.2)


@contextlib.contextmanager
def shopbot_worker(env: dict[str, str], data_dir: Path, concurrency: int) -> Iterator[Worker]:
    """`shopbot worker --concurrency N`, started (it boots while the API does); always
    stopped."""
    path = data_dir / "worker.log"
    log = path.open("wb")
    process = subprocess.Popen(
        [*SHOPBOT, "worker", "--concurrency", str(concurrency)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield Worker(process, path)
    finally:
        stop_group(process)
        log.close()


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (uvicorn's worker processes)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total
