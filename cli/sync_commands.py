"""`shopbot sync STORE_ID`: run a catalogue sync in the foreground with a progress bar.

Register with `app.command("sync")(sync_commands.sync)` (a single command, so that
`shopbot sync STORE_ID` needs no sub-command name).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from cli.context import DataDirOption, run_async, settings_for
from cli.output import err_console, fail, print_json

# The sync pipeline and the embedder are imported when `sync` runs: every `shopbot` run
# builds all commands, and should not pay for them (see cli/main.py).
if TYPE_CHECKING:
    from ingestion.sync.jobs import SyncJobRecord
    from ingestion.sync.progress import ProgressSnapshot

app = typer.Typer(help="Synchronise a store's catalogue.")


class RichSyncProgress:
    """Products fetched, embedded and written, with rate and ETA, on stderr."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "fetched {task.fields[fetched]} · embedded {task.fields[embedded]} · "
                "{task.fields[chunks]} chunks · {task.fields[rate]:.1f} products/s"
            ),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err_console,
            transient=False,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> RichSyncProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.progress.stop()

    def update(self, snapshot: ProgressSnapshot) -> None:
        if self.task is None:
            self.task = self.progress.add_task(
                f"{snapshot.mode} sync",
                total=snapshot.total,
                fetched=0,
                embedded=0,
                chunks=0,
                rate=0.0,
            )
        self.progress.update(
            self.task,
            total=snapshot.total,
            completed=snapshot.written,
            fetched=snapshot.fetched,
            embedded=snapshot.embedded,
            chunks=snapshot.chunks_embedded,
            rate=snapshot.rate,
        )


@app.command("sync")
def sync(
    store_id: Annotated[str, typer.Argument(help="The store's id (from `shopbot stores add`).")],
    mode: Annotated[
        str,
        typer.Option(
            "--mode", help="full | incremental (changes since the last sync) | reconcile."
        ),
    ] = "incremental",
    stale_minutes: Annotated[
        float,
        typer.Option(
            "--stale-minutes", help="Take over a running sync whose heartbeat is older than this."
        ),
    ] = 10.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the final job record as JSON.")
    ] = False,
    per_page: Annotated[int | None, typer.Option("--per-page", hidden=True, min=1, max=100)] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run a sync of STORE_ID now, in this process; exit 1 if it fails."""
    from core.errors import NotFound
    from core.ids import parse_uuid
    from core.models.sync import SyncJobStatus, SyncMode, SyncTrigger
    from core.runtime import open_runtime
    from engine.embeddings import embedder_from_settings
    from ingestion.stores import tenant_of_store
    from ingestion.sync.runner import DEFAULT_PER_PAGE
    from ingestion.sync.service import run_sync

    modes = tuple(SyncMode)
    if mode not in modes:
        fail(f"--mode must be one of {', '.join(modes)}, got {mode!r}", code=2)
    store_uuid = parse_uuid(store_id)
    if store_uuid is None:
        raise NotFound(f"no store {store_id!r}")
    settings = settings_for(data_dir)

    async def _sync() -> SyncJobRecord:
        async with open_runtime(settings, run_migrations=True) as runtime:
            tenant_id = await tenant_of_store(runtime.db, store_uuid)
            if tenant_id is None:
                raise NotFound(f"no store {store_id}")
            embedder = embedder_from_settings(settings)
            kwargs: dict[str, Any] = dict(
                mode=mode,
                secret_box=runtime.secrets.secret_box,
                embedder=embedder,
                trigger=SyncTrigger.MANUAL,
                stale_after=timedelta(minutes=stale_minutes),
                per_page=DEFAULT_PER_PAGE if per_page is None else per_page,
            )
            if as_json:
                return await run_sync(runtime.db, tenant_id, store_uuid, **kwargs)
            with RichSyncProgress() as bar:
                return await run_sync(runtime.db, tenant_id, store_uuid, progress=bar, **kwargs)

    record = run_async(_sync)
    if as_json:
        print_json(record.model_dump(mode="json"))
    else:
        counts = record.counts
        err_console.print(
            f"{record.status}: {counts.seen} seen, {counts.created} created, "
            f"{counts.updated} updated, {counts.unchanged} unchanged, {counts.deleted} deleted, "
            f"{counts.chunks_written} chunks, {counts.errors} errors",
            soft_wrap=True,
        )
    if record.status != SyncJobStatus.SUCCEEDED:
        fail(f"sync {record.status}: {record.error or 'see the job record'}")
