"""Widget API test fixtures: the real app on the rolled-back `db`, real Redis where asked
(helpers in harness.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from core.db.database import Database
from tests.api.harness import CLOSED_REDIS_URL, Shop, client_for, make_deps, provision_shop


@pytest.fixture
async def shop(db: Database) -> Shop:
    return await provision_shop(db)


@pytest.fixture
async def redis_client() -> AsyncIterator[Redis]:
    client = Redis.from_url(os.environ["REDIS_URL"])
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def closed_redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(CLOSED_REDIS_URL, socket_connect_timeout=0.2, socket_timeout=0.2)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def widget_js(tmp_path: Path) -> Path:
    path = tmp_path / "widget.js"
    path.write_text("/*! test widget */\n" + "console.log('shopbot widget');\n" * 200)
    return path


@pytest.fixture
async def api(db: Database, widget_js: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The widget API on the test database, in-process rate limits, no answer service."""
    async with client_for(create_app(make_deps(db, widget_js_path=widget_js))) as client:
        yield client
