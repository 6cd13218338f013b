"""The tenancy wall as the catalogue records it, for every table, present and future."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import URL

from core.models import tenant_scoped_tables


@pytest.fixture
def owner_conn(owner_url: URL):
    with psycopg.connect(
        owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    ) as conn:
        yield conn


def test_every_tenant_table_has_forced_rls_and_a_policy(owner_conn) -> None:
    rows = owner_conn.execute("""
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        ORDER BY c.relname
    """).fetchall()
    assert [r[0] for r in rows] == tenant_scoped_tables()
    unprotected = [r[0] for r in rows if not (r[1] and r[2] and r[3] >= 1)]
    assert unprotected == []


def test_policies_check_the_tenant_setting_for_reads_and_writes(owner_conn) -> None:
    rows = owner_conn.execute("""
        SELECT c.relname, pg_get_expr(p.polqual, p.polrelid),
               pg_get_expr(p.polwithcheck, p.polrelid)
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
    """).fetchall()
    assert len(rows) == len(tenant_scoped_tables()) + 1  # + tenants, keyed on id
    for table, using, with_check in rows:
        assert "current_setting('app.tenant_id'" in using, table
        assert using == with_check, table


def test_vector_column_has_no_global_hnsw_index(owner_conn) -> None:
    # HNSW indexes on the chunks' vectors are per tenant (partial,
    # ingestion.indexing.vector_indexes): every one the catalogue holds says which tenant
    # it covers. The vectors are in their own table, none left in the chunks' rows (0019).
    indexes = owner_conn.execute(
        "SELECT tablename, indexdef FROM pg_indexes WHERE indexdef ILIKE '%hnsw%'"
        " AND tablename IN ('chunks', 'chunk_vectors')"
    ).fetchall()
    for table, definition in indexes:
        assert table == "chunk_vectors", definition
        assert "halfvec_cosine_ops" in definition
        assert "WHERE (tenant_id = " in definition
    columns = owner_conn.execute("""
        SELECT a.attrelid::regclass::text, format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE t.typname IN ('vector', 'halfvec') AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attrelid IN ('chunks'::regclass, 'chunk_vectors'::regclass)
    """).fetchall()
    assert columns == [("chunk_vectors", "halfvec(384)")]


def test_application_role_is_not_owner_superuser_or_bypassrls(owner_conn, app_url: URL) -> None:
    role = app_url.username
    flags = owner_conn.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb"
        " FROM pg_roles WHERE rolname = %s",
        (role,),
    ).fetchone()
    assert flags == (False, False, False, False)
    owned = owner_conn.execute(
        """
        SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
        WHERE r.rolname = %s
    """,
        (role,),
    ).fetchone()[0]
    assert owned == 0


def test_application_role_cannot_touch_the_migration_table(app_url: URL) -> None:
    with psycopg.connect(
        app_url.set(drivername="postgresql").render_as_string(hide_password=False)
    ) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM alembic_version")
