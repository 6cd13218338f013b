"""A whole business's data: `GET /v1/privacy/export` and `DELETE /v1/tenant`, on the real
app and database. Which tables hold a tenant's rows is read from the catalogue here too,
so a table added later is checked without touching this file."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest
import stripe
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import select, text
from sqlalchemy.engine import URL

from core import search_vocabulary
from core.db.database import Database
from core.email import EmailSender
from core.ids import TenantId
from core.models import (
    Chunk,
    ChunkVector,
    Conversation,
    Feedback,
    Invitation,
    KnowledgeDocument,
    Message,
    ModelUsageDaily,
    Plan,
    Product,
    ProductVariation,
    StoreConnection,
    Subscription,
    SyncJob,
    UsageCounter,
    WebhookEvent,
    WidgetEvent,
)
from dashboard_api.auth import repository as auth_repository
from dashboard_api.privacy.columns import ALLOWED_LOOKALIKES, EXCLUDED_COLUMNS, SECRET_LOOKING
from emulators.stripe import FakeStripe
from emulators.stripe.wire import Fault
from engine.analytics.question_clusters import AskedQuestion, cluster_question
from tests.dashboard_api.billing.harness import gateway_for
from tests.dashboard_api.harness import Merchant, add_member, build_app, client_for, register

BUSINESS = "Peak Outfitters"
OTHER_BUSINESS = "Harbour Books"


@pytest.fixture
def app(db: Database, redis: Redis, outbox: EmailSender, fake_stripe: FakeStripe) -> FastAPI:
    return build_app(db, redis=redis, email_sender=outbox, stripe=gateway_for(fake_stripe))


@pytest.fixture
async def client(app: FastAPI):
    async with client_for(app) as http:
        yield http


# --- the catalogue and counting -------------------------------------------------------


async def tenant_tables(db: Database) -> list[str]:
    async with db.system_session() as session:
        rows = await session.scalars(
            text(
                "SELECT c.table_name FROM information_schema.columns c"
                " JOIN information_schema.tables t USING (table_schema, table_name)"
                " WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'"
                " AND t.table_type = 'BASE TABLE' ORDER BY 1"
            )
        )
        return list(rows.all())


async def row_counts(db: Database, tenant_id: TenantId) -> dict[str, int]:
    """The tenant's rows in every tenant table and its `tenants` row (under its own RLS
    setting, which shows exactly the rows whose tenant_id is this tenant's)."""
    counts = {}
    async with db.tenant_session(tenant_id) as session:
        for table in await tenant_tables(db):
            counts[table] = await session.scalar(
                text(f'SELECT count(*) FROM "{table}" WHERE tenant_id = :t'), {"t": tenant_id}
            )
        counts["tenants"] = await session.scalar(
            text("SELECT count(*) FROM tenants WHERE id = :t"), {"t": tenant_id}
        )
    return counts


async def user_exists(db: Database, user_id: uuid.UUID) -> bool:
    async with db.system_session() as session:
        found = await session.scalar(text("SELECT 1 FROM users WHERE id = :u"), {"u": user_id})
        return found is not None


# --- seeding: a row in every table a tenant has -----------------------------------------


async def seed(client: httpx.AsyncClient, db: Database, merchant: Merchant, tag: str) -> None:
    """A store with a product, a variation and its chunk, a knowledge document and its
    chunk, a conversation with messages, feedback and events, a sync job, a webhook event,
    usage, model spend, an invitation, an API key, a billing row, a question cluster (plus
    what registration made: the bot, the membership, audit entries)."""
    response = await client.post(
        "/v1/api-keys", json={"name": "server", "scopes": ["read"]}, headers=merchant.headers
    )
    assert response.status_code == 201, response.text
    tenant_id, bot_id = merchant.tenant_id, merchant.bot_id
    vector = [0.01] * 384
    async with db.tenant_session(tenant_id) as session:
        store = StoreConnection(
            tenant_id=tenant_id,
            base_url=f"https://{tag}.example.com",
            credentials_ciphertext=b"sealed-credentials",
            webhook_secret_ciphertext=b"sealed-webhook-secret",
        )
        session.add(store)
        await session.flush()
        product = Product(
            tenant_id=tenant_id, store_id=store.id, external_id="1", name="Tent", content_hash="h"
        )
        document = KnowledgeDocument(
            tenant_id=tenant_id, bot_id=bot_id, title="Returns", body="30 days", content_hash="d"
        )
        conversation = Conversation(tenant_id=tenant_id, bot_id=bot_id, visitor_id=f"v-{tag}")
        session.add_all([product, document, conversation])
        await session.flush()
        question = Message(
            tenant_id=tenant_id, conversation_id=conversation.id, role="user", content="Hi?"
        )
        answer = Message(
            tenant_id=tenant_id, conversation_id=conversation.id, role="assistant", content="Hi"
        )
        session.add_all([question, answer])
        await session.flush()
        chunk = {"embedding_space": "minilm-l6-v2", "token_count": 3, "ordinal": 0}
        chunks = [
            Chunk(id=uuid.uuid4(), tenant_id=tenant_id, product_id=product.id, title="Tent",
                  body="A tent", **chunk),
            Chunk(id=uuid.uuid4(), tenant_id=tenant_id, knowledge_document_id=document.id,
                  title="Returns", body="30 days", **chunk),
        ]  # fmt: skip
        session.add_all(chunks)
        await session.flush()  # the vectors' key refers to their chunks
        session.add_all(
            [
                *(
                    ChunkVector(id=c.id, tenant_id=tenant_id, product_id=c.product_id,
                                knowledge_document_id=c.knowledge_document_id,
                                embedding_space="minilm-l6-v2", embedding=vector)
                    for c in chunks
                ),
                ProductVariation(tenant_id=tenant_id, product_id=product.id, external_id="2"),
                Feedback(tenant_id=tenant_id, message_id=answer.id, rating="up"),
                WidgetEvent(tenant_id=tenant_id, bot_id=bot_id, conversation_id=conversation.id,
                            type="product_click", product_id=product.id),
                SyncJob(tenant_id=tenant_id, store_id=store.id, mode="full"),
                WebhookEvent(tenant_id=tenant_id, store_id=store.id, source="woocommerce",
                             external_id=f"wh-{tag}", topic="product.updated", payload={}),
                UsageCounter(tenant_id=tenant_id, period_start=date(2026, 12, 1),
                             metric="privacy_test", value=1),
                ModelUsageDaily(tenant_id=tenant_id, bot_id=bot_id, day=date(2026, 12, 1),
                                model="gpt-4o-mini", answers=1),
                Invitation(tenant_id=tenant_id, email=f"invitee-{tag}@example.com",
                           role="viewer", token_hash=f"invite-{uuid.uuid4().hex}",
                           expires_at=datetime.now(UTC) + timedelta(days=7)),
            ]
        )  # fmt: skip
        asked = AskedQuestion(
            tenant_id, bot_id, question.id, f"v-{tag}", "minilm-l6-v2", vector, True
        )
        assert await cluster_question(session, asked) is not None  # a question cluster
        await session.flush()
        await search_vocabulary.recompute(session, tenant_id)  # its search vocabulary row
        if await session.scalar(select(Subscription.id).where(Subscription.tenant_id == tenant_id)):
            return
        free = await session.scalar(select(Plan.id).where(Plan.code == "free"))
        session.add(Subscription(tenant_id=tenant_id, plan_id=free, status="none"))


async def subscribe_in_stripe(fake: FakeStripe, db: Database, tenant_id: TenantId) -> str:
    """A paid subscription in the emulator, recorded on the tenant's billing row."""
    api = stripe.StripeClient(fake.api_key, base_addresses={"api": fake.url})
    price = api.v1.prices.create(
        params={"unit_amount": 1900, "currency": "usd", "recurring": {"interval": "month"},
                "product_data": {"name": "Starter"}}
    )  # fmt: skip
    checkout = api.v1.checkout.sessions.create(
        params={"mode": "subscription", "success_url": "https://x.test/ok",
                "line_items": [{"price": price.id, "quantity": 1}]}
    )  # fmt: skip
    subscription = fake.complete_checkout(checkout.id)
    async with db.tenant_session(tenant_id) as session:
        await session.execute(
            text(
                "UPDATE subscriptions SET status = 'active', stripe_subscription_id = :s,"
                " stripe_customer_id = :c WHERE tenant_id = :t"
            ),
            {"s": subscription["id"], "c": subscription["customer"], "t": tenant_id},
        )
    return str(subscription["id"])


async def two_seeded_businesses(
    client: httpx.AsyncClient, db: Database
) -> tuple[Merchant, Merchant]:
    merchant = await register(client, business=BUSINESS)
    other = await register(client, business=OTHER_BUSINESS)
    await seed(client, db, merchant, "a")
    await seed(client, db, other, "b")
    return merchant, other


async def delete_tenant(client: httpx.AsyncClient, headers: dict[str, str], confirm: str):
    return await client.request("DELETE", "/v1/tenant", json={"confirm": confirm}, headers=headers)


# --- DELETE /v1/tenant ------------------------------------------------------------------


async def test_deleting_a_business_leaves_no_row_of_it_in_any_tenant_table(
    client: httpx.AsyncClient, app: FastAPI, db: Database, fake_stripe: FakeStripe
) -> None:
    merchant, other = await two_seeded_businesses(client, db)
    sub_id = await subscribe_in_stripe(fake_stripe, db, merchant.tenant_id)
    shared = await add_member(app, db, merchant.tenant_id, "editor")
    shared_user = uuid.UUID(shared["X-User-Id"])
    async with db.tenant_session(other.tenant_id) as session:
        await auth_repository.add_membership(session, other.tenant_id, shared_user, "viewer")
    before = await row_counts(db, merchant.tenant_id)
    assert [table for table, count in before.items() if count == 0] == [], (
        "seed a row in every tenant table, so the erasure of each is checked"
    )
    other_before = await row_counts(db, other.tenant_id)

    response = await delete_tenant(client, merchant.headers, BUSINESS)

    assert response.status_code == 200, response.text
    assert set((await row_counts(db, merchant.tenant_id)).values()) == {0}
    assert await row_counts(db, other.tenant_id) == other_before
    body = response.json()
    assert {k: v for k, v in body["row_counts"].items() if k != "users"} == before
    assert body["row_counts"]["users"] == 1  # the owner; the shared member stays
    assert not await user_exists(db, merchant.user_id)
    assert await user_exists(db, shared_user)
    assert await user_exists(db, other.user_id)
    assert fake_stripe.subscriptions[sub_id]["status"] == "canceled"
    assert ("DELETE", f"/v1/subscriptions/{sub_id}") in [
        (r.method, r.path) for r in fake_stripe.requests
    ]
    # Sessions and keys of the business are gone with their rows.
    me = await client.get("/v1/business", headers=merchant.headers)
    assert me.status_code == 401
    refreshed = await client.post(
        "/v1/auth/refresh", json={"refresh_token": merchant.refresh_token}
    )
    assert refreshed.status_code == 401
    still = await client.get("/v1/business", headers=other.headers)
    assert still.status_code == 200 and still.json()["name"] == OTHER_BUSINESS


async def test_a_wrong_confirmation_is_422_and_deletes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    merchant, _ = await two_seeded_businesses(client, db)
    before = await row_counts(db, merchant.tenant_id)
    for wrong in ("peak outfitters", "Peak Outfitters ", OTHER_BUSINESS):
        response = await delete_tenant(client, merchant.headers, wrong)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["code"] == "confirmation_mismatch"
        assert problem["errors"][0]["field"] == "confirm"
    assert await row_counts(db, merchant.tenant_id) == before


async def test_only_the_owner_may_delete_the_business(
    client: httpx.AsyncClient, app: FastAPI, db: Database
) -> None:
    merchant, _ = await two_seeded_businesses(client, db)
    before = await row_counts(db, merchant.tenant_id)
    for role in ("admin", "editor", "viewer"):
        headers = await add_member(app, db, merchant.tenant_id, role)
        response = await delete_tenant(client, headers, BUSINESS)
        assert response.status_code == 403, (role, response.text)
    key = await client.post(
        "/v1/api-keys", json={"name": "w", "scopes": ["read", "write"]}, headers=merchant.headers
    )
    secret = {"Authorization": f"Bearer {key.json()['secret']}"}
    assert (await delete_tenant(client, secret, BUSINESS)).status_code == 403
    after = await row_counts(db, merchant.tenant_id)
    assert after["tenants"] == 1 and after["chunks"] == before["chunks"]


async def test_a_stripe_failure_deletes_nothing(
    client: httpx.AsyncClient, db: Database, fake_stripe: FakeStripe
) -> None:
    merchant, _ = await two_seeded_businesses(client, db)
    sub_id = await subscribe_in_stripe(fake_stripe, db, merchant.tenant_id)
    before = await row_counts(db, merchant.tenant_id)
    fake_stripe.inject(Fault("api_error", path="subscriptions"))

    response = await delete_tenant(client, merchant.headers, BUSINESS)

    assert response.status_code == 503, response.text
    assert response.json()["code"] == "billing_unavailable"
    assert await row_counts(db, merchant.tenant_id) == before
    assert fake_stripe.subscriptions[sub_id]["status"] == "active"
    # Trying again once Stripe answers goes through.
    assert (await delete_tenant(client, merchant.headers, BUSINESS)).status_code == 200
    assert fake_stripe.subscriptions[sub_id]["status"] == "canceled"


def test_the_application_role_cannot_read_the_erasure_records(app_url: URL) -> None:
    dsn = app_url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM tenant_erasures")


# --- GET /v1/privacy/export ---------------------------------------------------------------


def read_zip(response: httpx.Response) -> dict[str, list[dict[str, Any]]]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    files: dict[str, list[dict[str, Any]]] = {}
    for name in archive.namelist():
        if name.endswith(".jsonl"):
            lines = archive.read(name).decode().splitlines()
            files[name] = [json.loads(line) for line in lines]
    files["README.txt"] = [{"text": archive.read("README.txt").decode()}]
    return files


async def test_the_export_has_a_file_per_tenant_table_and_no_secret(
    client: httpx.AsyncClient, db: Database
) -> None:
    merchant, other = await two_seeded_businesses(client, db)
    counts = await row_counts(db, merchant.tenant_id)

    response = await client.get("/v1/privacy/export", headers=merchant.headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="shopbot-export-{merchant.tenant_id}-{today}.zip"'
    )
    files = read_zip(response)
    assert set(files) == {f"{t}.jsonl" for t in counts} | {"README.txt"}
    exported = {name.removesuffix(".jsonl"): rows for name, rows in files.items()}
    audit_rows = len(exported["audit_log"])
    assert {t: len(rows) for t, rows in exported.items() if t != "README.txt"} == {
        **counts,
        "audit_log": audit_rows,
    }
    assert exported["tenants"][0]["name"] == BUSINESS
    for table, rows in exported.items():
        for row in rows:
            assert not set(row) & set(EXCLUDED_COLUMNS), table
            assert str(other.tenant_id) not in json.dumps(row), table
    assert exported["chunks"][0]["body"] and "embedding" not in exported["chunks"][0]
    readme = files["README.txt"][0]["text"]
    assert "embedding" in readme and "credentials_ciphertext" in readme
    audit = await client.get("/v1/audit-log", headers=merchant.headers)
    assert "privacy.exported" in [entry["action"] for entry in audit.json()["items"]]


async def test_the_export_needs_an_admin(
    client: httpx.AsyncClient, app: FastAPI, db: Database, merchant: Merchant
) -> None:
    for role, status in (("viewer", 403), ("editor", 403), ("admin", 200)):
        headers = await add_member(app, db, merchant.tenant_id, role)
        response = await client.get("/v1/privacy/export", headers=headers)
        assert response.status_code == status, (role, response.text)


async def test_every_secret_looking_column_is_excluded_or_allowed_with_a_reason(
    db: Database,
) -> None:
    patterns = " OR ".join(f"column_name LIKE '{p}'" for p in SECRET_LOOKING)
    tables = [*await tenant_tables(db), "tenants"]
    async with db.system_session() as session:
        rows = await session.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns"
                f" WHERE table_schema = 'public' AND ({patterns})"
                " AND column_name NOT LIKE '%\\_id' AND table_name = ANY(:tables)"
            ),
            {"tables": tables},
        )
        found = sorted({(row.table_name, row.column_name) for row in rows})
    assert found, "the patterns match the known secret columns"
    unexplained = [
        (table, column)
        for table, column in found
        if column not in EXCLUDED_COLUMNS and column not in ALLOWED_LOOKALIKES
    ]
    assert unexplained == []
