"""The database wall, proven with raw SQL through the application role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def app_conn(app_url: URL) -> Iterator[psycopg.Connection]:
    with psycopg.connect(_libpq(app_url)) as connection:
        yield connection
        connection.rollback()


def _as_tenant(conn: psycopg.Connection, tenant_id: uuid.UUID | None) -> None:
    conn.execute(
        "SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id) if tenant_id else "",)
    )


def _make_tenant(conn: psycopg.Connection, name: str) -> tuple[uuid.UUID, uuid.UUID]:
    tenant_id, bot_id = uuid.uuid4(), uuid.uuid4()
    _as_tenant(conn, tenant_id)
    conn.execute("INSERT INTO tenants (id, name) VALUES (%s, %s)", (tenant_id, name))
    conn.execute(
        "INSERT INTO bots (id, tenant_id, name, widget_key) VALUES (%s, %s, %s, %s)",
        (bot_id, tenant_id, f"{name} bot", f"wk_{bot_id.hex}"),
    )
    return tenant_id, bot_id


@pytest.fixture
def two_tenants(
    app_conn: psycopg.Connection,
) -> tuple[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, uuid.UUID]]:
    a = _make_tenant(app_conn, "Tenant A")
    b = _make_tenant(app_conn, "Tenant B")
    return a, b


def test_tenant_sees_only_its_own_rows(app_conn, two_tenants) -> None:
    (tenant_a, bot_a), (tenant_b, bot_b) = two_tenants
    _as_tenant(app_conn, tenant_a)
    bots = app_conn.execute("SELECT id FROM bots").fetchall()
    assert [row[0] for row in bots] == [bot_a]
    assert app_conn.execute("SELECT count(*) FROM bots WHERE id = %s", (bot_b,)).fetchone()[0] == 0
    assert app_conn.execute("SELECT id FROM tenants").fetchall() == [(tenant_a,)]


def test_tenant_cannot_update_or_delete_another_tenants_rows(app_conn, two_tenants) -> None:
    (tenant_a, _), (tenant_b, bot_b) = two_tenants
    _as_tenant(app_conn, tenant_a)
    updated = app_conn.execute("UPDATE bots SET name = 'hijacked' WHERE id = %s", (bot_b,))
    assert updated.rowcount == 0
    deleted = app_conn.execute("DELETE FROM bots WHERE id = %s", (bot_b,))
    assert deleted.rowcount == 0
    assert app_conn.execute("DELETE FROM tenants WHERE id = %s", (tenant_b,)).rowcount == 0
    _as_tenant(app_conn, tenant_b)
    assert app_conn.execute("SELECT name FROM bots WHERE id = %s", (bot_b,)).fetchone() == (
        "Tenant B bot",
    )


def test_tenant_cannot_move_its_row_to_another_tenant(app_conn, two_tenants) -> None:
    (tenant_a, bot_a), (tenant_b, _) = two_tenants
    _as_tenant(app_conn, tenant_a)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        app_conn.execute("UPDATE bots SET tenant_id = %s WHERE id = %s", (tenant_b, bot_a))


def test_tenant_cannot_insert_rows_for_another_tenant(app_conn, two_tenants) -> None:
    (tenant_a, _), (tenant_b, _) = two_tenants
    _as_tenant(app_conn, tenant_a)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        app_conn.execute(
            "INSERT INTO bots (tenant_id, id, name, widget_key)"
            " VALUES (%s, %s, 'x', 'wk_intruder')",
            (tenant_b, uuid.uuid4()),
        )


def test_unset_tenant_sees_nothing_and_writes_nothing(app_conn, two_tenants) -> None:
    (tenant_a, _), _ = two_tenants
    _as_tenant(app_conn, None)
    for table in ("tenants", "bots"):
        assert app_conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_conn.execute(
            "INSERT INTO bots (tenant_id, id, name, widget_key) VALUES (%s, %s, 'x', 'wk_unset')",
            (tenant_a, uuid.uuid4()),
        )


def test_a_fresh_connection_has_no_tenant(app_url: URL, two_tenants, app_conn) -> None:
    # set_config(..., true) is transaction-local: nothing survives into another session.
    app_conn.commit()  # the fixture tenants become visible to other connections
    try:
        with psycopg.connect(_libpq(app_url)) as other:
            setting = other.execute("SELECT current_setting('app.tenant_id', true)").fetchone()
            assert setting is not None and setting[0] in (None, "")
            bots = other.execute("SELECT count(*) FROM bots").fetchone()
            assert bots is not None and bots[0] == 0
    finally:
        (tenant_a, _), (tenant_b, _) = two_tenants
        for tenant in (tenant_a, tenant_b):
            _as_tenant(app_conn, tenant)
            app_conn.execute("DELETE FROM tenants WHERE id = %s", (tenant,))
        app_conn.commit()


def test_lookup_functions_return_ids_only_for_the_exact_key(app_conn, two_tenants) -> None:
    (tenant_a, bot_a), _ = two_tenants
    _as_tenant(app_conn, None)
    row = app_conn.execute(
        "SELECT tenant_id, bot_id FROM app_bot_by_widget_key(%s)", (f"wk_{bot_a.hex}",)
    ).fetchone()
    assert row == (tenant_a, bot_a)
    assert app_conn.execute("SELECT * FROM app_bot_by_widget_key('wk_nope')").fetchall() == []
