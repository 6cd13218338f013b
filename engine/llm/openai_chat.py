"""OpenAI Chat Completions (or any compatible `base_url`), streaming."""

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
from engine.llm.base import Completion, LLMDelta, Messages, StreamFailure, StreamUsage, TextDelta
from engine.model_io.retry import RetryPolicy, describe, retry_delay_s
from engine.model_io.tokens import count_tokens
from engine.types import Grounding, LLMSettings

logger = logging.getLogger(__name__)

UNAVAILABLE = "The assistant's language model is unavailable right now."
OPENAI_PUBLIC_BASE_URL = "https://api.openai.com/v1"


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
        self, messages: Messages, settings: LLMSettings, *, grounding: Grounding | None = None
    ) -> AsyncIterator[LLMDelta]:
        started = time.perf_counter()
        policy = self._policy(settings)
        attempt = 0
        while True:
            state = _StreamState()
            try:
                # aclosing: if our caller stops early, the HTTP response is closed right away.
                attempt_deltas = self._one_attempt(messages, settings, state, started)
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
                    raise UpstreamError(UNAVAILABLE, service="llm") from failed.cause
                attempt += 1
                await asyncio.sleep(delay)
                continue
            except Exception as error:  # after text was shown: report, never raise
                logger.warning(
                    "chat stream broke after %d chars: %s", len(state.text), describe(error)
                )
                yield StreamFailure(code=_failure_code(error), message="The answer was cut short.")
            else:
                if state.finish_reason is None:
                    # The body ended cleanly but without a finish reason: a proxy cut it.
                    yield StreamFailure(code="truncated", message="The answer was cut short.")
            yield self._usage(messages, settings, state, started)
            return

    async def _one_attempt(
        self, messages: Messages, settings: LLMSettings, state: _StreamState, started: float
    ) -> AsyncGenerator[TextDelta, None]:
        try:
            response = await self._client.chat.completions.create(
                **self._request(messages, settings),
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
                    text = choice.delta.content if choice.delta else None
                    if text:
                        text = text[: max_chars(settings) - len(state.text)]
                        if state.first_token_at is None:
                            state.first_token_at = time.perf_counter() - started
                        state.text += text
                        yield TextDelta(text)
                        if len(state.text) >= max_chars(settings):
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
        self, messages: Messages, settings: LLMSettings, state: _StreamState, started: float
    ) -> StreamUsage:
        usage = state.usage
        return StreamUsage(
            model=state.model or settings.model,
            prompt_tokens=(
                usage.prompt_tokens if usage else _estimate_prompt_tokens(messages, settings.model)
            ),
            completion_tokens=(
                usage.completion_tokens if usage else count_tokens(state.text, settings.model)
            ),
            first_token_latency_s=state.first_token_at,
            total_latency_s=time.perf_counter() - started,
            finish_reason=state.finish_reason,
            estimated=usage is None,
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
    """What one attempt has seen so far."""

    def __init__(self) -> None:
        self.text = ""
        self.first_token_at: float | None = None
        self.finish_reason: str | None = None
        self.usage: Any = None
        self.model: str | None = None
