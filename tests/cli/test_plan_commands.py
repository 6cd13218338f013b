"""`shopbot plans ...` and `shopbot tenants set-plan` as an operator meets them (real
subprocesses against the real database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL

from core.db.database import Database
from core.ids import TenantId
from core.models import AuditLogEntry, Bot

SHOPBOT = [sys.executable, "-m", "cli.main"]


def _run(owner_url: URL, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "COLUMNS": "250",
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
    }
    return subprocess.run([*SHOPBOT, *args], capture_output=True, text=True, env=env, timeout=240)


def test_plans_list_shows_every_plan_with_every_quota(owner_url: URL) -> None:
    listed = _run(owner_url, "plans", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    plans = json.loads(listed.stdout)
    assert [p["code"] for p in plans] == ["free", "starter", "growth", "scale"]
    assert plans[0]["limits"]["bots"] == 1 and plans[0]["limits"]["models"] == ["gpt-4o-mini"]
    assert plans[2]["limits"]["rate_limit_ceiling"]["bot"] == {"per_minute": 1200, "burst": 1200}
    table = _run(owner_url, "plans", "list")
    assert table.returncode == 0, table.stderr
    for word in ("free", "growth", "Scale", "199.00 USD", "gpt-4o-mini"):
        assert word in table.stdout, word


def test_set_stripe_price_writes_through_the_owner_connection(owner_url: URL) -> None:
    engine = create_engine(owner_url)
    with engine.connect() as connection:
        before = connection.scalar(
            text("SELECT stripe_price_id FROM plans WHERE code = 'starter' AND version = 1")
        )
    try:
        done = _run(owner_url, "plans", "set-stripe-price", "starter", "price_cli_test_1")
        assert done.returncode == 0, done.stderr
        listed = json.loads(_run(owner_url, "plans", "list", "--json").stdout)
        assert {p["code"]: p["stripe_price_id"] for p in listed}["starter"] == "price_cli_test_1"
        bad = _run(owner_url, "plans", "set-stripe-price", "starter", "not a price")
        unknown = _run(owner_url, "plans", "set-stripe-price", "platinum", "price_x")
        for result in (bad, unknown):
            assert result.returncode == 1 and "Traceback" not in result.stderr
            assert result.stderr.startswith("shopbot: error:")
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE plans SET stripe_price_id = :p WHERE code = 'starter'"),
                {"p": before},
            )
        engine.dispose()


async def test_set_plan_by_name_suspends_and_resumes_and_is_audited(
    owner_url: URL, committed_db: Database
) -> None:
    name = f"CLI Plan {uuid.uuid4().hex[:8]}"
    created = _run(owner_url, "tenants", "create", "--name", name, "--json")
    assert created.returncode == 0, created.stderr
    tenant_id = TenantId(uuid.UUID(json.loads(created.stdout)["tenant_id"]))

    up = _run(owner_url, "tenants", "set-plan", name, "growth")
    assert up.returncode == 0, up.stderr
    assert "free → growth" in up.stdout and "Nothing suspended" in up.stdout
    for extra in ("Second", "Third"):  # one transaction each: newest is by creation time
        async with committed_db.tenant_session(tenant_id) as session:
            session.add(Bot(tenant_id=tenant_id, name=extra, widget_key=uuid.uuid4().hex))

    down = _run(owner_url, "tenants", "set-plan", str(tenant_id), "free", "--json")
    assert down.returncode == 0, down.stderr
    result = json.loads(down.stdout)
    assert (result["previous_plan"], result["plan"], result["status"]) == (
        "growth",
        "free",
        "manual",
    )
    assert len(result["suspended"]["bots"]) == 2
    again = _run(owner_url, "tenants", "set-plan", name, "growth")
    assert again.returncode == 0 and "Resumed 2 bots" in again.stdout

    async with committed_db.tenant_session(tenant_id) as session:
        active = (await session.scalars(select(Bot.name).where(Bot.is_active))).all()
        entries = (
            await session.scalars(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == "billing.plan_changed")
                .order_by(AuditLogEntry.created_at)
            )
        ).all()
    assert len(active) == 3
    assert [(e.details["from"], e.details["to"]) for e in entries] == [
        ("free", "growth"),
        ("growth", "free"),
        ("free", "growth"),
    ]
    assert all(e.details["actor"] == "operator" for e in entries)
    assert entries[1].details["suspended"]["bots"] == result["suspended"]["bots"]

    missing = _run(owner_url, "tenants", "set-plan", "No Such Business Anywhere", "free")
    assert missing.returncode == 1 and "no tenant named" in missing.stderr
