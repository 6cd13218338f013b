"""POST /widget/v1/chat before any answering: auth and validation, as problem+json."""

from __future__ import annotations

import httpx
import pytest

from tests.api.harness import Shop, assert_problem, bearer, open_session


@pytest.fixture
async def token(api: httpx.AsyncClient, shop: Shop) -> str:
    return (await open_session(api, shop))["session_token"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"message": ""}, "message", "message must not be empty"),
        ({"message": "   \n\t "}, "message", "message must not be empty"),
        ({"message": "x" * 2001}, "message", "message must be at most 2000 characters"),
        ({}, "message", "Field required"),
        ({"message": 42}, "message", None),
        ({"message": "hi", "conversation_id": "nope"}, "conversation_id", None),
        ({"message": "hi", "page": {"url": "x" * 1001}}, "page.url", None),
    ],
)
async def test_invalid_requests_are_422_problems(
    api: httpx.AsyncClient, token: str, body: dict, field: str, message: str | None
) -> None:
    response = await api.post("/widget/v1/chat", json=body, headers=bearer(token))
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"][0]["field"] == field
    if message:
        assert problem["errors"][0]["message"] == message
        assert problem["detail"] == f"{field}: {message}"
    assert "input" not in problem["errors"][0]


async def test_2000_characters_after_trimming_are_fine_to_validation(
    api: httpx.AsyncClient, token: str
) -> None:
    # Valid: reaches the (absent) answer service instead of failing validation.
    response = await api.post(
        "/widget/v1/chat", json={"message": "  " + "x" * 2000 + "  "}, headers=bearer(token)
    )
    assert_problem(response, 503, "answering_unavailable")


async def test_chat_needs_a_session(api: httpx.AsyncClient) -> None:
    response = await api.post("/widget/v1/chat", json={"message": "hi"})
    assert_problem(response, 401, "invalid_session")
    assert response.headers["www-authenticate"] == 'Bearer realm="widget"'
    response = await api.post(
        "/widget/v1/chat", json={"message": "hi"}, headers={"Authorization": "Basic abc"}
    )
    assert_problem(response, 401, "invalid_session")
