"""Order-status set-up shared by the engine tests: a tenant's bot connected to a running
WooCommerce emulator (its keys encrypted as a real connection stores them), and the answer
service wired with ingestion's order look-up as `shopbot serve` wires it."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import select, update

from cli.order_lookup import WooOrderLookup
from core.crypto import SecretBox
from core.db.database import Database
from core.models import Bot, Message, StoreConnection, Tenant
from engine.answer import AnswerService
from engine.answer_events import AnswerEvent, DoneEvent, Question, TokenEvent
from engine.embeddings import shared_local_embedder
from engine.orders import AttemptLimits, OrderAttempts, OrderDesk
from ingestion.orders import StoreOrders
from tests.support.woo_store import FakeWooStore

SUPPORT_EMAIL = "help@peak-outfitters.example.com"


def secret_box() -> SecretBox:
    return SecretBox.from_setting(os.environ["SHOPBOT_ENCRYPTION_KEYS"])


async def connect_store(db: Database, tenant: Any, store: FakeWooStore) -> None:
    """The tenant's (seeded) store row now points at `store`, and its bot at that row."""
    box = secret_box()
    credentials = {"consumer_key": store.consumer_key, "consumer_secret": store.consumer_secret}
    async with db.tenant_session(tenant.tenant_id) as session:
        store_id = (await session.execute(select(StoreConnection.id))).scalars().first()
        await session.execute(
            update(StoreConnection)
            .where(StoreConnection.id == store_id)
            .values(base_url=store.url, credentials_ciphertext=box.encrypt_json(credentials))
        )
        await session.execute(update(Bot).where(Bot.id == tenant.bot_id).values(store_id=store_id))
        await session.execute(
            update(Tenant).where(Tenant.id == tenant.tenant_id).values(support_email=SUPPORT_EMAIL)
        )


def order_desk(
    db: Database,
    store: FakeWooStore,
    *,
    attempts: OrderAttempts | None = None,
    timeout_s: float = 3.0,
) -> OrderDesk:
    lookup = WooOrderLookup(
        StoreOrders(db, secret_box(), outbound=store.outbound_policy, timeout_s=timeout_s)
    )
    return OrderDesk(lookup, attempts or OrderAttempts(None, AttemptLimits()))


def order_service(
    db: Database,
    store: FakeWooStore,
    *,
    attempts: OrderAttempts | None = None,
    openai: Any = None,
    timeout_s: float = 3.0,
) -> AnswerService:
    return AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=openai.api_key if openai else None,
        openai_base_url=openai.base_url if openai else None,
        orders=order_desk(db, store, attempts=attempts, timeout_s=timeout_s),
    )


async def ask(service: AnswerService, question: Question) -> tuple[str, list[AnswerEvent]]:
    events = [event async for event in service.stream(question)]
    done = events[-1]
    assert isinstance(done, DoneEvent), events
    shown = "".join(e.delta for e in events if isinstance(e, TokenEvent))
    assert shown == done.answer  # what streamed is what is stored
    return done.answer, events


async def stored_messages(db: Database, tenant: Any) -> list[str]:
    async with db.tenant_session(tenant.tenant_id) as session:
        rows = await session.execute(select(Message.content))
        return [content for (content,) in rows]
