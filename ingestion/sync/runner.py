"""The sync runner: pages from the store → plan → embed → write, pipelined, checkpointed.

Three stages run concurrently with small bounded queues between them, so fetching page
k+1 (network), embedding page k (CPU, on the embedder's own thread) and writing page k-1
(PostgreSQL) overlap:

    fetch ──q──▶ plan + embed ──q──▶ write (+ checkpoint, same transaction)

The write stage commits a page's rows and the job's checkpoint/progress in one
transaction, so "page applied" and "checkpoint advanced" are the same fact: a crash at any
point resumes exactly after the last committed page. Which pages are read, and how a
listing that shifts under offset paging is made up for, is the walk's business
(`ingestion.sync.walks`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import KW_ONLY, asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from core.models.store import StoreStatus
from core.models.sync import SyncJobStatus, SyncMode
from ingestion.failures import one_line_error
from ingestion.indexing import repository
from ingestion.indexing.service import IndexingService, PlannedBatch
from ingestion.sync import jobs
from ingestion.sync.progress import ProgressTracker, RunOutcome, SyncProgress
from ingestion.sync.run_state import RunState
from ingestion.sync.source import CatalogSource
from ingestion.sync.walks import FetchedPage, IncrementalWalk, ListingWatch, RangeWalk, StoredIds

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
    status: RunOutcome
    error: str | None = None


@dataclass
class _Planned:
    fetched: FetchedPage
    batch: PlannedBatch
    chunks_embedded: int


AfterPage = Callable[[int], Awaitable[None]]


@dataclass
class SyncRunner:
    db: Database
    tenant_id: TenantId
    _: KW_ONLY
    store_id: uuid.UUID
    source: CatalogSource
    indexer: IndexingService
    per_page: int = DEFAULT_PER_PAGE
    overlap: timedelta = DEFAULT_OVERLAP
    progress: SyncProgress | None = None
    after_page: AfterPage | None = None  # a test seam: runs after each committed page

    async def run(self, claim: jobs.JobClaim, *, max_pages: int | None = None) -> RunResult:
        job_id, owner = claim.job.id, claim.owner
        async with self.db.tenant_session(self.tenant_id) as session:
            job = await jobs.claim_for_run(session, self.tenant_id, job_id, owner)
            if job is None:
                return RunResult(job_id=job_id, done=True, status=RunOutcome.LOST)
            store = await session.get(StoreConnection, self.store_id)
            state = RunState.start(job, store, self.overlap, await session.scalar(func.now()))
            # Persist the run's start before the first page, so a resume keeps it.
            await jobs.record_progress(
                session,
                self.tenant_id,
                job_id,
                owner,
                processed=state.processed,
                counts=state.counts,
                checkpoint=state.checkpoint(),
                total=state.total,
            )
        tracker = ProgressTracker(self.progress, job_id=str(job_id), mode=state.mode)
        tracker.advance(total=state.total, counts=asdict(state.counts))
        try:
            finished = await self._pipeline(state, owner, tracker, max_pages)
        except JobLost:
            return RunResult(job_id=job_id, done=True, status=RunOutcome.LOST)
        except Exception as exc:
            message = one_line_error(exc)
            log.warning("sync %s failed: %s", job_id, message, exc_info=True)
            await self._fail(job_id, owner, message)
            tracker.advance(finished=True, status=RunOutcome.FAILED)
            return RunResult(job_id=job_id, done=True, status=RunOutcome.FAILED, error=message)
        if not finished:
            return RunResult(job_id=job_id, done=False, status=RunOutcome.RUNNING)
        tracker.advance(finished=True, status=RunOutcome.SUCCEEDED)
        return RunResult(job_id=job_id, done=True, status=RunOutcome.SUCCEEDED)

    # --- the pipeline -----------------------------------------------------------------
    async def _pipeline(
        self, state: RunState, owner: str, tracker: ProgressTracker, max_pages: int | None
    ) -> bool:
        fetched_q: asyncio.Queue[Any] = asyncio.Queue(maxsize=2)
        planned_q: asyncio.Queue[Any] = asyncio.Queue(maxsize=2)
        walk = await self._walk(state)

        async def fetch() -> None:
            fetched_pages = 0
            async with aclosing(walk.pages()) as pages:
                async for fetched in pages:
                    if fetched.page.total is not None and tracker.snapshot.total is None:
                        tracker.advance(total=fetched.page.total)
                    tracker.advance(fetched=fetched.listed)
                    await fetched_q.put(fetched)
                    fetched_pages += 1
                    if fetched.final or (max_pages is not None and fetched_pages >= max_pages):
                        break
            await fetched_q.put(_END)

        async def plan_and_embed() -> None:
            while (item := await fetched_q.get()) is not _END:
                documents = [d for d in item.page.documents if d.indexable]
                async with self.db.tenant_session(self.tenant_id) as session:
                    batch = await self.indexer.plan(
                        session,
                        self.store_id,
                        documents,
                        delete_external_ids=item.deletions,
                        errors=item.page.errors,
                    )
                chunks = await self.indexer.embed(batch)
                tracker.advance(embedded=item.listed, chunks_embedded=chunks)
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

    async def _walk(self, state: RunState) -> RangeWalk | IncrementalWalk:
        query = state.query(self.per_page)
        if not state.settles_ranges:
            return IncrementalWalk(
                self.source,
                query,
                first_page=state.next_page,
                first_walk=state.walk,
                watch=ListingWatch.from_dict(state.watch),
                load_known_modified=self._known_modified,
                per_page=self.per_page,
            )
        # The index's ids (and, for reconcile, modification times) once per run: pages then
        # settle their id ranges in memory instead of with a query each.
        if state.mode == SyncMode.RECONCILE:
            known = await self._known_modified()
            query, stored = replace(query, known_modified=known), StoredIds(known)
        else:
            async with self.db.tenant_session(self.tenant_id) as session:
                ids = await repository.store_product_ids(session, self.tenant_id, self.store_id)
            stored = StoredIds(int(i) for i in ids if i.isascii() and i.isdigit())
        return RangeWalk(
            self.source,
            query,
            stored,
            first_page=state.next_page,
            last_id=state.last_id,
            per_page=self.per_page,
        )

    async def _known_modified(self) -> dict[int, datetime]:
        async with self.db.tenant_session(self.tenant_id) as session:
            return await repository.known_modified(session, self.tenant_id, self.store_id)

    async def _write_page(
        self, item: _Planned, state: RunState, owner: str, tracker: ProgressTracker
    ) -> bool:
        page, last = item.fetched.page, item.fetched.final
        async with self.db.tenant_session(self.tenant_id) as session:
            counts = await self.indexer.write(session, self.store_id, item.batch)
            state.apply(counts, item.fetched, item.batch)
            alive = await jobs.record_progress(
                session,
                self.tenant_id,
                state.job_id,
                owner,
                processed=state.processed,
                counts=state.counts,
                checkpoint=state.checkpoint(),
                total=page.total if state.total is None else None,
            )
            if not alive:
                raise JobLost()
            if page.total is not None and state.total is None:
                state.total = page.total
            if last:
                await self._finish(session, state, owner)
        tracker.advance(written=item.fetched.listed, counts=asdict(state.counts))
        return last

    async def _finish(self, session: AsyncSession, state: RunState, owner: str) -> None:
        """The last page's transaction: the store's cursor and warning, the job's end."""
        warnings = state.warnings()
        values: dict[str, Any] = {
            "sync_cursor": state.run_started_at,
            "last_synced_at": func.now(),
            "last_error": None,
            "status": StoreStatus.ACTIVE,
        }
        # A walk of the whole catalogue says what is left out now (or that nothing is). An
        # incremental run sees only what changed: it keeps the warning it found (its own
        # count would understate), and warns only a store that had none.
        detail = warnings[0]["detail"] if warnings else None
        if state.settles_ranges:
            values["sync_warning"] = detail
        elif detail is not None:
            values["sync_warning"] = func.coalesce(StoreConnection.sync_warning, detail)
        await session.execute(
            update(StoreConnection)
            .where(
                StoreConnection.tenant_id == self.tenant_id,
                StoreConnection.id == self.store_id,
            )
            .values(**values)
        )
        await jobs.finish_job(
            session,
            self.tenant_id,
            state.job_id,
            owner,
            status=SyncJobStatus.SUCCEEDED,
            warnings=warnings,
        )

    async def _fail(self, job_id: uuid.UUID, owner: str, message: str) -> None:
        try:
            async with self.db.tenant_session(self.tenant_id) as session:
                await jobs.finish_job(
                    session,
                    self.tenant_id,
                    job_id,
                    owner,
                    status=SyncJobStatus.FAILED,
                    error=message,
                )
                await session.execute(
                    update(StoreConnection)
                    .where(
                        StoreConnection.tenant_id == self.tenant_id,
                        StoreConnection.id == self.store_id,
                    )
                    .values(last_error=message)
                )
        except Exception:
            log.warning("could not record the failure of sync %s", job_id, exc_info=True)


def _first_cause(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error
