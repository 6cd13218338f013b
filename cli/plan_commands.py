"""`shopbot plans ...`: the plans on offer, and the Stripe price each one sells through.

Plans are global, read-only to the application role (a change of limits is a new version in
a migration); the Stripe price id is the one operator-set field, written through the owner
connection that `shopbot db upgrade` uses.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, print_json

# The database and billing modules are imported by the commands that use them: every
# `shopbot` run builds all commands, and should not pay for them (see cli/main.py).
if TYPE_CHECKING:
    from core.billing.plans import PlanInfo

app = typer.Typer(help="Plans and their quotas.", no_args_is_help=True)

_PRICE_ID = re.compile(r"^[A-Za-z0-9_]{1,200}$")


def plan_json(plan: PlanInfo) -> dict[str, Any]:
    return {
        "code": plan.code,
        "version": plan.version,
        "name": plan.name,
        "monthly_price_cents": plan.monthly_price_cents,
        "currency": plan.currency,
        "stripe_price_id": plan.stripe_price_id,
        "limits": plan.limits.as_json(),
    }


def _ceilings(plan: PlanInfo) -> str:
    return ", ".join(
        f"{scope} {ceiling.per_minute:g}/min"
        for scope, ceiling in plan.limits.rate_limit_ceiling.items()
    )


def _table(plans: list[PlanInfo]) -> Table:
    from core.billing.plans import COUNTED_QUOTAS

    table = Table(title="Plans on offer (newest version of each)")
    for column in ("code", "version", "name", "price/month", *COUNTED_QUOTAS):
        table.add_column(column.replace("_", " "))
    for column in ("sync every (min)", "models", "rate-limit ceilings", "stripe price"):
        table.add_column(column)
    for plan in plans:
        limits = plan.limits
        table.add_row(
            plan.code,
            str(plan.version),
            plan.name,
            f"{plan.monthly_price_cents / 100:.2f} {plan.currency}",
            *(f"{limits.count_limit(quota):,}" for quota in COUNTED_QUOTAS),
            str(limits.sync_interval_minutes),
            ", ".join(limits.models),
            _ceilings(plan),
            plan.stripe_price_id or "-",
        )
    return table


@app.command("list")
def list_plans(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Every plan on offer with every quota, cheapest first."""
    from core.billing.plans import offered_plans
    from core.runtime import open_runtime

    settings = settings_for(data_dir)

    async def _list() -> list[PlanInfo]:
        async with open_runtime(settings, run_migrations=True) as runtime:
            async with runtime.db.system_session() as session:
                return await offered_plans(session)

    plans = run_async(_list)
    if as_json:
        print_json([plan_json(plan) for plan in plans])
        return
    console.print(_table(plans))


_NEWEST = "SELECT id FROM plans WHERE code = :code AND is_active ORDER BY version DESC LIMIT 1"


@app.command("set-stripe-price")
def set_stripe_price(
    code: Annotated[str, typer.Argument(help="The plan's code, e.g. growth.")],
    price_id: Annotated[str, typer.Argument(help="The Stripe price id, e.g. price_123.")],
    data_dir: DataDirOption = None,
) -> None:
    """Sell the newest version of plan CODE through the Stripe price PRICE_ID."""
    from sqlalchemy import create_engine, text

    from core.db.config import resolve_database_urls
    from core.errors import NotFound, ValidationFailed
    from core.runtime import migrate_database

    if not _PRICE_ID.fullmatch(price_id):
        raise ValidationFailed(
            f"PRICE_ID must be a Stripe price id such as price_123, got {price_id!r}"
        )
    settings = settings_for(data_dir)
    urls = resolve_database_urls(settings)
    migrate_database(settings, urls)
    engine = create_engine(urls.owner)
    try:
        with engine.begin() as connection:
            plan_id = connection.scalar(text(_NEWEST), {"code": code})
            if plan_id is None:
                raise NotFound(f"no plan {code!r} on offer (see `shopbot plans list`)")
            taken = connection.scalar(
                text("SELECT code FROM plans WHERE stripe_price_id = :price AND code <> :code"),
                {"price": price_id, "code": code},
            )
            if taken is not None:
                raise ValidationFailed(f"{price_id} already sells the plan {taken!r}")
            connection.execute(
                text("UPDATE plans SET stripe_price_id = :price WHERE id = :id"),
                {"price": price_id, "id": plan_id},
            )
    finally:
        engine.dispose()
    console.print(
        f"Plan [bold]{code}[/] now sells through Stripe price {price_id}.", soft_wrap=True
    )
