"""Knowledge documents: indexed on write, listed without bodies, 413 past 200 KB."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.dashboard_api.harness import Merchant, build_app, register
from tests.dashboard_api.support import HashingEmbedder


@pytest.fixture
def app(db, redis) -> FastAPI:
    return build_app(db, redis=redis, embedder=HashingEmbedder())


async def test_create_update_reindex_delete(client: httpx.AsyncClient, merchant: Merchant) -> None:
    created = await client.post(
        "/v1/knowledge",
        headers=merchant.headers,
        json={
            "title": "Returns",
            "body": "# Returns\n\nReturn **anything** within 30 days.",
            "content_type": "markdown",
            "kind": "policy",
            "bot_id": str(merchant.bot_id),
        },
    )
    assert created.status_code == 201, created.text
    document = created.json()
    assert document["indexed_at"] and document["chunks"] >= 1 and document["kind"] == "policy"
    listed = (
        await client.get("/v1/knowledge", headers=merchant.headers, params={"kind": "policy"})
    ).json()["items"]
    assert [d["id"] for d in listed] == [document["id"]] and "body" not in listed[0]
    assert listed[0]["size_bytes"] == len(document["body"].encode())

    patched = await client.patch(
        f"/v1/knowledge/{document['id']}",
        headers=merchant.headers,
        json={"body": "<p>Return anything within <b>60</b> days.</p>", "content_type": "html"},
    )
    assert patched.status_code == 200 and patched.json()["content_type"] == "html"
    assert patched.json()["indexed_at"] >= document["indexed_at"]
    reindexed = await client.post(
        f"/v1/knowledge/{document['id']}/reindex", headers=merchant.headers
    )
    assert reindexed.status_code == 200 and reindexed.json()["status"] == "indexed"

    assert (
        await client.delete(f"/v1/knowledge/{document['id']}", headers=merchant.headers)
    ).status_code == 204
    assert (
        await client.get(f"/v1/knowledge/{document['id']}", headers=merchant.headers)
    ).status_code == 404
    assert (
        await client.post(f"/v1/knowledge/{uuid.uuid4()}/reindex", headers=merchant.headers)
    ).status_code == 404


async def test_size_limit_is_a_413_problem(client: httpx.AsyncClient, merchant: Merchant) -> None:
    body = "x" * (200 * 1024 + 1)
    response = await client.post(
        "/v1/knowledge", headers=merchant.headers, json={"title": "Big", "body": body}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "payload_too_large"
    small = await client.post(
        "/v1/knowledge", headers=merchant.headers, json={"title": "Ok", "body": "fine"}
    )
    patch = await client.patch(
        f"/v1/knowledge/{small.json()['id']}", headers=merchant.headers, json={"body": body}
    )
    assert patch.status_code == 413


async def test_a_foreign_bot_is_a_404(client: httpx.AsyncClient, merchant: Merchant) -> None:
    other = await register(client, "Other")
    response = await client.post(
        "/v1/knowledge",
        headers=merchant.headers,
        json={"title": "T", "body": "B", "bot_id": str(other.bot_id)},
    )
    assert response.status_code == 404
