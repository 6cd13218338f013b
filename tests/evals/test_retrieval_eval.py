"""The retrieval eval on real PostgreSQL+pgvector with the real MiniLM: a fixed random
sample of 150 hetPQA questions (79 products, 778 chunks), built once for the
module inside a transaction that is rolled back at the end.

The bars: the page-scoped evidence ranking must be far above a random order of the page;
hybrid (the engine's default weighted fusion of cosine and IDF-weighted term coverage) must
beat the text ranker clearly (paired interval), beat vector-only on mean MRR in both
scopes, and never fall significantly below vector-only under either fusion.
evals/README.md has the whole-set numbers and intervals.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.database import Database
from core.ids import TenantId
from engine.embeddings import shared_local_embedder
from evals.datasets.hetpqa import load_hetpqa
from evals.metrics import paired_delta, per_item_scores
from evals.runners.retrieval import RetrievalEval, run_retrieval_eval
from evals.store import build_store, ensure_store, find_store

SAMPLE = 150


@pytest.fixture(scope="module")
async def evaluation(app_engine: AsyncEngine) -> AsyncIterator[tuple[RetrievalEval, Database]]:
    dataset = load_hetpqa().sample(SAMPLE)
    embedder = shared_local_embedder()
    async with app_engine.connect() as connection:
        transaction = await connection.begin()
        try:
            db = Database(engine=app_engine, bind=connection)
            store = await build_store(db, dataset, embedder, tenant_id=TenantId(uuid.uuid4()))
            result = await run_retrieval_eval(db, embedder, dataset, store=store)
            yield result, db
        finally:
            await transaction.rollback()


def _mrr(result: RetrievalEval, scope: str, config: str) -> float:
    return result.run(scope, config).metrics()["mrr"].value


def _summary(result: RetrievalEval) -> str:
    lines = [f"{result.dataset['items']} questions, {result.dataset['pieces']} chunks"]
    for run in result.runs:
        m = run.metrics()
        lines.append(
            f"{run.name:24s} Hit@1 {m['hit@1'].value:.3f}  Hit@5 {m['hit@5'].value:.3f}  "
            f"MRR {m['mrr'].value:.3f}"
        )
    r = result.random_page
    lines.append(
        f"{'page/random order':24s} Hit@1 {r['hit@1']:.3f}  Hit@5 {r['hit@5']:.3f}  "
        f"MRR {r['mrr']:.3f}"
    )
    return "\n".join(lines)


async def test_evidence_is_in_the_top_five_for_most_questions(evaluation) -> None:
    result, _ = evaluation
    print("\n" + _summary(result))
    assert result.dataset["items"] >= SAMPLE
    floor = result.random_page
    for config in ("vector", "hybrid", "hybrid-rrf"):
        metrics = result.run("page", config).metrics()
        assert metrics["hit@5"].value >= 0.85, _summary(result)
        assert metrics["hit@1"].value >= floor["hit@1"] + 0.3, _summary(result)
        assert metrics["mrr"].low > floor["mrr"] + 0.2, _summary(result)
    # The text ranker alone is weaker but still well above chance.
    text = result.run("page", "text").metrics()
    assert text["mrr"].low > floor["mrr"], _summary(result)


def _mrr_scores(result: RetrievalEval, config: str, scope: str = "page") -> list[float]:
    return per_item_scores([o.ranks for o in result.run(scope, config).outcomes])["mrr"]


async def test_hybrid_beats_text_clearly_and_is_never_significantly_below_vector(
    evaluation,
) -> None:
    result, _ = evaluation
    for scope in ("page", "catalogue"):
        text, vector = _mrr_scores(result, "text", scope), _mrr_scores(result, "vector", scope)
        for config in ("hybrid", "hybrid-rrf"):
            hybrid = _mrr_scores(result, config, scope)
            assert paired_delta(hybrid, text).low > 0, _summary(result)
            assert paired_delta(hybrid, vector).high > 0, _summary(result)


async def test_hybrid_beats_both_single_rankers_on_mrr(evaluation) -> None:
    result, _ = evaluation
    for scope in ("page", "catalogue"):
        hybrid = _mrr(result, scope, "hybrid")
        assert hybrid > _mrr(result, scope, "vector") and hybrid > _mrr(result, scope, "text"), (
            _summary(result)
        )


async def test_weighted_fusion_is_not_worse_than_rank_fusion(evaluation) -> None:
    result, _ = evaluation
    for scope in ("page", "catalogue"):
        delta = paired_delta(
            _mrr_scores(result, "hybrid", scope), _mrr_scores(result, "hybrid-rrf", scope)
        )
        assert delta.value >= 0 and delta.high > 0, _summary(result)


async def test_every_question_is_ranked_on_its_own_page(evaluation) -> None:
    result, _ = evaluation
    for outcome in result.run("page", "vector").outcomes:
        # The vector ranker returns the whole page (pages are smaller than `candidates`).
        assert outcome.returned == outcome.pool
        assert all(r is None or 1 <= r <= outcome.pool for r in outcome.ranks)


async def test_a_complete_store_is_found_and_reused(evaluation) -> None:
    result, db = evaluation
    dataset = load_hetpqa().sample(SAMPLE)
    embedder = shared_local_embedder()
    tenant_id = TenantId(uuid.UUID(result.store["tenant_id"]))
    found = await find_store(db, tenant_id, dataset, embedder.space.name)
    assert found is not None and found.chunk_count == dataset.piece_count
    reused = await ensure_store(db, dataset, embedder, tenant_id=tenant_id)
    assert reused.reused and reused.product_ids == found.product_ids
    # Another title mode is another dataset: not this tenant's store.
    other = load_hetpqa(title_mode="derived").sample(SAMPLE)
    assert await find_store(db, tenant_id, other, embedder.space.name) is None
