"""Progress of a running sync, for people (the CLI's Rich bar) and machines (logs, tests).

The runner calls `SyncProgress.update(snapshot)` after each stage of each page: fetched,
embedded, written. Snapshots are immutable and cheap; a listener must not block (it runs on
the event loop), and an exception in a listener never fails the sync.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from core.models.sync import SyncJobStatus, SyncMode

log = logging.getLogger(__name__)


class RunOutcome(StrEnum):
    """Where a run stands after a slice of it (a progress snapshot, a Celery task's result)."""

    RUNNING = SyncJobStatus.RUNNING.value  # the page budget ran out; a next slice goes on
    SUCCEEDED = SyncJobStatus.SUCCEEDED.value
    FAILED = SyncJobStatus.FAILED.value
    LOST = "lost"  # taken over by another process, or cancelled: this one stopped


@dataclass(frozen=True)
class ProgressSnapshot:
    job_id: str
    mode: SyncMode
    total: int | None  # products the store reports for this run (X-WP-Total), once known
    fetched: int  # products received from the store
    embedded: int  # products whose chunks were embedded (changed ones) or skipped (unchanged)
    written: int  # products whose page is committed
    chunks_embedded: int
    counts: dict[str, int] = field(default_factory=dict)
    started_monotonic: float = field(default_factory=time.monotonic)
    finished: bool = False
    status: RunOutcome = RunOutcome.RUNNING

    @property
    def elapsed_s(self) -> float:
        return max(time.monotonic() - self.started_monotonic, 1e-9)

    @property
    def rate(self) -> float:
        """Products written per second so far."""
        return self.written / self.elapsed_s

    @property
    def eta_s(self) -> float | None:
        if self.total is None or self.written == 0:
            return None
        return max(self.total - self.written, 0) / self.rate


class SyncProgress(Protocol):
    def update(self, snapshot: ProgressSnapshot) -> None: ...


class NullProgress:
    def update(self, snapshot: ProgressSnapshot) -> None:
        return None


class ProgressTracker:
    """Accumulates counters and fans snapshots out to a listener."""

    def __init__(self, listener: SyncProgress | None, *, job_id: str, mode: SyncMode) -> None:
        self._listener = listener or NullProgress()
        self.snapshot = ProgressSnapshot(
            job_id=job_id,
            mode=mode,
            total=None,
            fetched=0,
            embedded=0,
            written=0,
            chunks_embedded=0,
        )

    def advance(self, **changes: int | None | dict[str, int] | bool | RunOutcome) -> None:
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("fetched", "embedded", "written", "chunks_embedded") and isinstance(
                value, int
            ):
                values[key] = getattr(self.snapshot, key) + value
            else:
                values[key] = value
        self.snapshot = replace(self.snapshot, **values)
        try:
            self._listener.update(self.snapshot)
        except Exception:
            log.warning("sync progress listener failed", exc_info=True)
