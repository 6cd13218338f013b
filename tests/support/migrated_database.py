"""A database of a test's own beside the session's, migrated to an earlier revision: for
the tests of one migration (up, down, up again on a populated database)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import URL

from alembic import command
from core.db import migrate
from ingestion.indexing.vector_indexes import owner_conninfo


@contextmanager
def database_at(owner_url: URL, revision: str, prefix: str) -> Iterator[URL]:
    """A new database on the session's server, migrated to `revision`; dropped after."""
    url = owner_url.set(database=f"{prefix}_{uuid.uuid4().hex[:12]}")
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{url.database}"')
    try:
        command.upgrade(migrate.alembic_config(url), revision)
        yield url
    finally:
        with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{url.database}" WITH (FORCE)')


def insert_shop(conn: psycopg.Connection) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A tenant with a store and a knowledge document, as the owner: (tenant, store,
    document) ids, for a migration test to hang its products and chunks on."""
    tenant, store, document = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    conn.execute("INSERT INTO tenants (id, name) VALUES (%s, 'Shop')", (tenant,))
    conn.execute(
        "INSERT INTO store_connections (id, tenant_id, base_url, credentials_ciphertext)"
        " VALUES (%s, %s, 'https://shop.example', 'x')",
        (store, tenant),
    )
    conn.execute(
        "INSERT INTO knowledge_documents (id, tenant_id, title, body, content_hash)"
        " VALUES (%s, %s, 'FAQ', 'b', 'h')",
        (document, tenant),
    )
    return tenant, store, document
