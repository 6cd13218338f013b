"""OpenAIChatProvider through the real openai client against the fake OpenAI server."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import pytest

from core.errors import UpstreamError
from emulators.openai import FakeOpenAI, Fault
from engine.llm import (
    LLMDelta,
    OpenAIChatProvider,
    PlatformModel,
    StreamFailure,
    StreamUsage,
    TextDelta,
)
from engine.llm.bot_models import build_llm
from engine.llm.openai_chat import MAX_CHARS_PER_TOKEN
from engine.offline import OfflineGroundedAnswerer
from engine.types import LLMSettings

SETTINGS = LLMSettings(
    provider="openai", model="gpt-4o-mini", temperature=0.3, max_tokens=200, timeout_s=5
)
MESSAGES = [
    {"role": "system", "content": "You are a shop assistant."},
    {"role": "user", "content": "Do you have rain jackets?"},
]
ANSWER = "Yes, the Blue Rain Jacket [1] is $49.99 and in stock."


def provider(fake: FakeOpenAI, **kwargs: Any) -> OpenAIChatProvider:
    return OpenAIChatProvider(
        api_key=fake.api_key, base_url=fake.base_url, retry_base_delay_s=0.01, **kwargs
    )


async def collect(llm: OpenAIChatProvider, settings: LLMSettings = SETTINGS) -> list[LLMDelta]:
    return [delta async for delta in llm.stream(MESSAGES, settings)]


def text_of(events: list[LLMDelta]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


async def test_streams_deltas_then_usage(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply_with(ANSWER)
    events = await collect(provider(fake_openai))
    assert text_of(events) == ANSWER
    assert sum(isinstance(e, TextDelta) for e in events) > 5  # really streamed
    usage = events[-1]
    assert isinstance(usage, StreamUsage)
    assert usage.model == "gpt-4o-mini" and not usage.estimated
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.finish_reason == "stop"
    assert usage.first_token_latency_s is not None
    assert 0 <= usage.first_token_latency_s <= usage.total_latency_s
    body = fake_openai.requests_to("/v1/chat/completions")[0].body
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0.3
    assert body["max_tokens"] == 200  # a custom base_url gets the widely supported name
    assert body["messages"] == MESSAGES


async def test_retries_a_rate_limit_before_the_first_token(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(Fault("status", status=429, retry_after_s=0.02))
    fake_openai.reply_with(ANSWER)
    events = await collect(provider(fake_openai))
    assert text_of(events) == ANSWER
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 2


async def test_raises_a_typed_error_when_retries_run_out(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(*[Fault("status", status=500)] * 3)
    with pytest.raises(UpstreamError) as caught:
        await collect(provider(fake_openai))
    assert "language model" in caught.value.detail
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 3


async def test_does_not_retry_a_rejected_key(fake_openai: FakeOpenAI) -> None:
    llm = OpenAIChatProvider(api_key="sk-bad", base_url=fake_openai.base_url)
    with pytest.raises(UpstreamError):
        await collect(llm)
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 1


async def test_retries_a_slow_first_token(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(Fault("slow_first_token", delay_s=1.0))
    fake_openai.reply_with(ANSWER)  # consumed by the slow request, which we abandon
    fake_openai.reply_with(ANSWER)
    fast_timeout = LLMSettings(provider="openai", model="gpt-4o-mini", timeout_s=0.25)
    events = await collect(provider(fake_openai), fast_timeout)
    assert text_of(events) == ANSWER
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 2


async def test_a_stream_cut_after_tokens_yields_a_failure_event(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(Fault("cut_stream", after_chunks=3))
    fake_openai.reply_with(ANSWER)
    events = await collect(provider(fake_openai))
    assert text_of(events) == "Yes, the Blue "
    failure, usage = events[-2], events[-1]
    assert isinstance(failure, StreamFailure) and failure.code == "stream_interrupted"
    assert isinstance(usage, StreamUsage) and usage.estimated  # no usage chunk arrived
    assert usage.completion_tokens > 0
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 1  # never repeated


async def test_a_malformed_chunk_after_tokens_yields_a_failure_event(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.inject(Fault("malformed_chunk", after_chunks=2))
    fake_openai.reply_with(ANSWER)
    events = await collect(provider(fake_openai))
    assert text_of(events) == "Yes, the "
    assert isinstance(events[-2], StreamFailure) and events[-2].code == "malformed_response"


async def test_a_failure_before_any_token_is_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(Fault("cut_stream", after_chunks=0))
    fake_openai.reply_with("lost", ANSWER)
    events = await collect(provider(fake_openai))
    assert text_of(events) == ANSWER
    assert not any(isinstance(e, StreamFailure) for e in events)


async def test_stopping_early_closes_the_stream(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply_with(ANSWER * 20)
    stream = provider(fake_openai).stream(MESSAGES, SETTINGS)
    assert isinstance(stream, AsyncGenerator)  # typed as an iterator; closable as a generator
    first = await anext(stream)
    await stream.aclose()
    assert isinstance(first, TextDelta)


async def test_complete_returns_text_and_usage(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(Fault("status", status=502))
    fake_openai.reply_fn(lambda messages: f"You said: {messages[-1]['content']}")
    completion = await provider(fake_openai).complete(MESSAGES, SETTINGS)
    assert completion.text == "You said: Do you have rain jackets?"
    assert completion.usage.completion_tokens > 0 and not completion.usage.estimated
    assert "stream" not in fake_openai.requests_to("/v1/chat/completions")[-1].body


async def test_an_endpoint_sending_more_than_max_tokens_could_make_is_cut_there(
    fake_openai: FakeOpenAI,
) -> None:
    """A merchant's endpoint may ignore max_tokens: what it sends past the most text that
    many tokens can be is not read (nor checked, nor kept), in a stream or a completion."""
    settings = LLMSettings(provider="openai", max_tokens=5, timeout_s=5)
    flood = "The Alpine Rain Jacket is waterproof. " * 2000
    fake_openai.reply_with(flood, flood)
    events = await collect(provider(fake_openai), settings)
    assert text_of(events) == flood[: 5 * MAX_CHARS_PER_TOKEN]
    usage = events[-1]
    assert isinstance(usage, StreamUsage) and usage.finish_reason == "length"
    assert not any(isinstance(e, StreamFailure) for e in events)
    completion = await provider(fake_openai).complete(MESSAGES, settings)
    assert completion.text == flood[: 5 * MAX_CHARS_PER_TOKEN]


def test_build_llm_picks_offline_without_a_key() -> None:
    assert isinstance(build_llm(SETTINGS, platform=PlatformModel()), OfflineGroundedAnswerer)
    offline_bot = LLMSettings(provider="offline")
    assert isinstance(
        build_llm(offline_bot, platform=PlatformModel(api_key="sk")), OfflineGroundedAnswerer
    )
    chosen = build_llm(
        SETTINGS, platform=PlatformModel(api_key="sk-x", base_url="http://127.0.0.1:1/v1")
    )
    assert isinstance(chosen, OpenAIChatProvider) and chosen.generative
