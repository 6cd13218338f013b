"""The answering side of an eval: the eval bot configured from the config, and the process's
real ASGI app (`cli.asgi.build_app`) driven in process with httpx.ASGITransport.

What differs from `shopbot serve`, and why:
- quotas are off (`AnswerService(enforce_quotas=False)`): a suite run is not a month of a
  shop's messages, and a tenant reused across runs would otherwise run out;
- the widget rate limits cannot throttle a run: the app gets no Redis (its limiter keeps
  in-process buckets, fresh for each run and private to it), the tenant is on Scale (the
  highest ceilings) and the bot's `rate_limits` are set to those ceilings (a session 120
  messages at once, a client address 600, the bot 6,000); each conversation opens its own
  widget session, and the client address changes every `REQUESTS_PER_ADDRESS` requests
  (`ShopperAddresses`: a run is many shoppers, as real traffic is), so no bucket is ever
  emptied, however fast the answers come;
- the model: the offline answerer, or the config's OpenAI-compatible endpoint as the
  platform's model (its key from the environment variable the config names);
- order questions are looked up in the suite's store emulator (`order_store`: its seeded
  orders), started for the run, the only address the order look-ups may reach.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

import httpx
from sqlalchemy import select, update

from cli.asgi import build_app
from cli.eval_answers.catalogues import EvalCatalogue
from cli.eval_answers.tenant import EVAL_ORIGIN, EvalTenantRef
from cli.order_lookup import order_desk
from cli.services import Services
from core.models import Bot, StoreConnection
from core.outbound import OutboundPolicy, policy_from_settings
from core.runtime import Runtime
from engine.answer import AnswerService
from engine.embeddings import Embedder
from engine.retrieval.query_cache import QueryEmbeddingCache
from evals.answers.config import EvalConfig
from evals.answers.runner import WidgetAccess

# The app is only ever reached in process; the name is never resolved.
EVAL_API_URL = "http://shopbot-eval.invalid"
# Scale's rate-limit ceilings (migration 0005), the most a bot of that plan may set.
EVAL_RATE_LIMITS = {
    "session": {"per_minute": 120, "burst": 120},
    "ip": {"per_minute": 600, "burst": 600},
    "bot": {"per_minute": 6000, "burst": 6000},
    "session_create": {"per_minute": 600, "burst": 600},
    "interaction": {"per_minute": 480, "burst": 480},
}
REQUEST_TIMEOUT_S = 300.0
# Fewer than a client address's burst (600) on Scale: the address changes before its
# bucket could run dry.
REQUESTS_PER_ADDRESS = 500
# RFC 2544's benchmarking range: addresses no real shopper has.
ADDRESS_BASE = ipaddress.IPv4Address("198.18.0.1")


class ShopperAddresses(httpx.AsyncBaseTransport):
    """The app in process (httpx.ASGITransport), seen from a new client address every
    `REQUESTS_PER_ADDRESS` requests."""

    def __init__(self, app: Any, every: int = REQUESTS_PER_ADDRESS) -> None:
        self._app = app
        self._every = every
        self._requests = 0
        self._transport = self._next_transport()

    def _next_transport(self) -> httpx.ASGITransport:
        address = ADDRESS_BASE + self._requests // self._every
        # An error in the app is the turn's 500 (recorded as "http_500"), not the run's end.
        return httpx.ASGITransport(
            app=self._app, client=(str(address), 40000), raise_app_exceptions=False
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._requests and self._requests % self._every == 0:
            self._transport = self._next_transport()
        self._requests += 1
        return await self._transport.handle_async_request(request)


def llm_settings(config: EvalConfig) -> dict[str, object]:
    if config.model is None:
        return {"provider": "offline"}
    return {"provider": "platform", "model": config.model.model}


async def configure_bot(runtime: Runtime, tenant: EvalTenantRef, config: EvalConfig) -> None:
    """The bot as this run's config says (every run writes it: a reused tenant keeps
    nothing of an earlier run's settings)."""
    async with runtime.db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(
                retrieval_settings=asdict(config.retrieval_settings()),
                llm_settings=llm_settings(config),
                allowed_origins=[EVAL_ORIGIN],
                rate_limits=EVAL_RATE_LIMITS,
                consent_required=False,
                is_active=True,
            )
        )


@contextlib.asynccontextmanager
async def order_store(
    runtime: Runtime, tenant: EvalTenantRef, catalogue: EvalCatalogue
) -> AsyncIterator[OutboundPolicy]:
    """The suite's store emulator up for the run, the eval store's connection and the bot
    pointed at it (a new port each run); yields the policy that lets look-ups reach it."""
    with catalogue.store() as store:
        async with runtime.db.tenant_session(tenant.tenant_id) as session:
            store_id = (await session.execute(select(StoreConnection.id))).scalars().first()
            await session.execute(
                update(StoreConnection)
                .where(StoreConnection.id == store_id)
                .values(base_url=store.url)
            )
            await session.execute(
                update(Bot).where(Bot.id == tenant.bot_id).values(store_id=store_id)
            )
        yield OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({store.port}),
        )


def eval_services(
    runtime: Runtime,
    embedder: Embedder,
    config: EvalConfig,
    store_outbound: OutboundPolicy | None = None,
) -> Services:
    """`store_outbound`: what order look-ups may reach (`order_store`'s policy)."""
    outbound = policy_from_settings(runtime.settings)
    answer_service = AnswerService(
        runtime.db,
        embedder,
        openai_api_key=config.model.api_key() if config.model else None,
        openai_base_url=config.model.base_url if config.model else None,
        cache=QueryEmbeddingCache(None),
        secret_box=runtime.secrets.secret_box,
        outbound_policy=outbound,
        enforce_quotas=False,
        orders=order_desk(
            runtime.db, runtime.secrets.secret_box, None, outbound=store_outbound or outbound
        ),
    )
    return Services(embedder=embedder, redis=None, answer_service=answer_service)


@contextlib.asynccontextmanager
async def widget_access(
    runtime: Runtime, services: Services, tenant: EvalTenantRef
) -> AsyncIterator[WidgetAccess]:
    """A client bound to the whole app, the eval bot's key and the origin it allows."""
    eval_runtime = Runtime(
        settings=runtime.settings.model_copy(update={"public_api_url": EVAL_API_URL}),
        urls=runtime.urls,
        db=runtime.db,
        secrets=runtime.secrets,
    )
    app = build_app(eval_runtime, services)
    async with httpx.AsyncClient(
        transport=ShopperAddresses(app), base_url=EVAL_API_URL, timeout=REQUEST_TIMEOUT_S
    ) as http:
        yield WidgetAccess(http=http, widget_key=tenant.widget_key, origin=EVAL_ORIGIN)
