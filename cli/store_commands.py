"""`shopbot stores ...`: connect a WooCommerce store to a tenant (operator command)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, print_json

if TYPE_CHECKING:
    from ingestion.stores import RegisteredStore

app = typer.Typer(help="Manage store connections (WooCommerce).", no_args_is_help=True)


@app.command("add")
def add(
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant id the store belongs to.")],
    url: Annotated[
        str, typer.Option("--url", help="The store's address, e.g. https://shop.example.com.")
    ],
    key: Annotated[str, typer.Option("--key", help="WooCommerce REST API consumer key (ck_...).")],
    secret: Annotated[
        str, typer.Option("--secret", help="WooCommerce REST API consumer secret (cs_...).")
    ],
    webhook_secret: Annotated[
        str | None,
        typer.Option(
            "--webhook-secret", help="Secret the store signs webhooks with (default: generated)."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="A display name for the store.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"store_id": ...}.')] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Test the connection, store the keys encrypted, register webhooks; print the store id last.

    The URL passes the outbound guard (SHOPBOT_OUTBOUND_* settings): https to a public
    address on port 443 or 80 unless the operator allowed more."""
    # Imported here, as in every command: `shopbot` builds all commands on each run.
    from sqlalchemy import select

    from core.errors import NotFound, ValidationFailed
    from core.ids import TenantId, parse_uuid
    from core.models import Tenant
    from core.outbound import policy_from_settings
    from core.runtime import open_runtime
    from ingestion.stores import register_store

    tenant_uuid = parse_uuid(tenant)
    if tenant_uuid is None:
        raise ValidationFailed(f"--tenant must be a tenant id (a UUID), got {tenant!r}")
    tenant_id = TenantId(tenant_uuid)
    settings = settings_for(data_dir)

    async def _add() -> RegisteredStore:
        async with open_runtime(settings, run_migrations=True) as runtime:
            async with runtime.db.tenant_session(tenant_id) as session:
                if await session.scalar(select(Tenant.id).where(Tenant.id == tenant_id)) is None:
                    raise NotFound(f"no tenant {tenant_id}")
            return await register_store(
                runtime.db,
                runtime.secrets.secret_box,
                tenant_id,
                url=url,
                consumer_key=key,
                consumer_secret=secret,
                webhook_secret=webhook_secret,
                name=name,
                public_api_url=settings.public_api_url,
                outbound=policy_from_settings(settings),
            )

    registered = run_async(_add)
    if as_json:
        print_json({"store_id": str(registered.store_id)})
        return
    _print_registered(registered)
    console.print(str(registered.store_id), soft_wrap=True)


def _print_registered(registered: RegisteredStore) -> None:
    """What a connection did: created or updated, the catalogue seen, the webhooks."""
    verb = "Connected" if registered.created else "Updated"
    console.print(
        f"{verb} store [bold]{registered.base_url}[/] "
        f"({registered.product_count} published products, {registered.currency})",
        soft_wrap=True,
    )
    if registered.webhooks:
        console.print(
            f"Webhooks registered: {', '.join(w.topic for w in registered.webhooks)}",
            soft_wrap=True,
        )
    elif registered.webhook_error:
        console.print(
            f"[yellow]Webhooks not registered:[/] {registered.webhook_error}", soft_wrap=True
        )
    else:
        console.print(
            "Webhooks not registered (set SHOPBOT_PUBLIC_API_URL); scheduled syncs keep it fresh.",
            soft_wrap=True,
        )
