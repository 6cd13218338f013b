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
CUT_AFTER_S = 15.0  # how long answers may run past a phase's end


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


def _error_kind(status: int, body: bytes) -> str:
    """`429 busy` (the server refused it for its load), `429 rate limited`, or the status."""
    if status != 429:
        return f"http {status}"
    try:
        code = json.loads(body).get("code")
    except (ValueError, AttributeError):
        code = None
    return BUSY if code == "busy" else "429 rate limited"


async def ask(client: Any, token: str, key: str) -> Ask:
    """One question streamed to its end; what happened, never an exception."""
    result = Ask(key, time.perf_counter())
    await stream_into(result, client, token)
    return result


async def stream_into(
    result: Ask, client: Any, token: str, on_first: Callable[[], None] | None = None
) -> None:
    """Ask `result.key`'s question and record into `result` what happened (so a caller that
    cuts it short still holds what it got); never raises but for cancellation."""
    import httpx

    key = result.key
    question = f"{QUESTIONS[int(key[1:]) % len(QUESTIONS)]} [{key}]"
    headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN, "Accept": "text/event-stream"}
    result.sent = time.perf_counter()
    event = ""
    try:
        async with client.stream(
            "POST", "/widget/v1/chat", json={"message": question}, headers=headers
        ) as response:
            if response.status_code != 200:
                result.error = _error_kind(response.status_code, await response.aread())
                return
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


CUT = "unfinished when the phase was cut"
BUSY = "429 busy"
BUSY_RETRY_S = 2.0  # the Retry-After the API sends with `busy` (api.chat.admission)


async def bounded(tasks: list[asyncio.Task[Any]], asks: list[Ask], timeout_s: float) -> None:
    """Wait for `tasks` at most `timeout_s`; cancel the rest and mark their unfinished asks."""
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, timeout_s))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    for a in asks:
        if a.error is None and a.done is None:
            a.error = CUT


async def chat_load(
    client: Any, tokens: list[str], model_url: str, duration_s: float, think_s: float
) -> ChatRun:
    """Every shopper asks, reads the answer, pauses `think_s` (0.5x-1.5x, seeded), asks
    again, for `duration_s`; arrivals are spread over the first pause. Answers still
    streaming `CUT_AFTER_S` past the end are cut (and counted as errors of their own)."""
    run = ChatRun()
    started = time.perf_counter()
    deadline = started + duration_s

    async def shopper(n: int) -> None:
        rng = random.Random(n)
        await asyncio.sleep(rng.uniform(0, min(think_s, duration_s / 2)))
        while time.perf_counter() < deadline:
            run.asks.append(current := Ask(f"q{next(_numbers)}", time.perf_counter()))
            await stream_into(current, client, tokens[n])
            pause = think_s * rng.uniform(0.5, 1.5)
            await asyncio.sleep(max(0.0, min(pause, deadline - time.perf_counter())))

    shoppers = [asyncio.create_task(shopper(n)) for n in range(len(tokens))]
    await bounded(shoppers, run.asks, deadline + CUT_AFTER_S - time.perf_counter())
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
    asks = [Ask(f"h{next(_numbers)}", time.perf_counter()) for _ in tokens]
    all_open = asyncio.Event()

    def first() -> None:
        if sum(1 for a in asks if a.first is not None) == len(asks):
            all_open.set()

    started = time.perf_counter()
    busy_refusals: Counter[str] = Counter()

    async def held(n: int, token: str) -> None:
        # A shopper refused for the server's load (429 busy) asks again after its
        # Retry-After, as the widget lets them: the burst opens as fast as it is taken.
        while True:
            await stream_into(asks[n], client, token, on_first=first)
            if asks[n].error != BUSY or time.perf_counter() - started > timeout_s:
                return
            busy_refusals[BUSY] += 1
            await asyncio.sleep(BUSY_RETRY_S)
            asks[n] = Ask(f"h{next(_numbers)}", time.perf_counter())

    tasks = [asyncio.create_task(held(n, token)) for n, token in enumerate(tokens)]
    waiting: asyncio.Future[Any] = asyncio.create_task(all_open.wait())
    finished: asyncio.Future[Any] = asyncio.gather(*tasks)  # early: streams failed
    await asyncio.wait({waiting, finished}, timeout=timeout_s, return_when="FIRST_COMPLETED")
    seconds = time.perf_counter() - started
    await asyncio.sleep(0.5)  # the last streams' first events are written; let the heap settle
    open_now = sum(1 for a, t in zip(asks, tasks, strict=True) if a.first and not t.done())
    held_rss = rss()
    await release_held(client, model_url)
    waiting.cancel()
    await bounded(tasks, asks, CUT_AFTER_S)
    errors = Counter(a.error for a in asks if a.error) + busy_refusals
    return Hold(len(tokens), open_now, idle, held_rss, seconds, errors)
