"""Sentry, end to end: the real sentry-sdk, initialised by `init_sentry`, posting to a local
ingest server; the real app factory with one test-only route that fails the way a store
check can (its message naming the secret and the shopper)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import sentry_sdk
from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from core.db.database import Database
from core.observability.sentry import init_sentry
from core.settings import Settings
from tests.api.harness import client_for, make_deps
from tests.support.sentry_ingest import SentryIngest, local_ingest

STORE_SECRET = "cs_" + "5f0c2a9e" * 5
STORE_KEY = "ck_" + "a1b2c3d4" * 5
SHOPPER_EMAIL = "jane.shopper@example.org"
SHOPPER_PHONE = "+44 20 7946 0958"
OPENAI_KEY = "sk-proj-" + "Zx9" * 12
# A real-looking JWT (header.payload.signature), as the widget and dashboard send them.
BEARER = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJ1c2VyLTEyMyIsInRpZCI6InRlbmFudC00NTYifQ."
    "c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1mb3ItdGVzdHM"
)
FAULT_PATH = "/v1/test-only/store-check"


class StoreCheckExploded(RuntimeError):
    pass


def _faulty_router() -> APIRouter:
    router = APIRouter()

    @router.post(FAULT_PATH)
    async def store_check(request: Request) -> dict[str, str]:
        body = await request.json()
        secret, email = body["consumer_secret"], body["email"]
        logging.getLogger("tests.store_check").warning(
            "checking the store for %s with %s", email, secret
        )
        raise StoreCheckExploded(
            f"store refused key {body['consumer_key']} / {secret} for {email}, "
            f"caller {request.headers['authorization']}, model key {OPENAI_KEY}"
        )

    return router


@pytest.fixture
def ingest() -> Iterator[SentryIngest]:
    with local_ingest() as server:
        yield server


def _secrets_in(raw: bytes) -> list[str]:
    text = raw.decode("utf-8", "replace")
    forms = [
        STORE_SECRET,
        STORE_KEY,
        SHOPPER_EMAIL,
        quote(SHOPPER_EMAIL),
        SHOPPER_PHONE,
        OPENAI_KEY,
        BEARER,
    ]
    forms += [BEARER.split(".")[1], "Do you have this in red"]
    return [form for form in forms if form in text]


async def test_a_failing_request_reaches_sentry_without_secrets_or_shopper_data(
    db: Database, ingest: SentryIngest
) -> None:
    assert init_sentry(Settings(sentry_dsn=ingest.dsn), component="api")
    options = sentry_sdk.get_client().options
    assert options["send_default_pii"] is False and options["include_local_variables"] is False
    app = create_app(make_deps(db))
    app.include_router(_faulty_router())

    async with client_for(app) as client:
        response = await client.post(
            FAULT_PATH,
            params={"email": SHOPPER_EMAIL, "page": "2"},
            json={
                "consumer_key": STORE_KEY,
                "consumer_secret": STORE_SECRET,
                "email": SHOPPER_EMAIL,
                "phone": SHOPPER_PHONE,
                "message": "Do you have this in red?",
            },
            headers={
                "Authorization": f"Bearer {BEARER}",
                "Cookie": f"session={BEARER}",
                "X-Request-ID": "req-4242",
            },
        )
    assert response.status_code == 500
    assert sentry_sdk.flush(timeout=10) is None

    events = ingest.events()
    assert ingest.paths and all(path.startswith("/api/1/envelope/") for path in ingest.paths)
    reported = [event for event in events if _exception_types(event) == ["StoreCheckExploded"]]
    assert len(reported) == 1, events
    event = reported[0]
    assert event["request"]["url"].endswith(FAULT_PATH)
    assert event["request"]["method"] == "POST"
    assert event["tags"]["request_id"] == "req-4242"
    # Keys of the body stay (what was sent), its text does not.
    assert set(event["request"]["data"]) == {
        "consumer_key",
        "consumer_secret",
        "email",
        "phone",
        "message",
    }
    assert event["request"]["headers"]["authorization"] == "[Filtered]"
    message = event["exception"]["values"][0]["value"]
    assert message.startswith(
        "store refused key [Filtered] / [Filtered] for [Filtered], caller Bearer [Filtered]"
    )
    assert all(
        "vars" not in frame
        for value in event["exception"]["values"]
        for frame in value["stacktrace"]["frames"]
    )
    assert any(
        "checking the store for [Filtered]" in (crumb.get("message") or "")
        for crumb in event.get("breadcrumbs", {}).get("values", [])
    )
    for envelope in ingest.envelopes:
        assert _secrets_in(envelope.raw) == [], envelope.raw[:2000]


def _exception_types(event: dict[str, Any]) -> list[str]:
    return [value["type"] for value in event.get("exception", {}).get("values", [])]


async def test_an_outage_answered_with_503s_sends_no_error_events(ingest: SentryIngest) -> None:
    """/readyz is probed every few seconds: a 503 the app answers on purpose is not an error
    event each time (the outage is in the logs); an unexpected error still is."""
    assert init_sentry(Settings(sentry_dsn=ingest.dsn), component="api")
    database = Database(engine=create_async_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    app = create_app(make_deps(database))
    app.include_router(_faulty_router())
    try:
        async with client_for(app) as client:
            probes = [await client.get("/readyz") for _ in range(3)]
            session = await client.post("/widget/v1/sessions", json={"widget_key": "wk_x"})
            failed = await client.post(
                FAULT_PATH,
                json={"consumer_key": "k", "consumer_secret": "s", "email": "e"},
                headers={"Authorization": "Bearer x"},
            )
    finally:
        await database.dispose()
    assert [p.status_code for p in probes] == [503] * 3 and session.status_code == 503
    assert failed.status_code == 500
    assert sentry_sdk.flush(timeout=10) is None
    assert [_exception_types(event) for event in ingest.events()] == [["StoreCheckExploded"]]


async def test_without_a_dsn_nothing_is_initialised(ingest: SentryIngest) -> None:
    assert init_sentry(Settings(), component="api") is False
    assert not sentry_sdk.get_client().is_active()
