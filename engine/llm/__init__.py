"""Model providers: the `LLMProvider` interface, the OpenAI-compatible chat provider, and
where a bot's questions go (endpoints.py). The provider for a bot is chosen in
bot_models.py; answering without a model lives in `engine.offline`."""

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
from engine.llm.endpoints import PlatformModel
from engine.llm.openai_chat import OpenAIChatProvider

__all__ = [
    "Completion",
    "LLMDelta",
    "LLMProvider",
    "Messages",
    "OpenAIChatProvider",
    "PlatformModel",
    "StreamFailure",
    "StreamUsage",
    "TextDelta",
]
