"""Schemathesis against `/openapi.json`, signed in as a merchant: no 5xx, and every
response conforms to the document (status code, content type, body schema). Half of the
cases carry a NUL or a lone surrogate in one of their strings (tests.support.hostile_text)."""

from __future__ import annotations

import uuid

import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from core.db.database import Database
from core.models import Conversation, Message, StoreConnection, SyncJob
from emulators.stripe import FakeStripe
from engine.answer_events import AnswerResult, Question
from ingestion.woocommerce.client import WooClient
from tests.dashboard_api.billing.harness import gateway_for
from tests.dashboard_api.harness import add_member, build_app, client_for, register
from tests.dashboard_api.support import HashingEmbedder
from tests.support.hostile_text import fuzz_operations
from tests.support.plans import put_on_plan

EXAMPLES_PER_OPERATION = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class CannedAnswers:
    async def answer(self, question: Question) -> AnswerResult:
        return AnswerResult(
            question.conversation_id or uuid.uuid4(), uuid.uuid4(), "A canned answer.", []
        )


def offline_store(url: str, key: str, secret: str) -> WooClient:
    """Every generated store URL answers like a store rejecting the keys (no network)."""

    def reject(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401,
            json={"code": "woocommerce_rest_authentication_error", "message": "Invalid signature"},
        )

    return WooClient(
        url, key, secret, transport=httpx.MockTransport(reject), allow_plaintext_credentials=True
    )


async def leave_queued(tenant_id, job_id, owner) -> None:
    return None


@pytest.fixture(scope="module")
async def fuzz_target(app_url, fake_stripe_server: FakeStripe):
    # The ASGI test client runs the app on its own event loop: no pooled connections, no
    # Redis client (both are bound to the loop that made them). Billing talks to the Stripe
    # emulator (without Stripe its writes are a deliberate 503 `billing_not_configured`).
    engine = create_async_engine(app_url, poolclass=NullPool)
    app = build_app(
        Database(engine=engine),
        redis=None,
        embedder=HashingEmbedder(),
        answer_service=CannedAnswers(),
        store_client_factory=offline_store,
        sync_launcher=leave_queued,
        stripe=gateway_for(fake_stripe_server),
    )
    db = app.state.shopbot_dashboard_runtime.db
    async with client_for(app) as client:
        merchant = await register(client, "Fuzzing Goods")
        await put_on_plan(db, merchant.tenant_id, "growth")  # room for a member and an invite
        ids = await seed_objects(app, client, db, merchant)
    yield app, merchant.headers, ids
    await engine.dispose()


async def seed_objects(app, client, db, merchant) -> dict[str, str]:
    """Real ids of every kind, so generated cases reach past the 404s as well."""
    box = app.state.shopbot_dashboard_runtime.deps.secret_box
    member = await add_member(app, db, merchant.tenant_id, "editor")
    async with db.tenant_session(merchant.tenant_id) as session:
        store = StoreConnection(
            tenant_id=merchant.tenant_id,
            base_url="https://fuzz.example.com",
            credentials_ciphertext=box.encrypt_json(
                {"consumer_key": "ck_f", "consumer_secret": "cs_f"}
            ),
        )
        session.add(store)
        await session.flush()
        job = SyncJob(
            tenant_id=merchant.tenant_id,
            store_id=store.id,
            mode="full",
            status="succeeded",
            total=10,
            processed=10,
        )
        conversation = Conversation(
            tenant_id=merchant.tenant_id, bot_id=merchant.bot_id, visitor_id="v", message_count=1
        )
        session.add_all([job, conversation])
        await session.flush()
        session.add(
            Message(
                tenant_id=merchant.tenant_id,
                conversation_id=conversation.id,
                role="user",
                content="hi",
            )
        )
        ids: dict[str, object] = {
            "store_id": store.id,
            "job_id": job.id,
            "conversation_id": conversation.id,
        }
    document = await client.post(
        "/v1/knowledge", headers=merchant.headers, json={"title": "FAQ", "body": "Ask."}
    )
    key = await client.post("/v1/api-keys", headers=merchant.headers, json={"name": "fuzz"})
    invitation = await client.post(
        "/v1/team/invitations", headers=merchant.headers, json={"email": "fuzz@example.com"}
    )
    ids.update(
        bot_id=merchant.bot_id,
        user_id=member["X-User-Id"],
        document_id=document.json()["id"],
        api_key_id=key.json()["id"],
        invitation_id=invitation.json()["id"],
    )
    return {name: str(value) for name, value in ids.items()}


def with_real_ids(case, use_real: bool, ids: dict[str, str]):
    if use_real and case.path_parameters:
        for name in list(case.path_parameters):
            if name in ids:
                case.path_parameters[name] = ids[name]
    return case


def test_no_server_errors_and_responses_match_the_document(fuzz_target) -> None:
    # One test walking every operation (schemathesis's pytest plugin does not run on
    # pytest 9: it renames nodes through a removed attribute).
    app, headers, ids = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the document has an invalid operation: {result}"
        operations.append(result.ok())
    # Deletions last (bots and stores at the very end: they cascade), so the other
    # operations meet the seeded objects alive.
    cascade = ("/v1/bots/{bot_id}", "/v1/stores/{store_id}")
    operations.sort(key=lambda op: (op.method.upper() == "DELETE", op.path in cascade))
    assert len(operations) >= 40
    # Half of the cases of an id-taking operation use the merchant's real ids; half of
    # all cases get a NUL or a lone surrogate in one string.
    run = fuzz_operations(
        operations,
        lambda operation: st.tuples(operation.as_strategy(), st.booleans()).map(
            lambda pair: with_real_ids(*pair, ids)
        ),
        headers=headers,
        checks=CHECKS,
        examples_per_operation=EXAMPLES_PER_OPERATION,
    )
    run.assert_clean(min_calls=200)
