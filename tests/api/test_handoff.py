"""`POST /widget/v1/handoff` and the replies poll: the shopper's own conversation only (any
other is a 404), consent and a valid email required (422 problem+json), rate limited; the
email is stored encrypted and never logged, and the merchant's notice arrives over SMTP with
a dashboard link and no card number."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from api.app import create_app
from core.crypto import SecretBox
from core.db.database import Database
from core.email import SmtpConfig, SmtpEmailSender
from core.models import Conversation, Tenant
from core.settings import get_settings
from tests.api.harness import (
    Shop,
    add_exchange,
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
    provision_shop,
    update_bot,
    visitor_of,
)
from tests.support.mail import SmtpTestServer

STORE_INBOX = "help@alpha-outdoors.test"
SHOPPER = "shopper.jane@example.org"


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpTestServer]:
    server = SmtpTestServer(tmp_path_factory.mktemp("smtp-handoff")).start()
    yield server
    server.stop()


def _secret_box() -> SecretBox:
    keys = get_settings().encryption_keys
    assert keys is not None  # tests/conftest.py sets them
    return SecretBox.from_setting(keys.get_secret_value())


@pytest.fixture
async def widget_api(db: Database, mailbox: SmtpTestServer) -> AsyncIterator[httpx.AsyncClient]:
    deps = make_deps(db)
    deps.secret_box = _secret_box()
    deps.email_sender = SmtpEmailSender(
        SmtpConfig(host=mailbox.host, port=mailbox.port, security="none")
    )
    deps.settings = deps.settings.model_copy(update={"public_api_url": "https://api.shop.test"})
    async with client_for(create_app(deps)) as client:
        yield client


async def _support_email(db: Database, shop: Shop, email: str | None) -> None:
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == shop.tenant_id).values(support_email=email)
        )


async def _visitor_with_conversation(
    client: httpx.AsyncClient, db: Database, shop: Shop
) -> tuple[dict[str, str], str]:
    token = (await open_session(client, shop))["session_token"]
    exchange = await add_exchange(db, shop, visitor_id=visitor_of(token))
    return bearer(token), str(exchange["conversation_id"])


def _request(conversation_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "conversation_id": conversation_id,
        "email": SHOPPER,
        "consent": True,
        "message": "Is the 4111 1111 1111 1111 card charged twice? Please call me.",
    }
    return body | changes


async def test_a_request_flags_the_conversation_encrypts_the_email_and_notifies_the_store(
    widget_api: httpx.AsyncClient,
    db: Database,
    shop: Shop,
    mailbox: SmtpTestServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _support_email(db, shop, STORE_INBOX)
    headers, conversation_id = await _visitor_with_conversation(widget_api, db, shop)
    caplog.set_level(logging.DEBUG)

    response = await widget_api.post(
        "/widget/v1/handoff", json=_request(conversation_id), headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "open" and response.json()["requested_at"]

    notice = mailbox.wait_for(STORE_INBOX, "talk to a person")
    assert f"https://api.shop.test/app/conversations/view/?id={conversation_id}" in notice.body
    assert "4111" not in notice.body and "[card]" in notice.body
    assert SHOPPER not in notice.body  # the dashboard shows it to signed-in members only

    async with db.tenant_session(shop.tenant_id) as session:
        stored = await session.scalar(
            select(Conversation).where(Conversation.id == conversation_id)
        )
    assert stored is not None and stored.handoff_state == "open"
    assert stored.handoff_email_ciphertext is not None
    assert SHOPPER.encode() not in stored.handoff_email_ciphertext
    assert _secret_box().decrypt(stored.handoff_email_ciphertext) == SHOPPER
    assert stored.handoff_note is not None and "4111" not in stored.handoff_note
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert SHOPPER not in logged


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"message": "x" * 2001}, "message"),
    ],
)
async def test_no_consent_or_a_bad_email_is_a_422_and_nothing_is_flagged(
    widget_api: httpx.AsyncClient, db: Database, shop: Shop, changes: dict[str, Any], field: str
) -> None:
    headers, conversation_id = await _visitor_with_conversation(widget_api, db, shop)
    body = _request(conversation_id, **changes)
    if changes.get("consent", True) is None:
        body.pop("consent")
    response = await widget_api.post("/widget/v1/handoff", json=body, headers=headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert field in response.text, problem
    async with db.tenant_session(shop.tenant_id) as session:
        state = await session.scalar(
            select(Conversation.handoff_state).where(Conversation.id == conversation_id)
        )
    assert state is None


async def test_another_visitors_or_another_tenants_conversation_is_a_404(
    widget_api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    headers, _ = await _visitor_with_conversation(widget_api, db, shop)
    someone_else = await add_exchange(db, shop, visitor_id="v_someone_else")
    other_shop = await provision_shop(db, name="Beta Bikes")
    theirs = await add_exchange(db, other_shop, visitor_id=visitor_of(headers["Authorization"][7:]))
    for conversation in (someone_else, theirs):
        conversation_id = str(conversation["conversation_id"])
        asked = await widget_api.post(
            "/widget/v1/handoff", json=_request(conversation_id), headers=headers
        )
        assert_problem(asked, 404, "not_found")
        polled = await widget_api.get(
            f"/widget/v1/conversations/{conversation_id}/messages", headers=headers
        )
        assert_problem(polled, 404, "not_found")
    async with db.tenant_session(shop.tenant_id) as session:
        flagged = await session.scalar(
            select(Conversation.handoff_state).where(
                Conversation.id == someone_else["conversation_id"]
            )
        )
    assert flagged is None


async def test_requests_and_polls_are_rate_limited_per_visitor(
    widget_api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    await update_bot(db, shop, rate_limits={"interaction": {"per_minute": 1, "burst": 3}})
    headers, conversation_id = await _visitor_with_conversation(widget_api, db, shop)
    poll = f"/widget/v1/conversations/{conversation_id}/messages"
    statuses = [(await widget_api.get(poll, headers=headers)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = await widget_api.post(
        "/widget/v1/handoff", json=_request(conversation_id), headers=headers
    )
    assert_problem(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) >= 1


async def test_without_a_session_token_it_is_a_401(
    widget_api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    _, conversation_id = await _visitor_with_conversation(widget_api, db, shop)
    response = await widget_api.post("/widget/v1/handoff", json=_request(conversation_id))
    assert response.status_code == 401


async def test_a_store_without_a_contact_still_flags_the_request(
    widget_api: httpx.AsyncClient, db: Database, shop: Shop, mailbox: SmtpTestServer
) -> None:
    await _support_email(db, shop, None)  # and no owner: provisioned without users
    headers, conversation_id = await _visitor_with_conversation(widget_api, db, shop)
    response = await widget_api.post(
        "/widget/v1/handoff", json=_request(conversation_id, message=None), headers=headers
    )
    assert response.status_code == 200, response.text
    polled = await widget_api.get(
        f"/widget/v1/conversations/{conversation_id}/messages", headers=headers
    )
    assert polled.json() == {"state": "open", "messages": [], "poll_after_s": 10}
