"""bench.load's shoppers: many widget sessions asking and streaming answers (SSE), with
pauses between messages, and a burst that holds one stream per shopper open at once.

A shopper's question carries a marker (`[q<n>]`) the fake model keys its timing by; the
first-token overhead of an answer is, as in bench/widget, the time to its first SSE `token`
as this client saw it minus the model's own time to its first complete sentence.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.load_model import hold_from_now, model_timings, release_held
from bench.widget_measure import session_token
from bench.widget_setup import ORIGIN, distinct_questions

QUESTIONS = distinct_questions(600)
_numbers = itertools.count(1)


@dataclass
class Ask:
    key: str
    sent: float  # perf_counter when the request left
    first: float | None = None  # perf_counter when the first `token` event arrived
    done: float | None = None
    error: str | None = None  # its kind, when the answer did not complete


@dataclass
class ChatRun:
    asks: list[Ask] = field(default_factory=list)
    seconds: float = 0.0
    overhead_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    model_ms: list[float] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(1 for a in self.asks if a.error is None)

    @property
    def rps(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> Counter[str]:
        return Counter(a.error for a in self.asks if a.error is not None)


@dataclass
class Hold:
    streams: int  # asked to open
    opened: int  # with their first token when memory was read
    idle_rss: int
    open_rss: int
    seconds_to_open: float
    errors: Counter[str]

    @property
    def per_stream_kib(self) -> float:
        return (self.open_rss - self.idle_rss) / 1024 / self.opened if self.opened else 0.0


async def sessions(client: Any, widget_keys: list[str], at_once: int = 16) -> list[str]:
    """A widget session per key, `at_once` at a time."""
    tokens: list[str] = []
    for start in range(0, len(widget_keys), at_once):
        batch = widget_keys[start : start + at_once]
        tokens += await asyncio.gather(*(session_token(client, key) for key in batch))
    return tokens


def _error_kind(status: int) -> str:
    return "429 rate limited" if status == 429 else f"http {status}"


async def ask(client: Any, token: str, key: str, on_first: Callable[[], None] | None = None) -> Ask:
    """One question streamed to its end; what happened, never an exception."""
    import httpx

    question = f"{QUESTIONS[int(key[1:]) % len(QUESTIONS)]} [{key}]"
    headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN, "Accept": "text/event-stream"}
    result = Ask(key, time.perf_counter())
    event = ""
    try:
        async with client.stream(
            "POST", "/widget/v1/chat", json={"message": question}, headers=headers
        ) as response:
            if response.status_code != 200:
                await response.aread()
                result.error = _error_kind(response.status_code)
                return result
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    event = line[len("event: ") :]
                    if event == "token" and result.first is None:
                        result.first = time.perf_counter()
                        if on_first is not None:
                            on_first()
                    elif event == "done":
                        result.done = time.perf_counter()
                elif line.startswith("data: ") and event == "error":
                    result.error = f"error event: {json.loads(line[6:]).get('code')}"
    except httpx.TimeoutException:
        result.error = "client timeout"
    except httpx.TransportError as error:
        result.error = f"connection: {type(error).__name__}"
    if result.error is None and result.done is None:
        result.error = "ended without done"
    elif result.error is None and result.first is None:
        result.error = "no token before done"
    return result


async def chat_load(
    client: Any, tokens: list[str], model_url: str, duration_s: float, think_s: float
) -> ChatRun:
    """Every shopper asks, reads the answer, pauses `think_s` (0.5x-1.5x, seeded), asks
    again, for `duration_s`; arrivals are spread over the first pause."""
    run = ChatRun()
    started = time.perf_counter()
    deadline = started + duration_s

    async def shopper(n: int) -> None:
        rng = random.Random(n)
        await asyncio.sleep(rng.uniform(0, min(think_s, duration_s / 2)))
        while time.perf_counter() < deadline:
            run.asks.append(await ask(client, tokens[n], f"q{next(_numbers)}"))
            pause = think_s * rng.uniform(0.5, 1.5)
            await asyncio.sleep(max(0.0, min(pause, deadline - time.perf_counter())))

    await asyncio.gather(*(shopper(n) for n in range(len(tokens))))
    run.seconds = time.perf_counter() - started
    await _overheads(client, model_url, run)
    return run


async def _overheads(client: Any, model_url: str, run: ChatRun) -> None:
    model_s, _ = await model_timings(client, model_url)
    for a in run.asks:
        if a.error is None and a.first is not None and a.key in model_s:
            client_ms, model_ms = (a.first - a.sent) * 1000, model_s[a.key] * 1000
            run.client_ms.append(client_ms)
            run.model_ms.append(model_ms)
            run.overhead_ms.append(client_ms - model_ms)


async def hold_streams(
    client: Any, tokens: list[str], model_url: str, rss: Callable[[], int], timeout_s: float
) -> Hold:
    """One stream per shopper, all held open after their first `token`: the server's RSS
    then, minus its RSS just before, over the streams open."""
    await hold_from_now(client, model_url)
    idle = rss()
    opened = 0
    all_open = asyncio.Event()

    def first() -> None:
        nonlocal opened
        opened += 1
        if opened == len(tokens):
            all_open.set()

    started = time.perf_counter()
    tasks = [
        asyncio.create_task(ask(client, token, f"h{next(_numbers)}", on_first=first))
        for token in tokens
    ]
    waiting: asyncio.Future[Any] = asyncio.create_task(all_open.wait())
    finished: asyncio.Future[list[Ask]] = asyncio.gather(*tasks)  # early: streams failed
    await asyncio.wait({waiting, finished}, timeout=timeout_s, return_when="FIRST_COMPLETED")
    seconds = time.perf_counter() - started
    await asyncio.sleep(0.5)  # the last streams' first events are written; let the heap settle
    open_now, held_rss = opened - sum(1 for t in tasks if t.done()), rss()
    await release_held(client, model_url)
    asks = await finished
    waiting.cancel()
    return Hold(
        len(tokens), open_now, idle, held_rss, seconds, Counter(a.error for a in asks if a.error)
    )
