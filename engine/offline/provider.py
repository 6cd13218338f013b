"""The offline grounded answerer as an `LLMProvider` (grounded_answer.py holds the rules)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator

from engine.llm.base import Completion, LLMDelta, Messages, StreamUsage, TextDelta, ToolBox
from engine.offline.grounded_answer import compose_grounded_answer
from engine.types import Grounding, LLMSettings

OFFLINE_MODEL = "offline-grounded"
_WORDISH_RE = re.compile(r"\S+\s*|\s+")


def _question_from_messages(messages: Messages) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return str(message.get("content") or "")
    return ""


class OfflineGroundedAnswerer:
    """Needs no model and no network. It answers from `grounding`, never from `messages`
    (parsing our own prompt back would be fragile); without grounding it has no facts and
    says that nothing matches."""

    name = "offline"
    generative = False

    def _answer(self, messages: Messages, grounding: Grounding | None) -> str:
        facts = grounding or Grounding(question=_question_from_messages(messages))
        return compose_grounded_answer(facts)

    async def stream(
        self,
        messages: Messages,
        settings: LLMSettings,
        *,
        grounding: Grounding | None = None,
        tools: ToolBox | None = None,  # cannot call tools: order turns are answered before it
    ) -> AsyncIterator[LLMDelta]:
        started = time.perf_counter()
        answer = self._answer(messages, grounding)
        pieces = _WORDISH_RE.findall(answer)
        first_token_at: float | None = None
        for piece in pieces:
            if first_token_at is None:
                first_token_at = time.perf_counter() - started
            yield TextDelta(piece)
            # Yield to the loop so the SSE writer flushes deltas as a real model's would.
            await asyncio.sleep(0)
        yield StreamUsage(
            model=OFFLINE_MODEL,
            prompt_tokens=0,
            completion_tokens=len(pieces),
            first_token_latency_s=first_token_at,
            total_latency_s=time.perf_counter() - started,
            finish_reason="stop",
            estimated=True,
        )

    async def complete(
        self, messages: Messages, settings: LLMSettings, *, grounding: Grounding | None = None
    ) -> Completion:
        started = time.perf_counter()
        answer = self._answer(messages, grounding)
        elapsed = time.perf_counter() - started
        return Completion(
            text=answer,
            usage=StreamUsage(
                model=OFFLINE_MODEL,
                prompt_tokens=0,
                completion_tokens=len(_WORDISH_RE.findall(answer)),
                first_token_latency_s=elapsed,
                total_latency_s=elapsed,
                finish_reason="stop",
                estimated=True,
            ),
        )
