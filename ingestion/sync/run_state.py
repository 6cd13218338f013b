"""Where a sync run stands: what it walks, how far it got, and the checkpoint that says so.

The checkpoint is written in the same transaction as each page's rows, so a rerun after a
crash starts exactly after the last committed page: `next_page` of `walk` (incremental
re-walks restart at page 1) with what that walk has seen (`watch`), and `last_id` (the id
range settled so far, full and reconcile).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.models import StoreConnection, SyncJob
from core.models.sync import SyncMode
from ingestion.indexing.quota import product_quota_warning
from ingestion.indexing.service import BatchCounts, PlannedBatch
from ingestion.sync import jobs
from ingestion.sync.source import PageQuery
from ingestion.sync.steps import FENCE_KEY
from ingestion.sync.walks import FetchedPage


@dataclass
class RunState:
    job_id: uuid.UUID
    mode: SyncMode
    next_page: int
    walk: int
    watch: dict[str, Any] | None
    last_id: int | None
    run_started_at: datetime
    modified_after: datetime | None
    processed: int
    counts: BatchCounts
    total: int | None
    done: bool = False
    # New products the plan's product quota left out so far, and the plan that did it
    # (code, name, limit); in the checkpoint, so a run split into steps or resumed after a
    # crash still reports the whole run's number.
    quota_skipped: int = 0
    quota_plan: dict[str, Any] | None = None
    # The Celery steps' fence (`ingestion.sync.steps`), kept as the step claimed it.
    step_fence: dict[str, Any] | None = None

    @classmethod
    def start(
        cls, job: SyncJob, store: StoreConnection | None, overlap: timedelta, now: datetime
    ) -> RunState:
        checkpoint = dict(job.checkpoint or {})
        started = checkpoint.get("run_started_at")
        run_started_at = datetime.fromisoformat(started) if started else now.astimezone(UTC)
        mode = SyncMode(job.mode)
        modified_after = None
        if mode == SyncMode.INCREMENTAL:
            saved = checkpoint.get("modified_after")
            if saved:
                modified_after = datetime.fromisoformat(saved)
            elif store is not None and store.sync_cursor is not None:
                modified_after = store.sync_cursor - overlap
        return cls(
            job_id=job.id,
            mode=mode,
            next_page=int(checkpoint.get("next_page") or 1),
            walk=int(checkpoint.get("walk") or 0),
            watch=checkpoint.get("watch"),
            last_id=checkpoint.get("last_id"),
            run_started_at=run_started_at,
            modified_after=modified_after,
            processed=job.processed or 0,
            counts=jobs.counts_of(job.counts),
            total=job.total,
            quota_skipped=int(checkpoint.get("quota_skipped") or 0),
            quota_plan=checkpoint.get("quota_plan"),
            step_fence=checkpoint.get(FENCE_KEY),
        )

    @property
    def settles_ranges(self) -> bool:
        # An incremental run sees only what changed; without a cursor it is a full walk.
        return self.mode != SyncMode.INCREMENTAL or self.modified_after is None

    def query(self, per_page: int) -> PageQuery:
        if self.settles_ranges:
            return PageQuery(status="publish", per_page=per_page)
        return PageQuery(status="any", per_page=per_page, modified_after=self.modified_after)

    def apply(self, counts: BatchCounts, fetched: FetchedPage, batch: PlannedBatch) -> None:
        self.counts.add(counts)
        self.quota_skipped += len(batch.left_out)
        if batch.room is not None:
            room = batch.room
            self.quota_plan = {"plan": room.plan, "plan_name": room.plan_name, "limit": room.limit}
        self.processed += fetched.listed
        self.next_page = fetched.next_page
        self.walk = fetched.next_walk
        self.watch = fetched.watch
        if fetched.page.raw_ids:
            self.last_id = max(fetched.page.raw_ids)
        self.done = fetched.final

    def checkpoint(self) -> dict[str, Any]:
        return {
            "next_page": self.next_page,
            "walk": self.walk,
            "watch": self.watch,
            "last_id": self.last_id,
            "run_started_at": self.run_started_at.isoformat(),
            "modified_after": self.modified_after.isoformat() if self.modified_after else None,
            "done": self.done,
            "quota_skipped": self.quota_skipped,
            "quota_plan": self.quota_plan,
            FENCE_KEY: self.step_fence,
        }

    def warnings(self) -> list[dict[str, Any]]:
        """What the finished run reports on its job (`sync_jobs.warnings`)."""
        if not self.quota_skipped or self.quota_plan is None:
            return []
        # A walk of the whole catalogue knows how many indexable products the store has;
        # an incremental one saw only what changed, so it names no total.
        listed = self.counts.seen if self.settles_ranges else None
        plan = self.quota_plan
        return [
            product_quota_warning(
                plan["plan"], plan["plan_name"], plan["limit"], self.quota_skipped, listed
            )
        ]
