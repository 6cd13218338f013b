"""The HNSW vector ranker over pgvector's scan settings: recall@10 against latency.

A tenant below the index threshold is searched exactly (no HNSW index to tune), so this
runs on the tenants whose plan is their own HNSW index (the big one). It runs the vector
ranker's statement alone (the engine's `vec` ranker: tenant, embedding space and store
filter, LIMIT candidates) as the application
role with the tenant set per transaction, as the engine does, so row-level security
filters it too; only the hnsw.* settings change between rows.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import psycopg
from sqlalchemy.engine import URL

from bench.retrieval_measure import percentile
from bench.retrieval_recall import HNSW_INDEX, RecallQuery, overlap
from bench.retrieval_setup import SPACE
from engine.retrieval.repository import vector_literal

VECTOR_SQL = """
    SELECT c.id, c.embedding <=> %(q)s::halfvec AS dist
    FROM chunk_vectors c LEFT JOIN products p ON p.id = c.product_id
    WHERE c.tenant_id = %(t)s AND c.embedding_space = %(space)s
      AND (c.knowledge_document_id IS NOT NULL OR p.store_id = %(store)s)
    ORDER BY c.embedding <=> %(q)s::halfvec LIMIT %(n)s
"""
DEFAULT_MAX_SCAN_TUPLES = 20_000  # pgvector 0.8's default


@dataclass(frozen=True)
class ScanSetting:
    ef_search: int
    iterative_scan: str
    max_scan_tuples: int

    def statements(self) -> tuple[str, ...]:
        return (
            f"SET hnsw.ef_search = {self.ef_search}",
            f"SET hnsw.iterative_scan = {self.iterative_scan}",
            f"SET hnsw.max_scan_tuples = {self.max_scan_tuples}",
        )


GRID = tuple(
    ScanSetting(ef, order, tuples)
    for ef in (100, 200, 400)
    for order in ("strict_order", "relaxed_order")
    for tuples in (DEFAULT_MAX_SCAN_TUPLES, 100_000)
)


@dataclass(frozen=True)
class SweepRow:
    setting: ScanSetting
    recall_10: float
    recall_candidates: float
    short: float  # share of questions that got fewer than `candidates` rows back
    p50_ms: float
    p95_ms: float


def _conninfo(app_url: URL) -> str:
    return app_url.set(drivername="postgresql").render_as_string(hide_password=False)


def sweep(
    app_url: URL, queries: list[RecallQuery], candidates: int, grid: tuple[ScanSetting, ...] = GRID
) -> list[SweepRow]:
    rows = []
    with psycopg.connect(_conninfo(app_url)) as conn:
        conn.execute("SET enable_seqscan = off")
        conn.commit()
        for setting in grid:
            for statement in setting.statements():
                conn.execute(statement)
            conn.commit()
            timings: list[float] = []
            at_10: list[float] = []
            at_n: list[float] = []
            short = 0
            for query in queries:
                params = {
                    "t": query.tenant[0],
                    "store": query.tenant[1],
                    "space": SPACE,
                    "n": candidates,
                    "q": vector_literal(query.vector),
                }
                with conn.transaction():
                    conn.execute(
                        "SELECT set_config('app.tenant_id', %s, true)", (str(query.tenant[0]),)
                    )
                    if not timings:
                        plan = " ".join(
                            r[0] for r in conn.execute("EXPLAIN " + VECTOR_SQL, params).fetchall()
                        )
                        if HNSW_INDEX not in plan:
                            raise RuntimeError(
                                f"the sweep needs the HNSW path, the planner chose: {plan[:300]}"
                            )
                    started = time.perf_counter()
                    found = conn.execute(VECTOR_SQL, params).fetchall()
                    timings.append((time.perf_counter() - started) * 1000)
                nearest = [chunk_id for chunk_id, _ in sorted(found, key=lambda r: r[1])]
                short += len(found) < candidates
                at_10.append(overlap(nearest, query.exact, 10))
                at_n.append(overlap(nearest, query.exact, candidates))
            rows.append(
                SweepRow(
                    setting,
                    statistics.fmean(at_10),
                    statistics.fmean(at_n),
                    short / len(queries),
                    percentile(timings, 0.5),
                    percentile(timings, 0.95),
                )
            )
            print(f"  swept {setting}", flush=True)
    return rows
