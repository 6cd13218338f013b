"""`shopbot tenants ...`: operator commands for tenants."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, print_json
from core.provisioning import ProvisionedTenant, provision_tenant
from core.runtime import open_runtime

app = typer.Typer(help="Manage tenants (merchant businesses).", no_args_is_help=True)


@app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="The business name.")],
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option("--allowed-origin", help="An origin the widget may run on (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Create a tenant with a default bot; print its id as the last line."""
    settings = settings_for(data_dir)

    async def _create() -> ProvisionedTenant:
        async with open_runtime(settings, run_migrations=True) as runtime:
            return await provision_tenant(
                runtime.db, name=name, allowed_origins=allowed_origin or []
            )

    created = run_async(_create)
    if as_json:
        print_json(
            {
                "tenant_id": str(created.tenant_id),
                "bot_id": str(created.bot_id),
                "widget_key": created.widget_key,
            }
        )
        return
    console.print(f"Created tenant [bold]{name}[/] with bot {created.bot_id}")
    console.print(f"Widget key: {created.widget_key}")
    console.print(str(created.tenant_id), soft_wrap=True)
