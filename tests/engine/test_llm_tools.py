"""Function tools in OpenAIChatProvider: the fake OpenAI server streams a tool call in the
real wire format, the provider runs it and streams the answer to its result."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from emulators.openai import FakeOpenAI
from engine.llm import OpenAIChatProvider, StreamUsage, TextDelta
from engine.orders import LOOKUP_ORDER_TOOL
from engine.types import LLMSettings

SETTINGS = LLMSettings(provider="openai", model="gpt-4o-mini", max_tokens=200, timeout_s=5)
ASKED = [
    {"role": "system", "content": "You are a shop assistant."},
    {"role": "user", "content": "Where is order 5004? I'm ana@example.com"},
]


class RecordingTools:
    """A tool runner that answers every call with one fixed result and keeps the calls."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def definitions(self) -> Sequence[dict[str, Any]]:
        return (LOOKUP_ORDER_TOOL,)

    async def run(self, name: str, arguments: str) -> str:
        self.calls.append((name, json.loads(arguments)))
        return json.dumps(self.result)


def _provider(fake: FakeOpenAI) -> OpenAIChatProvider:
    return OpenAIChatProvider(api_key=fake.api_key, base_url=fake.base_url)


async def test_a_streamed_tool_call_is_run_and_the_answer_streams_after(
    fake_openai: FakeOpenAI,
) -> None:
    tools = RecordingTools({"result": "no_match", "reply": "No order matches that email."})
    events = [d async for d in _provider(fake_openai).stream(ASKED, SETTINGS, tools=tools)]

    assert tools.calls == [
        ("lookup_order", {"order_number": "5004", "billing_email": "ana@example.com"})
    ]
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == (
        "No order matches that email."
    )
    first, second = fake_openai.requests_to("/v1/chat/completions")
    assert first.body["stream"] and first.body["tools"][0]["function"]["name"] == "lookup_order"
    assistant, tool = second.messages[-2:]
    assert assistant["tool_calls"][0]["id"] == tool["tool_call_id"]
    usage = events[-1]
    assert isinstance(usage, StreamUsage) and usage.finish_reason == "stop"
    # Both responses' tokens: the second request re-sends the whole prompt.
    assert usage.prompt_tokens > 2 * sum(len(m["content"].split()) for m in ASKED)


async def test_without_tools_the_same_question_is_answered_with_text(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.reply_with("Please contact the store.")
    events = [d async for d in _provider(fake_openai).stream(ASKED, SETTINGS)]
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == (
        "Please contact the store."
    )
    assert "tools" not in fake_openai.requests_to("/v1/chat/completions")[0].body


async def test_the_fake_refuses_a_tool_message_that_answers_no_call(
    fake_openai: FakeOpenAI,
) -> None:
    body = {
        "model": "gpt-4o-mini",
        "messages": [*ASKED, {"role": "tool", "tool_call_id": "call_x", "content": "{}"}],
    }
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{fake_openai.base_url}/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {fake_openai.api_key}"},
        )
    assert response.status_code == 400
    assert "must be a response to a preceeding message" in response.json()["error"]["message"]
