"""Timing the dashboard's analytics calls: through the merchant API's real ASGI app (httpx's
ASGI transport, in this process, one request at a time as one merchant's browser sends
them), and the same windows as the baseline's raw statements (bench/analytics_baseline.py)
on the application role, directly.

Each (call, window, scope) gets warm-up requests, then up to `reps` timed ones, fewer when
they would take longer than `budget_s` together (at least `min_reps`), so a slow baseline
cannot hold the run for an hour; the table prints how many were timed."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench import analytics_baseline
from bench.analytics_calls import CALLS, Call, Window


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Pace:
    reps: int = 30
    warmups: int = 3
    budget_s: float = 20.0
    min_reps: int = 5


@dataclass
class Timing:
    ms: list[float] = field(default_factory=list)
    failed: str = ""  # what the one timed request answered instead of 200 (a timeout's 503)

    @property
    def p50(self) -> float:
        return pct(self.ms, 50)

    @property
    def p95(self) -> float:
        return pct(self.ms, 95)

    @property
    def max(self) -> float:
        return max(self.ms)


@dataclass
class Row:
    call: str
    days: int
    scope: str  # "all bots" or "one bot"
    served: Timing | None  # None: the API does not serve this call (yet)
    baseline: Timing | None  # None: no raw-SQL version (new with issue 16), or skipped
    note: str = ""


async def timed(fn: Callable[[], Awaitable[object]], pace: Pace) -> Timing:
    warming = time.perf_counter()
    for _ in range(pace.warmups):
        await fn()
        if time.perf_counter() - warming > pace.budget_s / 4:
            break  # a slow call is warm after one run; its budget goes to timed runs
    timing = Timing()
    began = time.perf_counter()
    while len(timing.ms) < pace.reps:
        start = time.perf_counter()
        await fn()
        timing.ms.append((time.perf_counter() - start) * 1000)
        spent = time.perf_counter() - began
        if len(timing.ms) >= pace.min_reps and spent >= pace.budget_s:
            break
    return timing


async def _served(
    client: Any, headers: dict[str, str], call: Call, window: Window, bot_id: Any, pace: Pace
) -> Timing | None:
    params = call.params(window, bot_id)
    began = time.perf_counter()
    first = await client.get(call.path, params=params, headers=headers)
    if first.status_code == 404 and "/analytics/" in call.path:
        return None  # the route does not exist here (yet)
    if first.status_code != 200:  # e.g. 503: the statement timeout cancelled it
        failed = f"HTTP {first.status_code} {first.json().get('code', '')}".strip()
        return Timing([(time.perf_counter() - began) * 1000], failed)

    failures: list[str] = []

    async def request() -> None:
        response = await client.get(call.path, params=params, headers=headers)
        if response.status_code != 200:  # timed all the same: the merchant waited for it
            failures.append(f"HTTP {response.status_code} {response.json().get('code', '')}")

    timing = await timed(request, pace)
    if failures:
        timing.failed = f"{len(failures)}× {failures[0]}".strip()
    return timing


# The raw-SQL baseline reads a year of raw rows per call (seconds each): a few timed runs,
# no warm-up, each cut off by a statement timeout, so the whole run stays within hours.
BASELINE_PACE = Pace(reps=3, warmups=0, budget_s=15.0, min_reps=1)
BASELINE_TIMEOUT_S = 20


async def _baseline(
    engine: Any, tenant_id: Any, call: Call, window: Window, bot_id: Any
) -> Timing | None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    sql = analytics_baseline.statements(call.baseline_key, bot_id is not None)
    if sql is None:
        return None
    parameters = {
        "tenant_id": tenant_id,
        "start": window.start_at,
        "end": window.end_at,
        "preview": "preview:%",
        "zone": window.zone,
        "limit": 10,
        "bot_id": bot_id,
    }
    async with engine.connect() as connection:
        await connection.execute(text(f"SET statement_timeout = '{BASELINE_TIMEOUT_S}s'"))
        await connection.commit()  # the session setting stays; each run begins its own
        try:
            return await timed(
                lambda: analytics_baseline.run(connection, sql, tenant_id, parameters),
                BASELINE_PACE,
            )
        except OperationalError as exc:  # QueryCanceled: over the statement timeout
            if "statement timeout" not in str(exc):
                raise
            return Timing([BASELINE_TIMEOUT_S * 1000.0], f">{BASELINE_TIMEOUT_S} s")


async def measure_calls(
    client: Any,
    headers: Callable[[], dict[str, str]],
    app_engine: Any,
    tenant_id: Any,
    bot_id: Any,
    windows: list[Window],
    pace: Pace,
    *,
    baseline: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Row]:
    """Every call × window × scope (all bots, one bot): served, then the baseline."""
    rows: list[Row] = []
    for call in CALLS:
        for window in windows:
            if window.days > call.max_days:
                continue
            for scope, bot in (("all bots", None), ("one bot", bot_id)):
                progress(f"{call.name} {window.days} d {scope}")
                served = await _served(client, headers(), call, window, bot, pace)
                if served is None:
                    rows.append(Row(call.name, window.days, scope, None, None, "not served yet"))
                    break
                raw = (
                    await _baseline(app_engine, tenant_id, call, window, bot) if baseline else None
                )
                rows.append(Row(call.name, window.days, scope, served, raw))
            else:
                continue
            break  # a call the API does not serve: one row says so
    return rows
