"""The widget bench's measurements: SSE first-token overhead, sustained chat load and its
baselines (see bench/widget.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench.widget_setup import ORIGIN

# --- numbers ---------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def p50(self) -> float:
        return pct(self.latencies_ms, 50)

    @property
    def p95(self) -> float:
        return pct(self.latencies_ms, 95)


async def sustain(
    call: Callable[[int, int], Awaitable[bool]], concurrency: int, seconds: float
) -> Load:
    """Run `call(worker, n)` back to back in `concurrency` workers for `seconds`."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal errors
        n = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                ok = await call(w, n)
            except Exception:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            errors += 0 if ok else 1
            n += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return Load(len(latencies), errors, time.perf_counter() - started, latencies)


# --- the measurements ------------------------------------------------------------------------


async def session_token(client: Any, widget_key: str) -> str:
    response = await client.post(
        "/widget/v1/sessions", json={"widget_key": widget_key}, headers={"Origin": ORIGIN}
    )
    response.raise_for_status()
    return response.json()["session_token"]


async def first_token_ms(client: Any, token: str, question: str) -> float:
    started, first = await first_token_at(client, token, question)
    return (first - started) * 1000


async def first_token_at(client: Any, token: str, question: str) -> tuple[float, float]:
    """(perf_counter when the request left, perf_counter when the first `token` arrived)."""
    headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN, "Accept": "text/event-stream"}
    started = time.perf_counter()
    first: float | None = None
    async with client.stream(
        "POST", "/widget/v1/chat", json={"message": question}, headers=headers
    ) as response:
        if response.status_code != 200:
            raise RuntimeError(
                f"chat answered {response.status_code}: {(await response.aread())[:300]!r}"
            )
        async for line in response.aiter_lines():
            if first is None and line.startswith("event: token"):
                first = time.perf_counter()
            if line.startswith("event: error"):
                raise RuntimeError("the answer stream ended with an error event")
    if first is None:
        raise RuntimeError("no token event in the stream")
    return started, first


async def measure_overhead(
    client: Any, fake: Any, widget_key: str, questions: list[str]
) -> dict[str, list[float]]:
    """Per request, in ms: `client` (request sent -> first `token`), `model` (the model's own
    time, request arrived -> the delta that ends its first sentence), `overhead` (client -
    model), and its two parts on the one clock of this process (the fake runs in a thread
    here): `before_model` (request sent -> the model request arrived: session, limits,
    conversation writes, embedding, retrieval, prompt) and `after_sentence` (the model's
    first complete sentence -> our first `token`: confirming its end, the guardrails,
    citations, SSE framing)."""
    token = await session_token(client, widget_key)
    out: dict[str, list[float]] = {
        "client": [],
        "model": [],
        "overhead": [],
        "before_model": [],
        "after_sentence": [],
    }
    for question in questions:
        before = len(fake.timings)
        started, first = await first_token_at(client, token, question)
        timings = fake.timings
        if len(timings) != before + 1:
            raise RuntimeError("expected exactly one model request per question")
        timing = timings[-1]
        client_ms, model_ms = (first - started) * 1000, timing.first_sentence_s * 1000
        out["client"].append(client_ms)
        out["model"].append(model_ms)
        out["overhead"].append(client_ms - model_ms)
        out["before_model"].append((timing.arrived - started) * 1000)
        out["after_sentence"].append((first - timing.first_sentence) * 1000)
    return out


async def measure_embedding(questions: list[str]) -> list[float]:
    """MiniLM alone on the same questions, in this process (the server idles meanwhile)."""
    from engine.embeddings import shared_local_embedder

    embedder = shared_local_embedder()
    out = []
    for question in questions:
        started = time.perf_counter()
        await embedder.embed_query(question)
        out.append((time.perf_counter() - started) * 1000)
    return out


async def measure_chat_load(
    client: Any, widget_key: str, questions: list[str], concurrency: int, seconds: float
) -> Load:
    tokens = [await session_token(client, widget_key) for _ in range(concurrency)]

    async def chat(worker: int, n: int) -> bool:
        response = await client.post(
            "/widget/v1/chat",
            json={"message": questions[(worker * 7 + n) % len(questions)]},
            headers={"Authorization": f"Bearer {tokens[worker]}", "Origin": ORIGIN},
        )
        return response.status_code == 200

    return await sustain(chat, concurrency, seconds)


async def measure_healthz(client: Any, concurrency: int, seconds: float) -> Load:
    async def health(_: int, __: int) -> bool:
        return (await client.get("/healthz")).status_code == 200

    return await sustain(health, concurrency, seconds)


async def measure_direct(
    app_url: Any, tenant: Any, questions: list[str], concurrency: int, seconds: float
) -> Load:
    from core.db.database import Database
    from engine.answer import AnswerService
    from engine.answer_events import Question
    from engine.embeddings import shared_local_embedder
    from engine.retrieval.query_cache import QueryEmbeddingCache

    db = Database.connect(app_url, pool_size=concurrency)
    service = AnswerService(db, shared_local_embedder(), cache=QueryEmbeddingCache(None))

    async def answer(worker: int, n: int) -> bool:
        result = await service.answer(
            Question(
                tenant_id=tenant.tenant_id,
                bot_id=tenant.bot_id,
                message=questions[(worker * 7 + n) % len(questions)],
                visitor_id=f"bench-{worker}",
            )
        )
        return bool(result.answer)

    try:
        for n in range(len(questions)):  # the same warm query cache as the served run
            await answer(0, n)
        return await sustain(answer, concurrency, seconds)
    finally:
        await db.dispose()
