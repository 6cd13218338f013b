"""LLM providers: OpenAI-compatible chat, and an offline answerer that needs no model."""

from __future__ import annotations

from engine.llm.base import (
    Completion,
    LLMDelta,
    LLMProvider,
    Messages,
    StreamFailure,
    StreamUsage,
    TextDelta,
)
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
    "StreamFailure",
    "StreamUsage",
    "TextDelta",
    "build_llm",
]


def build_llm(
    settings: LLMSettings, *, api_key: str | None, base_url: str | None = None
) -> LLMProvider:
    """The provider for one bot. Offline when the bot asks for it or no API key is
    configured, so a fresh install answers (from facts) without any account.

    `base_url` is the process-wide endpoint; a bot's own `settings.base_url` wins. Each call
    makes a new HTTP client: callers that answer many questions should keep the provider.
    """
    if settings.provider == "offline" or not api_key:
        return OfflineGroundedAnswerer()
    return OpenAIChatProvider(api_key=api_key, base_url=settings.base_url or base_url)
