"""LLM providers: OpenAI-compatible chat, and an offline answerer that needs no model."""

from __future__ import annotations

import httpx
import openai

from core.outbound import OutboundPolicy, guarded_async_client
from engine.llm.base import (
    Completion,
    LLMDelta,
    LLMProvider,
    Messages,
    StreamFailure,
    StreamUsage,
    TextDelta,
)
from engine.llm.endpoints import PlatformModel, bounded_answer, own_key_only, resolve_endpoint
from engine.llm.offline import OfflineGroundedAnswerer
from engine.llm.openai_chat import OpenAIChatProvider
from engine.types import LLMSettings

__all__ = [
    "Completion",
    "LLMDelta",
    "LLMProvider",
    "Messages",
    "OfflineGroundedAnswerer",
    "OpenAIChatProvider",
    "PlatformModel",
    "StreamFailure",
    "StreamUsage",
    "TextDelta",
    "build_llm",
]


def build_llm(
    settings: LLMSettings,
    *,
    platform: PlatformModel,
    own_key: str | None = None,
    outbound: OutboundPolicy | None = None,
) -> LLMProvider:
    """The provider for one bot (engine.llm.endpoints decides where its questions go).
    Offline when the bot asks for it or no key is there to use, so a fresh install answers
    (from facts) without any account.

    A merchant-given endpoint is reached only through the outbound guard with `outbound`
    (None: the strict default policy; tests pass one that allows their 127.0.0.1 fakes).
    Each call makes a new HTTP client: callers that answer many questions should keep the
    provider.
    """
    endpoint = resolve_endpoint(settings, platform=platform, own_key=own_key)
    if not endpoint.api_key:
        return OfflineGroundedAnswerer()
    # A bot's own key travels alone: nothing the openai client read from the platform's
    # environment goes with it (engine.llm.endpoints.own_key_only).
    hooks = {"request": [own_key_only(endpoint.api_key)]} if endpoint.bots_own_key else {}
    http_client: httpx.AsyncClient | openai.DefaultAsyncHttpxClient | None = None
    if endpoint.merchant_given:
        http_client = guarded_async_client(
            outbound or OutboundPolicy(),
            follow_redirects=False,
            headers={"Accept-Encoding": "identity"},
            event_hooks={**hooks, "response": [bounded_answer]},
        )
    elif hooks:
        http_client = openai.DefaultAsyncHttpxClient(event_hooks=hooks)
    return OpenAIChatProvider(
        api_key=endpoint.api_key, base_url=endpoint.base_url, http_client=http_client
    )
