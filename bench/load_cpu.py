"""Where bench.load's CPU goes: the cores each part of its world used during a phase.

Everything the bench starts shares this machine's cores with what it measures: the load
generator's 500 SSE clients, the fake model streaming 500 answers, the store emulator. How
much of the machine the API processes, PostgreSQL and the worker actually had is what the
throughput and latency rows must be read against, so each phase reports it.

A part is a process tree, named by what its top process runs: the children this process
started (the API's `shopbot serve` with its workers, `shopbot worker`, the fake model,
Redis, the store emulator), the embedded PostgreSQL (its postmaster, read from
`postmaster.pid`, and every backend), and this process itself (the shoppers' clients, the
webhook store, the sync watcher). "the rest of the machine" is the machine's busy time
less all of them: whatever else runs here.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import psutil

LOAD_GENERATOR = "load generator (this process)"
POSTGRES = "PostgreSQL (every backend)"
REST = "the rest of the machine"

# (a word in the command line, the part it names), first match wins.
_ROLES = (
    ("bench.load_model", "fake model"),
    ("redis-server", "Redis"),
    ("serve", "API (`shopbot serve`)"),
    ("worker", "Celery worker"),
    ("multiprocessing", "store emulator"),
)


@dataclass(frozen=True)
class CpuSnapshot:
    at: float  # time.monotonic()
    seconds: dict[str, float]  # CPU seconds each part has used so far
    machine_busy: float  # the machine's CPU seconds not idle, every process


def _cpu_seconds(process: psutil.Process) -> float:
    # Children's times: what a process's exited children used once it reaped them
    # (PostgreSQL's ended backends, a finished Celery child).
    t = process.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def _role(cmdline: list[str]) -> str:
    joined = " ".join(cmdline)
    return next((role for word, role in _ROLES if word in joined), "other bench processes")


def _machine_busy() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class CpuMeter:
    def __init__(self, pgdata: Path) -> None:
        self._pgdata = pgdata

    def _postmaster(self) -> psutil.Process | None:
        with contextlib.suppress(OSError, ValueError, IndexError, psutil.Error):
            pid = int((self._pgdata / "postmaster.pid").read_text().split()[0])
            return psutil.Process(pid)
        return None

    def snapshot(self) -> CpuSnapshot:
        seconds: defaultdict[str, float] = defaultdict(float)
        counted: set[int] = set()

        def add(role: str, top: psutil.Process) -> None:
            with contextlib.suppress(psutil.Error):
                for process in (top, *top.children(recursive=True)):
                    if process.pid not in counted:
                        counted.add(process.pid)
                        with contextlib.suppress(psutil.Error):
                            seconds[role] += _cpu_seconds(process)

        postmaster = self._postmaster()
        if postmaster is not None:
            add(POSTGRES, postmaster)
        me = psutil.Process()
        counted.add(me.pid)
        seconds[LOAD_GENERATOR] += _cpu_seconds(me)
        for child in me.children():
            with contextlib.suppress(psutil.Error):
                add(_role(child.cmdline()), child)
        return CpuSnapshot(time.monotonic(), dict(seconds), _machine_busy())


def cores_used(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """Each part's cores over the interval (CPU seconds per second), and the rest."""
    wall = max(1e-9, after.at - before.at)
    used = {
        role: max(0.0, after.seconds.get(role, 0.0) - before.seconds.get(role, 0.0)) / wall
        for role in after.seconds
    }
    machine = max(0.0, after.machine_busy - before.machine_busy) / wall
    used[REST] = max(0.0, machine - sum(used.values()))
    return used
