"""`shopbot tenants ...`: operator commands for tenants: create one, change its plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, print_json

# The database, billing and audit modules are imported by the commands that use them:
# every `shopbot` run builds all commands, and should not pay for them (see cli/main.py).
if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from core.billing.plan_changes import Reconciled
    from core.db.database import Database
    from core.ids import TenantId
    from core.provisioning import ProvisionedTenant

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
    from core.provisioning import provision_tenant
    from core.runtime import open_runtime

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


def _tenant_by_name(owner_url: URL, name: str) -> TenantId:
    """Through the owner connection: tenants are visible to the application role only one
    at a time (row-level security), and a name is what support is usually given."""
    from sqlalchemy import create_engine, text

    from core.errors import NotFound, ValidationFailed
    from core.ids import TenantId

    engine = create_engine(owner_url)
    try:
        with engine.connect() as connection:
            ids = connection.scalars(
                text("SELECT id FROM tenants WHERE name = :name LIMIT 2"), {"name": name}
            ).all()
    finally:
        engine.dispose()
    if not ids:
        raise NotFound(f"no tenant named {name!r} (give its id)")
    if len(ids) > 1:
        raise ValidationFailed(f"more than one tenant is named {name!r}: give its id")
    return TenantId(ids[0])


def _describe(reconciled: Reconciled) -> list[str]:
    lines = []
    for verb, changes in (("Suspended", reconciled.suspended), ("Resumed", reconciled.resumed)):
        for quota, ids in changes.items():
            if ids:
                listed = ", ".join(str(i) for i in ids)
                lines.append(f"{verb} {len(ids)} {quota.replace('_', ' ')}: {listed}")
    return lines or ["Nothing suspended or resumed: everything fits the plan."]


async def change_plan(db: Database, tenant_id: TenantId, code: str) -> dict[str, Any]:
    """`set_plan_manually` and its audit entry in one transaction (actor: the operator)."""
    from sqlalchemy import select

    from core.billing.entitlements import entitlement_for
    from core.billing.plan_changes import set_plan_manually
    from core.billing.plans import offered_plan
    from core.errors import NotFound
    from core.models import Tenant
    from dashboard_api.audit_log import service as audit

    async with db.tenant_session(tenant_id) as session:
        if await session.scalar(select(Tenant.id).where(Tenant.id == tenant_id)) is None:
            raise NotFound(f"no tenant {tenant_id}")
        try:
            plan = await offered_plan(session, code)
        except NotFound:
            raise NotFound(f"no plan {code!r} on offer (see `shopbot plans list`)") from None
        before = await entitlement_for(session, tenant_id)
        entitlement, reconciled = await set_plan_manually(session, tenant_id, plan)
        changes = reconciled.as_json()
        await audit.record(
            session,
            tenant_id,
            "billing.plan_changed",
            target_type="plan",
            target_id=plan.id,
            details={
                "actor": "operator",
                "from": before.plan.code,
                "to": plan.code,
                "status": entitlement.status,
                **changes,
            },
        )
    return {
        "tenant_id": str(tenant_id),
        "plan": plan.code,
        "previous_plan": before.plan.code,
        "status": entitlement.status,
        "lines": _describe(reconciled),
        **changes,
    }


@app.command("set-plan")
def set_plan(
    tenant: Annotated[str, typer.Argument(help="The tenant's id, or its exact name.")],
    plan: Annotated[str, typer.Argument(help="The plan's code (see `shopbot plans list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Put TENANT on PLAN (no Stripe involved; the next Stripe change decides again). What
    the plan no longer allows is suspended, newest first, never deleted; an upgrade
    resumes what a downgrade suspended."""
    from core.ids import TenantId, parse_uuid
    from core.runtime import open_runtime

    settings = settings_for(data_dir)
    tenant_uuid = parse_uuid(tenant)

    async def _set() -> dict[str, Any]:
        async with open_runtime(settings, run_migrations=True) as runtime:
            tenant_id = (
                TenantId(tenant_uuid)
                if tenant_uuid is not None
                else _tenant_by_name(runtime.urls.owner, tenant)
            )
            return await change_plan(runtime.db, tenant_id, plan)

    result = run_async(_set)
    if as_json:
        print_json({key: value for key, value in result.items() if key != "lines"})
        return
    console.print(
        f"Tenant {result['tenant_id']}: plan [bold]{result['previous_plan']}[/] → "
        f"[bold]{result['plan']}[/] ({result['status']})",
        soft_wrap=True,
    )
    for line in result["lines"]:
        console.print(line, soft_wrap=True)
