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
