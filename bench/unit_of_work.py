#!/usr/bin/env python3
"""Unit-of-work bench: what beginning a tenant's transaction costs, three ways, measured in
one process against the way units of work began before (the baseline).

One unit of work: a tenant's session, one SELECT of its bot by id, COMMIT. The ways:
- "implicit BEGIN" (the baseline; units of work began so until 2026-12-07): psycopg's own
  BEGIN, then the tenant's `set_config` from the `after_begin` hook, the SELECT, COMMIT:
  4 round trips;
- "BEGIN with the setting" (every unit of work now: the engine made by `Database.connect`
  with `core.db.tenancy.ENGINE_BEGINS_ITSELF`): the driver in autocommit since the
  connection was made, the hook sending BEGIN and the setting as one query: 3;
- "... autocommit switched per checkout" (`tenancy.begins_itself` on an engine made
  otherwise, as tests' shared engine is): the same 3, the driver put in autocommit at each
  checkout and back at each checkin;
- "one-trip read" (`core.db.one_trip.OneTripRead`, the widget session's policy read): the
  four commands in psycopg's pipeline mode, one sync: 1.

Each way runs at concurrency 1 (the round trips' own cost) and 8 (tasks sharing this
process's event loop and the pool, as an API process's requests do). The ways alternate in
rounds (their order rotating), so drift in the machine's load falls on all of them; the
table gives p50 / p95 / mean per unit of work and each mean's ratio to the baseline's.

Setup: an embedded PostgreSQL (pgvector) in a temp dir, migrated, one provisioned tenant,
the application role's pools (10 connections each: the baseline's plain engine and
`Database.connect`'s); stopped at the end, on errors too.

Usage: .venv/bin/python -m bench.unit_of_work [--rounds 20] [--per-round 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.widget_measure import pct
from bench.widget_setup import embedded_database

os.environ.pop("DATABASE_URL", None)  # the bench's own embedded database, never another
warnings.filterwarnings("ignore")

Unit = Callable[[], Awaitable[Any]]


async def _ways(app_url: Any) -> tuple[dict[str, Unit], Callable[[], Awaitable[None]]]:
    from sqlalchemy import Uuid, bindparam, select
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from core.db import tenancy
    from core.db.database import Database
    from core.db.one_trip import OneTripRead
    from core.models import Bot
    from core.provisioning import provision_tenant

    db = Database.connect(app_url, pool_size=10)
    tenant = await provision_tenant(db, name="Bench Units", allowed_origins=[])
    statement = select(Bot.id).where(Bot.id == tenant.bot_id)
    plain = create_async_engine(app_url, pool_size=10)
    implicit = async_sessionmaker(bind=plain, expire_on_commit=False)
    explicit = async_sessionmaker(bind=db.engine, expire_on_commit=False)
    switched = async_sessionmaker(bind=tenancy.begins_itself(plain), expire_on_commit=False)
    one_trip = OneTripRead(select(Bot.id).where(Bot.id == bindparam("bot_id", type_=Uuid)))

    def in_session(sessions: async_sessionmaker[Any]) -> Unit:
        async def unit() -> Any:
            async with sessions() as session:
                session.info[tenancy.TENANT_KEY] = tenant.tenant_id
                found = await session.scalar(statement)
                await session.commit()
            assert found == tenant.bot_id
            return found

        return unit

    async def read_in_one_trip() -> Any:
        rows = await one_trip.rows(db, tenant.tenant_id, {"bot_id": tenant.bot_id})
        assert rows == [(tenant.bot_id,)]
        return rows

    async def dispose() -> None:
        await db.dispose()
        await plain.dispose()

    ways = {
        "implicit BEGIN (baseline)": in_session(implicit),
        "BEGIN with the setting": in_session(explicit),
        "... switched per checkout": in_session(switched),
        "one-trip read": read_in_one_trip,
    }
    return ways, dispose


async def _timed(unit: Unit, count: int, concurrency: int) -> list[float]:
    """`count` units, `concurrency` at a time: each one's ms."""
    times: list[float] = []
    left = iter(range(count))

    async def worker() -> None:
        for _ in left:
            started = time.perf_counter()
            await unit()
            times.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return times


async def _measure(app_url: Any, rounds: int, per_round: int) -> dict[tuple[int, str], list[float]]:
    ways, dispose = await _ways(app_url)
    names = list(ways)
    measured: dict[tuple[int, str], list[float]] = {}
    try:
        for concurrency in (1, 8):
            for name in names:  # a warm-up: connections open, statements prepared
                await _timed(ways[name], 20, concurrency)
            for number in range(rounds):
                shift = number % len(names)
                for name in names[shift:] + names[:shift]:
                    times = await _timed(ways[name], per_round, concurrency)
                    measured.setdefault((concurrency, name), []).extend(times)
    finally:
        await dispose()
    return measured


def _report(measured: dict[tuple[int, str], list[float]], started_load: tuple[float, ...]) -> None:
    load = " / ".join(f"{x:.2f}" for x in started_load)
    end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nUnit-of-work bench: load average (1/5/15 min) start {load}, end {end}; ", end="")
    print(f"{os.cpu_count()} CPUs")
    print(f"  {'way':<28} {'conc.':>5} {'units':>7} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    print(f"  {'':-<28} {'':->5} {'':->7} {'':->8} {'':->8} {'':->8}  ratio to baseline")
    for concurrency in (1, 8):
        baseline = None
        for (conc, name), times in measured.items():
            if conc != concurrency:
                continue
            mean = sum(times) / len(times)
            baseline = baseline or mean
            print(
                f"  {name:<28} {conc:>5} {len(times):>7} {pct(times, 50):>8.3f}"
                f" {pct(times, 95):>8.3f} {mean:>8.3f}  {mean / baseline:.2f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=200)
    args = parser.parse_args(argv)
    started_load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="shopbot-units-bench-") as tmp:
        with embedded_database(Path(tmp) / "pg") as (_owner, app_url):
            measured = asyncio.run(_measure(app_url, args.rounds, args.per_round))
    _report(measured, started_load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
