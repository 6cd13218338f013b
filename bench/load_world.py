"""bench.load's world: the processes' environment and the seeded tenants.

- `--tenants` chat tenants, each with the widget bench's outfitter catalogue indexed
  directly (`evals.seeded_index`, one embedding pass shared by all) and its bot on
  "openai", i.e. the paced fake model;
- one sync tenant whose store is a generated `--products` catalogue served by the
  WooCommerce emulator in a process of its own (bench.ingest's `StoreHandle`);
- one webhook tenant: a small emulated store in this process (its price is changed and its
  signed webhook sent from here), registered with the API's URL so the store holds a real
  webhook, synced once here, its bot on the offline answerer (a quick answer to poll).

All tenants are on the benches' `bench` plan (quotas and rate ceilings out of reach: the
bench measures the serving path, not the plan). Embeddings are OpenAI's
text-embedding-3-small through the fake (production's provider; see bench/load.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bench.load_model import API_KEY
from bench.widget_setup import BENCH_PLAN, BENCH_RATE_LIMITS, ORIGIN, catalogue

CHAT_LLM = {"provider": "openai", "model": "gpt-4o-mini", "max_retries": 0, "timeout_s": 60}


@dataclass(frozen=True)
class Shop:
    tenant_id: Any
    bot_id: Any
    widget_key: str


@dataclass(frozen=True)
class SyncShop:
    tenant_id: Any
    store_id: Any
    listed: int  # published products in the store: what a full sync processes


@dataclass(frozen=True)
class WebhookShop:
    shop: Shop
    store_id: Any
    product_id: int
    name: str
    price: str


def process_env(
    owner_url: Any, data_dir: Any, model_url: str, redis_url: str, encryption_key: str
) -> dict[str, str]:
    """The environment every `shopbot` process of the bench shares (API and worker alike:
    the same database, broker, keys and model)."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "SHOPBOT_ENV"}}
    env.update(
        {
            "DATABASE_URL": owner_url.render_as_string(hide_password=False),
            "REDIS_URL": redis_url,
            "SHOPBOT_DATA_DIR": str(data_dir / "app"),
            "SHOPBOT_SECRET_KEY": secrets.token_urlsafe(48),
            "SHOPBOT_ENCRYPTION_KEYS": encryption_key,
            "OPENAI_API_KEY": API_KEY,
            "SHOPBOT_OPENAI_BASE_URL": model_url,
            "SHOPBOT_EMBEDDING_PROVIDER": "openai",
            # The stores are emulators on 127.0.0.1 over http: the guard's explicit opt-in.
            "SHOPBOT_OUTBOUND_ALLOW_HTTP": "true",
            "SHOPBOT_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
    )
    return env


def bench_embedder(model_url: str) -> Any:
    from engine.embeddings import build_embedder

    return build_embedder("openai", openai_api_key=API_KEY, openai_base_url=model_url)


def outbound_for(*urls: str) -> Any:
    from core.outbound import OutboundPolicy

    parts = [urlsplit(url) for url in urls]
    return OutboundPolicy(
        allow_http=True,
        allowed_hosts=frozenset(p.hostname or "" for p in parts),
        allowed_ports=frozenset(p.port or 80 for p in parts),
    )


async def _on_bench_plan(db: Any, tenant: Any, llm: dict[str, Any]) -> None:
    from sqlalchemy import update

    from core.billing.plan_changes import set_plan_manually
    from core.billing.plans import offered_plan
    from core.models import Bot

    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(llm_settings=llm, rate_limits=BENCH_RATE_LIMITS)
        )
        await set_plan_manually(session, tenant.tenant_id, await offered_plan(session, BENCH_PLAN))


async def seed_chat_tenants(db: Any, embedder: Any, count: int, at_once: int = 6) -> list[Shop]:
    """`count` tenants, `at_once` seeded concurrently (each one transaction of row-by-row
    inserts: on a busy machine their round trips, not the database, set the pace)."""
    import asyncio

    from core.provisioning import provision_tenant
    from evals.seeded_index import index_products

    products = catalogue()
    vectors = await embedder.embed_documents([p.text for p in products])

    async def one(n: int) -> Shop:
        tenant = await provision_tenant(
            db, name=f"Bench outfitters {n:03d}", allowed_origins=[ORIGIN]
        )
        await index_products(db, tenant.tenant_id, products, vectors, embedder.space.name)
        await _on_bench_plan(db, tenant, CHAT_LLM)
        return Shop(tenant.tenant_id, tenant.bot_id, tenant.widget_key)

    shops: list[Shop] = []
    for start in range(0, count, at_once):
        shops += await asyncio.gather(*(one(n) for n in range(start, min(count, start + at_once))))
    return shops


async def seed_sync_tenant(db: Any, box: Any, store_info: dict[str, Any]) -> SyncShop:
    from core.provisioning import provision_tenant
    from ingestion.stores import register_store

    tenant = await provision_tenant(db, name="Bench bulk store", allowed_origins=[ORIGIN])
    await _on_bench_plan(db, tenant, {"provider": "offline"})
    registered = await register_store(
        db,
        box,
        tenant.tenant_id,
        url=store_info["url"],
        consumer_key=store_info["key"],
        consumer_secret=store_info["secret"],
        outbound=outbound_for(store_info["url"]),
    )
    return SyncShop(tenant.tenant_id, registered.store_id, store_info["listed"])


async def seed_webhook_tenant(
    db: Any, box: Any, embedder: Any, store: Any, api_url: str
) -> WebhookShop:
    from core.provisioning import provision_tenant
    from ingestion.stores import register_store
    from ingestion.sync.service import run_sync

    tenant = await provision_tenant(db, name="Bench webhook store", allowed_origins=[ORIGIN])
    await _on_bench_plan(db, tenant, {"provider": "offline"})
    outbound = outbound_for(store.url)
    registered = await register_store(
        db,
        box,
        tenant.tenant_id,
        url=store.url,
        consumer_key=store.consumer_key,
        consumer_secret=store.consumer_secret,
        public_api_url=api_url,
        outbound=outbound,
    )
    if not registered.webhooks:
        raise RuntimeError(f"the store registered no webhooks: {registered.webhook_error}")
    record = await run_sync(
        db,
        tenant.tenant_id,
        registered.store_id,
        mode="full",
        secret_box=box,
        embedder=embedder,
        outbound=outbound,
    )
    if record.status != "succeeded":
        raise RuntimeError(f"the webhook store's first sync failed: {record}")
    product_id = min(i for i in store.publicly_visible_ids() if _plainly_priced(store.product(i)))
    product = store.product(product_id)
    return WebhookShop(
        Shop(tenant.tenant_id, tenant.bot_id, tenant.widget_key),
        registered.store_id,
        product_id,
        product["name"],
        product["regular_price"],
    )


def _plainly_priced(product: dict[str, Any]) -> bool:
    """A simple product at its regular price: the price a shopper sees is the one changed."""
    return (
        product["type"] == "simple"
        and bool(product["regular_price"])
        and not (product.get("sale_price"))
    )
