"""Every way ingestion reaches a store URL passes the outbound guard: the WooCommerce
client (connection test, webhook registration), `register_store`, `test_store_connection`
and a sync. None of them sends anything to a hostile URL; no error repeats what a
non-store answered; and a closed port reads like any other port that does not answer."""

from __future__ import annotations

import gzip
import re
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from core.outbound import OutboundPolicy, OutboundRefused
from emulators.server import BackgroundServer
from ingestion import stores
from ingestion.sync.service import run_sync
from ingestion.woocommerce import (
    StoreRequestRejected,
    StoreResponseMalformed,
    StoreUnreachable,
    WooClient,
)
from ingestion.woocommerce.retry import RetryPolicy
from tests.dashboard_api.support import HashingEmbedder
from tests.support.hostile_urls import Hostile, hostile_urls, matrix_policy
from tests.support.listener import INTERNAL_SECRET, Mode, RecordingListener, closed_port
from tests.support.sync import new_tenant

ONE_TRY = RetryPolicy(max_attempts=1, base_delay_s=0.01)


def _client(url: str, policy: OutboundPolicy) -> WooClient:
    return WooClient(url, "ck_test", "cs_test", retry=ONE_TRY, timeout_s=2.0, outbound=policy)


async def _refused(hostile: Hostile, attempt) -> None:
    """`attempt()` must raise OutboundRefused naming the matrix's reason."""
    with pytest.raises(OutboundRefused) as refused:
        await attempt()
    assert refused.value.reason == hostile.reason, hostile.url


CLIENT_CALLS = {
    "connection test": lambda client: client.test_connection(),
    "webhook registration": lambda client: client.register_webhooks(
        "https://api.shopbot.test/webhooks/woocommerce/x", "secret"
    ),
}


@pytest.mark.parametrize("call", CLIENT_CALLS.values(), ids=CLIENT_CALLS.keys())
async def test_the_store_client_sends_nothing_to_any_hostile_url(call) -> None:
    with RecordingListener() as listener:
        policy = matrix_policy(listener.port)
        for hostile in hostile_urls(listener.port):

            async def attempt(url: str = hostile.url) -> None:
                async with _client(url, policy) as client:
                    await call(client)

            await _refused(hostile, attempt)
        assert listener.received == []


async def test_register_store_and_the_connection_test_refuse_every_hostile_url(
    db: Database, secret_box: SecretBox
) -> None:
    tenant = await new_tenant(db)
    with RecordingListener() as listener:
        policy = matrix_policy(listener.port)
        for hostile in hostile_urls(listener.port):
            await _refused(
                hostile,
                lambda url=hostile.url: stores.register_store(
                    db,
                    secret_box,
                    tenant,
                    url=url,
                    consumer_key="ck_test",
                    consumer_secret="cs_test",
                    public_api_url="https://api.shopbot.test",
                    outbound=policy,
                ),
            )
            await _refused(
                hostile,
                lambda url=hostile.url: stores.test_store_connection(
                    url, "ck_test", "cs_test", outbound=policy
                ),
            )
        assert listener.received == []
    async with db.tenant_session(tenant) as session:
        assert await session.scalar(select(func.count()).select_from(StoreConnection)) == 0


async def _store_row(db: Database, box: SecretBox, tenant: TenantId, base_url: str) -> uuid.UUID:
    """A store as if it had been connected while its name pointed at a public address,
    and now points inside: the sync must check the URL again, every time."""
    store_id = uuid.uuid4()
    async with db.tenant_session(tenant) as session:
        session.add(
            StoreConnection(
                id=store_id,
                tenant_id=tenant,
                platform="woocommerce",
                base_url=base_url,
                currency="USD",
                credentials_ciphertext=box.encrypt_json(
                    {"consumer_key": "ck_test", "consumer_secret": "cs_test"}
                ),
                webhook_secret_ciphertext=box.encrypt("whsec"),
                status="active",
            )
        )
    return store_id


async def test_a_sync_of_a_store_whose_url_now_points_inside_fails_without_sending_anything(
    committed_db: Database, secret_box: SecretBox
) -> None:
    tenant = await new_tenant(committed_db, "Rebound")
    with RecordingListener() as listener:
        policy = matrix_policy(listener.port)
        for hostile in hostile_urls(listener.port):
            if not hostile.url.startswith("http") or "@" in hostile.url:
                continue  # never stored: register_store refuses these forms before saving
            store_id = await _store_row(committed_db, secret_box, tenant, hostile.url.rstrip("/"))
            record = await run_sync(
                committed_db,
                tenant,
                store_id,
                mode="full",
                secret_box=secret_box,
                embedder=HashingEmbedder(),
                outbound=policy,
            )
            assert record.status == "failed" and record.error is not None, hostile.url
            assert "does not connect to this URL" in record.error, (hostile.url, record.error)
        assert listener.received == []


async def test_an_error_never_repeats_what_a_non_store_answered() -> None:
    """Even where the guard lets an address through (an operator's allowance), the reply of
    whatever answers there is never echoed: on 58394cd the detail carried its message."""
    with RecordingListener(mode="answer") as listener:
        allowed = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({listener.port}),
        )
        async with _client(f"http://127.0.0.1:{listener.port}", allowed) as client:
            with pytest.raises(StoreRequestRejected) as rejected:
                await client.test_connection()
        assert listener.received  # it did answer, with a secret in its body
    problem = rejected.value.problem()
    assert "hunter2" not in str(problem) and INTERNAL_SECRET not in str(problem)
    assert problem["store_code"] is None


@pytest.mark.parametrize("mode", ["close", "silent"])
async def test_a_closed_port_and_an_open_port_that_does_not_answer_read_the_same(
    mode: Mode,
) -> None:
    closed = closed_port()
    with RecordingListener(mode=mode) as listener:
        details = []
        for port in (closed, listener.port):
            allowed = OutboundPolicy(
                allow_http=True,
                allowed_hosts=frozenset({"127.0.0.1"}),
                allowed_ports=frozenset({port}),
            )
            async with WooClient(
                f"http://127.0.0.1:{port}",
                "ck",
                "cs",
                retry=ONE_TRY,
                timeout_s=0.5,
                outbound=allowed,
            ) as client:
                with pytest.raises(StoreUnreachable) as failed:
                    await client.test_connection()
            problem = failed.value.problem()
            details.append({k: re.sub(r":\d+", ":PORT", str(v)) for k, v in problem.items()})
    assert details[0] == details[1]


@pytest.mark.parametrize(
    "listed",
    [
        [
            {
                "id": "abc",
                "delivery_url": "https://api.shopbot.test/hook",
                "topic": "product.created",
            }
        ],
        [{"id": 7, "delivery_url": ["https://api.shopbot.test/hook"], "topic": {"t": 1}}],
        [{"id": True, "delivery_url": "https://api.shopbot.test/hook", "topic": "product.updated"}],
    ],
)
async def test_a_server_answering_webhook_registration_with_odd_json_is_no_500(
    listed: list,
) -> None:
    """Whatever a server at a public store URL answers, registration ends in registrations
    (or a typed store error), never a ValueError or TypeError, and repeats none of its text."""
    created = {"id": "not-a-number", "status": "<script>db_password=hunter2</script>"}

    def odd_store(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=listed, headers={"X-WP-TotalPages": "1"})
        return httpx.Response(201, json=created)

    policy = OutboundPolicy(resolver=lambda host: ["93.184.216.34"])
    async with WooClient(
        "https://shop.example.com",
        "ck_test",
        "cs_test",
        retry=ONE_TRY,
        transport=httpx.MockTransport(odd_store),
        outbound=policy,
    ) as client:
        registrations = await client.register_webhooks("https://api.shopbot.test/hook", "secret")
    assert [(r.id, r.status, r.created) for r in registrations] == [(0, "unknown", True)] * 4


def _answering(status_body: object):
    def store(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/system_status"):
            return httpx.Response(200, json=status_body)
        return httpx.Response(200, json=[], headers={"X-WP-Total": "3"})

    return httpx.MockTransport(store)


async def test_a_connection_test_reads_only_fields_of_the_expected_shape() -> None:
    policy = OutboundPolicy(resolver=lambda host: ["93.184.216.34"])
    odd = {
        "environment": {"version": 9, "wp_version": {"x": 1}, "home_url": ["https://elsewhere"]},
        "settings": {"currency": "EUR"},
    }
    async with WooClient(
        "https://shop.example.com",
        "ck",
        "cs",
        retry=ONE_TRY,
        transport=_answering(odd),
        outbound=policy,
    ) as client:
        info = await client.test_connection()
    assert (info.home_url, info.woocommerce_version, info.wordpress_version) == (
        "https://shop.example.com",
        None,
        None,
    )
    assert (info.currency, info.product_count) == ("EUR", 3)
    for body in ({"environment": "x", "settings": ["USD"]}, ["not", "an", "object"]):
        async with WooClient(
            "https://shop.example.com",
            "ck",
            "cs",
            retry=ONE_TRY,
            transport=_answering(body),
            outbound=policy,
        ) as client:
            with pytest.raises(StoreResponseMalformed):
                await client.test_connection()


async def test_a_server_claiming_endless_webhook_pages_is_read_for_ten_pages_at_most() -> None:
    pages: list[str] = []

    def endless(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            pages.append(request.url.params["page"])
            hook = {
                "id": len(pages),
                "delivery_url": "https://elsewhere.test/",
                "topic": "product.created",
            }
            return httpx.Response(200, json=[hook], headers={"X-WP-TotalPages": "1000000"})
        return httpx.Response(201, json={"id": 1, "status": "active"})

    policy = OutboundPolicy(resolver=lambda host: ["93.184.216.34"])
    async with WooClient(
        "https://shop.example.com",
        "ck",
        "cs",
        retry=ONE_TRY,
        transport=httpx.MockTransport(endless),
        outbound=policy,
    ) as client:
        await client.register_webhooks("https://api.shopbot.test/hook", "secret")
    assert pages == [str(n) for n in range(1, 11)]


def _gzip_answering(body: bytes):
    async def app(scope, receive, send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not gzip at all", "could not be decompressed"),
        (
            gzip.compress(b"[" + b" " * (40 * 2**20) + b"]"),
            "larger than 32 MiB",
        ),  # 40 MiB from ~40 KiB
    ],
)
async def test_a_broken_or_bomb_compressed_answer_is_a_malformed_store_not_a_500(
    body: bytes, says: str
) -> None:
    server = BackgroundServer(_gzip_answering(body))
    server.start()
    try:
        allowed = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({server.port}),
        )
        async with _client(f"http://127.0.0.1:{server.port}", allowed) as client:
            with pytest.raises(StoreResponseMalformed) as malformed:
                await client.test_connection()
    finally:
        server.stop()
    assert says in malformed.value.detail
