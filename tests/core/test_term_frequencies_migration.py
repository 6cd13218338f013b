"""Migration 0018 on a populated database: `term_frequencies` comes empty, under forced
row-level security, and every existing vocabulary row is marked not counted (retrieval
then counts per question until the tenant's next recompute); the downgrade takes both
away and the upgrade brings them back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from alembic import command
from core.db import migrate
from ingestion.indexing.vector_indexes import owner_conninfo
from tests.support.migrated_database import database_at

BEFORE, AFTER = "0017", "0018"


@pytest.fixture
def database_at_0017(owner_url: URL) -> Iterator[URL]:
    with database_at(owner_url, BEFORE, "term_frequencies") as url:
        yield url


def _term_totals(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute("SELECT tenant_id, term_totals FROM search_vocabularies").fetchall()


def test_the_upgrade_adds_the_counts_empty_and_marks_every_tenant_not_counted(
    database_at_0017: URL,
) -> None:
    config = migrate.alembic_config(database_at_0017)
    with psycopg.connect(owner_conninfo(database_at_0017), autocommit=True) as conn:
        tenant = uuid.uuid4()
        conn.execute("INSERT INTO tenants (id, name) VALUES (%s, 'Shop')", (tenant,))
        conn.execute(
            "INSERT INTO search_vocabularies (tenant_id, chunk_counts)"
            " VALUES (%s, '{\"minilm-l6-v2\": 3}')",
            (tenant,),
        )

        command.upgrade(config, AFTER)
        assert _term_totals(conn) == [(tenant, None)]
        assert conn.execute("SELECT count(*) FROM term_frequencies").fetchone() == (0,)
        forced = conn.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = 'term_frequencies'"
        ).fetchone()
        assert forced == (True, True)
        conn.execute(
            "INSERT INTO term_frequencies VALUES (%s, 'minilm-l6-v2', 'boot', 2)", (tenant,)
        )

        command.downgrade(config, BEFORE)
        assert conn.execute("SELECT to_regclass('term_frequencies')").fetchone() == (None,)
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'search_vocabularies' AND column_name = 'term_totals'"
        ).fetchall()
        assert columns == []
        command.upgrade(config, AFTER)
        assert _term_totals(conn) == [(tenant, None)]
        # The key leads with the tenant and is the whole (tenant, space, word).
        key = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'term_frequencies'::regclass AND contype = 'p'"
        ).fetchone()
        assert key == ("PRIMARY KEY (tenant_id, embedding_space, lexeme)",)
