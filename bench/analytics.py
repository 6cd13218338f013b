#!/usr/bin/env python3
"""Analytics bench (issue 16): a year of a busy store, and what the dashboard pays to read it.

(a) the load: one store (tenant "Bench Alps", Europe/Berlin, 2 bots, 2,000 products) with
    `--per-day` conversations a day for `--days` days (default 1,000 x 365: ~365k
    conversations, ~2.2M messages, their feedback and widget events), and a second, small
    tenant (UTC, a twentieth of the volume), generated inside PostgreSQL
    (bench/analytics_data.py) with the analytics triggers off, then `analytics_rebuild` and
    the question clusters (bench/analytics_clusters.py: the engine's embedder and rule,
    with the bank families' purity); rows, seconds and rows/s per stage;
(b) every analytics call the merchant dashboard makes (bench/analytics_calls.py), for the
    7, 30, 90 and 365 days that end with the last loaded day, for all bots and for one:
    p50 / p95 / max through the merchant API's real ASGI app with a real merchant token,
    against the 200 ms goal at p95; the baseline, in the same process: the raw SQL the
    analytics ran before rollups (bench/analytics_baseline.py), timed directly on the
    application role, 3 runs without warm-up, each cut off at 20 s (printed '>20 s'); the
    ratio is raw p95 / served p95 (what the rollups buy);
(c) retention (bench/analytics_retention.py): the product's purge (purge_tenant, its clock
    pinned to the end of the loaded data) of everything older than `--retention-days`
    (rows/s, exactness by last_message_at, the other tenant untouched), and
    `POST /widget/v1/chat` latency while it runs against without it.

Setup: an embedded PostgreSQL (pgvector) in a temp dir, migrated; the merchant registers
through the API; no Redis (in-process limits and caches); everything is stopped at the end,
on errors too. Where issue 16's parts plug in: bench/analytics_hooks.py.

Usage: .venv/bin/python -m bench.analytics [--days 365] [--per-day 1000] [--reps 30]
       [--budget 20] [--no-baseline] [--no-retention]
       (a quick look: --days 30 --per-day 200 --reps 10)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import analytics_report as report
from bench.analytics_calls import windows
from bench.analytics_data import LoadSpec
from bench.analytics_measure import Pace, measure_calls
from bench.analytics_questions import bank
from bench.analytics_retention import measure_retention
from bench.analytics_setup import (
    DASHBOARD_URL,
    ORIGIN,
    ZONE,
    add_time_indexes,
    asgi_client,
    configure_process,
    dashboard_app,
    load,
    other_tenant,
    register_merchant,
    table_sizes,
    widget_app,
    yesterday,
)
from bench.widget_setup import embedded_database

warnings.filterwarnings("ignore")


_BEGAN = time.monotonic()


def progress(message: str) -> None:
    print(f"… {time.monotonic() - _BEGAN:5.1f} s  {message}", file=sys.stderr, flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365, help="days of data")
    parser.add_argument("--per-day", type=int, default=1000, help="conversations a day")
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=30, help="timed requests per row")
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument(
        "--budget", type=float, default=20.0, help="seconds per row before fewer reps"
    )
    parser.add_argument("--windows", default="7,30,90,365", help="window sizes in days")
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw-SQL baseline")
    parser.add_argument("--no-retention", action="store_true", help="skip (c)")
    parser.add_argument(
        "--time-indexes",
        action="store_true",
        help="experiment: add (tenant_id, created_at) indexes after the load",
    )
    parser.add_argument("--retention-days", type=int, default=90)
    parser.add_argument("--quiet-chat", type=float, default=15.0, help="seconds of baseline chat")
    parser.add_argument("--chat-questions", type=int, default=24, help="distinct chat questions")
    return parser.parse_args(argv[1:])


async def _chat_setup(db: Any, widget_key: str, distinct: int) -> tuple[Any, list[str], list[str]]:
    """A client on the widget app, three visitors' sessions, the questions warmed (each
    embedded once, as a live server's cache would hold the frequent ones)."""
    client = asgi_client(widget_app(db), "http://widget.bench.test")
    tokens = []
    for _ in range(3):
        opened = await client.post(
            "/widget/v1/sessions", json={"widget_key": widget_key}, headers={"Origin": ORIGIN}
        )
        opened.raise_for_status()
        tokens.append(opened.json()["session_token"])
    questions = [wording for _, wording, _ in bank()][:distinct]
    for question in questions:
        response = await client.post(
            "/widget/v1/chat",
            json={"message": question},
            headers={"Authorization": f"Bearer {tokens[0]}", "Origin": ORIGIN},
        )
        response.raise_for_status()
    return client, tokens, questions


def _specs(args: argparse.Namespace, merchant: Any, small: Any, last_day: Any) -> list[LoadSpec]:
    """The store (two bots, 70/30) and the small tenant (a twentieth, in UTC)."""
    store = LoadSpec(
        merchant.tenant_id,
        [(merchant.bot_id, 0.7), (merchant.second_bot_id, 0.3)],
        args.days,
        args.per_day,
        last_day,
        ZONE,
        args.products,
    )
    other = LoadSpec(
        small.tenant_id,
        [(small.bot_id, 1.0)],
        args.days,
        max(1, args.per_day // 20),
        last_day,
        "UTC",
        max(10, args.products // 20),
        seed=0.17,
    )
    return [store, other]


async def _retention(
    args: argparse.Namespace, owner: Any, app_url: Any, db: Any, specs: list[LoadSpec]
) -> list[Any]:
    from sqlalchemy import select

    from core.models import Bot

    store, other = specs
    async with db.tenant_session(store.tenant_id) as session:
        widget_key = (
            await session.execute(select(Bot.widget_key).where(Bot.id == store.bots[0][0]))
        ).scalar_one()
    progress("retention: loading the embedding model, warming the chat")
    chat = await _chat_setup(db, widget_key, args.chat_questions)
    loaded_until = datetime.combine(
        store.last_day + timedelta(days=1), day_time(), tzinfo=ZoneInfo(ZONE)
    )
    try:
        retention = await measure_retention(
            owner,
            app_url,
            chat,
            store,
            other.tenant_id,
            days=args.retention_days,
            now=loaded_until,  # the data set's end: the purge's clock is pinned to it
            loaded_until=loaded_until,
            quiet_s=args.quiet_chat,
            progress=progress,
        )
    finally:
        await chat[0].aclose()
    return report.retention_tables(retention)


async def run(args: argparse.Namespace, owner_url: Any, app_url: Any) -> list[Any]:
    from sqlalchemy import create_engine
    from sqlalchemy.ext.asyncio import create_async_engine

    from core.db.database import Database

    owner = create_engine(owner_url, pool_size=4)
    app_engine = create_async_engine(app_url, pool_size=2)
    db = Database.connect(app_url, pool_size=6)
    app = dashboard_app(db)
    tables: list[Any] = report.PrintedTables()
    try:
        async with asgi_client(app, DASHBOARD_URL) as client:
            merchant = await register_merchant(client, app, owner, db)
            last_day = yesterday()
            specs = _specs(args, merchant, await other_tenant(db), last_day)
            progress(f"loading {args.days} days x {args.per_day} conversations a day")
            loaded, vacuum_s = load(owner, specs)
            rows_loaded = sum(result.total_rows for result in loaded)
            seconds = sum(result.total_seconds for result in loaded)
            progress(f"loaded {rows_loaded:,} rows in {seconds:.0f} s, vacuum {vacuum_s:.0f} s")
            if args.time_indexes:
                progress(f"experiment: time indexes added in {add_time_indexes(owner):.0f} s")
            tables.append(
                report.load_table(
                    ["Bench Alps", "Bench Beach"], loaded, vacuum_s, table_sizes(owner)
                )
            )
            sizes = tuple(int(days) for days in args.windows.split(","))
            rows = await measure_calls(
                client,
                merchant.headers,
                app_engine,
                merchant.tenant_id,
                merchant.bot_id,
                windows(last_day, ZONE, sizes),
                Pace(args.reps, args.warmups, args.budget, min(5, args.reps)),
                baseline=not args.no_baseline,
                progress=progress,
            )
            tables.append(
                report.calls_table(
                    rows,
                    f"dashboard analytics calls through the merchant API (ASGI, in process), "
                    f"windows ending {last_day}, {ZONE}; raw SQL = the pre-rollup statements"
                    + (
                        "; EXPERIMENT: (tenant_id, created_at) indexes" if args.time_indexes else ""
                    ),
                )
            )
        if not args.no_retention:
            tables.extend(await _retention(args, owner, app_url, db, specs))
    finally:
        await db.dispose()
        await app_engine.dispose()
        owner.dispose()
    return tables


def main(argv: list[str]) -> int:
    args = parse(argv)
    configure_process()
    load_start = report.load_average()
    began = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="shopbot-analytics-bench-") as tmp,
        embedded_database(Path(tmp)) as (owner_url, app_url),
    ):
        progress(f"database ready ({time.monotonic() - began:.0f} s)")
        asyncio.run(run(args, owner_url, app_url))  # prints its tables as it goes
    header = (
        f"analytics bench: {args.days} days x {args.per_day} conversations/day, "
        f"{os.cpu_count()} cores, load average {load_start} at the start, "
        f"{report.load_average()} at the end (1/5/15 min), {time.monotonic() - began:.0f} s"
    )
    report.print_report(header, [])  # the tables were printed as they were measured
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
