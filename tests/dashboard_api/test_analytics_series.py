"""`/v1/analytics/timeseries` on a seeded history that crosses the spring DST change in Berlin
(2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC), with every expected number worked
out by hand below; the autumn change in New York (25 hours) and a half-hour zone (Kolkata).

Latency percentiles are nearest rank, reported as the middle of their log bin (bin
b = 1 + floor(8 * log2(ms)) holds [2^((b-1)/8), 2^(b/8)) ms, middle 2^((b-0.5)/8)):
    600 ms -> bin 74 [558.3, 608.9), middle 583      800 -> bin 78, middle 825
   1000 ms -> bin 80 [939.0, 1024),  middle 981     1500 -> bin 85, middle 1512
   2000 ms -> bin 88 [1878, 2048),   middle 1961    4000 -> bin 96, middle 3922
Cost: gpt-4o-mini is $0.15 / $0.60 per million tokens in / out, i.e. 0.15 and 0.6
micro-dollars per token; `offline-grounded` costs 0.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from core.models import Bot, Tenant
from tests.dashboard_api.analytics_history import History
from tests.dashboard_api.harness import Merchant, register

WINDOW = {"from": "2026-03-28", "to": "2026-03-31"}
ZERO: dict[str, Any] = {
    "conversations": 0,
    "messages": 0,
    "answers": 0,
    "answered": 0,
    "unanswered": 0,
    "errors": 0,
    "thumbs_up": 0,
    "thumbs_down": 0,
    "product_clicks": 0,
    "added_to_cart": 0,
    "latency_p50_ms": None,
    "latency_p95_ms": None,
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "cost_micro_usd": 0,
}


def numbers(**given: Any) -> dict[str, Any]:
    return {**ZERO, **given}


async def set_zone(db, merchant: Merchant, zone: str) -> None:
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == merchant.tenant_id).values(timezone=zone)
        )


@pytest.fixture
async def second_bot(db, merchant: Merchant) -> uuid.UUID:
    async with db.tenant_session(merchant.tenant_id) as session:
        bot = Bot(tenant_id=merchant.tenant_id, name="Second", widget_key=uuid.uuid4().hex)
        session.add(bot)
        await session.flush()
        return bot.id


@pytest.fixture
async def berlin(db, merchant: Merchant, second_bot: uuid.UUID) -> dict[str, uuid.UUID]:
    """Local times are Berlin's: CET (+1) before 2026-03-29 01:00 UTC, CEST (+2) after."""
    await set_zone(db, merchant, "Europe/Berlin")
    jacket = uuid.uuid4()  # cited by answers, not (any longer) in the catalogue
    async with db.tenant_session(merchant.tenant_id) as session:
        h = History(session, merchant.tenant_id)
        socks = await h.product("Trail Socks")
        # A: Mar 28 23:30 CET; its second question is Mar 29 00:10 CET.
        a = await h.conversation(merchant.bot_id, "v-a", "2026-03-28T22:30:00")
        await h.ask(a, "2026-03-28T22:30:00")
        first = await h.answer(a, "2026-03-28T22:30:02", "ok", 800, (1000, 200), [jacket])
        await h.rate(first, "up", "2026-03-28T22:31:00")
        await h.ask(a, "2026-03-28T23:10:00")
        second = await h.answer(a, "2026-03-28T23:10:03", "no_answer", 1500, (500, 0))
        await h.rate(second, "down", "2026-03-28T23:11:00")
        # B: Mar 29 01:45 CET, then 03:05 CEST (the clock jumped over 02:00-03:00).
        b = await h.conversation(merchant.bot_id, "v-b", "2026-03-29T00:45:00")
        await h.ask(b, "2026-03-29T00:45:00")
        await h.answer(b, "2026-03-29T00:45:02", "ok", 2000, (2000, 400), [jacket, socks])
        await h.ask(b, "2026-03-29T01:05:00")
        # ok, but it cites nothing: unanswered (engine/analytics/answered.py).
        await h.answer(b, "2026-03-29T01:05:04", "ok", 4000, (1000, 100))
        await h.event(merchant.bot_id, b, "product_click", socks, "2026-03-29T01:06:00")
        await h.event(merchant.bot_id, b, "add_to_cart", socks, "2026-03-29T01:07:00")
        await h.event(merchant.bot_id, b, "open", None, "2026-03-29T01:07:30")  # not counted
        # C: Mar 29 23:50 CEST, an error (its 30 s are no answer latency); then Mar 30.
        c = await h.conversation(merchant.bot_id, "v-c", "2026-03-29T21:50:00")
        await h.ask(c, "2026-03-29T21:50:00")
        await h.answer(c, "2026-03-29T21:50:05", "error", 30000, (100, 0))
        await h.ask(c, "2026-03-29T22:05:00")
        await h.answer(
            c, "2026-03-29T22:05:01", "ok", 1000, (300, 50), model="offline-grounded", document=True
        )
        # D: the second bot, Mar 30 12:00 CEST.
        d = await h.conversation(second_bot, "v-d", "2026-03-30T10:00:00")
        await h.ask(d, "2026-03-30T10:00:00")
        await h.answer(d, "2026-03-30T10:00:01", "ok", 600, (100, 10), document=True)
        # A dashboard preview counts nowhere.
        p = await h.conversation(merchant.bot_id, "preview:user:x", "2026-03-29T12:00:00")
        await h.ask(p, "2026-03-29T12:00:00")
        shown = await h.answer(p, "2026-03-29T12:00:01", "ok", 5, (9, 9), [jacket])
        await h.rate(shown, "up", "2026-03-29T12:00:02")
        await h.event(merchant.bot_id, p, "product_click", None, "2026-03-29T12:00:03")
    return {"jacket": jacket, "socks": socks}


async def series(client: httpx.AsyncClient, headers, **params: str) -> dict[str, Any]:
    response = await client.get("/v1/analytics/timeseries", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


MAR_28 = numbers(
    conversations=1,
    messages=1,
    answers=1,
    answered=1,
    thumbs_up=1,
    latency_p50_ms=825,  # 800
    latency_p95_ms=825,
    prompt_tokens=1000,
    completion_tokens=200,
    cost_micro_usd=270,  # 1000 * 0.15 + 200 * 0.6
)
MAR_29 = numbers(
    conversations=2,  # B, C
    messages=4,  # A's second, B's two, C's first
    answers=4,
    answered=1,  # B's first
    unanswered=2,  # A's second (no_answer), B's second (ok citing nothing)
    errors=1,
    thumbs_down=1,
    product_clicks=1,
    added_to_cart=1,
    latency_p50_ms=1961,  # 1500, 2000, 4000: rank 2 is 2000
    latency_p95_ms=3922,  # rank ceil(2.85) = 3 is 4000
    prompt_tokens=3600,  # 500 + 2000 + 1000 + 100
    completion_tokens=500,  # 0 + 400 + 100 + 0
    cost_micro_usd=840,  # 3600 * 0.15 + 500 * 0.6
)
MAR_30 = numbers(
    conversations=1,  # D
    messages=2,
    answers=2,
    answered=2,
    latency_p50_ms=583,  # 600, 1000: rank 1 is 600
    latency_p95_ms=981,  # rank 2 is 1000
    prompt_tokens=400,
    completion_tokens=60,
    cost_micro_usd=21,  # offline: 0; D: 100 * 0.15 + 10 * 0.6
)
TOTALS = numbers(
    conversations=4,
    messages=7,
    answers=7,
    answered=4,
    unanswered=2,
    errors=1,
    thumbs_up=1,
    thumbs_down=1,
    product_clicks=1,
    added_to_cart=1,
    latency_p50_ms=981,  # 600 800 1000 1500 2000 4000: rank 3 is 1000
    latency_p95_ms=3922,  # rank ceil(5.7) = 6 is 4000
    prompt_tokens=5000,
    completion_tokens=760,
    cost_micro_usd=1131,
)


async def test_days_across_the_spring_change_in_berlin(
    client: httpx.AsyncClient, merchant: Merchant, berlin
) -> None:
    body = await series(client, merchant.headers, **WINDOW)
    assert (body["interval"], body["timezone"]) == ("day", "Europe/Berlin")
    assert (body["from"], body["to"]) == ("2026-03-28", "2026-03-31")
    assert [p["start"] for p in body["points"]] == [
        "2026-03-28T00:00:00+01:00",
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
    ]
    assert [{k: v for k, v in p.items() if k != "start"} for p in body["points"]] == [
        MAR_28,
        MAR_29,
        MAR_30,
    ]
    assert body["totals"] == TOTALS
    # `daily` reads the same rollup (its `no_answer` is the unanswered count).
    daily = await client.get("/v1/analytics/daily", headers=merchant.headers, params=WINDOW)
    assert [(d["conversations"], d["messages"], d["no_answer"]) for d in daily.json()["days"]] == [
        (1, 1, 0),
        (2, 4, 2),
        (1, 2, 0),
    ]


async def test_hours_of_the_23_hour_day(
    client: httpx.AsyncClient, merchant: Merchant, berlin
) -> None:
    body = await series(client, merchant.headers, **{"from": "2026-03-29", "to": "2026-03-30"})
    assert body["interval"] == "hour"  # the default for a one-day window
    starts = [p["start"] for p in body["points"]]
    assert len(starts) == 23
    assert starts[:4] == [
        "2026-03-29T00:00:00+01:00",
        "2026-03-29T01:00:00+01:00",
        "2026-03-29T03:00:00+02:00",
        "2026-03-29T04:00:00+02:00",
    ]
    assert starts[-1] == "2026-03-29T23:00:00+02:00"
    busy = {p["start"]: {k: v for k, v in p.items() if k != "start"} for p in body["points"]}
    assert busy.pop("2026-03-29T00:00:00+01:00") == numbers(
        messages=1,
        answers=1,
        unanswered=1,
        thumbs_down=1,
        latency_p50_ms=1512,
        latency_p95_ms=1512,
        prompt_tokens=500,
        cost_micro_usd=75,
    )
    assert busy.pop("2026-03-29T01:00:00+01:00") == numbers(
        conversations=1,
        messages=1,
        answers=1,
        answered=1,
        latency_p50_ms=1961,
        latency_p95_ms=1961,
        prompt_tokens=2000,
        completion_tokens=400,
        cost_micro_usd=540,
    )
    assert busy.pop("2026-03-29T03:00:00+02:00") == numbers(
        messages=1,
        answers=1,
        unanswered=1,  # ok, citing nothing
        product_clicks=1,
        added_to_cart=1,
        latency_p50_ms=3922,
        latency_p95_ms=3922,
        prompt_tokens=1000,
        completion_tokens=100,
        cost_micro_usd=210,
    )
    assert busy.pop("2026-03-29T23:00:00+02:00") == numbers(
        conversations=1, messages=1, answers=1, errors=1, prompt_tokens=100, cost_micro_usd=15
    )
    assert all(point == ZERO for point in busy.values())
    assert body["totals"] == MAR_29


async def test_one_bot_and_other_businesses(
    db, client: httpx.AsyncClient, merchant: Merchant, berlin, second_bot: uuid.UUID
) -> None:
    only_d = await series(client, merchant.headers, bot_id=str(second_bot), **WINDOW)
    assert only_d["totals"] == numbers(
        conversations=1,
        messages=1,
        answers=1,
        answered=1,
        latency_p50_ms=583,
        latency_p95_ms=583,
        prompt_tokens=100,
        completion_tokens=10,
        cost_micro_usd=21,
    )
    # Another business, active at the same moments, sees only its own; ours are unchanged.
    other = await register(client, "Other Shop")
    async with db.tenant_session(other.tenant_id) as session:
        h = History(session, other.tenant_id)
        theirs = await h.conversation(other.bot_id, "v-x", "2026-03-29T00:45:00")
        await h.ask(theirs, "2026-03-29T00:45:00")
    mine = {**WINDOW, "bot_id": str(merchant.bot_id)}
    assert (await series(client, other.headers, **mine))["totals"] == ZERO
    assert (await series(client, other.headers, **WINDOW))["totals"] == numbers(
        conversations=1, messages=1
    )
    assert (await series(client, merchant.headers, **WINDOW))["totals"] == TOTALS


async def test_top_products_count_cards_clicks_and_adds_to_cart(
    client: httpx.AsyncClient, merchant: Merchant, berlin
) -> None:
    response = await client.get(
        "/v1/analytics/top-products", headers=merchant.headers, params=WINDOW
    )
    products = [
        (p["product_id"], p["shown"], p["clicks"], p["added_to_cart"], p["name"])
        for p in response.json()["products"]
    ]
    expected = [
        (str(berlin["jacket"]), 2, 0, 0, "Card 0"),  # not in the catalogue: the card's title
        (str(berlin["socks"]), 1, 1, 1, "Trail Socks"),  # the catalogue's name
    ]
    assert products == expected
    # A window with a whole month reads it from the month rollup, its other days by day.
    for window in (
        {"from": "2026-02-20", "to": "2026-04-02"},
        {"from": "2026-03-01", "to": "2026-04-01"},
    ):
        response = await client.get(
            "/v1/analytics/top-products", headers=merchant.headers, params=window
        )
        products = [
            (p["product_id"], p["shown"], p["clicks"], p["added_to_cart"], p["name"])
            for p in response.json()["products"]
        ]
        assert products == expected, window
    # Days outside the window's whole months are not counted twice, nor left out.
    response = await client.get(
        "/v1/analytics/top-products",
        headers=merchant.headers,
        params={"from": "2026-03-29", "to": "2026-05-01"},  # Mar 29-31 + April
    )
    assert [(p["shown"], p["clicks"]) for p in response.json()["products"]] == [(1, 1), (1, 0)]


async def test_the_25_hour_day_in_new_york(db, client: httpx.AsyncClient, merchant: Merchant):
    """2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00 UTC; 01:00-02:00 twice."""
    await set_zone(db, merchant, "America/New_York")
    async with db.tenant_session(merchant.tenant_id) as session:
        h = History(session, merchant.tenant_id)
        for moment in ("2026-11-01T05:30:00", "2026-11-01T06:30:00", "2026-11-01T06:45:00"):
            await h.conversation(merchant.bot_id, "v", moment)
    body = await series(client, merchant.headers, **{"from": "2026-11-01", "to": "2026-11-02"})
    starts = [p["start"] for p in body["points"]]
    assert len(starts) == 25
    assert starts[:4] == [
        "2026-11-01T00:00:00-04:00",
        "2026-11-01T01:00:00-04:00",
        "2026-11-01T01:00:00-05:00",
        "2026-11-01T02:00:00-05:00",
    ]
    assert [p["conversations"] for p in body["points"][:4]] == [0, 1, 2, 0]
    days = await series(client, merchant.headers, **{"from": "2026-10-31", "to": "2026-11-03"})
    assert [(p["start"], p["conversations"]) for p in days["points"]] == [
        ("2026-10-31T00:00:00-04:00", 0),
        ("2026-11-01T00:00:00-04:00", 3),
        ("2026-11-02T00:00:00-05:00", 0),
    ]


async def test_a_half_hour_zone(db, client: httpx.AsyncClient, merchant: Merchant) -> None:
    """Kolkata is UTC+05:30: its days start at 18:30 UTC, inside a UTC hour."""
    await set_zone(db, merchant, "Asia/Kolkata")
    async with db.tenant_session(merchant.tenant_id) as session:
        h = History(session, merchant.tenant_id)
        for moment in ("2026-01-10T18:29:00", "2026-01-10T18:30:00", "2026-01-10T18:44:00"):
            await h.conversation(merchant.bot_id, "v", moment)
    days = await series(client, merchant.headers, **{"from": "2026-01-10", "to": "2026-01-13"})
    assert [(p["start"], p["conversations"]) for p in days["points"]] == [
        ("2026-01-10T00:00:00+05:30", 1),
        ("2026-01-11T00:00:00+05:30", 2),
        ("2026-01-12T00:00:00+05:30", 0),
    ]
    hours = await series(
        client, merchant.headers, interval="hour", **{"from": "2026-01-10", "to": "2026-01-12"}
    )
    assert len(hours["points"]) == 48
    assert hours["points"][23] == {"start": "2026-01-10T23:00:00+05:30", **numbers(conversations=1)}
    assert hours["points"][24] == {"start": "2026-01-11T00:00:00+05:30", **numbers(conversations=2)}


BAD_WINDOWS = (
    {"from": "2026-03-01", "to": "2026-03-09", "interval": "hour"},  # 8 days
    {"from": "2026-03-01", "to": "2026-03-02", "interval": "minute"},
    {"from": "2026-03-02", "to": "2026-03-02"},
    {"from": "2025-01-01", "to": "2026-01-03"},  # 367 days
    {"from": "2026-02-30"},
)


async def test_bad_windows_are_422(client: httpx.AsyncClient, merchant: Merchant) -> None:
    # One merchant for every case: registering one is most of a test's time.
    for params in BAD_WINDOWS:
        response = await client.get(
            "/v1/analytics/timeseries", headers=merchant.headers, params=params
        )
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_week_of_hours_and_a_year_of_days(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    week = await series(
        client, merchant.headers, interval="hour", **{"from": "2026-06-01", "to": "2026-06-08"}
    )
    assert len(week["points"]) == 168 and week["totals"] == ZERO
    year = await series(client, merchant.headers, **{"from": "2025-06-01", "to": "2026-06-01"})
    assert year["interval"] == "day" and len(year["points"]) == 365
    assert (await client.get("/v1/analytics/timeseries")).status_code == 401
