"""Latency and throughput of question → assembled prompt, through the application role and
the real code (HybridRetriever.retrieve + engine.prompts.build_messages, no LLM).

Where the time goes is reported along the critical path, so the shares add up to the
whole: the query embedding runs on the embedder's thread while the SQL that does not need
it runs, and only the time retrieval waits for it afterwards counts as embedding time.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass

from sqlalchemy.engine import URL

from core.db.database import Database
from core.ids import TenantId
from engine.embeddings.base import Embedder
from engine.prompts import build_messages
from engine.retrieval.query_cache import QueryEmbeddingCache
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.types import BotConfig, BusinessProfile

PROFILE = BusinessProfile(
    name="Bench shop", shipping_policy="Free shipping over $50.", returns_policy="30-day returns."
)
BOT = BotConfig(name="Bench assistant")

Tenant = tuple[uuid.UUID, uuid.UUID]  # (tenant id, store id)


@dataclass(frozen=True)
class Config:
    name: str
    settings: RetrievalSettings
    # Planner settings for this config's connections (libpq `options`), so that no extra
    # statement runs inside the measured transaction.
    planner: tuple[str, ...] = ()
    owner_before: tuple[str, ...] = ()  # schema changes (as the owner) for this config only
    owner_after: tuple[str, ...] = ()
    max_questions: int | None = None  # a slow config gets fewer questions
    # The order before the embedding ran concurrently with SQL: embed, then open the
    # transaction and run every statement after it.
    serial: bool = False
    # False: the question's words counted over the tenant's rows, as before migration 0018
    # stored them (engine.retrieval.search.HybridRetriever's `stored_terms`).
    stored_terms: bool = True

    def database(self, app_url: URL, pool_size: int) -> Database:
        if self.planner:
            app_url = app_url.update_query_dict(
                {"options": " ".join(f"-c {p}" for p in self.planner)}
            )
        return Database.connect(app_url, pool_size=pool_size)


@dataclass
class Sample:
    total_ms: float
    embedding_ms: float  # the embedding's own duration, mostly overlapped with SQL
    embedding_wait_ms: float  # what of it retrieval waited for: its cost on the critical path
    sql_ms: float
    prompt_ms: float
    hits: int


async def ask(
    db: Database, retriever: HybridRetriever, tenant: Tenant, question: str, config: Config
) -> Sample:
    tenant_id, store_id = TenantId(tenant[0]), tenant[1]
    started = time.perf_counter()
    embedded, waited_ms = None, 0.0
    if config.serial:
        embedded = retriever.start_embedding(question)
        await embedded.vector()
        waited_ms = (time.perf_counter() - started) * 1000
    async with db.tenant_session(tenant_id) as session:
        result = await retriever.retrieve(
            session,
            tenant_id=tenant_id,
            query=question,
            settings=config.settings,
            store_id=store_id,
            prefetched=embedded,
        )
    mark = time.perf_counter()
    build_messages(
        PROFILE,
        BOT,
        question,
        result.hits,
        result.doc_hits,
        None,
        [],
        model=BOT.llm.model,
        max_prompt_tokens=BOT.max_prompt_tokens,
    )
    done = time.perf_counter()
    t = result.timings_ms
    own_ms = embedded.took_ms if embedded else t.get("embedding", 0.0)
    return Sample(
        (done - started) * 1000,
        own_ms,
        waited_ms + t.get("embedding_wait", 0.0),
        t.get("sql", 0.0),
        (done - mark) * 1000,
        len(result.hits),
    )


async def latency(
    db: Database, retriever: HybridRetriever, questions: list[tuple[Tenant, str]], config: Config
) -> list[Sample]:
    return [await ask(db, retriever, tenant, q, config) for tenant, q in questions]


def bench_retrievers(embedder: Embedder) -> dict[bool, HybridRetriever]:
    """The engine's retriever and the one counting each question's words (by
    `stored_terms`). No query-embedding cache: every question pays for its embedding, as a
    new question does."""
    return {
        stored: HybridRetriever(embedder, QueryEmbeddingCache(max_local=0), stored_terms=stored)
        for stored in (True, False)
    }


async def warm_up(
    db: Database, retriever: HybridRetriever, questions: list[tuple[Tenant, str]], config: Config
) -> None:
    """One question per tenant (at most bench.retrieval.WARM_TENANTS): its first question
    also loads its vocabulary. They are cached for 60 s, so in a long run they expire and
    reload, as in production, where a tenant among 1,000 rarely asks twice within a minute."""
    try:
        await latency(db, retriever, questions, config)
    finally:
        await db.dispose()


async def throughput(
    db: Database,
    retriever: HybridRetriever,
    questions: list[tuple[Tenant, str]],
    config: Config,
    concurrency: int,
) -> float:
    queue = list(questions)

    async def worker() -> None:
        while queue:
            tenant, q = queue.pop()
            await ask(db, retriever, tenant, q, config)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(questions) / (time.perf_counter() - started)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summarise(samples: list[Sample]) -> dict[str, float]:
    totals = [s.total_ms for s in samples]
    total = sum(totals)
    critical = {
        "embedding": sum(s.embedding_wait_ms for s in samples),
        "sql": sum(s.sql_ms for s in samples),
        "prompt": sum(s.prompt_ms for s in samples),
    }
    critical["other"] = max(0.0, total - sum(critical.values()))
    return {
        "p50": percentile(totals, 0.50),
        "p95": percentile(totals, 0.95),
        "p99": percentile(totals, 0.99),
        **{f"share_{k}": v / total for k, v in critical.items()},
        "sql_p95": percentile([s.sql_ms for s in samples], 0.95),
        "embedding_p50": percentile([s.embedding_ms for s in samples], 0.50),
        "embedding_p95": percentile([s.embedding_ms for s in samples], 0.95),
        "hidden": 1
        - sum(s.embedding_wait_ms for s in samples)
        / max(1e-9, sum(s.embedding_ms for s in samples)),
        "hits": statistics.fmean(s.hits for s in samples),
    }
