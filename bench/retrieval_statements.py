"""Where a question's SQL time goes, statement by statement, on a kept bench database.

    .venv/bin/python -m bench.retrieval_statements --data-dir /work/benchdata/big \\
        --tenants 10 --products 2000 --big-tenant-products 100000 [--questions 40] [--explain]

On a database `bench.retrieval --data-dir` built (the same parameters, so the same
questions), through the application role and the real code (HybridRetriever.retrieve):
every statement retrieval sends is timed at the driver (SQLAlchemy's cursor events) and
named by what it does; the table gives each one's calls, p50 / p95 / slowest per call and
its share of the questions' SQL time, for the big tenant (the last built) and for the small ones
apart. Each question is asked once before it is measured, so the term statistics and the
pages it reads are warm: a tenant with traffic (`--cold`: without that pass, as
bench.retrieval's first configuration meets them). `--explain` prints, for each
statement, EXPLAIN (ANALYZE, BUFFERS) of its slowest call, re-run with the same
parameters in a tenant session of the application role (where row-level security
decides which indexes the planner may use).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.retrieval_catalogue import make_question
from bench.retrieval_measure import Tenant, percentile
from bench.retrieval_plan import upkeep
from bench.retrieval_report import load_average
from bench.retrieval_setup import APP_ROLE, add_kept_database_arguments, open_kept_database
from core.db import migrate
from core.db.database import Database
from core.db.embedded import stop_embedded_servers
from core.db.urls import app_role_url, with_psycopg_driver
from core.ids import TenantId
from engine.embeddings import shared_local_embedder
from engine.retrieval import repository
from engine.retrieval.query_cache import QueryEmbeddingCache
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from ingestion.indexing.vector_indexes import CREATE_AT_CHUNKS

# What each statement does, by a phrase only it contains (first match wins).
LABELS: tuple[tuple[str, str], ...] = (
    ("set_config('hnsw.iterative_scan'", "configure search"),
    ("set_config('app.tenant_id'", "tenant session"),
    ("search_vocabularies", "stored vocabulary"),
    ("ts_debug(", "question lexemes"),
    ("unnest(to_tsvector(", "question lexemes"),
    ("vec_hits AS", "vector ranker + fusion"),
    ("matched\n", "text ranker"),
    ("strpos(", "named products"),
    ("array_agg(p.id) FILTER", "product filter"),
    ("ts_stat(", "term frequencies"),
    ("count(*)", "term frequencies"),
    ("FROM products p WHERE p.tenant_id", "product filter"),
    ("product_variations", "live facts (variations)"),
    ("FROM products", "live facts / products"),
)


def label_of(statement: str) -> str:
    for phrase, label in LABELS:
        if phrase in statement:
            return label
    return " ".join(statement.split())[:60]


@dataclass
class Timed:
    took_ms: list[float] = field(default_factory=list)
    slowest: tuple[float, str, Any] = (0.0, "", None)


class StatementClock:
    """Times every statement an engine sends, by label, while `on` is set."""

    def __init__(self, db: Database) -> None:
        self.on = False
        self.by_label: dict[str, Timed] = defaultdict(Timed)
        engine = db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["statement_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        took = (time.perf_counter() - conn.info.pop("statement_started")) * 1000
        if not self.on:
            return
        timed = self.by_label[label_of(statement)]
        timed.took_ms.append(took)
        if took > timed.slowest[0]:
            timed.slowest = (took, statement, parameters)


def _cut(line: str, width: int = 240) -> str:
    return line if len(line) <= width else line[:width] + f"... ({len(line):,} chars)"


def report(title: str, clock: StatementClock, questions: int) -> None:
    total = sum(sum(t.took_ms) for t in clock.by_label.values()) or 1.0
    print(f"\n{title}: {questions} questions, SQL {total / questions:.1f} ms per question")
    print("| statement | calls/question | p50 ms | p95 ms | slowest ms | share of SQL |")
    print("|---|---|---|---|---|---|")
    rows = sorted(clock.by_label.items(), key=lambda item: -sum(item[1].took_ms))
    for label, timed in rows:
        print(
            f"| {label} | {len(timed.took_ms) / questions:.1f} | "
            f"{percentile(timed.took_ms, 0.5):.2f} | {percentile(timed.took_ms, 0.95):.2f} | "
            f"{max(timed.took_ms):.1f} | {100 * sum(timed.took_ms) / total:.0f} % |"
        )


async def explain(db: Database, tenant_id: TenantId, clock: StatementClock) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each label's slowest call, as it ran."""
    for label, timed in sorted(clock.by_label.items(), key=lambda i: -i[1].slowest[0]):
        took, statement, parameters = timed.slowest
        if not statement or label in ("tenant session", "configure search"):
            continue
        # The tenant the call was for (the small tenants' calls are spread over several).
        if isinstance(parameters, dict) and "tenant_id" in parameters:
            tenant_id = TenantId(parameters["tenant_id"])
        async with db.tenant_session(tenant_id) as session:
            await repository.configure_search(session, ef_search=100, tenant_id=tenant_id)
            conn = await session.connection()
            plan = await conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
            )
            # A product filter's id list runs to thousands of uuids: cut long lines.
            lines = [_cut(row[0]) for row in plan]
        print(f"\n--- {label} (slowest call {took:.1f} ms)")
        print("\n".join(lines))


async def profile(
    db: Database,
    clock: StatementClock,
    retriever: HybridRetriever,
    tenants: list[Tenant],
    questions: list[tuple[Tenant, str]],
    title: str,
    show_plans: bool,
    cold: bool,
) -> None:
    clock.by_label.clear()
    settings = RetrievalSettings()

    async def ask(tenant: Tenant, question: str) -> None:
        async with db.tenant_session(TenantId(tenant[0])) as session:
            await retriever.retrieve(
                session,
                tenant_id=TenantId(tenant[0]),
                query=question,
                settings=settings,
                store_id=tenant[1],
            )

    if not cold:
        for tenant, question in questions:  # warm: term statistics, pages
            await ask(tenant, question)
    clock.on = True
    for tenant, question in questions:
        await ask(tenant, question)
    clock.on = False
    report(f"{title} (load {load_average()})", clock, len(questions))
    if show_plans:
        await explain(db, TenantId(tenants[0][0]), clock)


async def run(args: argparse.Namespace) -> None:
    try:
        kept = open_kept_database(args)
        owner_uri, rng, pool, loaded = kept.owner_uri, kept.rng, kept.pool, kept.loaded
        # A database built before a migration is brought up to this code's schema.
        migrate.upgrade(with_psycopg_driver(owner_uri), app_role=APP_ROLE, app_password=None)
        print(
            await upkeep(
                owner_uri,
                loaded.tenants,
                Path(args.data_dir),
                CREATE_AT_CHUNKS,
                CREATE_AT_CHUNKS // 2,
            ),
            flush=True,
        )
        app_url = app_role_url(with_psycopg_driver(owner_uri), APP_ROLE, None)
        db = Database.connect(app_url, pool_size=2)
        clock = StatementClock(db)
        retriever = HybridRetriever(shared_local_embedder(), QueryEmbeddingCache(max_local=0))
        small, big = loaded.tenants[: args.tenants], loaded.tenants[args.tenants :]

        def asked(tenants: list[Tenant]) -> list[tuple[Tenant, str]]:
            picked = [rng.choice(tenants) for _ in range(args.questions)]
            return [
                (t, make_question(pool[rng.choice(loaded.products_by_tenant[t[0]])], rng))
                for t in picked
            ]

        try:
            if big:
                await profile(
                    db, clock, retriever, big, asked(big), "the big tenant", args.explain, args.cold
                )
            await profile(
                db, clock, retriever, small, asked(small), "small tenants", args.explain, args.cold
            )
        finally:
            await db.dispose()
    finally:
        stop_embedded_servers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_kept_database_arguments(parser, big_required=False)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--explain", action="store_true", help="plans of the slowest calls")
    parser.add_argument(
        "--cold", action="store_true", help="no warm-up pass: term statistics not yet cached"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
