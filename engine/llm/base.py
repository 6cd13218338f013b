"""The LLM provider interface and the events a streamed answer is made of."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from engine.types import Grounding, LLMSettings

Messages = list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamUsage:
    """Always the last event of a stream, also after a failure (tokens were still spent)."""

    model: str
    prompt_tokens: int
    completion_tokens: int
    first_token_latency_s: float | None  # None when no text was produced
    total_latency_s: float
    finish_reason: str | None = None
    # True when the server sent no usage and the counts are our own tiktoken estimate.
    estimated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamFailure:
    """The stream broke after text had reached the caller; no exception is raised, so the
    caller can keep what was shown and tell the shopper the answer was cut short."""

    code: str  # "stream_interrupted" | "malformed_response" | "truncated"
    message: str


LLMDelta = TextDelta | StreamUsage | StreamFailure


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    usage: StreamUsage


class ToolBox(Protocol):
    """Functions a model may call while it answers (OpenAI function tools): their
    definitions as the API takes them, and a runner that returns each call's result text."""

    @property
    def definitions(self) -> Sequence[dict[str, Any]]: ...

    async def run(self, name: str, arguments: str) -> str: ...


@runtime_checkable
class LLMProvider(Protocol):
    name: str
    # False for providers that cannot follow arbitrary instructions (the offline answerer):
    # callers such as query rewriting use a heuristic instead.
    generative: bool

    def stream(
        self,
        messages: Messages,
        settings: LLMSettings,
        *,
        grounding: Grounding | None = None,
        tools: ToolBox | None = None,
    ) -> AsyncIterator[LLMDelta]:
        """Text deltas, then at most one StreamFailure, then exactly one StreamUsage.

        `tools`: offered to a model that can call them (a provider that cannot ignores
        them); a call is run and its result sent back before the answer goes on.

        Raises `core.errors.UpstreamError` only before the first text delta (after bounded
        retries), so a caller can still fall back to another provider.
        """
        ...

    async def complete(
        self, messages: Messages, settings: LLMSettings, *, grounding: Grounding | None = None
    ) -> Completion: ...
