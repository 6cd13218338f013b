"""Run the Alembic migrations (as the schema owner) from code: CLI, demo and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

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


def upgrade(owner_url: URL, *, app_role: str, app_password: str | None) -> tuple[str | None, str | None]:
    """Migrate to head; return (revision before, revision after)."""
    before = current_revision(owner_url)
    command.upgrade(alembic_config(owner_url), "head")
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
