"""The tenant's document frequencies kept by ingestion (core.models.term_frequency) and
read with the vocabulary, on real PostgreSQL through the application role.

What is asserted: the stored counts are the counts the per-question path takes over the
tenant's rows (so the same terms weigh the same); a question then sends neither of that
path's statements, and ranks exactly as it does; a tenant never counted falls back to it;
a recompute counts again, a batch or a webhook's recompute does not, a knowledge
document's indexing and removal do.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core import search_vocabulary
from core.db.database import Database
from core.provisioning import provision_tenant
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.tenant_vocabulary import stored_vocabulary
from engine.retrieval.term_stats import TermStats, idf
from engine.types import PageContext
from ingestion.knowledge import add_knowledge_document, delete_knowledge_document
from tests.support.index import SeedProduct, seed_store
from tests.support.sent_statements import SentStatements

CATALOGUE = [
    SeedProduct("Canvas Tote Bag", "20.00", "A sturdy canvas bag for groceries and sailing."),
    SeedProduct("Roll-Top Bag", "45.00", "A bag that closes by folding the top three times."),
    SeedProduct("Hiking Bag", "60.00", "A waterproof bag with padded straps for long hikes."),
    SeedProduct("Sailing Bag", "38.00", "A bag for the boat.", attributes={"Type": ["Drybag"]}),
    SeedProduct("Laptop Bag", "80.00", "A padded bag for a fifteen inch laptop."),
]
QUESTIONS = [
    "waterproof bag for hiking",
    "padded laptop bag",
    "a drybag for sailing?",
    "¿tienen una bolsa para el portátil?",  # Spanish: its stop words go first
    "bag",
    "something nobody sells",
]
# The per-question count's statement (engine.retrieval.term_stats._count) and the question's
# lexemes as a statement of their own (term_stats._question_lexemes; the vocabulary's read
# has them as a subquery).
COUNTED = "matching AS MATERIALIZED"
LEXEMES_ALONE = "SELECT lexeme, positions[1] AS ord FROM unnest"


def lexemes_alone(sent: SentStatements) -> bool:
    return any(statement.startswith(LEXEMES_ALONE) for statement in sent.sent)


TEXT_ONLY = RetrievalSettings(top_k=10, vector_weight=0.0, text_weight=1.0)


@pytest.fixture
async def tenant(db: Database, embedder):
    tenant = await provision_tenant(db, name="Bag Shop", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)  # recomputes, as a sync ends
    return tenant


async def _stored_and_counted(db: Database, tenant, space: str, question: str):
    async with db.tenant_session(tenant.tenant_id) as session:
        stored = await stored_vocabulary(
            session, tenant_id=tenant.tenant_id, space=space, question=question
        )
        assert stored is not None
        counted = await TermStats().weighted_terms(
            session,
            tenant_id=tenant.tenant_id,
            space=space,
            question=question,
            chunk_total=stored.chunks,
        )
    return stored, counted


async def _hits(db: Database, tenant, retriever: HybridRetriever, question: str):
    async with db.tenant_session(tenant.tenant_id) as session:
        result = await retriever.retrieve(
            session, tenant_id=tenant.tenant_id, query=question, settings=TEXT_ONLY
        )
    return [(hit.title, hit.score) for hit in result.hits]


async def test_the_stored_counts_are_the_counts_over_the_tenants_rows(db, tenant, embedder):
    space = embedder.space.name
    for question in QUESTIONS:
        stored, counted = await _stored_and_counted(db, tenant, space, question)
        assert stored.terms is not None, question
        assert list(stored.terms) == counted, question
    stored, _ = await _stored_and_counted(db, tenant, space, "waterproof padded bag")
    frequencies = {t.lexeme: t for t in stored.terms or ()}
    # "bag" is in every chunk, "pad" in two, "waterproof" in one: rarer weighs more.
    assert frequencies["waterproof"].idf > frequencies["pad"].idf > frequencies["bag"].idf
    async with db.tenant_session(tenant.tenant_id) as session:
        totals = await session.scalar(text("SELECT term_totals FROM search_vocabularies"))
    assert totals == {space: len(CATALOGUE)}


async def test_a_question_sends_no_count_of_its_own_and_ranks_as_before(db, tenant, embedder):
    stored, counting = HybridRetriever(embedder), HybridRetriever(embedder, stored_terms=False)
    for question in QUESTIONS:
        with SentStatements(db) as sent:
            hits = await _hits(db, tenant, stored, question)
        assert not sent.any(COUNTED) and not lexemes_alone(sent), question
        first = next(s for s in sent.sent if "JOIN search_vocabularies" in s)
        assert "term_frequencies" in first
        with SentStatements(db) as sent:
            assert await _hits(db, tenant, counting, question) == hits, question
    # The counting path really counts (the fragments above are the right ones).
    with SentStatements(db) as sent:
        await _hits(db, tenant, HybridRetriever(embedder, stored_terms=False), "laptop straps")
    assert sent.any(COUNTED) and lexemes_alone(sent)
    hits = await _hits(db, tenant, stored, "waterproof bag for hiking")
    assert [title for title, _ in hits] == ["Hiking Bag"]


async def test_a_tenant_never_counted_counts_per_question(db, tenant, embedder):
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(text("UPDATE search_vocabularies SET term_totals = NULL"))
        await session.execute(text("DELETE FROM term_frequencies"))
    retriever = HybridRetriever(embedder)
    with SentStatements(db) as sent:
        hits = await _hits(db, tenant, retriever, "padded laptop bag")
    assert sent.any(COUNTED)
    assert [title for title, _ in hits] == ["Laptop Bag", "Hiking Bag"]
    async with db.tenant_session(tenant.tenant_id) as session:
        await search_vocabulary.recompute(session, tenant.tenant_id)
    with SentStatements(db) as sent:
        assert await _hits(db, tenant, retriever, "padded laptop bag") == hits
    assert not sent.any(COUNTED)


async def test_a_recompute_counts_again_and_a_batch_or_webhook_does_not(db, tenant, embedder):
    space = embedder.space.name
    async with db.tenant_session(tenant.tenant_id) as session:
        # A batch's products (record_batch adds to the vocabulary, not to the counts), then
        # a webhook's recompute (the vocabulary and chunk count again, not the counts).
        await session.execute(text("DELETE FROM products WHERE name = 'Hiking Bag'"))
        await search_vocabulary.record_batch(session, tenant.tenant_id, chunk_delta={space: -1})
        assert await search_vocabulary.recompute_if_small(session, tenant.tenant_id)
    stored, _ = await _stored_and_counted(db, tenant, space, "waterproof bag")
    assert stored.chunks == len(CATALOGUE) - 1
    # The counts and their total are still the last recompute's, together.
    weights = {t.lexeme: t.idf for t in stored.terms or ()}
    assert weights == {"waterproof": idf(len(CATALOGUE), 1), "bag": idf(len(CATALOGUE), 5)}
    async with db.tenant_session(tenant.tenant_id) as session:
        before = dict(
            (await session.execute(text("SELECT lexeme, chunks FROM term_frequencies"))).all()
        )
        await search_vocabulary.recompute(session, tenant.tenant_id)
        after = dict(
            (await session.execute(text("SELECT lexeme, chunks FROM term_frequencies"))).all()
        )
        totals = await session.scalar(text("SELECT term_totals FROM search_vocabularies"))
    assert before["waterproof"] == 1 and "waterproof" not in after
    assert before["bag"] == len(CATALOGUE) and after["bag"] == len(CATALOGUE) - 1
    assert totals == {space: len(CATALOGUE) - 1}
    stored, counted = await _stored_and_counted(db, tenant, space, "waterproof bag")
    assert list(stored.terms or ()) == counted


async def test_another_tenants_counts_are_not_seen(db, tenant, embedder):
    other = await provision_tenant(db, name="Other Shop", allowed_origins=[])
    await seed_store(db, other.tenant_id, embedder, CATALOGUE[:1])
    async with db.tenant_session(other.tenant_id) as session:
        seen = (
            await session.execute(text("SELECT DISTINCT tenant_id FROM term_frequencies"))
        ).scalars()
        assert list(seen) == [other.tenant_id]
        stored = await stored_vocabulary(
            session, tenant_id=other.tenant_id, space=embedder.space.name, question="laptop bag"
        )
    # "laptop" is in the first tenant's catalogue only; "bag" in the other's one chunk.
    assert stored is not None
    assert {t.lexeme: t.idf for t in stored.terms or ()} == {"laptop": idf(1, 0), "bag": idf(1, 1)}


async def test_a_knowledge_documents_words_are_counted_when_it_comes_and_goes(db, tenant, embedder):
    space = embedder.space.name
    outcome = await add_knowledge_document(
        db,
        tenant.tenant_id,
        title="Returns",
        body="Returns are accepted within thirty days of delivery.",
        embedder=embedder,
    )
    stored, counted = await _stored_and_counted(db, tenant, space, "returns within thirty days")
    assert list(stored.terms or ()) == counted
    frequencies = {t.lexeme: t for t in stored.terms or ()}
    assert frequencies["thirti"].idf == idf(stored.chunks, 1)
    assert await delete_knowledge_document(db, tenant.tenant_id, outcome.document_id)
    stored, counted = await _stored_and_counted(db, tenant, space, "returns within thirty days")
    assert list(stored.terms or ()) == counted
    assert {t.idf for t in stored.terms or ()} == {idf(len(CATALOGUE), 0)}


async def test_a_question_on_a_product_page_sends_no_count_either(db, tenant, embedder):
    page = PageContext(product_id="1002")  # the Hiking Bag's id in the store
    results = []
    for retriever in (HybridRetriever(embedder), HybridRetriever(embedder, stored_terms=False)):
        with SentStatements(db) as sent:
            async with db.tenant_session(tenant.tenant_id) as session:
                result = await retriever.retrieve(
                    session,
                    tenant_id=tenant.tenant_id,
                    query="are the straps padded?",
                    settings=RetrievalSettings(top_k=10),
                    page=page,
                )
        assert result.page_product_id is not None
        results.append(([(h.title, h.score, h.snippets) for h in result.hits], sent))
    (stored_hits, stored_sent), (counted_hits, counted_sent) = results
    # The page product's own evidence is ranked with the terms the search weighed.
    assert not stored_sent.any(COUNTED) and not lexemes_alone(stored_sent)
    assert counted_sent.any(COUNTED)
    assert stored_hits == counted_hits and stored_hits[0][0] == "Hiking Bag"
