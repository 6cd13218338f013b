"""recall@10 of the engine's vector ranker against exact search within the tenant's store,
and which plan the planner gave it.

The ranker is run through the engine's own code (HybridRetriever.rank_chunks, the real
statement with its set_config lines) and its candidates are ordered by their vector rank;
the plan is the EXPLAIN of that very statement, captured as it is sent. Exact search is
the same tenant and store filter ordered by an expression no index can serve.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import event

from bench.retrieval_measure import Tenant
from bench.retrieval_setup import SPACE
from core.db.database import Database
from core.ids import TenantId
from engine.retrieval.filters import QueryFilters
from engine.retrieval.repository import vector_literal
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings

HNSW_INDEX = "ix_chunk_vectors_hnsw"
EXACT_SQL = """
    SELECT c.id FROM chunk_vectors c LEFT JOIN products p ON p.id = c.product_id
    WHERE c.tenant_id = %(t)s AND c.embedding_space = %(space)s
      AND (c.knowledge_document_id IS NOT NULL OR p.store_id = %(store)s)
    ORDER BY (c.embedding <=> %(q)s::halfvec) + 0 LIMIT %(k)s
"""


@dataclass(frozen=True)
class RecallQuery:
    tenant: Tenant
    question: str
    vector: list[float]
    exact: tuple[uuid.UUID, ...]  # the tenant store's nearest chunks, nearest first


@dataclass(frozen=True)
class Recall:
    at_10: float
    at_candidates: float  # over the whole candidate list the ranker hands to fusion
    plan: str


def exact_neighbours(
    owner_uri: str, queries: list[tuple[Tenant, str, list[float]]], k: int
) -> list[RecallQuery]:
    out = []
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        for (tenant_id, store_id), question, vector in queries:
            params = {
                "t": tenant_id,
                "store": store_id,
                "space": SPACE,
                "k": k,
                "q": vector_literal(vector),
            }
            ids = tuple(r[0] for r in conn.execute(EXACT_SQL, params).fetchall())
            out.append(RecallQuery((tenant_id, store_id), question, vector, ids))
    return out


def overlap(found: list[uuid.UUID], exact: tuple[uuid.UUID, ...], k: int) -> float:
    return len(set(found[:k]) & set(exact[:k])) / max(1, min(k, len(exact)))


@contextmanager
def captured_vector_statement(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The statements the engine sends that rank by vector distance, as sent."""
    seen: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if "<=>" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)


async def recall_through_engine(
    db: Database,
    retriever: HybridRetriever,
    queries: list[RecallQuery],
    settings: RetrievalSettings,
    *,
    show_plan_as: str = "",
) -> Recall:
    at_10, at_n, plan = [], [], ""
    with captured_vector_statement(db) as seen:
        for query in queries:
            tenant_id, store_id = TenantId(query.tenant[0]), query.tenant[1]
            async with db.tenant_session(tenant_id) as session:
                # No product condition: the ranker filters on the tenant's store, as EXACT_SQL does.
                candidates = await retriever.rank_chunks(
                    session,
                    tenant_id,
                    query.vector,
                    QueryFilters(search_text=query.question),
                    settings,
                    store_id=store_id,
                )
                if not plan and seen:
                    statement, parameters = seen[-1]
                    connection = await session.connection()
                    explained = await connection.exec_driver_sql(
                        "EXPLAIN (FORMAT JSON) " + statement, parameters
                    )
                    plan = describe_plan(explained.scalar_one()[0]["Plan"])
                    if show_plan_as:
                        text_plan = await connection.exec_driver_sql(
                            "EXPLAIN " + statement, parameters
                        )
                        print(f"{show_plan_as}:\n" + "\n".join(r[0][:160] for r in text_plan.all()))
            ranked = [(c.vector_rank, c.chunk_id) for c in candidates if c.vector_rank is not None]
            found = [chunk_id for _, chunk_id in sorted(ranked, key=lambda pair: pair[0])]
            at_10.append(overlap(found, query.exact, 10))
            at_n.append(overlap(found, query.exact, settings.candidates))
    return Recall(statistics.fmean(at_10), statistics.fmean(at_n), plan)


def _walk(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", ()):
        yield from _walk(child)


def describe_plan(plan: dict) -> str:
    """What the vector ranker reads: the tenant's own HNSW index, the global one (a
    what-if since migration 0013), or the tenant's rows (through a b-tree or a sequential
    scan) sorted exactly by distance."""
    nodes = list(_walk(plan))
    for node in nodes:
        index = node.get("Index Name", "")
        if index == HNSW_INDEX:
            return f"HNSW index scan, global ({HNSW_INDEX})"
        if index.startswith(HNSW_INDEX):
            return f"HNSW index scan, the tenant's own ({index[:30]}…)"
    for node in nodes:
        if node["Node Type"] == "Sort" and any("<=>" in key for key in node.get("Sort Key", ())):
            reads = []
            for inner in _walk(node):
                index = inner.get("Index Name", "")
                if index.startswith(("ix_chunk_vectors", "pk_chunk_vectors")):
                    reads.append(f"{inner['Node Type'].lower()} on {index}")
                elif (
                    inner["Node Type"].endswith("Seq Scan")
                    and inner.get("Relation Name") == "chunk_vectors"
                ):
                    reads.append(inner["Node Type"].lower())
            return "exact: tenant rows by " + (" + ".join(dict.fromkeys(reads)) or "?") + ", sorted"
    return "not recognised (see --show-plans)"
