"""Retrieval benchmark: question → assembled prompt, on a multi-tenant index.

    .venv/bin/python -m bench.retrieval                       # quick: 10 tenants x 500 products
    .venv/bin/python -m bench.retrieval --tenants 100 --products 2000
    .venv/bin/python -m bench.retrieval --tenants 1000 --products 2000 \\
        --big-tenant-products 100000 --data-dir /work/benchdata/retrieval-1000 --hnsw-sweep

What it does, in one process:
1. starts its own embedded PostgreSQL (pgvector) and migrates it (core.db.embedded +
   core.db.migrate), in a temporary directory removed at the end, or in `--data-dir`,
   kept and reused by the next run with the same parameters (`--build-only` stops there);
2. generates a synthetic catalogue (retrieval_catalogue), embeds a pool of distinct texts
   ONCE with MiniLM and bulk-loads every tenant with the pool's products in its own order
   and prices, with noise on the vectors, by binary COPY, indexes built after the load
   (retrieval_setup); `--big-tenant-products N` adds one tenant of N products;
3. runs the product's vector index upkeep for every tenant (ingestion.indexing.
   vector_indexes, as after a sync: the tenants at or above `--index-threshold` chunks get
   their own HNSW index) and reports load, index build times and sizes (retrieval_plan);
4. measures the small tenants and the big one apart, through the application role and the
   real code (HybridRetriever.retrieve + engine.prompts.build_messages, no LLM, no
   query-embedding cache): sequential latency p50/p95/p99 and where the time goes,
   throughput at concurrency 8 (retrieval_measure), and recall@10 of the engine's vector
   ranker against exact search within the tenant, with the plan the planner chose for it
   (its EXPLAIN, retrieval_recall); for the engine and for baselines run in the same
   process: the query embedded before any SQL runs, the question's words counted over the
   tenant's rows per question (the path before migration 0018 stored them), ef_search=40,
   exact search with index scans disabled, and with `--global-hnsw` (which builds it) the
   plan before migration 0013, one HNSW index over every tenant with pgvector's iterative
   scan;
5. with `--hnsw-sweep`, on the tenants searched through their own HNSW index: recall@10
   against latency over ef_search, iterative_scan and max_scan_tuples (retrieval_hnsw_sweep).

The engine embeds a single question on one torch thread (engine/embeddings/local_minilm.py);
`--torch-threads N` sets the process-wide intra-op pool as well (document batches too).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.retrieval_catalogue import PoolProduct, make_pool, make_question
from bench.retrieval_hnsw_sweep import sweep
from bench.retrieval_measure import (
    Config,
    Tenant,
    bench_retrievers,
    latency,
    summarise,
    throughput,
    warm_up,
)
from bench.retrieval_plan import (
    GLOBAL_HNSW,
    hide_indexes_sql,
    index_sizes,
    upkeep,
    write_costs,
)
from bench.retrieval_recall import exact_neighbours, recall_through_engine
from bench.retrieval_report import load_average, report, report_sweep
from bench.retrieval_setup import (
    APP_ROLE,
    Loaded,
    build,
    count_terms,
    remember,
    reusable,
    reuse,
)
from core import search_vocabulary
from core.db import migrate
from core.db.embedded import start_embedded_server, stop_embedded_servers
from core.db.urls import app_role_url, with_psycopg_driver
from engine.embeddings import shared_local_embedder
from engine.retrieval.repository import LARGE_INDEX_CHUNKS, LARGE_INDEX_EF_SEARCH
from engine.retrieval.settings import RetrievalSettings
from ingestion.indexing.vector_indexes import CREATE_AT_CHUNKS, INDEX_PREFIX

SLOW_CONFIG_QUESTIONS = 60
WARM_TENANTS = 100


def configs(global_hnsw: bool) -> list[Config]:
    """The engine's plan (per-tenant HNSW indexes above the threshold, exact below) and
    baselines on the same data. With `--global-hnsw`, the plan before migration 0013 as a
    what-if: the global index, the per-tenant ones hidden from the planner."""
    defaults = RetrievalSettings()
    plan = [
        Config(
            f"engine: per-tenant HNSW (ef_search={defaults.ef_search}, "
            f"{LARGE_INDEX_EF_SEARCH} from {LARGE_INDEX_CHUNKS:,} chunks)",
            defaults,
        ),
        Config("baseline: serial (embed, then SQL)", defaults, serial=True),
        Config("baseline: terms counted per question", defaults, stored_terms=False),
        # A tenant whose index holds LARGE_INDEX_CHUNKS is searched at LARGE_INDEX_EF_SEARCH
        # at least, whatever the setting: for such a tenant this row is the engine again.
        Config("baseline: ef_search=40", replace(defaults, ef_search=40)),
        Config(
            "baseline: exact (index scans off)",
            defaults,
            ("enable_indexscan=off",),
            max_questions=SLOW_CONFIG_QUESTIONS,
        ),
    ]
    if global_hnsw:
        plan.append(
            Config(
                "what-if: global HNSW, iterative scan",
                defaults,
                owner_before=hide_indexes_sql(GLOBAL_HNSW, False)
                + hide_indexes_sql(INDEX_PREFIX + "%", True),
                owner_after=hide_indexes_sql(INDEX_PREFIX + "%", False)
                + hide_indexes_sql(GLOBAL_HNSW, True),
            )
        )
    return plan


def owner_sql(owner_uri: str, statements: tuple[str, ...]) -> None:
    import psycopg

    with psycopg.connect(owner_uri, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


async def prepare(
    args: argparse.Namespace, data_dir: Path, owner_uri: str, pool: list[PoolProduct]
) -> Loaded:
    if args.data_dir and reusable(data_dir, args):
        return reuse(owner_uri, pool, data_dir)
    mark = time.perf_counter()
    texts = [f"{p.name}\nColor: {p.colour}\n{p.body}" for p in pool]
    vectors = np.array(await shared_local_embedder().embed_documents(texts), dtype=np.float32)
    took = time.perf_counter() - mark
    print(
        f"Embedded {len(pool)} distinct product texts with MiniLM in {took:.0f} s "
        f"({took / len(pool) * 1000:.1f} ms each); "
        f"reusing them across tenants with noise σ={args.noise}",
        flush=True,
    )
    # Prices and stock draw from their own generator, so a reused database gets the same questions.
    loaded = build(
        owner_uri,
        pool,
        vectors,
        args.tenants,
        args.products,
        args.noise,
        random.Random(args.seed + 1),
        args.embedding_storage,
        args.big_tenant_products,
        args.global_hnsw,
    )
    if args.data_dir:
        remember(data_dir, args, loaded.note)
    return loaded


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    data_dir = (
        Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="shopbot-bench-"))
    )
    if (
        args.data_dir
        and data_dir.exists()
        and any(data_dir.iterdir())
        and not reusable(data_dir, args)
    ):
        raise SystemExit(f"{data_dir} is not empty and holds no complete bench database; remove it")
    print(
        f"Embedded PostgreSQL in {data_dir} ({'kept' if args.data_dir else 'removed at the end'})",
        flush=True,
    )
    try:
        owner_uri = start_embedded_server(data_dir)
        owner = with_psycopg_driver(owner_uri)
        mark = time.perf_counter()
        migrate.upgrade(owner, app_role=APP_ROLE, app_password=None)
        # On a database built before a migration, this includes what it did to the rows
        # (0013 builds the big tenants' indexes).
        print(f"Migrated in {time.perf_counter() - mark:.0f} s", flush=True)
        embedder = shared_local_embedder()
        if args.torch_threads:
            import torch

            # The process-wide intra-op pool: the embedder's worker thread uses it too.
            torch.set_num_threads(args.torch_threads)
        await embedder.warm_up()
        pool = make_pool(min(args.pool, args.products), rng)
        loaded = await prepare(args, data_dir, owner_uri, pool)
        print(loaded.note, flush=True)
        # The bulk load bypasses ingestion: fill the tenants' search vocabularies as
        # migration 0014 does on a populated database (a no-op for a tenant that has one),
        # and count their words as a sync run's end does.
        mark = time.perf_counter()
        owner_sql(owner_uri, (search_vocabulary.BACKFILL_SQL,))
        counted = count_terms(owner_uri)
        print(
            f"Search vocabularies filled, {counted} tenants' term frequencies counted, in "
            f"{time.perf_counter() - mark:.1f} s",
            flush=True,
        )
        if args.build_only:
            return
        upkept = await upkeep(
            owner_uri, loaded.tenants, data_dir, args.index_threshold, args.index_threshold // 2
        )
        classes = tenant_classes(args, loaded)
        writes = write_costs(
            owner_uri, {label: ts[0][0] for label, ts in classes.items()}, args.global_hnsw
        )
        costs = f"{loaded.note}; {upkept}; {index_sizes(owner_uri)}; {writes}"
        print(costs, flush=True)
        app_url = app_role_url(owner, APP_ROLE, None)
        await measure(args, rng, owner_uri, app_url, pool, loaded, costs)
    finally:
        stop_embedded_servers()
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def tenant_classes(args: argparse.Namespace, loaded: Loaded) -> dict[str, list[Tenant]]:
    """Small tenants and the big one (the last built), each measured and reported apart."""
    big = loaded.tenants[args.tenants :]
    classes = {f"{args.products:,}-product tenants": loaded.tenants[: args.tenants]}
    if big:
        classes[f"the {args.big_tenant_products:,}-product tenant"] = big
    return classes


async def measure(
    args: argparse.Namespace,
    rng: random.Random,
    owner_uri: str,
    app_url,
    pool: list[PoolProduct],
    loaded: Loaded,
    costs: str,
) -> None:
    embedder = shared_local_embedder()
    retrievers = bench_retrievers(embedder)

    def questions(tenants: list[Tenant], n: int) -> list[tuple[Tenant, str]]:
        asked = []
        for tenant in (rng.choice(tenants) for _ in range(n)):
            product = pool[rng.choice(loaded.products_by_tenant[tenant[0]])]
            asked.append((tenant, make_question(product, rng)))
        return asked

    plan = configs(args.global_hnsw)
    pool_size = max(10, args.concurrency + 2)
    if args.global_hnsw:
        owner_sql(owner_uri, hide_indexes_sql(GLOBAL_HNSW, True))
    warm = [questions([tenant], 1)[0] for tenant in loaded.tenants[:WARM_TENANTS]]
    await warm_up(plan[0].database(app_url, pool_size), retrievers[True], warm, plan[0])

    load_at_start = load_average()
    for label, tenants in tenant_classes(args, loaded).items():
        asked = questions(tenants, args.recall_queries)
        vectors = [await embedder.embed_query(q) for _, q in asked]
        recall_queries = exact_neighbours(
            owner_uri,
            [(t, q, v) for (t, q), v in zip(asked, vectors, strict=True)],
            RetrievalSettings().candidates,
        )
        results, recall, swept = {}, {}, []
        for config in plan:
            owner_sql(owner_uri, config.owner_before)
            db = config.database(app_url, pool_size)
            ask = retrievers[config.stored_terms]
            try:
                await latency(db, ask, questions(tenants, 10), config)
                cap = config.max_questions or max(args.queries, args.throughput_queries)
                samples = await latency(
                    db,
                    ask,
                    questions(tenants, min(cap, args.queries)),
                    config,
                )
                qps = await throughput(
                    db,
                    ask,
                    questions(tenants, min(cap, args.throughput_queries)),
                    config,
                    args.concurrency,
                )
                recall[config.name] = await recall_through_engine(
                    db,
                    ask,
                    recall_queries,
                    config.settings,
                    show_plan_as=config.name if args.show_plans else "",
                )
                if args.hnsw_sweep and config is plan[0] and "HNSW" in recall[config.name].plan:
                    swept = sweep(
                        app_url, recall_queries[: args.sweep_queries], config.settings.candidates
                    )
            finally:
                await db.dispose()
                owner_sql(owner_uri, config.owner_after)
            results[config.name] = (summarise(samples), qps)
            print(f"  measured {config.name} on {label}", flush=True)
        report(args, label, len(tenants), results, recall, plan, load_at_start, costs)
        if swept:
            report_sweep(
                swept, RetrievalSettings().candidates, min(args.sweep_queries, len(recall_queries))
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument(
        "--products", type=int, default=500, help="products (and chunks) per tenant"
    )
    parser.add_argument(
        "--pool", type=int, default=2000, help="distinct texts embedded (at most --products)"
    )
    parser.add_argument(
        "--noise", type=float, default=0.01, help="σ of the Gaussian noise per vector dimension"
    )
    parser.add_argument(
        "--queries", type=int, default=200, help="sequential questions per configuration"
    )
    parser.add_argument("--throughput-queries", type=int, default=200)
    parser.add_argument("--recall-queries", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--big-tenant-products",
        type=int,
        default=0,
        help="one extra tenant with this many products (reported in its own rows)",
    )
    parser.add_argument(
        "--global-hnsw",
        action="store_true",
        help="also build the global HNSW index migration 0013 dropped (a what-if: plan a/c)",
    )
    parser.add_argument(
        "--index-threshold",
        type=int,
        default=CREATE_AT_CHUNKS,
        help="chunks from which a tenant gets its own HNSW index (the product's default)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build (or check) the --data-dir and stop"
    )
    parser.add_argument(
        "--data-dir", help="keep the built database here and reuse it on the next run"
    )
    parser.add_argument(
        "--embedding-storage",
        choices=("external", "main"),
        default="external",
        help="chunk_vectors.embedding column storage when building (external: pgvector's "
        "default, as the migrations leave it; main: a what-if, see retrieval_setup)",
    )
    parser.add_argument(
        "--show-plans", action="store_true", help="print the vector ranker's EXPLAIN per config"
    )
    parser.add_argument(
        "--hnsw-sweep",
        action="store_true",
        help="forced-HNSW recall and latency over ef_search, iterative_scan, max_scan_tuples",
    )
    parser.add_argument("--sweep-queries", type=int, default=50, help="questions per sweep setting")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=0,
        help="torch intra-op threads for MiniLM (0: torch's default, one per core)",
    )
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
