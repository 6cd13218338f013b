"""LLM providers: OpenAI-compatible chat, and an offline answerer that needs no model."""

from __future__ import annotations

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
from engine.llm.endpoints import PlatformModel, resolve_endpoint
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
    http_client = (
        guarded_async_client(outbound or OutboundPolicy(), follow_redirects=False)
        if endpoint.merchant_given
        else None
    )
    return OpenAIChatProvider(
        api_key=endpoint.api_key, base_url=endpoint.base_url, http_client=http_client
    )
