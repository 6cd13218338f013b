#!/usr/bin/env python3
"""Widget-path benchmark: what a shopper's browser pays for, measured in one run.

(a) the widget's size over the wire: api/static/widget.js raw and gzip (bench/widget_size.py)
    against the 12 KB gzip goal;
(b) first-token overhead of the SSE chat path: the fake OpenAI server streams at a fixed pace
    (first content token after 200 ms, then one every 20 ms). Only checked text is streamed,
    so our first `token` event is the model's first sentence once the guardrails passed it:
    for each request the time to the first SSE `token` event seen by the HTTP client, minus
    the model's own time to its first complete sentence as the fake measured it for that
    very request (arrival -> the content delta that ends the first sentence). What is left
    is ours: session check, rate limits, the conversation writes, query embedding, hybrid
    retrieval, prompt assembly, the OpenAI client, waiting for the next word to confirm the
    sentence's end (when the model did not send the space after it), the guardrails and SSE
    framing. The report splits it on this process's one clock (the fake runs in a thread
    here): before the model call, and from the model's first complete sentence to our first
    `token` (what checking the stream costs).
    Goal: p95 <= 60 ms. Run once with distinct questions (every query embedded: the cold
    path) and once with one repeated question (query embedding cached);
(c) sustained chat throughput with the offline answerer (JSON), concurrency 8 for 15 s, with
    p50/p95 latency, against two baselines measured in this same run: `GET /healthz` at the
    same concurrency (the HTTP floor of the same server and client) and
    `AnswerService.answer` called directly in this process, without HTTP (the engine alone).

Setup: an embedded PostgreSQL (pgvector) in a temp dir, migrated; two tenants with the same
generated catalogue (one bot on the offline answerer, one on "openai" pointed at the fake);
the app is `shopbot serve` (the production process: the one ASGI app under uvicorn, with its
access log) in a subprocess on 127.0.0.1, so the load generator never competes with it for
the GIL; no Redis (in-process limits and caches). The bots' `rate_limits` are raised to
1,000,000/min (burst 100,000) in every scope: the defaults (10 messages a minute per
session) would turn a load test into a test of the limiter. Everything started is stopped
at the end, on errors too.

Usage: .venv/bin/python -m bench.widget [--requests 50] [--duration 15] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from bench.widget_measure import (
    first_token_ms,
    measure_chat_load,
    measure_direct,
    measure_embedding,
    measure_healthz,
    measure_overhead,
    session_token,
)
from bench.widget_report import FIRST_TOKEN_S, TOKEN_EVERY_S, report, widget_size_rows
from bench.widget_setup import ORIGIN, distinct_questions, embedded_database, seed, shopbot_serve
from emulators.openai import PacedFakeOpenAI
from engine.guardrails.spans import sentence_ends

os.environ.pop("DATABASE_URL", None)  # the bench's own embedded database, never another
warnings.filterwarnings("ignore")

# Two sentences: the first `token` is the first one, checked; the second keeps the model
# streaming after it, as a real answer does.
MODEL_REPLY = (
    "Here are a few good options from the catalogue for you today. "
    "Each one suits what you asked for."
)


async def run(
    args: argparse.Namespace, app_url: Any, base: str, fake: Any, info: dict[str, Any]
) -> tuple[Any, ...]:
    import httpx

    shops = info["shops"]
    limits = httpx.Limits(
        max_connections=args.concurrency * 2, max_keepalive_connections=args.concurrency * 2
    )
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        # Warm up: load the server's model, fill connection pools.
        token = await session_token(client, shops["openai"].widget_key)
        for question in (
            "warm up the model",
            "show me something for camping",
            "a gift for a hiker",
        ):
            await first_token_ms(client, token, question)
        print("measuring (b) first-token overhead …", file=sys.stderr)
        cold = await measure_overhead(
            client, fake, shops["openai"].widget_key, distinct_questions(args.requests)
        )
        warm = await measure_overhead(
            client,
            fake,
            shops["openai"].widget_key,
            ["do you have a warm sleeping bag?"] * max(10, args.requests // 2),
        )
        cold["embed"] = await measure_embedding(distinct_questions(args.requests))

        rotation = distinct_questions(40)
        print(f"measuring (c) chat load for {args.duration:.0f} s …", file=sys.stderr)
        warm_token = await session_token(client, shops["offline"].widget_key)
        for question in rotation:  # embed each once, as the direct baseline does
            await client.post(
                "/widget/v1/chat",
                json={"message": question},
                headers={"Authorization": f"Bearer {warm_token}", "Origin": ORIGIN},
            )
        chat = await measure_chat_load(
            client, shops["offline"].widget_key, rotation, args.concurrency, args.duration
        )
        print("measuring baselines …", file=sys.stderr)
        health = await measure_healthz(client, args.concurrency, args.baseline_duration)
    direct = await measure_direct(
        app_url, shops["offline"], rotation, args.concurrency, args.baseline_duration
    )
    return cold, warm, chat, health, direct


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=50, help="SSE requests for the first-token overhead"
    )
    parser.add_argument(
        "--duration", type=float, default=15.0, help="seconds of sustained chat load"
    )
    parser.add_argument(
        "--baseline-duration", type=float, default=5.0, help="seconds for each baseline"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv[1:])

    sizes = widget_size_rows()
    load_start = os.getloadavg()[0]
    began = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="shopbot-widget-bench-") as tmp,
        embedded_database(Path(tmp)) as (owner_url, app_url),
        PacedFakeOpenAI(
            sentence_ends=sentence_ends,
            first_token_delay_s=FIRST_TOKEN_S,
            token_delay_s=TOKEN_EVERY_S,
        ) as fake,
    ):
        fake.reply_fn(lambda _messages: MODEL_REPLY)
        print(f"seeding … ({time.monotonic() - began:.0f} s)", file=sys.stderr)
        info = asyncio.run(seed(app_url))
        print(f"starting `shopbot serve` … ({time.monotonic() - began:.0f} s)", file=sys.stderr)
        with shopbot_serve(owner_url, Path(tmp), fake.api_key, fake.base_url) as base:
            cold, warm, chat, health, direct = asyncio.run(run(args, app_url, base, fake, info))
    print(f"done in {time.monotonic() - began:.0f} s", file=sys.stderr)
    print(
        report(
            args, info, (load_start, os.getloadavg()[0]), sizes, cold, warm, chat, health, direct
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
