"""Every route of `shopbot serve` has a body limit, enforced while the body is read: a
declared Content-Length and a chunked body (no Content-Length) past it are both a 413
problem before the endpoint runs; a body under it goes through."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Mapping

import httpx
import pytest
from sqlalchemy.engine import URL

from core.db.database import Database
from dashboard_api.knowledge.endpoints import MAX_REQUEST_BYTES
from tests.api.harness import SHOP_ORIGIN, Shop, assert_problem
from tests.support.composed_app import composed_app, composed_client
from web.body_limit import DEFAULT_BODY_LIMIT, WEBHOOK_BODY_LIMIT, WIDGET_BODY_LIMIT

PASSWORD = "correct horse battery staple"
CHUNK = 16 * 1024


async def chunked(body: bytes) -> AsyncIterator[bytes]:
    """The body as a stream of chunks: httpx sends no Content-Length for it."""
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


def padded_json(document: Mapping[str, object], size: int) -> bytes:
    """Valid JSON of exactly `size` bytes: the document, then whitespace (which a JSON parser
    accepts), so only the limit can refuse it."""
    text = json.dumps(document).encode()
    assert len(text) < size
    return text[:-1] + b" " * (size - len(text)) + b"}"


@pytest.fixture
async def client(db: Database, app_url: URL) -> AsyncIterator[httpx.AsyncClient]:
    async with composed_client(composed_app(db, app_url)) as http:
        yield http


@pytest.fixture
async def merchant_headers(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"limits-{uuid.uuid4().hex[:12]}@example.com"
    registered = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "business_name": "Limits"}
    )
    assert registered.status_code == 201, registered.text
    return {"Authorization": f"Bearer {registered.json()['access_token']}"}


async def post_both_ways(
    client: httpx.AsyncClient, path: str, body: bytes, headers: dict[str, str] | None = None
) -> tuple[httpx.Response, httpx.Response]:
    sent_headers = {"Content-Type": "application/json", **(headers or {})}
    declared = await client.post(path, content=body, headers=sent_headers)
    streamed = await client.post(path, content=chunked(body), headers=sent_headers)
    return declared, streamed


async def test_an_8_mib_login_body_is_refused_with_413_declared_or_chunked(
    client: httpx.AsyncClient,
) -> None:
    body = padded_json(
        {"email": "someone@example.com", "password": "wrong password"}, 8 * 1024 * 1024
    )
    for response in await post_both_ways(client, "/v1/auth/login", body):
        problem = assert_problem(response, 413, "payload_too_large")
        assert problem["max_bytes"] == DEFAULT_BODY_LIMIT


async def test_a_login_body_just_over_the_default_limit_is_413_and_just_under_is_read(
    client: httpx.AsyncClient,
) -> None:
    login = {"email": "someone@example.com", "password": "wrong password"}
    for response in await post_both_ways(
        client, "/v1/auth/login", padded_json(login, DEFAULT_BODY_LIMIT + 1)
    ):
        assert_problem(response, 413, "payload_too_large")
    for response in await post_both_ways(
        client, "/v1/auth/login", padded_json(login, DEFAULT_BODY_LIMIT)
    ):
        assert_problem(response, 401, "invalid_credentials")


@pytest.mark.parametrize("declared", ["\u00b2", "9" * 5000, "12abc", "-1"])
async def test_a_content_length_that_is_not_a_length_is_refused_not_a_500(
    client: httpx.AsyncClient, declared: str
) -> None:
    headers = [
        (b"Content-Type", b"application/json"),
        (b"Content-Length", declared.encode("latin-1")),
    ]
    response = await client.post("/v1/auth/login", content=b"{}", headers=headers)
    assert_problem(response, 413, "payload_too_large")
    assert response.headers["X-Request-ID"]


async def test_widget_routes_keep_their_16_kib_limit(client: httpx.AsyncClient, shop: Shop) -> None:
    origin = {"Origin": SHOP_ORIGIN}
    over = padded_json({"widget_key": shop.widget_key}, WIDGET_BODY_LIMIT + 1)
    for response in await post_both_ways(client, "/widget/v1/sessions", over, origin):
        problem = assert_problem(response, 413, "payload_too_large")
        assert problem["max_bytes"] == WIDGET_BODY_LIMIT
    under = padded_json({"widget_key": shop.widget_key}, WIDGET_BODY_LIMIT)
    for response in await post_both_ways(client, "/widget/v1/sessions", under, origin):
        assert response.status_code == 200, response.text


async def test_the_knowledge_upload_has_its_larger_limit_and_writes_nothing_past_it(
    client: httpx.AsyncClient, merchant_headers: dict[str, str]
) -> None:
    document = {"title": "Returns", "body": "Returns are free within 30 days."}
    over = padded_json(document, MAX_REQUEST_BYTES + 1)
    for response in await post_both_ways(client, "/v1/knowledge", over, merchant_headers):
        problem = assert_problem(response, 413, "payload_too_large")
        assert problem["max_bytes"] == MAX_REQUEST_BYTES
    listed = await client.get("/v1/knowledge", headers=merchant_headers)
    assert listed.json()["items"] == []  # nothing of the refused uploads was stored

    # Past the default limit but within the upload's own: stored (once declared, once chunked).
    under = padded_json(document, MAX_REQUEST_BYTES)
    for response in await post_both_ways(client, "/v1/knowledge", under, merchant_headers):
        assert response.status_code == 201, response.text
    assert len((await client.get("/v1/knowledge", headers=merchant_headers)).json()["items"]) == 2


async def test_the_knowledge_upload_limit_is_published_in_the_openapi_document(
    client: httpx.AsyncClient,
) -> None:
    operations = (await client.get("/openapi.json")).json()["paths"]["/v1/knowledge"]
    assert operations["post"]["x-max-body-bytes"] == MAX_REQUEST_BYTES


async def test_webhooks_take_a_large_product_payload_but_not_more(
    client: httpx.AsyncClient,
) -> None:
    # No such store: a body under the limit is read, then refused.
    path = f"/webhooks/woocommerce/{uuid.uuid4()}"
    product = {"id": 7, "name": "Tent", "variations": list(range(500)), "description": "x"}
    for response in await post_both_ways(
        client, path, padded_json(product, WEBHOOK_BODY_LIMIT + 1)
    ):
        problem = assert_problem(response, 413, "payload_too_large")
        assert problem["max_bytes"] == WEBHOOK_BODY_LIMIT
    for response in await post_both_ways(client, path, padded_json(product, 1024 * 1024)):
        assert response.status_code != 413 and 400 <= response.status_code < 500, response.text
