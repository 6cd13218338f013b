"""The retrieval eval on real PostgreSQL+pgvector with the real MiniLM: a fixed random
sample of 150 hetPQA questions (79 products, 778 chunks), built once for the
module inside a transaction that is rolled back at the end.

The bars: the page-scoped evidence ranking must be far above a random order of the page;
hybrid must beat the text ranker clearly (paired interval) and never fall significantly
below vector-only. That hybrid beats *both* single rankers is asserted too, but as an
expected failure: on this data hybrid and vector-only are within noise of each other (the
sign of the difference depends on the sample), because PostgreSQL's ts_rank_cd, which has
no IDF, adds little to MiniLM. evals/README.md has the numbers and the engine change.
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
            f"{run.name:24s} Hit@1 {m['hit@1'].value:.3f}  Hit@5 {m['hit@5'].value:.3f}  MRR {m['mrr'].value:.3f}"
        )
    r = result.random_page
    lines.append(f"{'page/random order':24s} Hit@1 {r['hit@1']:.3f}  Hit@5 {r['hit@5']:.3f}  MRR {r['mrr']:.3f}")
    return "\n".join(lines)


async def test_evidence_is_in_the_top_five_for_most_questions(evaluation) -> None:
    result, _ = evaluation
    print("\n" + _summary(result))
    assert result.dataset["items"] >= SAMPLE
    floor = result.random_page
    for config in ("vector", "hybrid", "hybrid-tuned"):
        metrics = result.run("page", config).metrics()
        assert metrics["hit@5"].value >= 0.85, _summary(result)
        assert metrics["hit@1"].value >= floor["hit@1"] + 0.3, _summary(result)
        assert metrics["mrr"].low > floor["mrr"] + 0.2, _summary(result)
    # The text ranker alone is weaker but still well above chance.
    text = result.run("page", "text").metrics()
    assert text["mrr"].low > floor["mrr"], _summary(result)


def _mrr_scores(result: RetrievalEval, config: str, scope: str = "page") -> list[float]:
    return per_item_scores([o.ranks for o in result.run(scope, config).outcomes])["mrr"]


async def test_hybrid_beats_text_clearly_and_is_never_significantly_below_vector(evaluation) -> None:
    result, _ = evaluation
    for scope in ("page", "catalogue"):
        text, vector = _mrr_scores(result, "text", scope), _mrr_scores(result, "vector", scope)
        for config in ("hybrid-tuned",) if scope == "catalogue" else ("hybrid", "hybrid-tuned"):
            hybrid = _mrr_scores(result, config, scope)
            assert paired_delta(hybrid, text).low > 0.05, _summary(result)
            assert paired_delta(hybrid, vector).high > 0, _summary(result)
    # The tuned fusion stays within 0.01 of vector-only; the engine's equal weights (k=60)
    # may fall further behind (about 0.02 on this sample, inside the interval).
    for scope in ("page", "catalogue"):
        assert _mrr(result, scope, "hybrid-tuned") > _mrr(result, scope, "vector") - 0.01, _summary(result)


@pytest.mark.xfail(
    strict=False,
    reason="On hetPQA, hybrid and vector-only are within noise of each other on MRR (which one "
    "wins depends on the sample): the text ranker (ts_rank_cd, no IDF) is too weak to add "
    "much to MiniLM. Passes once the engine's text ranker improves; see evals/README.md.",
)
async def test_hybrid_beats_both_single_rankers_on_mrr(evaluation) -> None:
    result, _ = evaluation
    for scope in ("page", "catalogue"):
        hybrid = _mrr(result, scope, "hybrid-tuned")
        assert hybrid > _mrr(result, scope, "vector") and hybrid > _mrr(result, scope, "text"), _summary(result)


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
