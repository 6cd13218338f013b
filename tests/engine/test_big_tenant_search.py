"""A large tenant's retrieval under row-level security (migration 0015 and
`product_filter.checks_each_candidate`): its product conditions are checked per candidate
chunk with the same result as the listed path, the product-name index and the full-text
GIN index are usable as the application role, and a question's name heads cover every way
a product's name can stand in it."""

from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL

from core.db.database import Database
from core.embedding_spaces import MINILM_L6_V2
from core.ids import TenantId
from core.provisioning import provision_tenant
from engine.retrieval import product_filter
from engine.retrieval.filters import parse_filters
from engine.retrieval.named_products import _NAMED_SQL, name_heads, named_products, named_rider
from engine.retrieval.product_filter import allowed_products, checks_each_candidate
from engine.retrieval.search import HybridRetriever, RetrievalResult
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.term_stats import HEAP_SCAN_MAX_CHUNKS, TermStats, idf
from engine.retrieval.text_ranker import rank_by_text
from ingestion.indexing.vector_indexes import owner_conninfo
from ingestion.knowledge import add_knowledge_document
from tests.engine.support import CATALOGUE
from tests.support.database import APP_ROLE
from tests.support.index import SeedProduct, seed_store
from tests.support.sync import new_tenant
from tests.support.vector_chunks import seed_chunks


def test_a_name_head_is_every_first_word_a_standing_name_can_have() -> None:
    heads = name_heads("is the (x-ray goggles) cheaper than the cedar down bag, or backpack!?")
    # A name of several words: its first word runs to the next space.
    assert {"cedar", "(x-ray", "x-ray"} <= set(heads)
    # A one-word name ends at any character that is not a word character.
    assert {"backpack", "backpack!", "backpack!?", "bag", "bag,", "goggles", "goggles)"} <= set(
        heads
    )
    # Never from inside a word: a name there would not stand alone.
    assert "ackpack" not in heads and "ray" in heads  # after "-", a new word begins
    assert "" not in heads


def test_only_a_tenant_past_the_threshold_checks_per_candidate() -> None:
    assert not checks_each_candidate(None)
    assert not checks_each_candidate(product_filter.LISTED_FILTER_MAX_CHUNKS)
    assert checks_each_candidate(product_filter.LISTED_FILTER_MAX_CHUNKS + 1)


@pytest.fixture
async def shop(db: Database, embedder):
    tenant = await provision_tenant(db, name="Big Outfitters", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)
    async with db.tenant_session(tenant.tenant_id) as session:
        store_id = await session.scalar(text("SELECT id FROM store_connections LIMIT 1"))
    return tenant.tenant_id, store_id


async def _retrieve(
    db: Database, retriever: HybridRetriever, shop: tuple[TenantId, uuid.UUID], question: str
) -> RetrievalResult:
    tenant_id, store_id = shop
    async with db.tenant_session(tenant_id) as session:
        return await retriever.retrieve(
            session,
            tenant_id=tenant_id,
            query=question,
            settings=RetrievalSettings(top_k=5),
            store_id=store_id,
        )


QUESTIONS = [
    "a red jacket for hiking in the rain",
    "warm accessories under $30 in stock",
    "something for camping on sale",
    "shoes in size 41",
    "which is lighter, the Down Sleeping Bag or the Ultralight Tent?",
    "a waterproof shell",
]


async def test_per_candidate_filters_rank_as_the_listed_ones(
    db: Database, embedder, shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant_id, store_id = shop
    retriever = HybridRetriever(embedder)

    async def hits(question: str) -> list[tuple[str, float]]:
        result = await _retrieve(db, retriever, shop, question)
        return [(hit.title, round(hit.score, 6)) for hit in result.hits]

    listed = [await hits(q) for q in QUESTIONS]
    # Every tenant with a chunk is now "large": its conditions are checked per candidate.
    monkeypatch.setattr(product_filter, "LISTED_FILTER_MAX_CHUNKS", 0)
    per_candidate = [await hits(q) for q in QUESTIONS]
    assert per_candidate == listed
    assert any(len(h) > 0 for h in listed)
    # The filters did apply: an out-of-stock bottle is never shown for "in stock".
    assert all("Insulated Water Bottle" not in t for t, _ in per_candidate[1])
    async with db.tenant_session(tenant_id) as session:
        filters = parse_filters("warm accessories under $30 in stock")
        assert filters.any
        assert (
            await allowed_products(
                session, tenant_id=tenant_id, filters=filters, store_id=store_id, chunk_total=1
            )
            is None
        )


async def test_a_list_hashed_or_looked_up_in_the_index_ranks_the_same(
    db: Database, embedder, shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A question's list of allowed products reaches the rankers either as an index lookup
    # (a short list) or hashed over the tenant's rows (from HASHED_LIST_MIN_SHARE of its
    # products): the same hits either way, and a knowledge chunk (no product) passes
    # neither while the question states a product condition.
    tenant_id = shop[0]
    await add_knowledge_document(
        db,
        tenant_id,
        title="Cold weather guide",
        body="Warm accessories under $30 in stock: how to choose gloves, hats and scarves "
        "for cold hikes, with layering tips.",
        embedder=embedder,
    )
    retriever = HybridRetriever(embedder)

    async def ranked(question: str) -> tuple[list[tuple[str, float]], list[str]]:
        result = await _retrieve(db, retriever, shop, question)
        return [(h.title, round(h.score, 6)) for h in result.hits], [
            d.title for d in result.doc_hits
        ]

    conditions: set[str] = set()
    real_condition = product_filter.AllowedProducts.condition

    def recorded(allowed: product_filter.AllowedProducts) -> str:
        condition: str = real_condition.fget(allowed)  # type: ignore[attr-defined]
        conditions.add(condition)
        return condition

    monkeypatch.setattr(product_filter.AllowedProducts, "condition", property(recorded))
    monkeypatch.setattr(product_filter, "HASHED_LIST_MIN_SHARE", 2.0)  # never hashed
    looked_up = [await ranked(q) for q in QUESTIONS]
    assert conditions == {"c.product_id = ANY(CAST(:allowed AS uuid[]))"}
    monkeypatch.setattr(product_filter, "HASHED_LIST_MIN_SHARE", 0.0)  # always hashed
    hashed = [await ranked(q) for q in QUESTIONS]
    assert "coalesce(c.product_id, c.id) = ANY(CAST(:allowed AS uuid[]))" in conditions
    assert hashed == looked_up
    filtered = QUESTIONS.index("warm accessories under $30 in stock")
    assert hashed[filtered][0], "the filtered question finds products"
    assert hashed[filtered][1] == [], "no knowledge chunk passes a product condition"
    # Without a product condition the guide is found: the filter, not the ranking, kept it out.
    unfiltered = await ranked("how do I choose gloves and scarves for cold hikes")
    assert "Cold weather guide" in unfiltered[1]


async def test_a_named_product_is_found_through_its_name_head(db: Database, shop) -> None:
    tenant_id, store_id = shop
    question = "Which is lighter, the Down Sleeping Bag or the Ultralight Tent?"
    async with db.tenant_session(tenant_id) as session:
        named = await named_products(
            session, tenant_id=tenant_id, store_id=store_id, question=question
        )
        titles = await session.execute(
            text("SELECT name FROM products WHERE id = ANY(:ids)"), {"ids": named}
        )
    assert sorted(row.name for row in titles) == ["Down Sleeping Bag", "Ultralight Tent"]


def _plan(owner_url: URL, tenant_id: TenantId, statement: str, params: dict[str, Any]) -> str:
    """`statement`'s plan as the application role gets it in the tenant's session."""
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute("BEGIN")
        conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id),))
        rows = conn.execute("EXPLAIN " + statement, params).fetchall()
        conn.execute("ROLLBACK")
    return "\n".join(row[0] for row in rows)


RARE_WORD = (
    "SELECT id FROM chunks c WHERE c.tenant_id = %(tenant_id)s "
    "AND c.search_vector @@ CAST('skillet' AS tsquery)"
)


async def test_as_the_application_role_the_indexes_serve_a_big_tenant(
    committed_db: Database, owner_url: URL
) -> None:
    tenant_id = await new_tenant(committed_db, "Many Chunks")
    seed_chunks(owner_url, tenant_id, 3_000, seed=5)
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute(
            "UPDATE chunks SET body = 'a cast iron skillet' WHERE id = "
            "(SELECT id FROM chunks WHERE tenant_id = %s LIMIT 1)",
            (tenant_id,),
        )
        conn.execute(
            "UPDATE products SET name = 'Cast Iron Skillet', status = 'publish' WHERE id = "
            "(SELECT id FROM products WHERE tenant_id = %s LIMIT 1)",
            (tenant_id,),
        )
        conn.execute("ANALYZE chunks")
        conn.execute("ANALYZE products")
        leakproof = conn.execute(
            "SELECT proleakproof FROM pg_proc WHERE oid = 'ts_match_vq'::regproc"
        ).fetchone()
        superuser = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    is_superuser = superuser == (True,)
    question = "do you have the cast iron skillet?"
    # SQLAlchemy's `:name` parameters as psycopg's `%(name)s`.
    rider = named_rider(question, None)  # its own statement's parameters, and its subquery
    params = {**rider.params, "tenant_id": tenant_id}
    for statement in (str(_NAMED_SQL), rider.sql):
        named = _plan(
            owner_url, tenant_id, re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", statement), params
        )
        assert "ix_products_tenant_id_name_head" in named, named
    assert leakproof == (True,)  # marked by migration 0015
    assert "ix_chunks_search_vector" in _plan(
        owner_url, tenant_id, RARE_WORD, {"tenant_id": tenant_id}
    )
    if not is_superuser:
        return
    # The cause, shown: without the mark the policy keeps `@@` out of the index.
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) NOT LEAKPROOF")
    try:
        plan = _plan(owner_url, tenant_id, RARE_WORD, {"tenant_id": tenant_id})
        assert "ix_chunks_search_vector" not in plan
    finally:
        with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
            conn.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF")


async def test_a_small_tenants_text_ranker_reads_its_rows_a_big_ones_the_index(
    committed_db: Database, owner_url: URL
) -> None:
    """The GIN index is one for all tenants: a common word's posting list holds everyone's
    chunks. A tenant of up to HEAP_SCAN_MAX_CHUNKS has its own rows matched instead (found
    by its b-tree); a bigger one goes through the index. Both find the same chunk."""
    tenant_id = await new_tenant(committed_db, "Text Plans")
    seed_chunks(owner_url, tenant_id, 3_000, seed=7)
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        skillet = conn.execute(
            "UPDATE chunks SET body = 'a cast iron skillet' WHERE id = "
            "(SELECT id FROM chunks WHERE tenant_id = %s LIMIT 1) RETURNING id",
            (tenant_id,),
        ).fetchone()
        conn.execute("ANALYZE chunks")
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "AS density" in statement:  # the text ranker's
            statements.append((statement, parameters))

    engine = committed_db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        for total in (3_000, HEAP_SCAN_MAX_CHUNKS + 1):
            async with committed_db.tenant_session(tenant_id) as session:
                ranking = await rank_by_text(
                    session,
                    tenant_id=tenant_id,
                    space=MINILM_L6_V2.name,
                    filters=parse_filters("a cast iron skillet"),
                    store_id=None,
                    candidates=10,
                    chunk_total=total,
                )
            assert skillet is not None and ranking.chunk_ids == (skillet[0],)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    small, big = (_plan(owner_url, tenant_id, sql, params) for sql, params in statements)
    assert "ix_chunks_search_vector" not in small, small  # its rows, however they are found
    assert "ix_chunks_search_vector" in big, big


@pytest.mark.parametrize("listed_max", [product_filter.LISTED_FILTER_MAX_CHUNKS, 0])
async def test_with_two_stores_a_bot_sees_only_its_own(
    db: Database, embedder, monkeypatch: pytest.MonkeyPatch, listed_max: int
) -> None:
    """The store condition is left out only for a tenant with one store (`ranked_store`):
    with two, each bot's rankers keep it, listed or checked per candidate."""
    monkeypatch.setattr(product_filter, "LISTED_FILTER_MAX_CHUNKS", listed_max)
    tenant = await provision_tenant(db, name="Two Shops", allowed_origins=[])
    first = await seed_store(db, tenant.tenant_id, embedder, CATALOGUE[:4])
    second = await seed_store(
        db,
        tenant.tenant_id,
        embedder,
        [SeedProduct("Storm Rain Jacket", "99.00", "A waterproof rain jacket.", ["Jackets"])],
    )
    async with db.tenant_session(tenant.tenant_id) as session:
        rows = await session.execute(text("SELECT name, store_id FROM products"))
        store_of = {name: store_id for name, store_id in rows.all()}
        for ids, question in ((first, "a rain jacket"), (second, "a rain jacket in stock")):
            store_id = store_of[next(iter(ids))]
            result = await HybridRetriever(embedder).retrieve(
                session,
                tenant_id=tenant.tenant_id,
                query=question,
                settings=RetrievalSettings(top_k=5),
                store_id=store_id,
            )
            titles = {hit.title for hit in result.hits}
            assert titles and titles <= set(ids), (question, titles)


async def test_a_bot_of_another_store_than_the_tenants_only_one_finds_nothing(
    db: Database, embedder
) -> None:
    """The store condition is left out for the bot of the tenant's one store only: a bot
    whose store id is another (a store replaced since) keeps its condition and finds none
    of the remaining store's products, as it would with two stores."""
    tenant = await provision_tenant(db, name="One Shop", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, embedder, CATALOGUE[:4])
    async with db.tenant_session(tenant.tenant_id) as session:
        (only,) = (await session.scalars(text("SELECT id FROM store_connections"))).all()

        async def titles(store_id: uuid.UUID) -> set[str]:
            result = await HybridRetriever(embedder).retrieve(
                session,
                tenant_id=tenant.tenant_id,
                query="a rain jacket",
                settings=RetrievalSettings(top_k=5),
                store_id=store_id,
            )
            return {hit.title for hit in result.hits}

        assert await titles(only)
        assert await titles(uuid.uuid4()) == set()


async def test_a_large_tenants_frequencies_are_scaled_from_a_sample(
    committed_db: Database, owner_url: URL
) -> None:
    """A word in every chunk is counted on the sample and scaled to the total; a word the
    sample holds rarely is counted exactly through the GIN index."""
    tenant_id = await new_tenant(committed_db, "Sampled")
    seed_chunks(owner_url, tenant_id, 3_000, seed=7)  # every body is "b"
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute(
            "UPDATE chunks SET body = 'b skillet' WHERE id IN "
            "(SELECT id FROM chunks WHERE tenant_id = %s ORDER BY id DESC LIMIT 30)",
            (tenant_id,),
        )
    stats = TermStats(heap_scan_max_chunks=0, sample_chunks=600, exact_below_sampled=20)
    async with committed_db.tenant_session(tenant_id) as session:
        terms = await stats.weighted_terms(
            session, tenant_id=tenant_id, space=MINILM_L6_V2.name, question="b skillet"
        )
    assert {t.lexeme: t.idf for t in terms} == {
        "b": pytest.approx(idf(3_000, 3_000)),
        "skillet": pytest.approx(idf(3_000, 30)),
    }
