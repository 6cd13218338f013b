"""`shopbot db ...`: schema management."""

from __future__ import annotations

import typer

from cli.context import DataDirOption, settings_for
from cli.output import console

app = typer.Typer(help="Database schema management.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(data_dir: DataDirOption = None) -> None:
    """Migrate the configured database (DATABASE_URL, or the embedded server) to the newest
    schema."""
    # Imported here, as in every command: `shopbot` builds all commands on each run.
    from core.db.config import resolve_database_urls
    from core.db.urls import redacted
    from core.runtime import migrate_database

    settings = settings_for(data_dir)
    urls = resolve_database_urls(settings)
    where = (
        "embedded server in " + str(settings.data_dir) if urls.embedded else redacted(urls.owner)
    )
    before, after = migrate_database(settings, urls)
    if before == after:
        console.print(f"Database ({where}) already at revision {after}; nothing to do.")
    else:
        console.print(f"Database ({where}) migrated from {before or 'empty'} to {after}.")
