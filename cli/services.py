"""Builds the long-lived services of a process from its runtime (composition root)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis.asyncio import Redis

from cli.order_lookup import order_desk
from core.outbound import policy_from_settings
from core.runtime import Runtime
from engine.answer import AnswerService
from engine.embeddings import Embedder, embedder_from_settings
from engine.retrieval.query_cache import QueryEmbeddingCache

log = logging.getLogger(__name__)


@dataclass
class Services:
    embedder: Embedder
    redis: Redis | None
    answer_service: AnswerService

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


async def connect_redis(url: str | None) -> Redis | None:
    """The Redis client when REDIS_URL is set (None without it: in-process limits, caches
    and counters by design). Kept even when Redis does not answer at start: every user
    (rate limits, the login throttle, order attempts, the query cache) falls back to this
    process per call and uses Redis again once it answers, so a process started during an
    outage does not keep per-process limits for the rest of its life; /readyz says `down`."""
    if not url:
        return None
    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
    except Exception as exc:
        log.warning(
            "Redis at REDIS_URL is unreachable (%s); limits, caches and counters are this "
            "process's own until it answers",
            type(exc).__name__,
        )
    return client


async def build_services(runtime: Runtime) -> Services:
    settings = runtime.settings
    api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    embedder = embedder_from_settings(settings)
    redis = await connect_redis(settings.redis_url)
    outbound = policy_from_settings(settings)
    answer_service = AnswerService(
        runtime.db,
        embedder,
        openai_api_key=api_key,
        openai_base_url=settings.openai_base_url,
        cache=QueryEmbeddingCache(redis),
        secret_box=runtime.secrets.secret_box,
        outbound_policy=outbound,
        orders=order_desk(runtime.db, runtime.secrets.secret_box, redis, outbound=outbound),
    )
    return Services(embedder=embedder, redis=redis, answer_service=answer_service)
