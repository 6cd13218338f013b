"""`PacedFakeOpenAI`: the fake OpenAI server with a steady streaming pace and timings.

The shared fake streams as fast as it can (it only knows a slow *first* byte). To watch a
widget render an answer token by token, and to measure our own first-token overhead, the
model has to take its time like a real one: `first_token_delay_s` before the first content
delta, then `token_delay_s` before each further one. Every streamed request records when it
arrived, when its first content delta left and when the delta that completes its first
sentence left (`perf_counter`, so the bench can subtract the model's own time from what its
HTTP client measured: our first `token` event is the first checked sentence). Where a
sentence ends is the caller's rule (`sentence_ends`), so the emulator needs no product code.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from emulators.openai.server import FakeOpenAI

_ARRIVED: contextvars.ContextVar[float] = contextvars.ContextVar("paced_fake_arrived")


@dataclass(frozen=True)
class StreamTiming:
    arrived: float  # perf_counter when the request reached the fake
    first_content: float  # perf_counter when the first content delta was handed to the server
    # perf_counter when the delta that ends the first sentence (as `sentence_ends` splits the
    # whole answer; the whole answer if it has one sentence) was handed over
    first_sentence: float

    @property
    def first_token_s(self) -> float:
        return self.first_content - self.arrived

    @property
    def first_sentence_s(self) -> float:
        return self.first_sentence - self.arrived


def _content(chunk: bytes) -> str:
    if not chunk.startswith(b"data: {"):
        return ""
    try:
        payload: dict[str, Any] = json.loads(chunk[len(b"data: ") :])
    except ValueError:
        return ""
    choices = payload.get("choices") or []
    return str(choices and (choices[0].get("delta") or {}).get("content") or "")


SentenceEnds = Callable[[str], list[int]]


class PacedFakeOpenAI(FakeOpenAI):
    def __init__(
        self,
        *,
        sentence_ends: SentenceEnds,
        first_token_delay_s: float = 0.0,
        token_delay_s: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sentence_ends = sentence_ends
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
        ends = self.sentence_ends(answer)
        first_sentence_end = ends[0] if ends else len(answer)
        first_content: float | None = None
        sent = 0  # characters of content handed over so far
        async for chunk in super()._stream_events(answer, *args):
            content = _content(chunk)
            if content:
                await asyncio.sleep(
                    self.token_delay_s if first_content is not None else self.first_token_delay_s
                )
                now = time.perf_counter()
                first_content = now if first_content is None else first_content
                if sent < first_sentence_end <= sent + len(content):
                    with self._timings_lock:
                        self._timings.append(StreamTiming(arrived, first_content, now))
                sent += len(content)
            yield chunk
