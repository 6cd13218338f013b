#!/usr/bin/env python3
"""Widget-path benchmark: what a shopper's browser pays for, measured in one run.

(a) the widget's size over the wire: api/static/widget.js raw and gzip (bench/widget_size.py)
    against the 12 KB gzip goal;
(b) first-token overhead of the SSE chat path: the fake OpenAI server streams at a fixed pace
    (first content token after 200 ms, then one every 20 ms); for each request the time to
    the first SSE `token` event seen by the HTTP client, minus the model's own first-token
    time as the fake measured it for that very request (arrival -> first content delta).
    What is left is ours: session check, rate limits, the conversation writes, query
    embedding, hybrid retrieval, prompt assembly, the OpenAI client and SSE framing.
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

Usage: .venv/bin/python bench/widget.py [--requests 50] [--duration 15] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support / tests.fakes live beside the packages
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.pop("DATABASE_URL", None)
warnings.filterwarnings("ignore")

ORIGIN = "https://shop.bench.test"
FIRST_TOKEN_S = 0.200
TOKEN_EVERY_S = 0.020
OVERHEAD_GOAL_MS = 60.0
SIZE_GOAL_BYTES = 12 * 1024
HIGH_LIMIT = {"per_minute": 1_000_000, "burst": 100_000}
BENCH_RATE_LIMITS = {scope: HIGH_LIMIT for scope in ("session", "ip", "bot", "session_create", "interaction")}
MODEL_REPLY = "Here are a few good options from the catalogue for you today."

# --- the catalogue and the questions --------------------------------------------------------

_ITEMS = [
    ("rain jacket", "Jackets", "a waterproof breathable shell with taped seams and a packable hood"),
    ("fleece pullover", "Jackets", "a cosy fleece layer for chilly hikes and camp evenings"),
    ("down vest", "Jackets", "a light 700-fill down vest that packs into its own pocket"),
    ("trail running shoe", "Shoes", "a lightweight shoe with a grippy outsole and a rock plate"),
    ("hiking boot", "Shoes", "a waterproof leather boot with ankle support for rough trails"),
    ("camp sandal", "Shoes", "a quick-drying sandal for river crossings and camp"),
    ("wool beanie", "Accessories", "a soft merino wool hat for cold winter mornings"),
    ("hiking sock", "Accessories", "a cushioned merino sock that wicks moisture and prevents blisters"),
    ("water bottle", "Accessories", "a double-walled steel bottle that keeps drinks cold for 24 hours"),
    ("headlamp", "Camping", "a rechargeable LED headlamp with a red night mode"),
    ("sleeping bag", "Camping", "a warm down sleeping bag rated to minus ten degrees"),
    ("tent", "Camping", "a two-person ultralight tent that sets up in minutes"),
    ("camp stove", "Camping", "a compact gas stove that boils a litre in three minutes"),
    ("cast iron skillet", "Kitchen", "a pre-seasoned pan for searing, baking and campfire cooking"),
    ("enamel mug", "Kitchen", "a speckled enamel mug for campfire coffee"),
    ("trekking pole", "Hiking", "a collapsible carbon pole with cork grips"),
    ("daypack", "Hiking", "a 24-litre pack with a rain cover and a hydration sleeve"),
    ("rain pants", "Jackets", "waterproof over-trousers with full-length side zips"),
    ("sun hat", "Accessories", "a wide-brimmed hat with UPF 50 sun protection"),
    ("insulated jacket", "Jackets", "a synthetic insulated jacket that stays warm when wet"),
]
_VARIANTS = [("Alpine", "Red"), ("Summit", "Blue"), ("Ridge", "Green"), ("Canyon", "Black"), ("Glacier", "Grey"), ("Forest", "Olive")]


def catalogue() -> list[Any]:
    from tests.support.index import SeedProduct

    products = []
    for i, (item, category, body) in enumerate(_ITEMS):
        for j, (line, colour) in enumerate(_VARIANTS):
            price = f"{9 + (i * 37 + j * 23) % 290}.{(i + j) % 10}9"
            products.append(SeedProduct(
                f"{line} {item.title()}", price, f"{body.capitalize()}. Colour: {colour}.", [category],
                {"Color": [colour]}, stock_status="outofstock" if (i + j) % 7 == 0 else "instock",
                external_id=str(1000 + i * 10 + j),
            ))
    return products


def distinct_questions(n: int) -> list[str]:
    openers = ["do you have a", "I'm looking for a", "can you recommend a", "what is a good", "is there a"]
    extras = ["", " under $100", " for winter", " in blue", " for kids", " that is light"]
    combos = [f"{o} {item}{e}?" for e in extras for o in openers for item, _, _ in _ITEMS]
    if n > len(combos):
        raise ValueError(f"at most {len(combos)} distinct questions")
    return combos[:n]


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


async def sustain(call: Callable[[int, int], Awaitable[bool]], concurrency: int, seconds: float) -> Load:
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
            except Exception:  # noqa: BLE001 - a failed request is counted, not fatal
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            errors += 0 if ok else 1
            n += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return Load(len(latencies), errors, time.perf_counter() - started, latencies)


# --- infrastructure --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_database(data_dir: Path) -> Iterator[tuple[Any, Any]]:
    from core.db import migrate
    from core.db.embedded import start_embedded_server, stop_embedded_servers
    from core.db.urls import app_role_url, with_psycopg_driver

    try:
        owner = with_psycopg_driver(start_embedded_server(data_dir))
        migrate.upgrade(owner, app_role="shopbot_app", app_password=None)
        yield owner, app_role_url(owner, "shopbot_app", None)
    finally:
        stop_embedded_servers()


@contextlib.contextmanager
def shopbot_serve(owner_url: Any, data_dir: Path, openai_key: str, openai_base_url: str) -> Iterator[str]:
    """`shopbot serve` in a subprocess; yields its base URL; always stopped."""
    from core.crypto import generate_key

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SHOPBOT_REDIS_URL", "SENTRY_DSN"}}
    env.update({
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "SHOPBOT_DATA_DIR": str(data_dir / "app"),
        "SHOPBOT_SECRET_KEY": secrets.token_urlsafe(48),
        "SHOPBOT_ENCRYPTION_KEYS": generate_key(),
        "OPENAI_API_KEY": openai_key,
        "SHOPBOT_OPENAI_BASE_URL": openai_base_url,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    })
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import run; run()", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log.flush()
                raise RuntimeError(f"shopbot serve exited ({process.returncode}):\n"
                                   + (data_dir / "serve.log").read_text()[-3000:])
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("shopbot serve did not become healthy in 120 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def seed(app_url: Any) -> dict[str, Any]:
    from sqlalchemy import update

    from core.db.database import Database
    from core.models import Bot
    from core.provisioning import provision_tenant
    from engine.embeddings import shared_local_embedder
    from tests.support.index import seed_store

    db = Database.connect(app_url, pool_size=2)
    embedder = shared_local_embedder()
    products = catalogue()
    vectors: list[list[float]] = []

    class EmbedOnce:  # both tenants get the same catalogue: embed it once
        space = embedder.space

        async def embed_documents(self, texts: list[str]) -> list[list[float]]:
            if not vectors:
                vectors.extend(await embedder.embed_documents(texts))
            return vectors

        async def embed_query(self, text: str) -> list[float]:
            return await embedder.embed_query(text)

    shops = {}
    try:
        for kind, llm in (("offline", {"provider": "offline"}),
                          ("openai", {"provider": "openai", "model": "gpt-4o-mini", "max_retries": 0, "timeout_s": 10})):
            tenant = await provision_tenant(db, name=f"Bench {kind} outfitters", allowed_origins=[ORIGIN])
            await seed_store(db, tenant.tenant_id, EmbedOnce(), products)
            async with db.tenant_session(tenant.tenant_id) as session:
                await session.execute(update(Bot).where(Bot.id == tenant.bot_id).values(
                    llm_settings=llm, rate_limits=BENCH_RATE_LIMITS))
            shops[kind] = tenant
    finally:
        await db.dispose()
    return {"shops": shops, "products": len(products)}


# --- the measurements ------------------------------------------------------------------------

async def session_token(client: Any, widget_key: str) -> str:
    response = await client.post("/widget/v1/sessions", json={"widget_key": widget_key}, headers={"Origin": ORIGIN})
    response.raise_for_status()
    return response.json()["session_token"]


async def first_token_ms(client: Any, token: str, question: str) -> float:
    headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN, "Accept": "text/event-stream"}
    started = time.perf_counter()
    first: float | None = None
    async with client.stream("POST", "/widget/v1/chat", json={"message": question}, headers=headers) as response:
        if response.status_code != 200:
            raise RuntimeError(f"chat answered {response.status_code}: {(await response.aread())[:300]!r}")
        async for line in response.aiter_lines():
            if first is None and line.startswith("event: token"):
                first = time.perf_counter()
            if line.startswith("event: error"):
                raise RuntimeError("the answer stream ended with an error event")
    if first is None:
        raise RuntimeError("no token event in the stream")
    return (first - started) * 1000


async def measure_overhead(client: Any, fake: Any, widget_key: str, questions: list[str]) -> dict[str, list[float]]:
    token = await session_token(client, widget_key)
    client_ms, model_ms = [], []
    for question in questions:
        before = len(fake.timings)
        client_ms.append(await first_token_ms(client, token, question))
        timings = fake.timings
        if len(timings) != before + 1:
            raise RuntimeError("expected exactly one model request per question")
        model_ms.append(timings[-1].first_token_s * 1000)
    return {"client": client_ms, "model": model_ms, "overhead": [c - m for c, m in zip(client_ms, model_ms, strict=True)]}


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


async def measure_chat_load(client: Any, widget_key: str, questions: list[str], concurrency: int, seconds: float) -> Load:
    tokens = [await session_token(client, widget_key) for _ in range(concurrency)]

    async def chat(worker: int, n: int) -> bool:
        response = await client.post(
            "/widget/v1/chat", json={"message": questions[(worker * 7 + n) % len(questions)]},
            headers={"Authorization": f"Bearer {tokens[worker]}", "Origin": ORIGIN},
        )
        return response.status_code == 200

    return await sustain(chat, concurrency, seconds)


async def measure_healthz(client: Any, concurrency: int, seconds: float) -> Load:
    async def health(_: int, __: int) -> bool:
        return (await client.get("/healthz")).status_code == 200

    return await sustain(health, concurrency, seconds)


async def measure_direct(app_url: Any, tenant: Any, questions: list[str], concurrency: int, seconds: float) -> Load:
    from core.db.database import Database
    from engine.answer import AnswerService
    from engine.answer_events import Question
    from engine.embeddings import shared_local_embedder
    from engine.retrieval.query_cache import QueryEmbeddingCache

    db = Database.connect(app_url, pool_size=concurrency)
    service = AnswerService(db, shared_local_embedder(), cache=QueryEmbeddingCache(None))

    async def answer(worker: int, n: int) -> bool:
        result = await service.answer(Question(
            tenant_id=tenant.tenant_id, bot_id=tenant.bot_id,
            message=questions[(worker * 7 + n) % len(questions)], visitor_id=f"bench-{worker}",
        ))
        return bool(result.answer)

    try:
        for n in range(len(questions)):  # the same warm query cache as the served run
            await answer(0, n)
        return await sustain(answer, concurrency, seconds)
    finally:
        await db.dispose()


# --- the report ------------------------------------------------------------------------------

def widget_size_rows() -> list[tuple[str, int]]:
    path = ROOT / "api" / "static" / "widget.js"
    try:
        import widget_size  # bench/widget_size.py

        return widget_size.sizes(path.read_bytes())
    except ImportError:
        import gzip

        data = path.read_bytes()
        return [("raw", len(data)), ("gzip -9", len(gzip.compress(data, compresslevel=9, mtime=0)))]


def row(label: str, value: str, reference: str = "", ratio: str = "", verdict: str = "") -> str:
    return f"  {label:<44}{value:>22}  {reference:<34}{ratio:>8}  {verdict}"


def report(args: argparse.Namespace, info: dict[str, Any], load: tuple[float, float], sizes: list[tuple[str, int]], cold: dict[str, list[float]],
           warm: dict[str, list[float]], chat: Load, health: Load, direct: Load) -> str:
    def ok(good: bool) -> str:
        return "PASS" if good else "FAIL"

    lines = [
        f"Shopbot widget bench — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; app = `shopbot serve` "
        "subprocess on 127.0.0.1; embedded PostgreSQL + pgvector; no Redis",
        f"catalogue: {info['products']} products per tenant; bot rate_limits raised to 1e6/min (burst 1e5) for the bench",
        f"1-min load average at start / end: {load[0]:.2f} / {load[1]:.2f}"
        + ("  (the machine was busy with other work: expect noisy numbers)" if max(load) > (os.cpu_count() or 1) * 0.75 else ""),
        "",
        row("metric", "value", "goal / baseline", "ratio", ""),
        "(a) widget.js over the wire",
    ]
    for name, n in sizes:
        is_gzip = name.startswith("gzip")
        lines.append(row(name, f"{n:,} B ({n / 1024:.1f} KiB)", "12 KB gzip goal" if is_gzip else "",
                         f"{n / SIZE_GOAL_BYTES:.2f}" if is_gzip else "", ok(n <= SIZE_GOAL_BYTES) if is_gzip else ""))
    lines.append(f"(b) SSE first-token overhead — fake model: 1st token {FIRST_TOKEN_S * 1000:.0f} ms, "
                 f"then every {TOKEN_EVERY_S * 1000:.0f} ms; sequential")
    for title, data in ((f"distinct questions (N={len(cold['client'])})", cold),
                        (f"one repeated question (N={len(warm['client'])})", warm)):
        lines.append(f"    {title}")
        lines.append(row("client: time to first `token` p50 / p95", f"{pct(data['client'], 50):.0f} / {pct(data['client'], 95):.0f} ms"))
        lines.append(row("model: its own first token p50 / p95", f"{pct(data['model'], 50):.0f} / {pct(data['model'], 95):.0f} ms"))
        p95 = pct(data["overhead"], 95)
        lines.append(row("overhead (client - model) p50 / p95", f"{pct(data['overhead'], 50):.1f} / {p95:.1f} ms",
                         f"p95 <= {OVERHEAD_GOAL_MS:.0f} ms", f"{p95 / OVERHEAD_GOAL_MS:.2f}", ok(p95 <= OVERHEAD_GOAL_MS)))
        lines.append(row("overhead max / mean", f"{max(data['overhead']):.1f} / {statistics.fmean(data['overhead']):.1f} ms"))
        if "embed" in data:
            lines.append(row("MiniLM embed_query alone p50 / p95", f"{pct(data['embed'], 50):.1f} / {pct(data['embed'], 95):.1f} ms",
                             "(same questions, in this process)"))
    lines.append(f"(c) sustained chat — offline answerer, JSON, concurrency {args.concurrency}, {chat.seconds:.0f} s, "
                 "40 questions in rotation")
    lines.append(row("POST /widget/v1/chat throughput", f"{chat.rps:.1f} req/s", f"direct answer() {direct.rps:.1f} req/s",
                     f"{chat.rps / direct.rps:.2f}"))
    lines.append(row("POST /widget/v1/chat latency p50 / p95", f"{chat.p50:.0f} / {chat.p95:.0f} ms",
                     f"direct {direct.p50:.0f} / {direct.p95:.0f} ms", f"{chat.p50 / direct.p50:.2f}"))
    lines.append(row("chat requests / errors", f"{chat.requests} / {chat.errors}", "", "", ok(chat.errors == 0)))
    lines.append("    baselines, same run, same concurrency")
    lines.append(row("GET /healthz throughput", f"{health.rps:.0f} req/s", "(HTTP floor: chat / healthz)",
                     f"{chat.rps / health.rps:.3f}"))
    lines.append(row("GET /healthz latency p50 / p95", f"{health.p50:.1f} / {health.p95:.1f} ms", "",
                     f"{chat.p50 / health.p50:.0f}x"))
    lines.append(row("AnswerService.answer direct (no HTTP)", f"{direct.rps:.1f} req/s",
                     f"p50 / p95 {direct.p50:.0f} / {direct.p95:.0f} ms"))
    return "\n".join(lines)


async def run(args: argparse.Namespace, app_url: Any, base: str, fake: Any, info: dict[str, Any]) -> tuple[Any, ...]:
    import httpx

    shops = info["shops"]
    limits = httpx.Limits(max_connections=args.concurrency * 2, max_keepalive_connections=args.concurrency * 2)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        # Warm up: load the server's model, fill connection pools.
        token = await session_token(client, shops["openai"].widget_key)
        for question in ("warm up the model", "show me something for camping", "a gift for a hiker"):
            await first_token_ms(client, token, question)
        print("measuring (b) first-token overhead …", file=sys.stderr)
        cold = await measure_overhead(client, fake, shops["openai"].widget_key, distinct_questions(args.requests))
        warm = await measure_overhead(client, fake, shops["openai"].widget_key, ["do you have a warm sleeping bag?"] * max(10, args.requests // 2))
        cold["embed"] = await measure_embedding(distinct_questions(args.requests))

        rotation = distinct_questions(40)
        print(f"measuring (c) chat load for {args.duration:.0f} s …", file=sys.stderr)
        warm_token = await session_token(client, shops["offline"].widget_key)
        for question in rotation:  # embed each once, as the direct baseline does
            await client.post("/widget/v1/chat", json={"message": question},
                              headers={"Authorization": f"Bearer {warm_token}", "Origin": ORIGIN})
        chat = await measure_chat_load(client, shops["offline"].widget_key, rotation, args.concurrency, args.duration)
        print("measuring baselines …", file=sys.stderr)
        health = await measure_healthz(client, args.concurrency, args.baseline_duration)
    direct = await measure_direct(app_url, shops["offline"], rotation, args.concurrency, args.baseline_duration)
    return cold, warm, chat, health, direct


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="SSE requests for the first-token overhead")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of sustained chat load")
    parser.add_argument("--baseline-duration", type=float, default=5.0, help="seconds for each baseline")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv[1:])

    from tests.browser.paced_openai import PacedFakeOpenAI

    sizes = widget_size_rows()
    load_start = os.getloadavg()[0]
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="shopbot-widget-bench-") as tmp, \
            embedded_database(Path(tmp)) as (owner_url, app_url), \
            PacedFakeOpenAI(first_token_delay_s=FIRST_TOKEN_S, token_delay_s=TOKEN_EVERY_S) as fake:
        fake.reply_fn(lambda _messages: MODEL_REPLY)
        print(f"seeding … ({time.monotonic() - began:.0f} s)", file=sys.stderr)
        info = asyncio.run(seed(app_url))
        print(f"starting `shopbot serve` … ({time.monotonic() - began:.0f} s)", file=sys.stderr)
        with shopbot_serve(owner_url, Path(tmp), fake.api_key, fake.base_url) as base:
            cold, warm, chat, health, direct = asyncio.run(run(args, app_url, base, fake, info))
    print(f"done in {time.monotonic() - began:.0f} s", file=sys.stderr)
    print(report(args, info, (load_start, os.getloadavg()[0]), sizes, cold, warm, chat, health, direct))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
