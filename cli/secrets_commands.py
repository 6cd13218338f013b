"""`shopbot secrets rotate`: re-encrypt stored credentials (stores' and bots' own model
keys) with the newest key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, fail

if TYPE_CHECKING:
    from ingestion.key_rotation import RotationResult

app = typer.Typer(help="Secrets at rest.", no_args_is_help=True)


@app.command("rotate")
def rotate(data_dir: DataDirOption = None) -> None:
    """Re-encrypt every store's credentials and bot model key with the first key in
    SHOPBOT_ENCRYPTION_KEYS."""
    # Imported here, as in every command: `shopbot` builds all commands on each run.
    from core.runtime import open_runtime
    from ingestion.key_rotation import rotate_secrets

    settings = settings_for(data_dir)

    async def _rotate() -> RotationResult:
        async with open_runtime(settings, run_migrations=True) as runtime:
            return await rotate_secrets(runtime.db, runtime.secrets.secret_box)

    result = run_async(_rotate)
    console.print(
        f"Re-encrypted the credentials of {result.stores} stores and the model keys of "
        f"{result.bots} bots in {result.tenants} tenants."
    )
    if result.unreadable:
        fail(
            f"{result.unreadable} stores or bots could not be decrypted with the configured keys "
            "and were left as they are"
        )
