"""Migration 0012 on a populated database: every row of every table kept through the
upgrade, the downgrade and the upgrade again, with the keys each revision declares."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from alembic import command
from core.db import migrate
from core.models import tenant_scoped_tables
from ingestion.indexing.vector_indexes import owner_conninfo
from tests.support.migrated_database import database_at
from tests.support.tenant_keys import key_problems

BEFORE, AFTER = "0011", "0012"
# Tenant tables created by later migrations (0014, 0018, 0019): not there at either revision.
LATER_TABLES = frozenset({"search_vocabularies", "term_frequencies", "chunk_vectors"})


@pytest.fixture
def database_at_0011(owner_url: URL) -> Iterator[URL]:
    """A database of its own beside the session's, migrated to the revision before 0012."""
    with database_at(owner_url, BEFORE, "tenant_keys") as url:
        yield url


def _populate(conn: psycopg.Connection) -> None:
    """One tenant's rows in every tenant table (the analytics rollups by their triggers),
    run twice so two tenants share every table."""
    ids = {name: uuid.uuid4() for name in ("tenant", "user", "key", "store", "bot", "product")}
    ids |= {name: uuid.uuid4() for name in ("document", "conversation", "question", "cluster")}
    ids["answer"] = uuid.uuid4()
    statements = [
        "INSERT INTO tenants (id, name) VALUES (%(tenant)s, 'Shop')",
        "INSERT INTO users (id, email, password_hash) VALUES (%(user)s, %(user)s || '@x', 'h')",
        "INSERT INTO memberships (id, tenant_id, user_id, role)"
        " VALUES (gen_random_uuid(), %(tenant)s, %(user)s, 'owner')",
        "INSERT INTO invitations (id, tenant_id, email, role, token_hash, expires_at)"
        " VALUES (gen_random_uuid(), %(tenant)s, 'i@x', 'viewer', %(tenant)s, now())",
        "INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, created_by_user_id)"
        " VALUES (%(key)s, %(tenant)s, 'k', 'sk', %(key)s, %(user)s)",
        "INSERT INTO audit_log (id, tenant_id, action, actor_api_key_id)"
        " VALUES (gen_random_uuid(), %(tenant)s, 'a', %(key)s)",
        "INSERT INTO store_connections (id, tenant_id, base_url, credentials_ciphertext)"
        " VALUES (%(store)s, %(tenant)s, 'https://shop.example', 'x')",
        "INSERT INTO bots (id, tenant_id, name, widget_key, store_id)"
        " VALUES (%(bot)s, %(tenant)s, 'b', %(bot)s, %(store)s)",
        "INSERT INTO products (id, tenant_id, store_id, external_id, name, content_hash)"
        " VALUES (%(product)s, %(tenant)s, %(store)s, '1', 'Mug', 'h')",
        "INSERT INTO product_variations (id, tenant_id, product_id, external_id)"
        " VALUES (gen_random_uuid(), %(tenant)s, %(product)s, '2')",
        "INSERT INTO knowledge_documents (id, tenant_id, bot_id, title, body, content_hash)"
        " VALUES (%(document)s, %(tenant)s, %(bot)s, 'FAQ', 'b', 'h')",
        "INSERT INTO chunks (id, tenant_id, product_id, knowledge_document_id, ordinal, title,"
        " body, token_count, embedding_space, embedding)"
        " SELECT gen_random_uuid(), %(tenant)s, p, d, 0, 't', 'b', 1, 'minilm-l6-v2',"
        " array_fill(0.1::real, ARRAY[384])::vector"
        " FROM (VALUES (%(product)s::uuid, NULL::uuid), (NULL, %(document)s)) AS s(p, d)",
        "INSERT INTO conversations (id, tenant_id, bot_id)"
        " VALUES (%(conversation)s, %(tenant)s, %(bot)s)",
        "INSERT INTO messages (id, tenant_id, conversation_id, role, content)"
        " VALUES (%(question)s, %(tenant)s, %(conversation)s, 'user', 'q'),"
        " (%(answer)s, %(tenant)s, %(conversation)s, 'assistant', 'a')",
        "INSERT INTO feedback (id, tenant_id, message_id, rating)"
        " VALUES (gen_random_uuid(), %(tenant)s, %(answer)s, 'up')",
        "INSERT INTO widget_events (id, tenant_id, bot_id, type, conversation_id, message_id,"
        " product_id) VALUES (gen_random_uuid(), %(tenant)s, %(bot)s, 'product_click',"
        " %(conversation)s, %(answer)s, %(product)s)",
        "INSERT INTO sync_jobs (id, tenant_id, store_id, mode)"
        " VALUES (gen_random_uuid(), %(tenant)s, %(store)s, 'full')",
        "INSERT INTO webhook_events (id, tenant_id, source, external_id, topic, store_id,"
        " payload) VALUES (gen_random_uuid(), %(tenant)s, 'woocommerce', '1', 't',"
        " %(store)s, '{}')",
        "INSERT INTO subscriptions (id, tenant_id, plan_id, status, stripe_subscription_id)"
        " SELECT gen_random_uuid(), %(tenant)s, id, 'active', %(tenant)s FROM plans"
        " WHERE code = 'free'",
        "INSERT INTO usage_counters (id, tenant_id, period_start, metric)"
        " VALUES (gen_random_uuid(), %(tenant)s, '2026-12-01', 'messages')",
        "INSERT INTO model_usage_daily (id, tenant_id, bot_id, day, model)"
        " VALUES (gen_random_uuid(), %(tenant)s, %(bot)s, '2026-12-06', 'm')",
        "INSERT INTO question_clusters (id, tenant_id, bot_id, embedding_space, centroid,"
        " members, representative_message_id) VALUES (%(cluster)s, %(tenant)s, %(bot)s,"
        " 'minilm-l6-v2', array_fill(0.1::real, ARRAY[384])::vector, 1, %(question)s)",
        "INSERT INTO question_assignments (tenant_id, message_id, cluster_id, bot_id, asked_at,"
        " answered) VALUES (%(tenant)s, %(question)s, %(cluster)s, %(bot)s, now(), true)",
        "INSERT INTO question_cluster_days (tenant_id, cluster_id, day, bot_id, asked)"
        " VALUES (%(tenant)s, %(cluster)s, '2026-12-06', %(bot)s, 1)",
    ]
    for statement in statements:
        conn.execute(statement, ids)


def _row_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> "
        "'alembic_version' ORDER BY tablename"
    ).fetchall()
    return {
        table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # type: ignore[index]
        for (table,) in tables
    }


def _primary_key(conn: psycopg.Connection, table: str) -> str:
    row = conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'p'",
        (table,),
    ).fetchone()
    assert row is not None
    return str(row[0])


def _policies(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT polrelid::regclass::text, polname, pg_get_expr(polqual, polrelid)"
        " FROM pg_policy ORDER BY 1, 2"
    ).fetchall()
    return [(str(table), str(name), str(using)) for table, name, using in rows]


def test_upgrade_downgrade_upgrade_keeps_every_row(database_at_0011: URL) -> None:
    config = migrate.alembic_config(database_at_0011)
    with psycopg.connect(owner_conninfo(database_at_0011), autocommit=True) as conn:
        _populate(conn)
        _populate(conn)
        populated = _row_counts(conn)
        tables = [table for table in tenant_scoped_tables() if table not in LATER_TABLES]
        assert [table for table in tables if populated[table] < 2] == []
        assert len(key_problems(conn)) > 0  # 0011: keys on id alone
        policies = _policies(conn)

        command.upgrade(config, AFTER)
        assert _row_counts(conn) == populated
        assert key_problems(conn) == []
        assert _primary_key(conn, "messages") == "PRIMARY KEY (tenant_id, id)"
        assert _policies(conn) == policies

        command.downgrade(config, BEFORE)
        assert _row_counts(conn) == populated
        assert _primary_key(conn, "messages") == "PRIMARY KEY (id)"
        assert "messages: primary key (id) does not include tenant_id" in key_problems(conn)

        command.upgrade(config, AFTER)
        assert _row_counts(conn) == populated
        assert key_problems(conn) == []
