"""The fake OpenAI server (tests/fakes/openai.py) with a steady streaming pace and timings.

The shared fake streams as fast as it can (it only knows a slow *first* byte). To watch a
widget render an answer token by token, and to measure our own first-token overhead, the
model has to take its time like a real one: `first_token_delay_s` before the first content
delta, then `token_delay_s` before each further one. Every streamed request records when it
arrived and when its first content delta left (`perf_counter`, so the bench can subtract
the model's own first-token time from what its HTTP client measured).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tests.fakes.openai import FakeOpenAI

_ARRIVED: contextvars.ContextVar[float] = contextvars.ContextVar("paced_fake_arrived")


@dataclass(frozen=True)
class StreamTiming:
    arrived: float  # perf_counter when the request reached the fake
    first_content: float  # perf_counter when the first content delta was handed to the server

    @property
    def first_token_s(self) -> float:
        return self.first_content - self.arrived


def _has_content(chunk: bytes) -> bool:
    if not chunk.startswith(b"data: {"):
        return False
    try:
        payload: dict[str, Any] = json.loads(chunk[len(b"data: "):])
    except ValueError:
        return False
    choices = payload.get("choices") or []
    return bool(choices and (choices[0].get("delta") or {}).get("content"))


class PacedFakeOpenAI(FakeOpenAI):
    def __init__(self, *, first_token_delay_s: float = 0.0, token_delay_s: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.first_token_delay_s = first_token_delay_s
        self.token_delay_s = token_delay_s
        self._timings: list[StreamTiming] = []
        self._timings_lock = threading.Lock()

    def pace(self, *, first_token_delay_s: float, token_delay_s: float) -> None:
        self.first_token_delay_s = first_token_delay_s
        self.token_delay_s = token_delay_s

    @property
    def timings(self) -> list[StreamTiming]:
        with self._timings_lock:
            return list(self._timings)

    def reset(self) -> None:
        super().reset()
        with self._timings_lock:
            self._timings.clear()

    async def _chat_completions(self, request: Request) -> Response:
        _ARRIVED.set(time.perf_counter())
        return await super()._chat_completions(request)

    async def _stream_events(self, answer: str, *args: Any) -> AsyncIterator[bytes]:
        arrived = _ARRIVED.get(time.perf_counter())
        sent_content = False
        async for chunk in super()._stream_events(answer, *args):
            if _has_content(chunk):
                await asyncio.sleep(self.token_delay_s if sent_content else self.first_token_delay_s)
                if not sent_content:
                    with self._timings_lock:
                        self._timings.append(StreamTiming(arrived, time.perf_counter()))
                sent_content = True
            yield chunk
