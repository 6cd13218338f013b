"""Run the Alembic migrations (as the schema owner) from code: CLI, demo and tests."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from alembic import command
from core.errors import ConfigurationError

# The migrations live beside the packages in the source tree (installs are editable).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(owner_url: URL) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.attributes["owner_url"] = owner_url
    cfg.attributes["configure_logging"] = False
    return cfg


def current_revision(owner_url: URL) -> str | None:
    engine = create_engine(owner_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision(owner_url: URL) -> str | None:
    return ScriptDirectory.from_config(alembic_config(owner_url)).get_current_head()


def upgrade(
    owner_url: URL, *, app_role: str, app_password: str | None
) -> tuple[str | None, str | None]:
    """Migrate to head; return (revision before, revision after)."""
    before = current_revision(owner_url)
    try:
        command.upgrade(alembic_config(owner_url), "head")
    except DBAPIError as exc:
        problem = _pgvector_problem(exc, owner_url)
        if problem is None:
            raise
        raise problem from exc
    if app_password:
        _set_role_password(owner_url, app_role, app_password)
    return before, current_revision(owner_url)


def _set_role_password(owner_url: URL, role: str, password: str) -> None:
    engine = create_engine(owner_url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            quoted = connection.dialect.identifier_preparer.quote(role)
            literal = password.replace("'", "''")
            connection.execute(text(f"ALTER ROLE {quoted} PASSWORD '{literal}'"))
    finally:
        engine.dispose()


class PgvectorUnavailable(ConfigurationError):
    """The server cannot create the `vector` extension the schema is built on."""

    code = "pgvector_unavailable"
    title = "pgvector unavailable"


# SQLSTATEs of a failed CREATE EXTENSION: the control file is missing (PostgreSQL 15+
# says feature_not_supported, older ones undefined_file), or the role may not create it.
_NOT_INSTALLED = {"0A000", "58P01"}
_NOT_ALLOWED = "42501"


def _pgvector_problem(exc: DBAPIError, owner_url: URL) -> PgvectorUnavailable | None:
    state = getattr(exc.orig, "sqlstate", None)
    message = str(exc.orig)
    if '"vector"' not in message:
        return None
    if state in _NOT_INSTALLED:
        major = _server_major_version(owner_url) or "<version>"
        return PgvectorUnavailable(
            "pgvector is not installed on this PostgreSQL server: install it (Debian/Ubuntu: "
            f"apt install postgresql-{major}-pgvector; Docker: the pgvector/pgvector image; "
            "managed services: allow the vector extension), then run `shopbot db upgrade` again."
        )
    if state == _NOT_ALLOWED:
        return PgvectorUnavailable(
            "the database role may not create the pgvector extension: have a superuser run "
            "`CREATE EXTENSION vector;` in this database once, then run `shopbot db upgrade` again."
        )
    return None


def _server_major_version(owner_url: URL) -> str | None:
    engine = create_engine(owner_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            number = int(connection.scalar(text("SHOW server_version_num")))
        return str(number // 10000)
    except Exception:
        return None
    finally:
        engine.dispose()
