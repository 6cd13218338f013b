"""The database fixtures every test may use: real PostgreSQL+pgvector (embedded, or
TEST_DATABASE_URL), the schema built by the Alembic migrations, each test in a rolled-back
transaction (`db`) or really committing (`committed_db`)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.db import migrate
from core.db.database import Database
from core.db.embedded import start_embedded_server, stop_embedded_servers
from core.db.urls import app_role_url, with_psycopg_driver
from core.settings import get_settings
from tests.support.xdist_database import one_worker_at_a_time, worker_database, xdist_worker

APP_ROLE = "shopbot_app"


@pytest.fixture(scope="session")
def owner_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    """The schema owner's URL, migrated to head once per test session."""
    given = os.environ.get("TEST_DATABASE_URL")
    worker = xdist_worker()
    if given:
        url = with_psycopg_driver(given)
        if worker is not None:
            url = worker_database(url, worker)
    else:
        data_dir: Path = tmp_path_factory.mktemp("shopbot-data")
        url = with_psycopg_driver(start_embedded_server(data_dir))
    get_settings.cache_clear()
    if given and worker is not None:
        # The run's shared temp directory: each worker's base temp is inside it.
        with one_worker_at_a_time(tmp_path_factory.getbasetemp().parent):
            migrate.upgrade(url, app_role=APP_ROLE, app_password=None)
    else:
        migrate.upgrade(url, app_role=APP_ROLE, app_password=None)
    yield url
    stop_embedded_servers()


@pytest.fixture(scope="session")
def app_url(owner_url: URL) -> URL:
    return app_role_url(owner_url, APP_ROLE, None)


@pytest.fixture(scope="session")
async def app_engine(app_url: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(app_url, pool_size=5, max_overflow=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(app_engine: AsyncEngine) -> AsyncIterator[Database]:
    """A `Database` whose sessions all join one transaction that is rolled back."""
    async with app_engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield Database(engine=app_engine, bind=connection)
        finally:
            await transaction.rollback()


@pytest.fixture
async def committed_db(app_engine: AsyncEngine) -> Database:
    """A `Database` that really commits (for code that needs several connections).
    Tests using it create their own tenants, so their rows never meet another test's."""
    return Database(engine=app_engine)
