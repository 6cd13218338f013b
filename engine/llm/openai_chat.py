"""OpenAI Chat Completions (or any compatible `base_url`), streaming, with function tools.

Tools (`stream(..., tools=)`): the request offers their definitions; the streamed
`delta.tool_calls` are put together by index (id and name in the first piece, the
arguments in pieces), and a stream that ends with finish_reason "tool_calls" is answered:
the assistant's message with its `tool_calls` and one `tool` message per call go back with
the conversation, and the next response streams on. At most `MAX_TOOL_ROUNDS` rounds offer
tools; the last round offers none, so a model cannot loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any

import httpx
import openai

from core.errors import UpstreamError
from core.outbound import OutboundRefused
from engine.llm.base import (
    Completion,
    LLMDelta,
    Messages,
    StreamFailure,
    StreamUsage,
    TextDelta,
    ToolBox,
)
from engine.model_io.retry import RetryPolicy, describe, retry_delay_s
from engine.model_io.tokens import count_tokens
from engine.types import Grounding, LLMSettings

logger = logging.getLogger(__name__)

UNAVAILABLE = "The assistant's language model is unavailable right now."
OPENAI_PUBLIC_BASE_URL = "https://api.openai.com/v1"
MAX_TOOL_ROUNDS = 2


class _NoTokenYet(Exception):
    """Internal: a failure before the first text delta, which is still safe to retry."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _failure_code(error: BaseException) -> str:
    if isinstance(error, ValueError):  # json.JSONDecodeError and pydantic errors
        return "malformed_response"
    return "stream_interrupted"


def _refused_by_guard(error: BaseException) -> bool:
    """Whether the outbound guard refused the endpoint (the openai client wraps it in a
    connection error): the same answer would come on every retry, so none is made."""
    seen: BaseException | None = error
    for _ in range(8):  # a chain is short; a cycle must not hang us
        if seen is None:
            break
        if isinstance(seen, OutboundRefused):
            logger.warning("the model endpoint was refused by the outbound guard (%s)", seen.reason)
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# No tokenizer makes more characters than this of one token; a stream past
# max_tokens * this is cut, so a misbehaving endpoint cannot grow an answer (and the
# checks run over it) without bound.
MAX_CHARS_PER_TOKEN = 16


def max_chars(settings: LLMSettings) -> int:
    return settings.max_tokens * MAX_CHARS_PER_TOKEN


def _estimate_prompt_tokens(messages: Messages, model: str) -> int:
    return sum(count_tokens(str(m.get("content") or ""), model) + 4 for m in messages) + 3


class OpenAIChatProvider:
    name = "openai"
    generative = True

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        retry_base_delay_s: float = 0.5,
        client: openai.AsyncOpenAI | None = None,
        http_client: httpx.AsyncClient | openai.DefaultAsyncHttpxClient | None = None,
    ) -> None:
        # The client's own retries are off: we retry only until the first token (see retry.py).
        # `http_client`: how connections are made (a merchant's endpoint: the outbound guard).
        # openai accepts the guard's httpx.AsyncClient at runtime, though its signature names
        # only its own httpx2 client.
        any_http_client: Any = http_client
        self._client = client or openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, max_retries=0, http_client=any_http_client
        )
        self._custom_endpoint = (
            base_url is not None and base_url.rstrip("/") != OPENAI_PUBLIC_BASE_URL
        )
        self._retry_base_delay_s = retry_base_delay_s

    async def aclose(self) -> None:
        await self._client.close()

    def _policy(self, settings: LLMSettings) -> RetryPolicy:
        # A shopper is waiting: a server asking for a longer pause than the bot's whole
        # timeout is treated as down, so the caller can fall back at once.
        return RetryPolicy(
            max_retries=settings.max_retries,
            base_delay_s=self._retry_base_delay_s,
            max_retry_after_s=settings.timeout_s,
        )

    def _request(self, messages: Messages, settings: LLMSettings) -> dict[str, Any]:
        # OpenAI's newer models accept only max_completion_tokens; many compatible servers
        # (vLLM, Ollama, LM Studio) still know only max_tokens.
        limit_key = "max_tokens" if self._custom_endpoint else "max_completion_tokens"
        return {
            "model": settings.model,
            "messages": messages,
            "temperature": settings.temperature,
            limit_key: settings.max_tokens,
            "timeout": settings.timeout_s,
        }

    async def stream(
        self,
        messages: Messages,
        settings: LLMSettings,
        *,
        grounding: Grounding | None = None,
        tools: ToolBox | None = None,
    ) -> AsyncIterator[LLMDelta]:
        started = time.perf_counter()
        conversation = list(messages)
        rounds: list[_StreamState] = []
        for number in range(MAX_TOOL_ROUNDS + 1):
            offered = tools if tools is not None and number < MAX_TOOL_ROUNDS else None
            state = _StreamState(shown=sum(len(r.text) for r in rounds))
            rounds.append(state)
            async for delta in self._round(conversation, settings, state, started, offered):
                yield delta
            if offered is None or state.finish_reason != "tool_calls" or not state.tool_calls:
                break
            conversation += await _tool_messages(state, offered)
        yield self._usage(conversation, settings, rounds, started)

    async def _round(
        self,
        messages: Messages,
        settings: LLMSettings,
        state: _StreamState,
        started: float,
        tools: ToolBox | None,
    ) -> AsyncIterator[LLMDelta]:
        """One response, retried until its first token; a failure after text was shown is
        a StreamFailure (and ends the answer: `state.finish_reason` stays unset)."""
        policy = self._policy(settings)
        attempt = 0
        while True:
            try:
                # aclosing: if our caller stops early, the HTTP response is closed right away.
                attempt_deltas = self._one_attempt(messages, settings, state, started, tools)
                async with aclosing(attempt_deltas) as deltas:
                    async for delta in deltas:
                        yield delta
            except _NoTokenYet as failed:
                delay = (
                    None
                    if _refused_by_guard(failed.cause)
                    else retry_delay_s(attempt, failed.cause, policy)
                )
                if delay is None:
                    logger.warning("chat stream failed before a token: %s", describe(failed.cause))
                    if state.shown:  # an earlier round's text was shown: no raising now
                        yield StreamFailure(
                            code="stream_interrupted", message="The answer was cut short."
                        )
                        return
                    raise UpstreamError(UNAVAILABLE, service="llm") from failed.cause
                attempt += 1
                state.reset()
                await asyncio.sleep(delay)
                continue
            except Exception as error:  # after text was shown: report, never raise
                logger.warning(
                    "chat stream broke after %d chars: %s", len(state.text), describe(error)
                )
                state.finish_reason = None
                yield StreamFailure(code=_failure_code(error), message="The answer was cut short.")
            else:
                if state.finish_reason is None:
                    # The body ended cleanly but without a finish reason: a proxy cut it.
                    yield StreamFailure(code="truncated", message="The answer was cut short.")
            return

    async def _one_attempt(
        self,
        messages: Messages,
        settings: LLMSettings,
        state: _StreamState,
        started: float,
        tools: ToolBox | None,
    ) -> AsyncGenerator[TextDelta, None]:
        request = self._request(messages, settings)
        if tools is not None:
            request["tools"] = list(tools.definitions)
        try:
            response = await self._client.chat.completions.create(
                **request,
                stream=True,
                stream_options={"include_usage": True},
            )
        except Exception as error:
            raise _NoTokenYet(error) from error
        try:
            async for chunk in response:
                state.model = chunk.model or state.model
                if chunk.usage is not None:
                    state.usage = chunk.usage
                for choice in chunk.choices:
                    if choice.finish_reason:
                        state.finish_reason = choice.finish_reason
                    if choice.delta and choice.delta.tool_calls:
                        state.add_tool_call_pieces(choice.delta.tool_calls)
                    text = choice.delta.content if choice.delta else None
                    if text:
                        text = text[: max_chars(settings) - state.shown - len(state.text)]
                        if state.first_token_at is None:
                            state.first_token_at = time.perf_counter() - started
                        state.text += text
                        yield TextDelta(text)
                        if state.shown + len(state.text) >= max_chars(settings):
                            # More than max_tokens could make: the model is not keeping to
                            # the limit (a merchant's endpoint may be anything). Stop as a
                            # model that reached its limit does.
                            state.finish_reason = "length"
                            return
        except Exception as error:
            if state.first_token_at is None:
                raise _NoTokenYet(error) from error
            raise
        finally:
            await response.close()

    def _usage(
        self,
        messages: Messages,
        settings: LLMSettings,
        rounds: list[_StreamState],
        started: float,
    ) -> StreamUsage:
        """Every round's tokens (each response bills its whole prompt)."""
        prompt_tokens = completion_tokens = 0
        for state in rounds:
            usage = state.usage
            prompt_tokens += (
                usage.prompt_tokens if usage else _estimate_prompt_tokens(messages, settings.model)
            )
            completion_tokens += (
                usage.completion_tokens if usage else count_tokens(state.text, settings.model)
            )
        first = next((r.first_token_at for r in rounds if r.first_token_at is not None), None)
        last = rounds[-1]
        return StreamUsage(
            model=next((r.model for r in rounds if r.model), None) or settings.model,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            first_token_latency_s=first,
            total_latency_s=time.perf_counter() - started,
            finish_reason=last.finish_reason,
            estimated=any(r.usage is None for r in rounds),
        )

    async def complete(
        self, messages: Messages, settings: LLMSettings, *, grounding: Grounding | None = None
    ) -> Completion:
        started = time.perf_counter()
        policy = self._policy(settings)
        attempt = 0
        while True:
            try:
                response = await self._client.chat.completions.create(
                    **self._request(messages, settings)
                )
                break
            except openai.OpenAIError as error:
                delay = None if _refused_by_guard(error) else retry_delay_s(attempt, error, policy)
                if delay is None:
                    logger.warning("chat completion failed: %s", describe(error))
                    raise UpstreamError(UNAVAILABLE, service="llm") from error
                attempt += 1
                await asyncio.sleep(delay)
        choice = response.choices[0] if response.choices else None
        text = ((choice.message.content if choice else None) or "")[: max_chars(settings)]
        elapsed = time.perf_counter() - started
        usage = response.usage
        return Completion(
            text=text,
            usage=StreamUsage(
                model=response.model or settings.model,
                prompt_tokens=(
                    usage.prompt_tokens
                    if usage
                    else _estimate_prompt_tokens(messages, settings.model)
                ),
                completion_tokens=(
                    usage.completion_tokens if usage else count_tokens(text, settings.model)
                ),
                first_token_latency_s=elapsed if text else None,
                total_latency_s=elapsed,
                finish_reason=choice.finish_reason if choice else None,
                estimated=usage is None,
            ),
        )


class _StreamState:
    """What one response (one round) has seen so far."""

    def __init__(self, shown: int = 0) -> None:
        self.shown = shown  # characters earlier rounds showed (the answer's length cap)
        self.reset()

    def reset(self) -> None:
        self.text = ""
        self.first_token_at: float | None = None
        self.finish_reason: str | None = None
        self.usage: Any = None
        self.model: str | None = None
        self.tool_calls: dict[int, dict[str, str]] = {}

    def add_tool_call_pieces(self, pieces: Any) -> None:
        """Streamed `delta.tool_calls`: the id and name come once, the arguments in pieces."""
        for piece in pieces:
            call = self.tool_calls.setdefault(piece.index, {"id": "", "name": "", "arguments": ""})
            call["id"] = piece.id or call["id"]
            if piece.function is not None:
                call["name"] += piece.function.name or ""
                call["arguments"] += piece.function.arguments or ""


async def _tool_messages(state: _StreamState, tools: ToolBox) -> Messages:
    """The assistant's tool calls and each call's result, as the next request carries them."""
    calls = [state.tool_calls[index] for index in sorted(state.tool_calls)]
    assistant: dict[str, Any] = {
        "role": "assistant",
        "content": state.text or None,
        "tool_calls": [
            {
                "id": call["id"],
                "type": "function",
                "function": {"name": call["name"], "arguments": call["arguments"]},
            }
            for call in calls
        ],
    }
    results: Messages = [
        {
            "role": "tool",
            "tool_call_id": call["id"],
            "content": await tools.run(call["name"], call["arguments"]),
        }
        for call in calls
    ]
    return [assistant, *results]
