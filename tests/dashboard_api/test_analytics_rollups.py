"""The analytics rollups themselves: the triggers agree with a rebuild from the raw rows
after inserts and updates, the rollups outlive the raw rows, a change of time zone
recounts the days, the latency histogram keeps its error bound, the summary counts whole
quarter hours."""

from __future__ import annotations

import math
import random
import uuid
from typing import Any

import httpx
from sqlalchemy import delete, text, update
from sqlalchemy.dialects.postgresql import insert

from core.models import Conversation, Feedback, Message, Tenant, WidgetEvent
from dashboard_api.analytics.histogram import RELATIVE_ERROR_BOUND, ROUNDING_MS
from tests.dashboard_api.analytics_history import History
from tests.dashboard_api.harness import Merchant

WINDOW = {"from": "2026-03-28", "to": "2026-03-31"}
ROLLUPS = {
    "analytics_quarter_hours": "bucket_start, bot_id, model",
    "analytics_days": "day, bot_id, model",
    "analytics_product_days": "day, bot_id, product_id",
    "analytics_product_months": "month, bot_id, product_id",
}
NOT_COUNTS = {
    "tenant_id",
    "bucket_start",
    "day",
    "month",
    "bot_id",
    "model",
    "product_id",
    "title",
    "url",
}


async def snapshot(session, tenant_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every rollup row of the tenant that counts something (an update can leave a row of
    zeros behind, which a rebuild does not write)."""
    tables = {}
    for table, order in ROLLUPS.items():
        rows = await session.execute(
            text(f"SELECT * FROM {table} WHERE tenant_id = :t ORDER BY {order}"), {"t": tenant_id}
        )
        tables[table] = [
            dict(row)
            for row in rows.mappings()
            if any(v for k, v in row.items() if k not in NOT_COUNTS)
        ]
    return tables


async def seed(db, merchant: Merchant, zone: str = "Europe/Berlin") -> dict[str, Any]:
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == merchant.tenant_id).values(timezone=zone)
        )
        h = History(session, merchant.tenant_id)
        socks, gone = await h.product("Trail Socks"), uuid.uuid4()
        a = await h.conversation(merchant.bot_id, "v-a", "2026-03-28T22:30:00")
        await h.ask(a, "2026-03-28T22:30:00")
        first = await h.answer(a, "2026-03-28T22:30:02", "ok", 800, (1000, 200), [gone, socks])
        await h.rate(first, "up", "2026-03-28T22:31:00")
        b = await h.conversation(merchant.bot_id, "v-b", "2026-03-29T00:45:00")
        await h.ask(b, "2026-03-29T00:45:00")
        second = await h.answer(b, "2026-03-29T00:45:02", "ok", 2000, (2000, 400), [socks])
        await h.event(merchant.bot_id, b, "product_click", socks, "2026-03-29T00:46:00")
        await h.event(merchant.bot_id, b, "add_to_cart", socks, "2026-03-29T00:47:00")
        c = await h.conversation(merchant.bot_id, "v-c", "2026-03-30T09:00:00")
        await h.ask(c, "2026-03-30T09:00:00")
        third = await h.answer(c, "2026-03-30T09:00:04", "error", 9000, (10, 0))
    return {"socks": socks, "gone": gone, "answers": (first, second, third), "b": b}


async def totals(client: httpx.AsyncClient, merchant: Merchant, **params: str) -> dict[str, Any]:
    response = await client.get(
        "/v1/analytics/timeseries", headers=merchant.headers, params={**WINDOW, **params}
    )
    assert response.status_code == 200, response.text
    return response.json()["totals"]


async def test_triggers_agree_with_a_rebuild_after_inserts_and_updates(db, merchant) -> None:
    seeded = await seed(db, merchant)
    first, second, third = seeded["answers"]
    async with db.tenant_session(merchant.tenant_id) as session:
        h = History(session, merchant.tenant_id)
        # An answer re-judged, re-timed and re-priced; another's cards changed; a thumb
        # replaced the way the feedback endpoint does it; the error retried as a success.
        await session.execute(
            update(Message)
            .where(Message.id == second.id)
            .values(status="no_answer", latency_ms=2500, model="gpt-4o", prompt_tokens=7)
        )
        await session.execute(
            update(Message).where(Message.id == first.id).values(sources=[{"title": "no id"}])
        )
        await session.execute(
            insert(Feedback)
            .values(
                id=uuid.uuid4(), tenant_id=merchant.tenant_id, message_id=first.id, rating="down"
            )
            .on_conflict_do_update(
                index_elements=[Feedback.tenant_id, Feedback.message_id], set_={"rating": "down"}
            )
        )
        await session.execute(
            update(Message).where(Message.id == third.id).values(status="ok", latency_ms=300)
        )
        await h.ask(seeded["b"], "2026-03-29T01:30:00")
        await h.answer(seeded["b"], "2026-03-29T01:30:01", "ok", 700, (5, 5), [seeded["gone"]])
        kept = await snapshot(session, merchant.tenant_id)
        await session.execute(text("SELECT analytics_rebuild(:t)"), {"t": merchant.tenant_id})
        rebuilt = await snapshot(session, merchant.tenant_id)
    assert kept == rebuilt
    days = {(row["day"].isoformat(), row["model"]): row for row in kept["analytics_days"]}
    assert days[("2026-03-29", "gpt-4o")]["unanswered"] == 1
    assert days[("2026-03-29", "gpt-4o")]["latency_bins"] == {"91": 1}  # 2500 ms: bin 91
    assert days[("2026-03-28", "")]["thumbs_down"] == 1
    assert days[("2026-03-28", "")]["thumbs_up"] == 0
    shown = {
        (r["day"].isoformat(), r["product_id"]): r["shown"] for r in kept["analytics_product_days"]
    }
    # The first answer's cards were taken away (its Mar 28 rows are zeros now).
    assert shown == {("2026-03-29", seeded["socks"]): 1, ("2026-03-29", seeded["gone"]): 1}


async def test_rollups_outlive_the_raw_rows(db, client: httpx.AsyncClient, merchant) -> None:
    await seed(db, merchant)
    before = await totals(client, merchant)
    assert before["conversations"] == 3 and before["thumbs_up"] == 1
    async with db.tenant_session(merchant.tenant_id) as session:
        # What a retention purge or a visitor's erasure does.
        await session.execute(
            delete(WidgetEvent).where(WidgetEvent.tenant_id == merchant.tenant_id)
        )
        await session.execute(
            delete(Conversation).where(Conversation.tenant_id == merchant.tenant_id)
        )
        assert await session.scalar(text("SELECT count(*) FROM messages")) == 0
    assert await totals(client, merchant) == before
    products = await client.get(
        "/v1/analytics/top-products", headers=merchant.headers, params=WINDOW
    )
    assert [(p["shown"], p["clicks"], p["added_to_cart"]) for p in products.json()["products"]] == [
        (2, 1, 1),
        (1, 0, 0),
    ]
    # A rebuild recounts from the raw rows: it is for backfills, not after purges.
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(text("SELECT analytics_rebuild(:t)"), {"t": merchant.tenant_id})
    assert (await totals(client, merchant))["conversations"] == 0


async def test_a_new_time_zone_recounts_the_days(db, client: httpx.AsyncClient, merchant) -> None:
    await seed(db, merchant)
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Tenant)
            .where(Tenant.id == merchant.tenant_id)
            .values(timezone="America/New_York")
        )
    response = await client.get("/v1/analytics/timeseries", headers=merchant.headers, params=WINDOW)
    body = response.json()
    # New York (EDT, UTC-4): A at Mar 28 18:30, B at Mar 28 20:45, C at Mar 30 05:00.
    assert [(p["start"], p["conversations"]) for p in body["points"]] == [
        ("2026-03-28T00:00:00-04:00", 2),
        ("2026-03-29T00:00:00-04:00", 0),
        ("2026-03-30T00:00:00-04:00", 1),
    ]


async def test_latency_percentiles_stay_within_the_bound(
    db, client: httpx.AsyncClient, merchant
) -> None:
    draws: dict[str, list[int]] = {}
    async with db.tenant_session(merchant.tenant_id) as session:
        h = History(session, merchant.tenant_id)
        generator = random.Random(16)
        for day in ("2026-05-01", "2026-05-02", "2026-05-03"):
            conversation = await h.conversation(merchant.bot_id, "v", f"{day}T10:00:00")
            latencies = [max(1, int(generator.lognormvariate(7.5, 0.8))) for _ in range(150)]
            for n, latency in enumerate(latencies):
                await h.answer(
                    conversation, f"{day}T10:{n // 60:02d}:{n % 60:02d}", "ok", latency, (1, 1)
                )
            draws[day] = latencies
    response = await client.get(
        "/v1/analytics/timeseries",
        headers=merchant.headers,
        params={"from": "2026-05-01", "to": "2026-05-04"},
    )
    points = response.json()["points"]
    for point, latencies in zip(points, draws.values(), strict=True):
        for field, fraction in (("latency_p50_ms", 0.5), ("latency_p95_ms", 0.95)):
            exact = sorted(latencies)[math.ceil(fraction * len(latencies)) - 1]
            error = abs(point[field] - exact)
            assert error <= RELATIVE_ERROR_BOUND * exact + ROUNDING_MS, (field, exact, point)
    assert 0.044 < RELATIVE_ERROR_BOUND < 0.0444


async def test_the_summary_counts_whole_quarter_hours(
    db, client: httpx.AsyncClient, merchant
) -> None:
    async with db.tenant_session(merchant.tenant_id) as session:
        h = History(session, merchant.tenant_id)
        for moment in ("2026-04-01T09:59:00", "2026-04-01T10:05:00", "2026-04-01T10:20:00"):
            await h.conversation(merchant.bot_id, "v", moment)
    response = await client.get(
        "/v1/analytics/summary",
        headers=merchant.headers,
        params={"from": "2026-04-01T10:07:00Z", "to": "2026-04-01T10:14:00Z"},
    )
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-04-01T10:00:00Z", "2026-04-01T10:15:00Z")
    assert body["conversations"] == 1


async def test_the_summary_adds_whole_business_days_and_their_edges(
    db, client: httpx.AsyncClient, merchant
) -> None:
    """Kolkata's days start at 18:30 UTC: a window of whole quarter hours across several of
    them reads the whole days from the day rollup and the two partial days from the quarter
    hours, and every conversation inside counts once, none outside."""
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == merchant.tenant_id).values(timezone="Asia/Kolkata")
        )
        h = History(session, merchant.tenant_id)
        inside = (
            "2026-04-01T06:15:00",  # the first (partial) local day, at the window's start
            "2026-04-01T18:29:00",  # its last minute
            "2026-04-01T18:30:00",  # the first whole local day
            "2026-04-02T12:00:00",
            "2026-04-03T18:29:00",  # the last whole day's last minute
            "2026-04-03T18:30:00",  # the partial last day
            "2026-04-04T02:14:00",  # its last counted quarter hour
        )
        outside = ("2026-04-01T06:14:00", "2026-04-04T02:15:00", "2026-03-20T12:00:00")
        for moment in inside + outside:
            await h.conversation(merchant.bot_id, "v", moment)
    response = await client.get(
        "/v1/analytics/summary",
        headers=merchant.headers,
        params={"from": "2026-04-01T06:15:00Z", "to": "2026-04-04T02:15:00Z"},
    )
    assert response.json()["conversations"] == len(inside)
    one_day = await client.get(
        "/v1/analytics/summary",
        headers=merchant.headers,
        params={"from": "2026-04-01T18:30:00Z", "to": "2026-04-02T18:30:00Z"},
    )
    assert one_day.json()["conversations"] == 2
