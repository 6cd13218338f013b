"""`/v1/stores` and the outbound guard: connecting a store and testing a stored one refuse
every hostile URL with 422 `url_not_allowed` and send nothing (a listener on 127.0.0.1
receives nothing); an internal service's answer is never echoed; a closed port and an open
one that does not answer get the same reply."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from core.outbound import OutboundPolicy
from ingestion.woocommerce import WooClient
from ingestion.woocommerce.retry import RetryPolicy
from tests.dashboard_api.harness import build_app, client_for, register
from tests.support.hostile_urls import hostile_urls, matrix_policy
from tests.support.listener import INTERNAL_SECRET, Mode, RecordingListener, closed_port

ONE_TRY = RetryPolicy(max_attempts=1, base_delay_s=0.01)


def _schema_rejects(url: str, reason: str) -> bool:
    """The request schema already refuses what is not an http(s) address httpx can read
    (other schemes, user info, an octal IPv4): a 422 `validation_failed` before the guard."""
    return reason in {"scheme", "userinfo"} or "//0177." in url


def _body(url: str) -> dict[str, str]:
    return {"url": url, "consumer_key": "ck_test", "consumer_secret": "cs_test"}


async def _store_count(db: Database, tenant_id: TenantId) -> int:
    async with db.tenant_session(tenant_id) as session:
        return int(await session.scalar(select(func.count()).select_from(StoreConnection)) or 0)


async def test_connecting_a_store_refuses_every_hostile_url_and_sends_nothing(db, redis) -> None:
    with RecordingListener() as listener:
        app = build_app(db, redis=redis, outbound_policy=matrix_policy(listener.port))
        async with client_for(app) as client:
            merchant = await register(client)
            for hostile in hostile_urls(listener.port):
                response = await client.post(
                    "/v1/stores", headers=merchant.headers, json=_body(hostile.url)
                )
                assert response.status_code == 422, (hostile.url, response.text)
                assert response.headers["content-type"].startswith("application/problem+json")
                problem = response.json()
                if _schema_rejects(hostile.url, hostile.reason):
                    assert problem["code"] == "validation_failed", hostile.url
                else:
                    assert (
                        problem["code"] == "url_not_allowed" and problem["reason"] == hostile.reason
                    ), hostile.url
        assert listener.received == []
    assert await _store_count(db, merchant.tenant_id) == 0


async def test_the_default_policy_refuses_a_loopback_store_without_any_opt_in(db, redis) -> None:
    """The issue's reproduction: `http://127.0.0.1:<port>` reached an internal service and
    echoed its body. With no policy given, the settings' default refuses it outright."""
    with RecordingListener() as listener:
        app = build_app(db, redis=redis)
        async with client_for(app) as client:
            merchant = await register(client)
            response = await client.post(
                "/v1/stores",
                headers=merchant.headers,
                json=_body(f"http://127.0.0.1:{listener.port}"),
            )
        assert listener.received == []
    assert response.status_code == 422 and response.json()["code"] == "url_not_allowed"
    assert INTERNAL_SECRET not in response.text


async def _stored(db: Database, app, tenant_id: TenantId, base_url: str) -> uuid.UUID:
    """A store row as if connected while its name was public; it now points inside."""
    box = app.state.shopbot_dashboard_runtime.deps.secret_box
    store_id = uuid.uuid4()
    async with db.tenant_session(tenant_id) as session:
        session.add(
            StoreConnection(
                id=store_id,
                tenant_id=tenant_id,
                platform="woocommerce",
                base_url=base_url,
                currency="USD",
                credentials_ciphertext=box.encrypt_json(
                    {"consumer_key": "ck_test", "consumer_secret": "cs_test"}
                ),
                status="active",
            )
        )
    return store_id


async def test_testing_a_stored_store_refuses_every_hostile_url_and_sends_nothing(
    db, redis
) -> None:
    with RecordingListener() as listener:
        app = build_app(db, redis=redis, outbound_policy=matrix_policy(listener.port))
        async with client_for(app) as client:
            merchant = await register(client)
            for hostile in hostile_urls(listener.port):
                store_id = await _stored(db, app, merchant.tenant_id, hostile.url.rstrip("/"))
                response = await client.post(
                    f"/v1/stores/{store_id}/test", headers=merchant.headers
                )
                assert response.status_code == 200, (hostile.url, response.text)
                result = response.json()
                assert result["ok"] is False and result["error"]["code"] == "url_not_allowed", (
                    hostile.url
                )
                stored = (
                    await client.get(f"/v1/stores/{store_id}", headers=merchant.headers)
                ).json()
                assert stored["status"] == "error"
        assert listener.received == []


async def test_an_internal_service_answer_is_never_echoed_even_where_the_address_is_allowed(
    db, redis
) -> None:
    with RecordingListener(mode="answer") as listener:
        allowed = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({listener.port}),
        )
        app = build_app(db, redis=redis, outbound_policy=allowed)
        async with client_for(app) as client:
            merchant = await register(client)
            response = await client.post(
                "/v1/stores",
                headers=merchant.headers,
                json=_body(f"http://127.0.0.1:{listener.port}"),
            )
        assert listener.received  # it was reached (allowed here) and answered with a secret
    assert 400 <= response.status_code < 600 and response.status_code != 500
    assert "hunter2" not in response.text and INTERNAL_SECRET not in response.text


async def test_closed_and_open_ports_on_a_refused_address_get_the_same_reply(db, redis) -> None:
    closed = closed_port()
    with RecordingListener(mode="answer") as listener:
        policy = OutboundPolicy(
            allow_http=True, allowed_ports=frozenset({80, 443, closed, listener.port})
        )
        app = build_app(db, redis=redis, outbound_policy=policy)
        async with client_for(app) as client:
            merchant = await register(client)
            replies = [
                await client.post(
                    "/v1/stores", headers=merchant.headers, json=_body(f"http://127.0.0.1:{port}")
                )
                for port in (closed, listener.port)
            ]
        assert listener.received == []
    assert replies[0].status_code == replies[1].status_code == 422
    assert replies[0].json() == replies[1].json()


def _quick_factory(policy: OutboundPolicy):
    def make(url: str, key: str, secret: str) -> WooClient:
        return WooClient(url, key, secret, retry=ONE_TRY, timeout_s=1.0, outbound=policy)

    return make


@pytest.mark.parametrize("mode", ["close", "silent"])
async def test_a_closed_port_and_an_open_port_that_does_not_answer_get_the_same_reply(
    db, redis, mode: Mode
) -> None:
    closed = closed_port()
    with RecordingListener(mode=mode) as listener:
        policy = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({closed, listener.port}),
        )
        app = build_app(
            db, redis=redis, outbound_policy=policy, store_client_factory=_quick_factory(policy)
        )
        async with client_for(app) as client:
            merchant = await register(client)
            replies = [
                await client.post(
                    "/v1/stores", headers=merchant.headers, json=_body(f"http://127.0.0.1:{port}")
                )
                for port in (closed, listener.port)
            ]
    assert replies[0].status_code == replies[1].status_code == 502
    bodies = [re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", reply.text) for reply in replies]
    assert bodies[0] == bodies[1]
    assert replies[0].json()["code"] == "woocommerce_unreachable"
