"""Migration 0014 on a populated database: every tenant's `search_vocabularies` row is
what its products and chunks say (as retrieval computed it per question before), in one
set-based statement; the downgrade drops the table and the upgrade fills it again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from alembic import command
from core import search_vocabulary
from core.db import migrate
from ingestion.indexing.vector_indexes import owner_conninfo
from tests.support.migrated_database import database_at, insert_shop

BEFORE, AFTER = "0013", "0014"


@pytest.fixture
def database_at_0013(owner_url: URL) -> Iterator[URL]:
    with database_at(owner_url, BEFORE, "vocabulary") as url:
        yield url


# (status, categories, attributes) per product: mixed case, repeats across products, a
# draft whose values must not count, an attribute that is no list, a product with none.
PRODUCTS = [
    ("publish", ["Shoes", "Outdoor"], '{"Color": ["Red", "Blue"], "Size": ["42"]}'),
    ("publish", ["shoes"], '{"Color": ["red", "Green"], "Material": "Leather"}'),
    ("draft", ["Hidden"], '{"Color": ["Violet"]}'),
    ("publish", [], "{}"),
]


def _populate(conn: psycopg.Connection, products: list[tuple[str, list[str], str]]) -> uuid.UUID:
    tenant, store, document = insert_shop(conn)
    for number, (status, categories, attributes) in enumerate(products):
        product = uuid.uuid4()
        conn.execute(
            "INSERT INTO products (id, tenant_id, store_id, external_id, name, content_hash,"
            " status, categories, attributes) VALUES (%s, %s, %s, %s, 'P', 'h', %s, %s, %s)",
            (product, tenant, store, str(number), status, categories, attributes),
        )
        _chunk(conn, tenant, product, None)
    _chunk(conn, tenant, None, document)
    return tenant


def _chunk(conn: psycopg.Connection, tenant, product, document) -> None:
    conn.execute(
        "INSERT INTO chunks (id, tenant_id, product_id, knowledge_document_id, ordinal, title,"
        " body, token_count, embedding_space, embedding) VALUES (gen_random_uuid(), %s, %s,"
        " %s, 0, 't', 'b', 1, 'minilm-l6-v2', array_fill(0.1::real, ARRAY[384])::vector)",
        (tenant, product, document),
    )


def _stored(conn: psycopg.Connection) -> dict[uuid.UUID, tuple]:
    rows = conn.execute(
        "SELECT tenant_id, categories, attribute_values, chunk_counts FROM search_vocabularies"
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def _computed(conn: psycopg.Connection, tenant: uuid.UUID) -> tuple:
    """The tenant's vocabulary by the per-tenant SQL ingestion recomputes it with."""
    sql = (
        f"SELECT {search_vocabulary.CATEGORIES_SQL}, {search_vocabulary.ATTRIBUTE_VALUES_SQL},"
        f" {search_vocabulary.CHUNK_COUNTS_SQL}"
    ).replace(":tenant_id", "%(tenant_id)s")
    row = conn.execute(sql, {"tenant_id": tenant}).fetchone()
    assert row is not None
    return tuple(row)


def test_the_upgrade_fills_every_tenants_vocabulary_from_its_catalogue(
    database_at_0013: URL,
) -> None:
    config = migrate.alembic_config(database_at_0013)
    with psycopg.connect(owner_conninfo(database_at_0013), autocommit=True) as conn:
        shop = _populate(conn, PRODUCTS)
        other = _populate(conn, [("publish", ["Mugs"], '{"Color": ["Teal"]}')])
        empty = uuid.uuid4()
        conn.execute("INSERT INTO tenants (id, name) VALUES (%s, 'Empty')", (empty,))

        command.upgrade(config, AFTER)
        stored = _stored(conn)
        assert stored[shop] == (
            ["outdoor", "shoes"],
            ["42", "blue", "green", "red"],
            {"minilm-l6-v2": 5},
        )
        assert stored[other] == (["mugs"], ["teal"], {"minilm-l6-v2": 2})
        assert stored[empty] == ([], [], {})
        assert {tenant: _computed(conn, tenant) for tenant in stored} == stored

        command.downgrade(config, BEFORE)
        assert conn.execute("SELECT to_regclass('search_vocabularies')").fetchone() == (None,)
        command.upgrade(config, AFTER)
        assert _stored(conn) == stored
        forced = conn.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = 'search_vocabularies'"
        ).fetchone()
        assert forced == (True, True)
