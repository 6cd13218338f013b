"""`shopbot serve --workers N`: one parent, N API processes on one listening socket.

The parent settles what must happen once (the migration, the embedded server, the keys),
binds the socket, and spawns the workers (a fresh interpreter each: nothing of the parent's
event loop, pools or threads is inherited). A worker that dies is started again (logged);
one that keeps dying within seconds, or fails before it ever served, stops the server: a
broken configuration fails the same way every time. SIGTERM or SIGINT to the parent closes
its copy of the socket and sends SIGTERM to every worker (each shuts down gracefully,
cli.graceful_server); the parent returns once all of them have exited.

The metrics port (`SHOPBOT_METRICS_PORT`) is served by worker 0 only: one port cannot be
bound by N processes. The workers count into one folder (`PROMETHEUS_MULTIPROC_DIR`, made
here for this run and removed at its end, unless the operator set it), so any worker's
`/metrics` reports all of them (api.metrics).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from types import FrameType

from api.metrics import MULTIPROCESS_DIR_ENV
from cli.graceful_server import STREAM_CLOSE_MARGIN_S
from cli.listening import LISTEN_BACKLOG, bound_tcp_socket
from cli.serve_app import STARTUP_FAILURE, run_worker
from core.settings import Settings

log = logging.getLogger(__name__)

# A worker slot that died this many times within the window is not started again.
CRASH_LOOP_DEATHS = 5
CRASH_LOOP_WINDOW_S = 60.0
_POLL_S = 0.2
# How long the parent waits for workers after forwarding the signal, beyond their own grace.
_EXIT_MARGIN_S = 10.0


def bind_listening_socket(host: str, port: int) -> socket.socket:
    # Nagle off on every connection, and the first of the port's group (cli.listening).
    listening = bound_tcp_socket(host, port, spread=True)
    # Listening already: a connection made while the workers start waits in the backlog.
    listening.listen(LISTEN_BACKLOG)
    listening.set_inheritable(True)
    return listening


@dataclass
class _Slot:
    index: int
    process: SpawnProcess
    deaths: deque[float] = field(default_factory=deque)


class WorkerSupervisor:
    def __init__(self, settings: Settings, listening: socket.socket, workers: int) -> None:
        self._settings = settings
        self._listening = listening
        self._workers = workers
        self._context = multiprocessing.get_context("spawn")
        self._stop_signal: int | None = None
        self._slots: list[_Slot] = []

    def run(self) -> int:
        """Serve until signalled (0) or until a worker cannot be kept running (1)."""
        previous = {
            sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            with shared_metrics_folder():
                self._slots = [_Slot(index, self._start(index)) for index in range(self._workers)]
                failed = False
                while self._stop_signal is None and not failed:
                    time.sleep(_POLL_S)
                    failed = not self._keep_workers_running()
                self._stop_all()
            return 1 if failed else 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _request_stop(self, sig: int, frame: FrameType | None) -> None:
        # Only a flag: the loop above does the work, outside the signal handler.
        self._stop_signal = sig

    def _start(self, index: int) -> SpawnProcess:
        # Worker 0 alone serves the metrics port: the others would fail to bind it.
        settings = self._settings if index == 0 else self._without_metrics_port()
        process = self._context.Process(
            target=run_worker,
            args=(settings, self._listening, index),
            name=f"shopbot-api-{index}",
        )
        process.start()
        log.info("started API worker %d (pid %s)", index, process.pid)
        return process

    def _without_metrics_port(self) -> Settings:
        return self._settings.model_copy(update={"metrics_port": None})

    def _keep_workers_running(self) -> bool:
        """Restart dead workers; False when one must not be restarted."""
        for slot in self._slots:
            if slot.process.is_alive() or self._stop_signal is not None:
                continue
            code = slot.process.exitcode
            log.error("API worker %d (pid %s) exited with %s", slot.index, slot.process.pid, code)
            if code == STARTUP_FAILURE:
                log.error("API worker %d failed to start; stopping the server", slot.index)
                return False
            now = time.monotonic()
            slot.deaths.append(now)
            while slot.deaths and now - slot.deaths[0] > CRASH_LOOP_WINDOW_S:
                slot.deaths.popleft()
            if len(slot.deaths) >= CRASH_LOOP_DEATHS:
                log.error(
                    "API worker %d died %d times in %.0f s; stopping the server",
                    slot.index,
                    len(slot.deaths),
                    CRASH_LOOP_WINDOW_S,
                )
                return False
            slot.process = self._start(slot.index)
            log.warning("restarted API worker %d (pid %s)", slot.index, slot.process.pid)
        return True

    def _stop_all(self) -> None:
        # The parent's copy of the socket goes first: once every worker has closed its own,
        # new connections are refused rather than left waiting in a backlog nobody reads.
        self._listening.close()
        for slot in self._slots:
            if slot.process.is_alive() and slot.process.pid is not None:
                slot.process.terminate()  # SIGTERM: a graceful shutdown in the worker
        deadline = time.monotonic() + self._settings.shutdown_grace_s + STREAM_CLOSE_MARGIN_S
        deadline += _EXIT_MARGIN_S
        for slot in self._slots:
            slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                log.error("API worker %d did not stop in time; killing it", slot.index)
                slot.process.kill()
                slot.process.join()
        log.info("all API workers stopped")


@contextmanager
def shared_metrics_folder() -> Iterator[str]:
    """The folder the workers count into (their environment inherits the variable): the
    operator's when set (theirs to empty between runs), else a new one for this run,
    removed once every worker has exited."""
    given = os.environ.get(MULTIPROCESS_DIR_ENV)
    if given:
        yield given
        return
    folder = tempfile.mkdtemp(prefix="shopbot-metrics-")
    os.environ[MULTIPROCESS_DIR_ENV] = folder
    try:
        yield folder
    finally:
        os.environ.pop(MULTIPROCESS_DIR_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)
