"""/healthz, /readyz and /metrics."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from core.db.database import Database

from .conftest import Shop, assert_problem, client_for, make_deps


def _unreachable_database() -> Database:
    return Database(engine=create_async_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))


async def test_healthz(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_ready_with_database_and_redis(db: Database, redis_client: Redis) -> None:
    async with client_for(create_app(make_deps(db, redis=redis_client))) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


async def test_ready_without_redis_configured(api: httpx.AsyncClient) -> None:
    response = await api.get("/readyz")
    assert response.json()["checks"] == {"database": "ok", "redis": "not_configured"}


async def test_not_ready_when_redis_is_down(db: Database, closed_redis: Redis) -> None:
    async with client_for(create_app(make_deps(db, redis=closed_redis))) as client:
        response = await client.get("/readyz")
    body = assert_problem(response, 503, "not_ready")
    assert body["checks"] == {"database": "ok", "redis": "down"}


async def test_not_ready_when_the_database_is_down() -> None:
    database = _unreachable_database()
    try:
        async with client_for(create_app(make_deps(database))) as client:
            response = await client.get("/readyz")
    finally:
        await database.dispose()
    body = assert_problem(response, 503, "not_ready")
    assert body["checks"]["database"] == "down"


async def test_metrics_count_requests_by_route_template(api: httpx.AsyncClient, shop: Shop) -> None:
    await api.post("/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": shop.origin})
    await api.get("/no/such/page/42")
    response = await api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'shopbot_http_requests_total{method="POST",route="/widget/v1/sessions",status="200"} 1.0' in text
    assert 'shopbot_http_requests_total{method="GET",route="<unmatched>",status="404"} 1.0' in text
    assert 'shopbot_http_request_duration_seconds_count{method="POST",route="/widget/v1/sessions"} 1.0' in text
    assert "shopbot_chat_answers_total" in text and "shopbot_rate_limit_rejections_total" in text


async def test_each_app_has_its_own_registry(db: Database) -> None:
    first, second = create_app(make_deps(db)), create_app(make_deps(db))
    async with client_for(first) as one, client_for(second) as two:
        await one.get("/healthz")
        assert 'route="/healthz"' in (await one.get("/metrics")).text
        assert 'route="/healthz"' not in (await two.get("/metrics")).text
