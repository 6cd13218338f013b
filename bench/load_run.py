"""bench.load's run: the world brought up in order, the three phases, everything stopped
(see bench/load.py for what each phase measures)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.ingest import StoreHandle
from bench.load_cpu import CpuMeter, cores_used
from bench.load_model import served_model
from bench.load_procs import own_redis, shopbot_serve, shopbot_worker, tree_rss_bytes
from bench.load_shoppers import Hold, ask, chat_load, hold_streams, sessions
from bench.load_stages import stage_buckets, stage_times
from bench.load_sync import (
    SyncWatch,
    WebhookResult,
    enqueue_full_sync,
    wait_for,
    watch_sync,
    webhook_visible,
)
from bench.load_world import (
    SyncShop,
    WebhookShop,
    bench_embedder,
    process_env,
    seed_chat_tenants,
    seed_sync_tenant,
    seed_webhook_tenant,
)
from bench.widget_report import FIRST_TOKEN_S, TOKEN_EVERY_S
from bench.widget_setup import embedded_database

WEBHOOK_TIMEOUT_S = 30.0
SYNC_START_TIMEOUT_S = 120.0
METRICS_TOKEN = "bench-load-metrics"  # the API's /metrics bearer token for this run


@dataclass(frozen=True)
class Options:
    tenants: int
    shoppers: int
    products: int
    seed: int
    duration_s: float
    think_s: float
    sync_window_s: float
    hold_timeout_s: float
    api_workers: int
    worker_concurrency: int
    busy_lag_ms: float  # the API's SHOPBOT_CHAT_BUSY_LOOP_LAG_MS (0: no load shedding)
    max_answers: int  # the API's SHOPBOT_CHAT_MAX_ANSWERS_IN_FLIGHT per process (0: no cap)


def say(began: float, what: str) -> None:
    print(f"[{time.monotonic() - began:5.0f} s] {what}", file=sys.stderr, flush=True)


async def run(options: Options, tmp: Path) -> dict[str, Any]:
    from core.crypto import SecretBox, generate_key
    from core.db.database import Database
    from emulators.catalog import generate_catalog
    from emulators.woocommerce import FakeWooStore

    began = time.monotonic()
    async with contextlib.AsyncExitStack() as stack:
        say(began, "database, model, redis, stores …")
        owner_url, app_url = stack.enter_context(embedded_database(tmp))
        model_url = stack.enter_context(served_model(tmp))
        redis_url = stack.enter_context(own_redis(tmp))
        big = StoreHandle(options.products, options.seed)
        stack.callback(big.stop)
        small = stack.enter_context(FakeWooStore(generate_catalog(40, seed=11)))
        key = generate_key()
        box = SecretBox([key])
        env = process_env(owner_url, tmp, model_url, redis_url, key)
        env["SHOPBOT_CHAT_BUSY_LOOP_LAG_MS"] = str(options.busy_lag_ms)
        env["SHOPBOT_CHAT_MAX_ANSWERS_IN_FLIGHT"] = str(options.max_answers)
        env["SHOPBOT_METRICS_TOKEN"] = METRICS_TOKEN  # the stages are read from /metrics
        ports = {urlsplit(url).port or 80 for url in (big.info["url"], small.url)}
        env["SHOPBOT_OUTBOUND_ALLOWED_PORTS"] = ",".join(str(p) for p in sorted(ports))

        db = Database.connect(app_url, pool_size=8)
        stack.push_async_callback(db.dispose)
        embedder = bench_embedder(model_url)
        say(began, f"seeding {options.tenants} chat tenants and the sync tenant …")
        shops = await seed_chat_tenants(db, embedder, options.tenants)
        sync_shop = await seed_sync_tenant(db, box, big.info)
        say(began, f"starting `shopbot serve` ({options.api_workers} process(es)), the worker …")
        worker = stack.enter_context(shopbot_worker(env, tmp, options.worker_concurrency))
        api_url, api_pid = stack.enter_context(shopbot_serve(env, tmp, options.api_workers))
        hook = await seed_webhook_tenant(db, box, embedder, small, api_url)
        worker.ready()

        import httpx

        limits = httpx.Limits(max_connections=options.shoppers + 20)
        client = await stack.enter_async_context(
            httpx.AsyncClient(base_url=api_url, timeout=60, limits=limits)
        )
        keys = [shops[n % len(shops)].widget_key for n in range(options.shoppers)]
        say(began, f"{options.shoppers} widget sessions, a warm-up …")
        tokens = await sessions(client, keys)
        [hook_token] = await sessions(client, [hook.shop.widget_key])
        # Warm-up: every API process answers a few before anything is measured.
        await asyncio.gather(*(ask(client, t, f"q{n}") for n, t in enumerate(tokens[:8])))
        world = World(
            client,
            model_url,
            redis_url,
            db,
            tokens,
            functools.partial(tree_rss_bytes, api_pid),
            sync_shop,
            small,
            hook,
            hook_token,
            CpuMeter(tmp / "pg"),
        )
        parts = await _phases(options, world, began)
        parts["setup"] = {
            "tenants": options.tenants,
            "shoppers": options.shoppers,
            "think": options.think_s,
            "duration": options.duration_s,
            "api_processes": options.api_workers,
            "worker_concurrency": options.worker_concurrency,
            "busy_lag_ms": options.busy_lag_ms,
            "max_answers": options.max_answers,
            "listed": sync_shop.listed,
            "first_token_ms": FIRST_TOKEN_S * 1000,
            "token_ms": TOKEN_EVERY_S * 1000,
            "cpus": os.cpu_count(),
        }
        say(began, "stopping everything …")
    return parts


@dataclass(frozen=True)
class World:
    """What the phases work with, once everything is up."""

    client: Any  # httpx.AsyncClient on the API
    model_url: str
    redis_url: str
    db: Any
    tokens: list[str]  # a widget session per shopper
    rss: Callable[[], int]  # the API processes' RSS now
    sync_shop: SyncShop
    small_store: Any
    hook: WebhookShop
    hook_token: str
    cpu: CpuMeter  # the cores each part of the world uses


async def _phases(o: Options, w: World, began: float) -> dict[str, Any]:
    say(began, f"A. chat alone: {o.shoppers} streams held open …")
    hold_alone = await _hold(o, w)
    say(began, f"A. chat alone: {o.shoppers} shoppers for {o.duration_s:.0f} s …")
    cpu_from, stages_from = w.cpu.snapshot(), await stage_buckets(w.client, METRICS_TOKEN)
    chat_alone = await chat_load(w.client, w.tokens, w.model_url, o.duration_s, o.think_s)
    cpu_alone = cores_used(cpu_from, w.cpu.snapshot())
    stages_alone = stage_times(stages_from, await stage_buckets(w.client, METRICS_TOKEN))

    say(began, f"B. sync alone: full sync of {w.sync_shop.listed} products …")
    watch = SyncWatch()
    watcher = asyncio.create_task(watch_sync(w.db, w.sync_shop, watch))
    try:
        enqueue_full_sync(w.redis_url, w.sync_shop)
        if not await wait_for(lambda: watch.processed > 0, SYNC_START_TIMEOUT_S):
            raise RuntimeError(f"the sync made no progress in {SYNC_START_TIMEOUT_S:.0f} s")
        alone_from = time.perf_counter()
        total = watch.total or w.sync_shop.listed
        await wait_for(
            lambda: not watch.running or watch.processed >= 0.4 * total, o.sync_window_s, 0.5
        )
        alone_to = time.perf_counter()

        say(began, f"C. busy hour: {o.shoppers} shoppers for {o.duration_s:.0f} s, sync on …")
        webhook = asyncio.create_task(_webhook_later(o, w, watch))
        cpu_from, stages_from = w.cpu.snapshot(), await stage_buckets(w.client, METRICS_TOKEN)
        chat_busy = await chat_load(w.client, w.tokens, w.model_url, o.duration_s, o.think_s)
        cpu_busy = cores_used(cpu_from, w.cpu.snapshot())
        stages_busy = stage_times(stages_from, await stage_buckets(w.client, METRICS_TOKEN))
        busy_to = time.perf_counter()
        hook_result = await webhook
        say(began, f"C. busy hour: {o.shoppers} streams held open …")
        hold_busy = await _hold(o, w)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    return {
        "chat_alone": chat_alone,
        "chat_busy": chat_busy,
        "hold_alone": hold_alone,
        "hold_busy": hold_busy,
        "sync_alone": watch.rate(alone_from, alone_to),
        "sync_busy": watch.rate(alone_to, busy_to),
        "sync": watch,
        "webhook": hook_result,
        "cpu_alone": cpu_alone,
        "cpu_busy": cpu_busy,
        "stages_alone": stages_alone,
        "stages_busy": stages_busy,
    }


async def _hold(o: Options, w: World) -> Hold:
    return await hold_streams(w.client, w.tokens, w.model_url, w.rss, o.hold_timeout_s)


async def _webhook_later(o: Options, w: World, watch: SyncWatch) -> WebhookResult:
    """A third of the way into the busy hour: mid-sync, with the shoppers all arrived."""
    await asyncio.sleep(o.duration_s / 3)
    return await webhook_visible(
        w.client, w.small_store, w.hook, w.hook_token, watch, WEBHOOK_TIMEOUT_S
    )
