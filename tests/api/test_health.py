"""/healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from api.health.metrics_port import with_metrics_port
from core.db.database import Database
from core.settings import Settings
from tests.api.harness import Shop, assert_problem, client_for, make_deps


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
    assert int(response.headers["retry-after"]) >= 1


async def test_not_ready_when_the_database_is_down() -> None:
    database = _unreachable_database()
    try:
        async with client_for(create_app(make_deps(database))) as client:
            response = await client.get("/readyz")
    finally:
        await database.dispose()
    body = assert_problem(response, 503, "not_ready")
    assert body["checks"]["database"] == "down"
    assert int(response.headers["retry-after"]) >= 1  # a probe backs off like any client


async def test_metrics_count_requests_by_route_template(api: httpx.AsyncClient, shop: Shop) -> None:
    await api.post(
        "/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": shop.origin}
    )
    await api.get("/no/such/page/42")
    response = await api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'shopbot_http_requests_total{method="POST",route="/widget/v1/sessions",status="200"} 1.0'
        in text
    )
    assert 'shopbot_http_requests_total{method="GET",route="<unmatched>",status="404"} 1.0' in text
    assert (
        'shopbot_http_request_duration_seconds_count{method="POST",route="/widget/v1/sessions"} 1.0'
        in text
    )
    assert "shopbot_chat_answers_total" in text and "shopbot_rate_limit_rejections_total" in text


async def test_each_app_has_its_own_registry(db: Database) -> None:
    first, second = create_app(make_deps(db)), create_app(make_deps(db))
    async with client_for(first) as one, client_for(second) as two:
        await one.get("/healthz")
        assert 'route="/healthz"' in (await one.get("/metrics")).text
        assert 'route="/healthz"' not in (await two.get("/metrics")).text


METRICS_TOKEN = "metrics-token-for-tests-" + "m" * 16


def _app_with(db: Database, **settings: Any) -> FastAPI:
    deps = make_deps(db)
    deps.settings = Settings(**settings)
    return create_app(deps)


async def test_metrics_need_the_bearer_token_when_one_is_configured(db: Database) -> None:
    async with client_for(_app_with(db, metrics_token=METRICS_TOKEN, env="production")) as client:
        await client.get("/healthz")
        missing = await client.get("/metrics")
        wrong = await client.get(
            "/metrics", headers={"Authorization": "Bearer " + METRICS_TOKEN[:-1] + "x"}
        )
        basic = await client.get("/metrics", headers={"Authorization": "Basic " + METRICS_TOKEN})
        right = await client.get("/metrics", headers={"Authorization": "Bearer " + METRICS_TOKEN})
    for refused in (missing, wrong, basic):
        assert_problem(refused, 401, "metrics_token_required")
        assert "shopbot_http_requests_total" not in refused.text
    assert right.status_code == 200 and right.headers["content-type"].startswith("text/plain")
    assert (
        'shopbot_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in right.text
    )


async def test_metrics_are_not_served_publicly_in_production_without_a_token(db: Database) -> None:
    async with client_for(_app_with(db, env="production")) as client:
        response = await client.get("/metrics")
        unknown = await client.get("/no-such-route")
    body = assert_problem(response, 404, "not_found")
    assert body["detail"] == unknown.json()["detail"]  # indistinguishable from a missing route
    assert "shopbot_" not in response.text


async def test_metrics_stay_open_in_development_without_a_token(db: Database) -> None:
    async with client_for(_app_with(db, env="development")) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200 and "shopbot_http_requests_total" in response.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _started(server: uvicorn.Server, task: asyncio.Task) -> None:
    for _ in range(200):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if task.done():
        task.result()
    assert server.started


async def test_metrics_on_their_own_port_and_not_on_the_public_one(db: Database) -> None:
    public_port, metrics_port = _free_port(), _free_port()
    settings = Settings(metrics_port=metrics_port, metrics_host="127.0.0.1")
    deps = make_deps(db)
    deps.settings = settings
    app = with_metrics_port(create_app(deps), settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=public_port, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    try:
        await _started(server, task)
        async with httpx.AsyncClient() as client:
            await client.get(f"http://127.0.0.1:{public_port}/healthz")
            public = await client.get(f"http://127.0.0.1:{public_port}/metrics")
            own = await client.get(f"http://127.0.0.1:{metrics_port}/metrics")
    finally:
        server.should_exit = True
        await task
    assert_problem(public, 404, "not_found")
    assert own.status_code == 200 and own.headers["content-type"].startswith("text/plain")
    assert 'shopbot_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in own.text
    # Stopped with the app: nothing listens there any more.
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as client:
            await client.get(f"http://127.0.0.1:{metrics_port}/metrics")


def test_without_a_metrics_port_the_app_is_served_as_it_is(db: Database) -> None:
    app = create_app(make_deps(db))
    assert with_metrics_port(app, Settings()) is app
