"""The answering side of an eval: the eval bot configured from the config, and the process's
real ASGI app (`cli.asgi.build_app`) driven in process with httpx.ASGITransport.

What differs from `shopbot serve`, and why:
- quotas are off (`AnswerService(enforce_quotas=False)`): a suite run is not a month of a
  shop's messages, and a tenant reused across runs would otherwise run out;
- the widget rate limits cannot throttle a run: the app gets no Redis (its limiter keeps
  in-process buckets, fresh for each run and private to it), the tenant is on Scale (the
  highest ceilings) and the bot's `rate_limits` are set to those ceilings; each conversation
  opens its own widget session. The tightest bucket left is the client address's: 600
  requests at once and 600 a minute more, so a sequential run is throttled only above
  ten turns a second sustained past the first 600 turns, which the offline answerer does
  not reach (evals/README.md has the measured rate);
- the model: the offline answerer, or the config's OpenAI-compatible endpoint as the
  platform's model (its key from the environment variable the config names).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import asdict

import httpx
from sqlalchemy import update

from cli.asgi import build_app
from cli.eval_answers.tenant import EVAL_ORIGIN, EvalTenantRef
from cli.services import Services
from core.models import Bot
from core.outbound import policy_from_settings
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


def eval_services(runtime: Runtime, embedder: Embedder, config: EvalConfig) -> Services:
    settings = runtime.settings
    answer_service = AnswerService(
        runtime.db,
        embedder,
        openai_api_key=config.model.api_key() if config.model else None,
        openai_base_url=config.model.base_url if config.model else None,
        cache=QueryEmbeddingCache(None),
        secret_box=runtime.secrets.secret_box,
        outbound_policy=policy_from_settings(settings),
        enforce_quotas=False,
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
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(
        transport=transport, base_url=EVAL_API_URL, timeout=REQUEST_TIMEOUT_S
    ) as http:
        yield WidgetAccess(http=http, widget_key=tenant.widget_key, origin=EVAL_ORIGIN)
