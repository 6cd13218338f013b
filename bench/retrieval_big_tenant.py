"""The big tenant of a kept bench database, alone: its HNSW graph, ef_search, text ranker.

    .venv/bin/python -m bench.retrieval_big_tenant --data-dir /work/benchdata/big \\
        --tenants 10 --products 2000 --big-tenant-products 100000 \\
        [--graph 16,200] [--ef-search 100,200,400,800] [--questions 50]

On a database `bench.retrieval --data-dir` built (the same parameters, so the same
questions), for the big tenant (the last built):
1. `--graph M,EF_CONSTRUCTION`: drops its HNSW index and builds it again with those
   options (as the owner, not CONCURRENTLY: nothing else runs), timed and sized; without
   it the index is left as it is and its options are reported;
2. recall@10 against exact search and latency of the vector ranker's statement alone over
   `--ef-search` (bench.retrieval_hnsw_sweep, relaxed_order as the engine sets it);
3. the text ranker (engine.retrieval.text_ranker.rank_by_text, the application role, with
   what engine.retrieval.search passes it: the filters read with the store's vocabulary,
   no store condition for a one-store tenant, the stored chunk count) without its bound
   (main's ranking before it) and with each of `--budgets`, on the same questions: the
   overlap of each top 10 (and top 40) with the unbounded one, how many questions the
   bound found too few for (widened to every uncommon term), the summed document
   frequencies of the terms matched, and the call's time (after one pass that loads the
   term statistics; each setting over all questions in turn).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

import psycopg
from sqlalchemy.engine import URL

from bench.retrieval_catalogue import make_question
from bench.retrieval_hnsw_sweep import ScanSetting, sweep
from bench.retrieval_measure import Tenant, percentile
from bench.retrieval_recall import exact_neighbours, overlap
from bench.retrieval_report import load_average
from bench.retrieval_setup import APP_ROLE, SPACE, add_kept_database_arguments, open_kept_database
from core.db.database import Database
from core.db.embedded import stop_embedded_servers
from core.db.urls import app_role_url, with_psycopg_driver
from core.ids import TenantId
from engine.embeddings import shared_local_embedder
from engine.retrieval.filters import parse_filters
from engine.retrieval.product_filter import allowed_products
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.tenant_vocabulary import stored_vocabulary
from engine.retrieval.text_ranker import (
    MATCH_BUDGET_CHUNKS,
    document_frequency,
    match_terms,
    rank_by_text,
)
from ingestion.indexing.vector_indexes import index_name


def rebuild(owner_uri: str, tenant_id: TenantId, graph: str) -> str:
    m, ef_construction = (int(x) for x in graph.split(","))
    name = index_name(tenant_id)
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute("SET maintenance_work_mem = '512MB'")
        started = time.perf_counter()
        conn.execute(
            f"CREATE INDEX {name} ON chunk_vectors USING hnsw (embedding halfvec_cosine_ops)"
            f" WITH (m = {m}, ef_construction = {ef_construction})"
            f" WHERE tenant_id = '{tenant_id}'::uuid"
        )
        took = time.perf_counter() - started
    return f"built with m={m}, ef_construction={ef_construction} in {took:.0f} s"


def graph_note(owner_uri: str, tenant_id: TenantId) -> str:
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        row = conn.execute(
            "SELECT c.reloptions, pg_relation_size(c.oid) FROM pg_class c WHERE c.relname = %s",
            (index_name(tenant_id),),
        ).fetchone()
    if row is None:
        return "no index"
    return f"options {row[0] or 'pgvector defaults (16, 64)'}, {row[1] / 1e6:.0f} MB"


async def text_ranker_pairs(
    app_url: URL, tenant: Tenant, questions: list[str], budgets: list[int]
) -> None:
    db = Database.connect(app_url, pool_size=2)
    tenant_id, store_id = TenantId(tenant[0]), tenant[1]
    candidates = RetrievalSettings().candidates

    # What the engine passes (engine.retrieval.search): the filters read with the store's
    # vocabulary, no store condition for a one-store tenant, the stored chunk count. The
    # tenant's row does not change during the run: read once.
    async with db.tenant_session(tenant_id) as session:
        stored = await stored_vocabulary(session, tenant_id=tenant_id, space=SPACE)
    assert stored is not None and stored.chunks, "the bench stores every tenant's vocabulary"
    total, store = stored.chunks, None if store_id == stored.only_store else store_id

    async def ranked(question: str, budget: int | None) -> tuple[list[uuid.UUID], float, bool]:
        """The ranking, the call's time in ms, whether it widened."""
        filters = parse_filters(question, stored.vocabulary)
        async with db.tenant_session(tenant_id) as session:
            started = time.perf_counter()
            allowed = await allowed_products(
                session, tenant_id=tenant_id, filters=filters, store_id=store, chunk_total=total
            )
            ranking = await rank_by_text(
                session,
                tenant_id=tenant_id,
                space=SPACE,
                filters=filters,
                store_id=store,
                candidates=candidates,
                allowed=allowed,
                chunk_total=total,
                match_budget=budget,
            )
            ms = (time.perf_counter() - started) * 1000
        matched_df[question, budget] = sum(
            document_frequency(t, total) for t in match_terms(ranking.terms, total, budget)
        )
        return list(ranking.chunk_ids), ms, ranking.widened

    # The summed document frequencies of the terms each ranking matched on.
    matched_df: dict[tuple[str, int | None], float] = {}

    print(f"text ranker, {len(questions)} questions (load {load_average()}):", flush=True)
    try:
        for question in questions:  # loads the term statistics (kept a minute)
            await ranked(question, None)
        unbounded = [await ranked(question, None) for question in questions]
        for budget in [None, *budgets]:
            bounded = [await ranked(question, budget) for question in questions]
            pairs = [(b, tuple(u)) for (b, _, _), (u, _, _) in zip(bounded, unbounded, strict=True)]
            at_10 = [overlap(b, u, 10) for b, u in pairs]
            at_n = [overlap(b, u, candidates) for b, u in pairs]
            summed = [matched_df[question, budget] for question in questions]
            took = [ms for _, ms, _ in bounded]
            widened = sum(1 for *_, w in bounded if w)
            print(
                f"  budget {budget or 'none (main)'} ({widened} widened): top-10 overlap with "
                f"unbounded mean "
                f"{statistics.fmean(at_10):.3f} (min {min(at_10):.2f}), top-{candidates} "
                f"{statistics.fmean(at_n):.3f}; matched terms' summed df p50 "
                f"{percentile(summed, 0.5):,.0f}, max {max(summed):,.0f}; rank_by_text p50 "
                f"{percentile(took, 0.5):.1f} ms, p95 {percentile(took, 0.95):.1f} ms "
                f"(load {load_average()})",
                flush=True,
            )
    finally:
        await db.dispose()


async def run(args: argparse.Namespace) -> None:
    try:
        kept = open_kept_database(args)
        owner_uri, rng, pool, loaded = kept.owner_uri, kept.rng, kept.pool, kept.loaded
        big = loaded.tenants[args.tenants]
        tenant_id = TenantId(big[0])
        if args.graph:
            print(f"big tenant's index {rebuild(owner_uri, tenant_id, args.graph)}", flush=True)
        print(f"big tenant's index: {graph_note(owner_uri, tenant_id)}", flush=True)
        products = loaded.products_by_tenant[big[0]]
        questions = [make_question(pool[rng.choice(products)], rng) for _ in range(args.questions)]
        app_url = app_role_url(with_psycopg_driver(owner_uri), APP_ROLE, None)
        embedder = shared_local_embedder()
        vectors = [await embedder.embed_query(q) for q in questions]
        if args.ef_search:
            recall_queries = exact_neighbours(
                owner_uri,
                [(big, q, v) for q, v in zip(questions, vectors, strict=True)],
                RetrievalSettings().candidates,
            )
            grid = tuple(
                ScanSetting(int(ef), "relaxed_order", 20_000) for ef in args.ef_search.split(",")
            )
            print(f"vector ranker alone, {len(questions)} questions (load {load_average()}):")
            for row in sweep(app_url, recall_queries, RetrievalSettings().candidates, grid):
                print(
                    f"  ef_search {row.setting.ef_search}: recall@10 {row.recall_10:.3f}, "
                    f"recall@40 {row.recall_candidates:.3f}, p50 {row.p50_ms:.1f} ms, "
                    f"p95 {row.p95_ms:.1f} ms",
                    flush=True,
                )
        if args.text:
            budgets = [int(b) for b in args.budgets.split(",")]
            await text_ranker_pairs(app_url, big, questions, budgets)
    finally:
        stop_embedded_servers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_kept_database_arguments(parser, big_required=True)
    parser.add_argument("--graph", help="M,EF_CONSTRUCTION: rebuild the big tenant's index")
    parser.add_argument("--ef-search", default="100,200,400,800", help="'' to skip")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--no-text", dest="text", action="store_false")
    parser.add_argument(
        "--budgets", default=f"{MATCH_BUDGET_CHUNKS}", help="text ranker budgets to compare"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
