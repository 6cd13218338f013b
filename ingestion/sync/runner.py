"""The sync runner: pages from the store → plan → embed → write, pipelined, checkpointed.

Three stages run concurrently with small bounded queues between them, so fetching page
k+1 (network), embedding page k (CPU, on the embedder's own thread) and writing page k-1
(PostgreSQL) overlap:

    fetch ──q──▶ plan + embed ──q──▶ write (+ checkpoint, same transaction)

The write stage commits a page's rows and the job's checkpoint/progress in one
transaction, so "page applied" and "checkpoint advanced" are the same fact: a crash at any
point resumes exactly after the last committed page. Pages are read ordered by id; in
full/reconcile mode each page also settles the id range it covers: stored products in
that range that the store did not return are re-checked with one look-up by id (offset
paging skips items when the catalogue changes underneath) and removed only when they are
really gone.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, update

from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from ingestion.indexing import repository
from ingestion.indexing.service import BatchCounts, IndexingService, PlannedBatch
from ingestion.sync import jobs
from ingestion.sync.progress import ProgressTracker, SyncProgress
from ingestion.sync.source import CatalogPage, CatalogSource, PageQuery

log = logging.getLogger(__name__)

DEFAULT_PER_PAGE = 100
# Incremental syncs start this far before the cursor: the store's clock and ours differ,
# and WordPress dates have one-second resolution.
DEFAULT_OVERLAP = timedelta(minutes=5)
_END = object()


class JobLost(Exception):
    """Another process took this job over, or it was cancelled: stop quietly."""


@dataclass
class RunResult:
    job_id: uuid.UUID
    done: bool  # False: the page budget ran out; the checkpoint says where to go on
    status: str  # running | succeeded | failed | cancelled
    error: str | None = None


@dataclass
class _Fetched:
    page: CatalogPage
    deletions: list[str]


@dataclass
class _Planned:
    fetched: _Fetched
    batch: PlannedBatch
    chunks_embedded: int


AfterPage = Callable[[int], Awaitable[None]]


class SyncRunner:
    def __init__(
        self,
        db: Database,
        tenant_id: TenantId,
        *,
        store_id: uuid.UUID,
        source: CatalogSource,
        indexer: IndexingService,
        per_page: int = DEFAULT_PER_PAGE,
        overlap: timedelta = DEFAULT_OVERLAP,
        progress: SyncProgress | None = None,
        after_page: AfterPage | None = None,
    ) -> None:
        self.db = db
        self.tenant_id = tenant_id
        self.store_id = store_id
        self.source = source
        self.indexer = indexer
        self.per_page = per_page
        self.overlap = overlap
        self.progress_listener = progress
        self.after_page = after_page  # a test seam: runs after each committed page

    async def run(self, claim: jobs.JobClaim, *, max_pages: int | None = None) -> RunResult:
        job_id, owner = claim.job.id, claim.owner
        async with self.db.tenant_session(self.tenant_id) as session:
            job = await jobs.claim_for_run(session, self.tenant_id, job_id, owner)
            if job is None:
                return RunResult(job_id=job_id, done=True, status="lost")
            store = await session.get(StoreConnection, self.store_id)
            state = _RunState.start(job, store, self.overlap, await session.scalar(func.now()))
            # Persist the run's start before the first page, so a resume keeps it.
            await jobs.record_progress(
                session, self.tenant_id, job_id, owner, processed=state.processed,
                counts=state.counts, checkpoint=state.checkpoint(), total=state.total,
            )
        tracker = ProgressTracker(self.progress_listener, job_id=str(job_id), mode=state.mode)
        tracker.advance(total=state.total, counts=dict(state.counts))
        try:
            finished = await self._pipeline(state, owner, tracker, max_pages)
        except JobLost:
            return RunResult(job_id=job_id, done=True, status="lost")
        except Exception as exc:  # noqa: BLE001 - recorded on the job; the caller decides
            message = _one_line(exc)
            log.warning("sync %s failed: %s", job_id, message, exc_info=True)
            await self._fail(job_id, owner, message)
            tracker.advance(finished=True, status="failed")
            return RunResult(job_id=job_id, done=True, status="failed", error=message)
        if not finished:
            return RunResult(job_id=job_id, done=False, status="running")
        tracker.advance(finished=True, status="succeeded")
        return RunResult(job_id=job_id, done=True, status="succeeded")

    # --- the pipeline -----------------------------------------------------------------
    async def _pipeline(
        self, state: _RunState, owner: str, tracker: ProgressTracker, max_pages: int | None
    ) -> bool:
        fetched_q: asyncio.Queue[Any] = asyncio.Queue(maxsize=2)
        planned_q: asyncio.Queue[Any] = asyncio.Queue(maxsize=2)
        query = state.query(self.per_page)
        if state.mode == "reconcile":
            async with self.db.tenant_session(self.tenant_id) as session:
                known = await repository.known_modified(session, self.tenant_id, self.store_id)
            query = replace(query, known_modified=known)

        async def fetch() -> None:
            number = state.next_page
            lower = state.last_id
            budget = max_pages
            while budget is None or budget > 0:
                page = await self.source.page(number, query)
                if page.total is not None and tracker.snapshot.total is None:
                    tracker.advance(total=page.total)
                tracker.advance(fetched=len(page.raw_ids))
                last = _is_last(page, self.per_page)
                deletions = await self._settle(page, state, lower, last)
                lower = max(page.raw_ids) if page.raw_ids else lower
                await fetched_q.put(_Fetched(page=page, deletions=deletions))
                if last:
                    break
                number += 1
                if budget is not None:
                    budget -= 1
            await fetched_q.put(_END)

        async def plan_and_embed() -> None:
            while (item := await fetched_q.get()) is not _END:
                documents = [d for d in item.page.documents if d.indexable]
                async with self.db.tenant_session(self.tenant_id) as session:
                    batch = await self.indexer.plan(
                        session, self.store_id, documents,
                        delete_external_ids=item.deletions, errors=item.page.errors,
                    )
                chunks = await self.indexer.embed(batch)
                tracker.advance(embedded=len(item.page.raw_ids), chunks_embedded=chunks)
                await planned_q.put(_Planned(fetched=item, batch=batch, chunks_embedded=chunks))
            await planned_q.put(_END)

        async def write() -> bool:
            finished = False
            while (item := await planned_q.get()) is not _END:
                finished = await self._write_page(item, state, owner, tracker)
                if self.after_page is not None:
                    await self.after_page(item.fetched.page.number)
            return finished

        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(fetch())
                group.create_task(plan_and_embed())
                writer = group.create_task(write())
        except BaseExceptionGroup as group_error:
            # One stage failed and the others were cancelled: surface the real cause.
            raise _first_cause(group_error) from None
        return writer.result()

    async def _settle(self, page: CatalogPage, state: _RunState, lower: int | None, last: bool) -> list[str]:
        """Which stored products this page proves gone (and indexable stragglers it missed)."""
        on_page = {str(i) for i in page.raw_ids}
        gone = [d.row.external_id for d in page.documents if not d.indexable]
        if not state.settles_ranges:
            return gone
        upper = None if last else (max(page.raw_ids) if page.raw_ids else None)
        if not last and upper is None:
            return gone
        async with self.db.tenant_session(self.tenant_id) as session:
            stored = await repository.external_ids_in_range(
                session, self.tenant_id, self.store_id, above=lower, up_to=upper
            )
        missing = [e for e in stored if e not in on_page]
        if missing:
            # Offset paging may have skipped them (the catalogue shifted): ask by id.
            found = await self.source.products([int(e) for e in missing])
            found_ids = set()
            for document in found:
                if document.indexable and document.row.status == "publish":
                    page.documents.append(document)
                    found_ids.add(document.row.external_id)
            gone += [e for e in missing if e not in found_ids]
        return gone

    async def _write_page(self, item: _Planned, state: _RunState, owner: str, tracker: ProgressTracker) -> bool:
        page = item.fetched.page
        last = _is_last(page, self.per_page)
        async with self.db.tenant_session(self.tenant_id) as session:
            counts = await self.indexer.write(session, self.store_id, item.batch)
            state.apply(counts, page, last)
            alive = await jobs.record_progress(
                session, self.tenant_id, state.job_id, owner,
                processed=state.processed, counts=state.counts, checkpoint=state.checkpoint(),
                total=page.total if state.total is None else None,
            )
            if not alive:
                raise JobLost()
            if page.total is not None and state.total is None:
                state.total = page.total
            if last:
                await session.execute(
                    update(StoreConnection)
                    .where(StoreConnection.tenant_id == self.tenant_id, StoreConnection.id == self.store_id)
                    .values(
                        sync_cursor=state.run_started_at,
                        last_synced_at=func.now(),
                        last_error=None,
                        status="active",
                    )
                )
                await jobs.finish_job(session, self.tenant_id, state.job_id, owner, status="succeeded")
        tracker.advance(written=len(page.raw_ids), counts=dict(state.counts))
        return last

    async def _fail(self, job_id: uuid.UUID, owner: str, message: str) -> None:
        try:
            async with self.db.tenant_session(self.tenant_id) as session:
                await jobs.finish_job(session, self.tenant_id, job_id, owner, status="failed", error=message)
                await session.execute(
                    update(StoreConnection)
                    .where(StoreConnection.tenant_id == self.tenant_id, StoreConnection.id == self.store_id)
                    .values(last_error=message)
                )
        except Exception:  # noqa: BLE001 - the original failure is what matters
            log.warning("could not record the failure of sync %s", job_id, exc_info=True)


def _first_cause(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


def _is_last(page: CatalogPage, per_page: int) -> bool:
    if len(page.raw_ids) < per_page:
        return True
    return page.total_pages is not None and page.number >= page.total_pages


def _one_line(exc: BaseException) -> str:
    detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
    return " ".join(str(detail).split())[:500]


@dataclass
class _RunState:
    job_id: uuid.UUID
    mode: str
    next_page: int
    last_id: int | None
    run_started_at: datetime
    modified_after: datetime | None
    processed: int
    counts: dict[str, int]
    total: int | None
    done: bool = False

    @classmethod
    def start(
        cls, job: Any, store: StoreConnection | None, overlap: timedelta, now: datetime
    ) -> _RunState:
        checkpoint = dict(job.checkpoint or {})
        started = checkpoint.get("run_started_at")
        run_started_at = datetime.fromisoformat(started) if started else now.astimezone(UTC)
        modified_after = None
        if job.mode == "incremental":
            saved = checkpoint.get("modified_after")
            if saved:
                modified_after = datetime.fromisoformat(saved)
            elif store is not None and store.sync_cursor is not None:
                modified_after = store.sync_cursor - overlap
        return cls(
            job_id=job.id,
            mode=job.mode,
            next_page=int(checkpoint.get("next_page") or 1),
            last_id=checkpoint.get("last_id"),
            run_started_at=run_started_at,
            modified_after=modified_after,
            processed=job.processed or 0,
            counts={**jobs.empty_counts(), **(job.counts or {})},
            total=job.total,
        )

    @property
    def settles_ranges(self) -> bool:
        # An incremental run sees only what changed; without a cursor it is a full walk.
        return self.mode != "incremental" or self.modified_after is None

    def query(self, per_page: int) -> PageQuery:
        if self.settles_ranges:
            return PageQuery(status="publish", per_page=per_page)
        return PageQuery(status="any", per_page=per_page, modified_after=self.modified_after)

    def apply(self, counts: BatchCounts, page: CatalogPage, last: bool) -> None:
        for key, value in counts.as_dict().items():
            self.counts[key] = self.counts.get(key, 0) + value
        self.processed += len(page.raw_ids)
        self.next_page = page.number + 1
        if page.raw_ids:
            self.last_id = max(page.raw_ids)
        self.done = last

    def checkpoint(self) -> dict[str, Any]:
        return {
            "next_page": self.next_page,
            "last_id": self.last_id,
            "run_started_at": self.run_started_at.isoformat(),
            "modified_after": self.modified_after.isoformat() if self.modified_after else None,
            "done": self.done,
        }
