"""Text PostgreSQL cannot store (NUL) or UTF-8 cannot encode (a lone surrogate) is a 422
`validation_failed` naming where it was, on both APIs, wherever text enters: JSON bodies
(escaped or raw), query strings, path parameters, form fields and headers. Nothing of
such a request is written."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from core.db.database import Database
from core.models import Conversation, Message
from engine.answer import AnswerService
from tests.api.harness import SHOP_ORIGIN, Shop, assert_problem, open_session
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client

PASSWORD = "correct horse battery staple"
JSON = {"Content-Type": "application/json"}
NUL_ESCAPE = "\\u0000"
LONE_SURROGATE_ESCAPE = "\\ud800"
RAW_SURROGATE = b"\xed\xa0\x80"  # U+D800 as (invalid) UTF-8; Python's JSON decoder lets it through


def assert_invalid_text(response: httpx.Response, location: str, field: str) -> None:
    body = assert_problem(response, 422, "validation_failed")
    assert {"location": location, "field": field, "type": "invalid_characters"}.items() <= body[
        "errors"
    ][0].items(), body


def register_body(email: str, business_name_json: str) -> bytes:
    """A register request whose business name is given as raw JSON string content."""
    return (
        f'{{"email": "{email}", "password": "{PASSWORD}", "business_name": "{business_name_json}"}}'
    ).encode()


def unique_email() -> str:
    return f"text-{uuid.uuid4().hex[:12]}@example.com"


@pytest.fixture
async def client(db: Database, app_url: URL) -> AsyncIterator[httpx.AsyncClient]:
    app = composed_app(db, app_url, answer_service=AnswerService(db, HashingEmbedder()))
    async with composed_client(app) as http:
        yield http


@pytest.fixture
async def merchant_headers(client: httpx.AsyncClient) -> dict[str, str]:
    registered = await client.post(
        "/v1/auth/register",
        json={"email": unique_email(), "password": PASSWORD, "business_name": "Texts"},
    )
    assert registered.status_code == 201, registered.text
    return {"Authorization": f"Bearer {registered.json()['access_token']}"}


@pytest.mark.parametrize(
    "business_name",
    [
        f"Peak{NUL_ESCAPE}Outfitters",
        f"Peak {LONE_SURROGATE_ESCAPE} Outfitters",
        "\\udc00 Outfitters",
    ],
    ids=["nul-escape", "lone-high-surrogate", "lone-low-surrogate"],
)
async def test_register_refuses_nul_and_lone_surrogates_and_writes_nothing(
    client: httpx.AsyncClient, business_name: str
) -> None:
    email = unique_email()
    response = await client.post(
        "/v1/auth/register", content=register_body(email, business_name), headers=JSON
    )
    assert_invalid_text(response, "body", "business_name")
    # Nothing was written: the same address registers cleanly afterwards.
    clean = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "business_name": "Peak"}
    )
    assert clean.status_code == 201, clean.text


async def test_raw_surrogate_bytes_in_a_json_body_are_refused(client: httpx.AsyncClient) -> None:
    body = register_body(unique_email(), "Peak").replace(b"Peak", b"Pe" + RAW_SURROGATE + b"ak")
    assert_invalid_text(
        await client.post("/v1/auth/register", content=body, headers=JSON), "body", "business_name"
    )


async def test_a_surrogate_pair_is_one_character_and_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register",
        content=register_body(unique_email(), "Tents \\ud83c\\udfd5"),
        headers=JSON,
    )
    assert response.status_code == 201, response.text


async def conversation_rows(db: Database, shop: Shop) -> tuple[int, int]:
    async with db.tenant_session(shop.tenant_id) as session:
        conversations = (
            await session.execute(select(func.count()).select_from(Conversation))
        ).scalar_one()
        messages = (await session.execute(select(func.count()).select_from(Message))).scalar_one()
    return conversations, messages


@pytest.mark.parametrize(
    "message", [f"Hi{NUL_ESCAPE}there", f"Hi {LONE_SURROGATE_ESCAPE}"], ids=["nul", "surrogate"]
)
async def test_widget_chat_refuses_invalid_text_before_anything_is_stored(
    client: httpx.AsyncClient, db: Database, shop: Shop, message: str
) -> None:
    token = (await open_session(client, shop))["session_token"]
    headers = {"Authorization": f"Bearer {token}", "Origin": SHOP_ORIGIN, **JSON}
    response = await client.post(
        "/widget/v1/chat", content=f'{{"message": "{message}"}}'.encode(), headers=headers
    )
    assert_invalid_text(response, "body", "message")
    assert await conversation_rows(db, shop) == (0, 0)


async def test_nested_fields_and_keys_are_named(client: httpx.AsyncClient, shop: Shop) -> None:
    token = (await open_session(client, shop))["session_token"]
    headers = {"Authorization": f"Bearer {token}", "Origin": SHOP_ORIGIN, **JSON}
    body = (
        f'{{"message": "Hi", "page": {{"url": "https://shop.alpha.test/{NUL_ESCAPE}"}}}}'.encode()
    )
    assert_invalid_text(
        await client.post("/widget/v1/chat", content=body, headers=headers), "body", "page.url"
    )
    keyed = f'{{"message": "Hi", "extra{NUL_ESCAPE}": 1}}'.encode()
    assert_invalid_text(
        await client.post("/widget/v1/chat", content=keyed, headers=headers), "body", "extra\ufffd"
    )


async def test_a_knowledge_document_with_a_nul_is_refused_and_not_stored(
    client: httpx.AsyncClient, merchant_headers: dict[str, str]
) -> None:
    body = f'{{"title": "Returns", "body": "Free returns.{NUL_ESCAPE}"}}'.encode()
    response = await client.post(
        "/v1/knowledge", content=body, headers={**merchant_headers, **JSON}
    )
    assert_invalid_text(response, "body", "body")
    assert (await client.get("/v1/knowledge", headers=merchant_headers)).json()["items"] == []


async def test_query_string_parameters_are_checked(
    client: httpx.AsyncClient, merchant_headers: dict[str, str]
) -> None:
    response = await client.get("/v1/audit-log?action=auth.login%00", headers=merchant_headers)
    assert_invalid_text(response, "query", "action")


@pytest.mark.parametrize(
    "path", ["/v1/bots/%00", "/webhooks/woocommerce/%00", "/widget/v1/chat%00"]
)
async def test_path_parameters_are_checked(
    client: httpx.AsyncClient, merchant_headers: dict[str, str], path: str
) -> None:
    response = await client.post(path, json={"message": "hi"}, headers=merchant_headers)
    assert_invalid_text(response, "path", "")


async def test_stored_headers_are_checked(client: httpx.AsyncClient) -> None:
    # The user agent goes into the audit log of a sign-in.
    response = await client.post(
        "/v1/auth/login",
        json={"email": unique_email(), "password": PASSWORD},
        headers={"User-Agent": "curl\x00/8"},
    )
    assert_invalid_text(response, "header", "user-agent")


async def test_form_fields_are_checked(client: httpx.AsyncClient) -> None:
    form: dict[str, Any] = {"email": "a@example.com", "password": "x\x00y"}
    response = await client.post("/v1/auth/login", data=form)
    assert_invalid_text(response, "body", "password")


async def test_a_body_nested_past_the_json_parser_is_a_4xx_not_a_500(
    client: httpx.AsyncClient,
) -> None:
    # The escape makes the check decode it; the nesting is deeper than the decoder goes.
    body = b"[" * 30_000 + b'"\\u0041"' + b"]" * 30_000
    response = await client.post("/v1/auth/login", content=body, headers=JSON)
    assert 400 <= response.status_code < 500, response.text
