"""`POST /webhooks/woocommerce/{store_id}`: signed deliveries from the fake store, through the
real router, applied in-process against the real database."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from api.webhooks import WebhookRouteDeps, include_webhook_routes
from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import WebhookEvent
from emulators.catalog import generate_catalog
from emulators.woocommerce import WebhookDelivery, build_webhook_delivery, build_webhook_ping
from ingestion.sync.service import run_sync
from ingestion.tasks import webhook_dispatcher
from ingestion.webhooks import MAX_WEBHOOK_BODY_BYTES
from tests.support.plans import put_on_plan
from tests.support.sync import (
    MemoEmbedder,
    connect_store,
    indexed_state,
    local_fake_source,
    new_tenant,
)
from tests.support.woo_store import FakeWooStore
from web.guards import install_request_guards

BASE = "http://shopbot.test"


@pytest.fixture
async def client(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder
) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    include_webhook_routes(
        app,
        WebhookRouteDeps(
            db=committed_db,
            secret_box=secret_box,
            apply_event=webhook_dispatcher(
                committed_db, secret_box, embedder, inline=True, source_factory=local_fake_source
            ),
        ),
    )
    install_request_guards(app)  # the body limit every route of the process has
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
        yield http


async def _synced_store(
    db: Database, box: SecretBox, embedder: MemoEmbedder, store: FakeWooStore, name: str
):
    tenant = await new_tenant(db, name)
    store_id = await connect_store(db, box, tenant, store, public_api_url=BASE)
    record = await run_sync(
        db,
        tenant,
        store_id,
        mode="full",
        secret_box=box,
        embedder=embedder,
        outbound=store.outbound_policy,
    )
    assert record.status == "succeeded"
    return tenant, store_id


def _first_simple_product(store: FakeWooStore) -> int:
    return min(i for i in store.publicly_visible_ids() if store.product(i)["type"] == "simple")


def _delivery_for(
    store: FakeWooStore, store_id: uuid.UUID, topic: str, product_id: int
) -> WebhookDelivery:
    matching = [d for d in store.webhook_deliveries(topic, product_id) if str(store_id) in d.url]
    assert len(matching) == 1, [d.url for d in store.webhook_deliveries(topic, product_id)]
    return matching[0]


async def _post(http: httpx.AsyncClient, delivery: WebhookDelivery) -> httpx.Response:
    return await http.post(
        delivery.url.removeprefix(BASE), content=delivery.body, headers=delivery.headers
    )


async def _events(db: Database, tenant: TenantId) -> int:
    async with db.tenant_session(tenant) as session:
        return (await session.execute(select(func.count()).select_from(WebhookEvent))).scalar_one()


async def test_ping_is_answered_200(client: httpx.AsyncClient) -> None:
    # WooCommerce pings while the webhook is being created; a ping carries nothing to apply.
    ping = build_webhook_ping(f"{BASE}/webhooks/woocommerce/{uuid.uuid4()}", webhook_id=42)
    response = await _post(client, ping)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ping"}
    malformed = build_webhook_ping(f"{BASE}/webhooks/woocommerce/not-a-store", webhook_id=42)
    answered = await _post(client, malformed)
    assert answered.status_code == 200 and answered.json() == {"status": "ping"}


async def test_signed_update_applies_once_and_forgeries_change_nothing(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    client: httpx.AsyncClient,
) -> None:
    tenant, store_id = await _synced_store(committed_db, secret_box, embedder, fake_store, "Hooks")
    product_id = _first_simple_product(fake_store)
    fake_store.set_price(product_id, "41.00")
    genuine = _delivery_for(fake_store, store_id, "product.updated", product_id)

    forged = WebhookDelivery(
        genuine.url, {**genuine.headers, "X-WC-Webhook-Signature": "Zm9yZ2Vk"}, genuine.body
    )
    tampered = WebhookDelivery(
        genuine.url, genuine.headers, genuine.body.replace(b"41.00", b"1.00")
    )
    unsigned = WebhookDelivery(
        genuine.url,
        {k: v for k, v in genuine.headers.items() if k != "X-WC-Webhook-Signature"},
        genuine.body,
    )
    for bad in (forged, tampered, unsigned):
        response = await _post(client, bad)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "unauthorized"
    assert await _events(committed_db, tenant) == 0
    assert (await indexed_state(committed_db, tenant, store_id))[str(product_id)][
        "price"
    ] != Decimal("41.00")

    response = await _post(client, genuine)
    assert response.status_code == 200 and response.json() == {"status": "accepted"}
    assert (await indexed_state(committed_db, tenant, store_id))[str(product_id)][
        "price"
    ] == Decimal("41.00")

    fake_store.set_price(product_id, "43.00")  # a replay that applied would re-read this price
    replay = await _post(client, genuine)
    assert replay.status_code == 200 and replay.json() == {"status": "duplicate"}
    assert (await indexed_state(committed_db, tenant, store_id))[str(product_id)][
        "price"
    ] == Decimal("41.00")
    assert await _events(committed_db, tenant) == 1


async def test_created_deleted_and_variation_updates(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    client: httpx.AsyncClient,
) -> None:
    tenant, store_id = await _synced_store(
        committed_db, secret_box, embedder, fake_store, "Hook topics"
    )
    added = fake_store.add_product(
        "Harbor Canvas Tote",
        "35.00",
        category="Apparel",
        description_html="<p>A sturdy canvas tote for the market.</p>",
    )
    assert (
        await _post(client, _delivery_for(fake_store, store_id, "product.created", added["id"]))
    ).status_code == 200
    indexed = await indexed_state(committed_db, tenant, store_id)
    assert indexed[str(added["id"])]["chunks"] >= 1

    victim = max(fake_store.publicly_visible_ids())
    fake_store.trash_product(victim)
    response = await _post(client, _delivery_for(fake_store, store_id, "product.deleted", victim))
    assert response.status_code == 200
    assert str(victim) not in await indexed_state(committed_db, tenant, store_id)

    parent = min(
        i for i in fake_store.publicly_visible_ids() if fake_store.product(i)["type"] == "variable"
    )
    variation = fake_store.variations(parent)[0]
    changed = fake_store.update_variation(parent, variation["id"], regular_price="5.55")
    hook = _delivery_for(fake_store, store_id, "product.updated", parent)  # for the URL and secret
    secret = fake_store.webhook_secrets[int(hook.headers["X-WC-Webhook-ID"])]
    payload = {**changed, "type": "variation", "parent_id": parent}
    as_variation = build_webhook_delivery(
        hook.url, topic="product.updated", payload=payload, secret=secret
    )
    assert (await _post(client, as_variation)).status_code == 200
    variations = (await indexed_state(committed_db, tenant, store_id))[str(parent)]["variations"]
    assert variations[str(variation["id"])][0] == Decimal("5.55")


async def test_unknown_store_and_bad_signature_get_byte_identical_answers(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    client: httpx.AsyncClient,
) -> None:
    tenant, store_id = await _synced_store(
        committed_db, secret_box, embedder, fake_store, "Hook probing"
    )
    product_id = min(fake_store.publicly_visible_ids())
    genuine = _delivery_for(fake_store, store_id, "product.updated", product_id)
    bad_signature = WebhookDelivery(
        genuine.url, {**genuine.headers, "X-WC-Webhook-Signature": "Zm9yZ2Vk"}, genuine.body
    )
    unknown_store = WebhookDelivery(
        genuine.url.replace(str(store_id), str(uuid.uuid4())), genuine.headers, genuine.body
    )
    malformed_store = WebhookDelivery(
        f"{BASE}/webhooks/woocommerce/not-a-store", genuine.headers, genuine.body
    )

    answers = [
        await _post(client, delivery)
        for delivery in (bad_signature, unknown_store, malformed_store)
    ]
    assert answers[0].status_code == 401 and answers[0].json()["code"] == "unauthorized"
    assert str(store_id) not in answers[0].text
    for answer in answers[1:]:
        assert answer.status_code == answers[0].status_code
        assert answer.headers.raw == answers[0].headers.raw
        assert answer.content == answers[0].content
    assert await _events(committed_db, tenant) == 0


async def test_oversized_body_is_413_before_any_lookup(client: httpx.AsyncClient) -> None:
    url = f"{BASE}/webhooks/woocommerce/{uuid.uuid4()}"
    delivery = build_webhook_delivery(
        url, topic="product.updated", payload={"id": 1}, secret="whatever"
    )
    huge = WebhookDelivery(
        delivery.url,
        delivery.headers,
        json.dumps({"id": 1, "pad": "x" * MAX_WEBHOOK_BODY_BYTES}).encode(),
    )
    response = await _post(client, huge)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


async def test_a_replay_under_a_new_delivery_id_is_not_applied_again(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    client: httpx.AsyncClient,
) -> None:
    tenant, store_id = await _synced_store(
        committed_db, secret_box, embedder, fake_store, "Hook replays"
    )
    product_id = _first_simple_product(fake_store)
    fake_store.set_price(product_id, "41.00")
    genuine = _delivery_for(fake_store, store_id, "product.updated", product_id)
    assert (await _post(client, genuine)).json() == {"status": "accepted"}

    fake_store.set_price(product_id, "43.00")  # an applied replay would re-read this price
    fake_store.reset_request_log()
    # The unsigned headers are the attacker's to choose: a fresh delivery id, another topic.
    for headers in (
        {**genuine.headers, "X-WC-Webhook-Delivery-ID": uuid.uuid4().hex},
        {
            **genuine.headers,
            "X-WC-Webhook-Delivery-ID": uuid.uuid4().hex,
            "X-WC-Webhook-Topic": "product.created",
        },
        {k: v for k, v in genuine.headers.items() if k != "X-WC-Webhook-Delivery-ID"},
    ):
        replay = await _post(client, WebhookDelivery(genuine.url, headers, genuine.body))
        assert replay.status_code == 200 and replay.json() == {"status": "duplicate"}
    assert await _events(committed_db, tenant) == 1
    assert fake_store.requests == []  # nothing re-read from the store
    assert (await indexed_state(committed_db, tenant, store_id))[str(product_id)][
        "price"
    ] == Decimal("41.00")


async def test_a_product_trashed_again_after_a_restore_is_removed_again(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    client: httpx.AsyncClient,
) -> None:
    # A deletion body is only {"id": N}: the same bytes each time the product is trashed.
    tenant, store_id = await _synced_store(
        committed_db, secret_box, embedder, fake_store, "Hook re-deletion"
    )
    product_id = _first_simple_product(fake_store)
    fake_store.trash_product(product_id)
    first_deletion = _delivery_for(fake_store, store_id, "product.deleted", product_id)
    assert (await _post(client, first_deletion)).json() == {"status": "accepted"}
    assert str(product_id) not in await indexed_state(committed_db, tenant, store_id)
    replayed = await _post(client, first_deletion)
    assert replayed.json() == {"status": "duplicate"}

    fake_store.restore_product(product_id)
    fake_store.update_product(product_id, status="publish")
    assert (
        await _post(client, _delivery_for(fake_store, store_id, "product.restored", product_id))
    ).json() == {"status": "accepted"}
    assert str(product_id) in await indexed_state(committed_db, tenant, store_id)

    fake_store.trash_product(product_id)
    second_deletion = _delivery_for(fake_store, store_id, "product.deleted", product_id)
    assert second_deletion.body == first_deletion.body
    assert (await _post(client, second_deletion)).json() == {"status": "accepted"}
    assert str(product_id) not in await indexed_state(committed_db, tenant, store_id)
    assert (await _post(client, second_deletion)).json() == {"status": "duplicate"}
    assert await _events(committed_db, tenant) == 3


async def test_the_same_deletion_body_from_two_stores_of_one_tenant_is_applied_to_both(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    client: httpx.AsyncClient,
) -> None:
    tenant = await new_tenant(committed_db, "Two stores")
    await put_on_plan(committed_db, tenant, "growth")  # Free has one store
    with (
        FakeWooStore(generate_catalog(30, seed=5)) as first,
        FakeWooStore(generate_catalog(30, seed=5)) as second,
    ):
        stores = [
            (fake, await connect_store(committed_db, secret_box, tenant, fake, public_api_url=BASE))
            for fake in (first, second)
        ]
        assert stores[0][1] != stores[1][1]
        for _, store_id in stores:
            record = await run_sync(
                committed_db,
                tenant,
                store_id,
                mode="full",
                secret_box=secret_box,
                embedder=embedder,
                source_factory=local_fake_source,
            )
            assert record.status == "succeeded"
        product_id = min(first.publicly_visible_ids() & second.publicly_visible_ids())
        for fake, _ in stores:
            fake.trash_product(product_id)
        deliveries = [
            _delivery_for(fake, store_id, "product.deleted", product_id)
            for fake, store_id in stores
        ]
        assert deliveries[0].body == deliveries[1].body
        for (_, store_id), delivery in zip(stores, deliveries, strict=True):
            assert (await _post(client, delivery)).json() == {"status": "accepted"}
            assert str(product_id) not in await indexed_state(committed_db, tenant, store_id)
    assert await _events(committed_db, tenant) == 2


async def test_a_webhook_for_one_tenants_store_never_touches_another_tenants_rows(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    client: httpx.AsyncClient,
) -> None:
    tenant_a, store_a = await _synced_store(
        committed_db, secret_box, embedder, fake_store, "Tenant A"
    )
    tenant_b, store_b = await _synced_store(
        committed_db, secret_box, embedder, fake_store, "Tenant B"
    )
    product_id = min(fake_store.publicly_visible_ids())
    before_b = await indexed_state(committed_db, tenant_b, store_b)
    fake_store.set_price(product_id, "99.99")

    # A's genuine delivery updates A only.
    assert (
        await _post(client, _delivery_for(fake_store, store_a, "product.updated", product_id))
    ).status_code == 200
    assert (await indexed_state(committed_db, tenant_a, store_a))[str(product_id)][
        "price"
    ] == Decimal("99.99")
    assert await indexed_state(committed_db, tenant_b, store_b) == before_b

    # A's signed body replayed against B's store URL fails B's secret.
    delivery_a = _delivery_for(fake_store, store_a, "product.updated", product_id)
    redirected = WebhookDelivery(
        delivery_a.url.replace(str(store_a), str(store_b)), delivery_a.headers, delivery_a.body
    )
    assert (await _post(client, redirected)).status_code == 401
    assert await indexed_state(committed_db, tenant_b, store_b) == before_b
    assert await _events(committed_db, tenant_b) == 0
