"""One error shape everywhere: problem+json, never an internal message or a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from api.app import create_app
from core.db.database import Database
from engine.answer_events import AnswerEvent, Question
from tests.api.harness import (
    SHOP_ORIGIN,
    Shop,
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
)


async def test_unknown_route_is_a_404_problem(api: httpx.AsyncClient) -> None:
    assert_problem(await api.get("/widget/v1/nothing-here"), 404, "not_found")


async def test_wrong_method_is_a_405_problem(api: httpx.AsyncClient) -> None:
    response = await api.get("/widget/v1/chat")
    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]


async def test_invalid_json_is_a_422_problem(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/widget/v1/sessions",
        content=b'{"widget_key": ',
        headers={"Content-Type": "application/json", "Origin": SHOP_ORIGIN},
    )
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["type"] == "json_invalid"


async def test_bodies_over_16_kb_are_413(api: httpx.AsyncClient) -> None:
    big = {"widget_key": "k" * (17 * 1024)}
    response = await api.post("/widget/v1/sessions", json=big, headers={"Origin": SHOP_ORIGIN})
    assert_problem(response, 413, "payload_too_large")

    async def chunks():  # no Content-Length: counted while it streams
        for _ in range(20):
            yield b"x" * 1024

    streamed = await api.post(
        "/widget/v1/events", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(streamed, 413, "payload_too_large")


class BrokenAnswerer:
    """An answer service with a bug: its error text must stay in the log."""

    async def stream(self, question: Question) -> AsyncIterator[AnswerEvent]:
        raise RuntimeError("internal detail: secret_user hunter2")
        yield  # an async generator, as the protocol says


async def test_unexpected_errors_are_a_generic_500(
    db: Database, shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    async with client_for(create_app(make_deps(db, answer_service=BrokenAnswerer()))) as client:
        token = (await open_session(client, shop))["session_token"]
        with caplog.at_level(logging.ERROR, logger="web.errors"):
            response = await client.post(
                "/widget/v1/chat", json={"message": "Hello?"}, headers=bearer(token)
            )
    body = assert_problem(response, 500, "internal_error")
    assert "hunter2" not in response.text and "secret_user" not in response.text
    assert body["detail"] == "Something went wrong on our side. Please try again."
    assert any(record.exc_info for record in caplog.records)  # the traceback went to the log
