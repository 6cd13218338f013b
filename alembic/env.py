"""Alembic environment: migrations always run as the owner of the schema."""

from __future__ import annotations

from logging.config import fileConfig

from sqlalchemy import create_engine, pool

from alembic import context
from core.db.config import resolve_database_urls
from core.models import Base
from core.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _owner_url():
    url = config.attributes.get("owner_url")
    return url if url is not None else resolve_database_urls(get_settings()).owner


def _include_object(obj, name, type_, reflected, compare_to):
    # The GIN index on a generated column and pgvector's HNSW index reflect with options
    # autogenerate cannot compare; they are declared in the models and created by the
    # migrations, so they are not diffed.
    return not (type_ == "index" and name in {"ix_chunk_vectors_hnsw", "ix_chunks_search_vector"})


def run_migrations_offline() -> None:
    context.configure(url=str(_owner_url()), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(_owner_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include_object,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
