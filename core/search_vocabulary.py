"""The SQL of `search_vocabularies` (core.models.search_vocabulary): one row per tenant
with its categories, attribute values and chunk counts, read by retrieval per question.

Ingestion keeps it (here rather than in either package: ingestion writes it, the engine
reads it and computes the same vocabulary when a tenant has no row yet):
- `record_batch`: a batch's new categories and values and its chunk-count change, as the
  LAST statement of the batch's own transaction. Readers see the products and the
  vocabulary change together, and the row's lock is taken after the product rows' and
  held only until commit, so two batches of a tenant never wait on each other in a cycle.
  (A sync page's transaction then only records its job's progress and, on the last
  page, its store's row: rows no writer of the vocabulary locks before it.)
  It only adds: a batch cannot tell whether the value it removed from a product was the
  store's last one.
- `recompute`: everything from the products and chunks again, which also removes what no
  published product has any more: after a sync run, a knowledge document's deletion, and
  a webhook's product deletion or update (`recompute_if_small`). Except a webhook's, it
  also counts the tenant's document frequencies again (`recount_terms`: `term_frequencies`,
  core.models.term_frequency), which `record_batch` leaves as they were: a sync batch's
  chunks count from the end of its sync run; a knowledge document's indexing or removal
  counts them at once (ingestion.knowledge).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId

# Above this many products a webhook does not recompute the vocabulary (~20 ms for a
# 2,000-product tenant, growing with the catalogue): a big store's webhooks come often,
# and the value a product took with it stays until its next sync run (the nightly
# reconcile at the latest) recomputes it. The stale value can only offer a filter that
# finds nothing; a new value is always added at once.
EAGER_RECOMPUTE_MAX_PRODUCTS = 20_000

# The vocabulary of the tenant `:tenant_id`, each a scalar subquery: what
# engine.retrieval.repository.store_vocabulary computed per question before this table.
CATEGORIES_SQL = """ARRAY(
    SELECT DISTINCT lower(cat) FROM products p, unnest(p.categories) AS cat
    WHERE p.tenant_id = :tenant_id AND p.status = 'publish' ORDER BY 1)"""
ATTRIBUTE_VALUES_SQL = """ARRAY(
    SELECT DISTINCT lower(val) FROM products p, jsonb_each(p.attributes) AS kv,
         jsonb_array_elements_text(kv.value) AS val
    WHERE p.tenant_id = :tenant_id AND p.status = 'publish'
      AND jsonb_typeof(kv.value) = 'array' ORDER BY 1)"""
CHUNK_COUNTS_SQL = """(
    SELECT coalesce(jsonb_object_agg(s.embedding_space, s.n), '{}'::jsonb) FROM (
        SELECT embedding_space, count(*) AS n FROM chunks
        WHERE tenant_id = :tenant_id GROUP BY embedding_space) s)"""

_RECOMPUTE_SQL = f"""
    INSERT INTO search_vocabularies AS v
        (tenant_id, categories, attribute_values, chunk_counts, refreshed_at)
    SELECT CAST(:tenant_id AS uuid), {CATEGORIES_SQL}, {ATTRIBUTE_VALUES_SQL},
           {CHUNK_COUNTS_SQL}, now()
    ON CONFLICT (tenant_id) DO UPDATE SET
        categories = EXCLUDED.categories, attribute_values = EXCLUDED.attribute_values,
        chunk_counts = EXCLUDED.chunk_counts, refreshed_at = EXCLUDED.refreshed_at
"""

# The tenant's document frequencies counted again, per embedding space, by ts_stat over
# its chunks' search vectors (5.5 ms for 2,000 chunks on the bench machine, against 30 ms
# for the same count as unnest + GROUP BY), with the totals they were counted over. Run
# after `_RECOMPUTE_SQL` (whose row lock keeps two recomputes of a tenant apart), as the
# caller: row-level security limits ts_stat's own query to the tenant's rows as well.
_FORGET_TERMS_SQL = "DELETE FROM term_frequencies WHERE tenant_id = :tenant_id"
COUNT_TERMS_SQL = """
    WITH spaces AS (
        SELECT embedding_space AS space, count(*) AS n FROM chunks
        WHERE tenant_id = :tenant_id GROUP BY embedding_space
    ), counted AS (
        INSERT INTO term_frequencies (tenant_id, embedding_space, lexeme, chunks)
        SELECT CAST(:tenant_id AS uuid), s.space, w.word, w.ndoc
        FROM spaces s, LATERAL ts_stat(format(
            'SELECT search_vector FROM chunks WHERE tenant_id = %L AND embedding_space = %L',
            CAST(:tenant_id AS text), s.space)) AS w
        ON CONFLICT (tenant_id, embedding_space, lexeme) DO UPDATE SET chunks = EXCLUDED.chunks
    )
    UPDATE search_vocabularies SET term_totals = (
        SELECT coalesce(jsonb_object_agg(space, n), '{}'::jsonb) FROM spaces)
    WHERE tenant_id = :tenant_id
"""


# The batch's products as written by its transaction (so exactly what the products say,
# lower-cased by PostgreSQL as the recompute does), merged into the row.
_RECORD_BATCH_SQL = """
    WITH batch AS (
        SELECT p.categories, p.attributes FROM products p
        WHERE p.tenant_id = :tenant_id AND p.store_id = CAST(:store_id AS uuid)
          AND p.external_id = ANY(CAST(:external_ids AS text[])) AND p.status = 'publish'
    ), delta AS (
        SELECT key AS space, value::bigint AS n FROM jsonb_each_text(CAST(:delta AS jsonb))
    )
    UPDATE search_vocabularies v SET
        categories = ARRAY(
            SELECT x FROM (
                SELECT unnest(v.categories)
                UNION SELECT lower(cat) FROM batch, unnest(batch.categories) AS cat
            ) AS u(x) ORDER BY 1),
        attribute_values = ARRAY(
            SELECT x FROM (
                SELECT unnest(v.attribute_values)
                UNION SELECT lower(val) FROM batch, jsonb_each(batch.attributes) AS kv,
                             jsonb_array_elements_text(kv.value) AS val
                      WHERE jsonb_typeof(kv.value) = 'array'
            ) AS u(x) ORDER BY 1),
        chunk_counts = (
            SELECT coalesce(jsonb_object_agg(space, n), '{}'::jsonb) FROM (
                SELECT space, sum(n)::bigint AS n FROM (
                    SELECT key, value::bigint FROM jsonb_each_text(v.chunk_counts)
                    UNION ALL SELECT space, n FROM delta
                ) AS counted(space, n) GROUP BY space) AS summed),
        refreshed_at = now()
    WHERE v.tenant_id = :tenant_id
"""


@dataclass(frozen=True, slots=True)
class StoredVocabulary:
    categories: frozenset[str]
    attribute_values: frozenset[str]
    chunks: int  # in the space asked for (the IDF total of engine.retrieval.term_stats)
    # The tenant's store when it has exactly one (None: none or several), read with the
    # row: a bot of that store sees every product of the tenant, so retrieval leaves its
    # store condition out (engine.retrieval.search).
    only_store: uuid.UUID | None = None
    # The question's words (`QuestionLexemes`) in order, each with the number of the
    # tenant's chunks in the space that hold it, and the chunks they were counted over;
    # None when no question was given or the tenant's words were never counted.
    term_counts: tuple[tuple[str, int], ...] | None = None
    term_total: int | None = None
    # Each `RidingQuery`'s value, in the order they were given.
    riders: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class QuestionLexemes:
    """A subquery of a question's lexemes (columns `lexeme` and its order, `ord`) and its
    parameters: `read` returns each with its stored document frequency
    (engine.retrieval.term_stats builds it, as it stems questions)."""

    sql: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RidingQuery:
    """A scalar subquery the read evaluates in its statement, for a caller that needs its
    value before what it sends next (engine.retrieval.named_products: the products a
    question names by title): one round trip fewer on every question. Its parameters share
    the read's; `tenant_id` and `space` mean the read's, any other name must be its own."""

    sql: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TransactionSettings:
    """`set_config` calls (a SELECT list) the read evaluates first, in the same statement:
    the transaction's settings for what follows (engine.retrieval.repository's search
    settings) cost no round trip of their own."""

    select_list: str
    params: Mapping[str, Any]


async def read(
    session: AsyncSession,
    tenant_id: TenantId,
    space: str | None = None,
    *,
    settings: TransactionSettings | None = None,
    question: QuestionLexemes | None = None,
    riders: Sequence[RidingQuery] = (),
) -> StoredVocabulary | None:
    """The tenant's row, by primary key (read-only: a read replica serves it too); None
    when the tenant has none (yet). `chunks` counts those in `space` (0 without one);
    `only_store` is the tenant's one store connection, if it has exactly one. `settings`
    are applied whether or not there is a row. `question`: its words' counts in `space`
    come back in `term_counts`, by primary key lookups in the same statement. `riders`:
    their values come back in `riders` (lost with the row when there is none)."""
    # The settings' subquery yields the one row the vocabulary is joined to (LEFT: a tenant
    # without a row still gets them).
    applied = settings.select_list if settings is not None else "1"
    terms = "NULL::jsonb"
    if question is not None:
        # One lookup by the whole primary key per word, whatever the table's statistics
        # say: as a join, a table not yet analysed (a tenant's first counts) was planned as
        # a scan of all the tenant's words for each of the question's.
        terms = (
            "(SELECT coalesce(jsonb_agg(jsonb_build_array(q.lexeme, coalesce(("
            "SELECT f.chunks FROM term_frequencies f WHERE f.tenant_id = :tenant_id "
            "AND f.embedding_space = CAST(:space AS text) AND f.lexeme = q.lexeme), 0)) "
            f"ORDER BY q.ord), '[]'::jsonb) FROM ({question.sql}) AS q)"
        )
    row = (
        await session.execute(
            text(
                "SELECT v.tenant_id IS NOT NULL AS stored, v.categories, v.attribute_values, "
                "coalesce((v.chunk_counts ->> CAST(:space AS text))::bigint, 0) AS chunks, "
                "(SELECT CASE WHEN count(*) = 1 THEN CAST(min(CAST(s.id AS text)) AS uuid) END "
                "FROM store_connections s WHERE s.tenant_id = :tenant_id) AS only_store, "
                "(v.term_totals ->> CAST(:space AS text))::bigint AS term_total, "
                f"{terms} AS term_counts"
                + "".join(f", ({rider.sql}) AS rider_{i}" for i, rider in enumerate(riders))
                + f" FROM (SELECT {applied}) AS applied "
                "LEFT JOIN search_vocabularies v ON v.tenant_id = :tenant_id"
            ),
            {
                "tenant_id": tenant_id,
                "space": space,
                **(settings.params if settings else {}),
                **(question.params if question else {}),
                **{name: value for rider in riders for name, value in rider.params.items()},
            },
        )
    ).first()
    if row is None or not row.stored:
        return None
    counted = row.term_total is not None and row.term_counts is not None
    return StoredVocabulary(
        frozenset(row.categories),
        frozenset(row.attribute_values),
        row.chunks,
        row.only_store,
        tuple((str(lexeme), int(n)) for lexeme, n in row.term_counts) if counted else None,
        row.term_total,
        tuple(row._mapping[f"rider_{i}"] for i in range(len(riders))),
    )


async def record_batch(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    store_id: uuid.UUID | None = None,
    external_ids: Sequence[str] = (),
    chunk_delta: Mapping[str, int] | None = None,
    count_terms: bool = False,
) -> None:
    """Add the published products `external_ids` of `store_id` (as this transaction wrote
    them) and `chunk_delta` ({space: chunks added minus removed}) to the tenant's row.
    Call it last in the transaction (see the module's docstring). A tenant without a row
    gets it computed in full, this transaction's writes included, its words counted.
    `count_terms`: count the tenant's words again in any case (a knowledge document's
    chunks, ingestion.knowledge), once."""
    delta = {space: n for space, n in (chunk_delta or {}).items() if n}
    if not external_ids and not delta:
        if count_terms:
            await recount_terms(session, tenant_id)
        return
    result = await session.execute(
        text(_RECORD_BATCH_SQL),
        {
            "tenant_id": tenant_id,
            "store_id": store_id,
            "external_ids": list(external_ids),
            "delta": json.dumps(delta),
        },
    )
    if getattr(result, "rowcount", 0) == 0:
        await recompute(session, tenant_id)  # counts the words too
    elif count_terms:
        await recount_terms(session, tenant_id)


async def recompute(
    session: AsyncSession, tenant_id: TenantId, *, count_terms: bool = True
) -> None:
    """The tenant's row from its products and chunks as they are now, and (`count_terms`)
    its document frequencies counted again (`COUNT_TERMS_SQL`). The row is locked
    first: under READ COMMITTED the computing statement then starts after any batch that
    held it has committed, so it cannot overwrite that batch's additions with a
    vocabulary read before them."""
    await session.execute(
        text("SELECT 1 FROM search_vocabularies WHERE tenant_id = :tenant_id FOR UPDATE"),
        {"tenant_id": tenant_id},
    )
    await session.execute(text(_RECOMPUTE_SQL), {"tenant_id": tenant_id})
    if count_terms:
        await recount_terms(session, tenant_id)


async def recount_terms(session: AsyncSession, tenant_id: TenantId) -> None:
    """The tenant's document frequencies counted again from its chunks as they are now.
    After `recompute`'s or `record_batch`'s write of the tenant's row in the same
    transaction: that row's lock keeps two counts of a tenant apart."""
    await session.execute(text(_FORGET_TERMS_SQL), {"tenant_id": tenant_id})
    await session.execute(text(COUNT_TERMS_SQL), {"tenant_id": tenant_id})


async def recompute_if_small(session: AsyncSession, tenant_id: TenantId) -> bool:
    """`recompute` unless the tenant has more than EAGER_RECOMPUTE_MAX_PRODUCTS products
    (counted no further than that); whether it ran. A webhook's: the document frequencies
    are not counted again (a product's edit moves an IDF by a fraction, and a burst of
    webhooks would rewrite every word's row each time); its sync run's end counts them."""
    products = await session.scalar(
        text(
            "SELECT count(*) FROM (SELECT 1 FROM products WHERE tenant_id = :tenant_id "
            "LIMIT :limit) AS counted"
        ),
        {"tenant_id": tenant_id, "limit": EAGER_RECOMPUTE_MAX_PRODUCTS + 1},
    )
    if (products or 0) > EAGER_RECOMPUTE_MAX_PRODUCTS:
        return False
    await recompute(session, tenant_id, count_terms=False)
    return True


# Every tenant's row in one set-based statement, each table read once (migration 0014
# keeps its own copy, as a migration does not import application code; the bench runs
# this one after its bulk load). Seen through row-level security as the caller: only a
# role that bypasses it fills every tenant's row; a tenant left without one is computed
# by `record_batch` at its next write and by retrieval's fallback until then.
BACKFILL_SQL = """
    INSERT INTO search_vocabularies
        (tenant_id, categories, attribute_values, chunk_counts, refreshed_at)
    SELECT t.id, coalesce(c.categories, '{}'), coalesce(a.attribute_values, '{}'),
           coalesce(k.chunk_counts, '{}'), now()
    FROM tenants t
    LEFT JOIN (
        SELECT p.tenant_id, array_agg(DISTINCT lower(cat) ORDER BY lower(cat)) AS categories
        FROM products p, unnest(p.categories) AS cat
        WHERE p.status = 'publish' GROUP BY p.tenant_id
    ) c ON c.tenant_id = t.id
    LEFT JOIN (
        SELECT p.tenant_id,
               array_agg(DISTINCT lower(val) ORDER BY lower(val)) AS attribute_values
        FROM products p, jsonb_each(p.attributes) AS kv,
             jsonb_array_elements_text(kv.value) AS val
        WHERE p.status = 'publish' AND jsonb_typeof(kv.value) = 'array'
        GROUP BY p.tenant_id
    ) a ON a.tenant_id = t.id
    LEFT JOIN (
        SELECT tenant_id, jsonb_object_agg(embedding_space, n) AS chunk_counts FROM (
            SELECT tenant_id, embedding_space, count(*) AS n FROM chunks
            GROUP BY tenant_id, embedding_space
        ) s GROUP BY tenant_id
    ) k ON k.tenant_id = t.id
    ON CONFLICT (tenant_id) DO NOTHING
"""
