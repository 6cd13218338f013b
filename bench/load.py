#!/usr/bin/env python3
"""Load benchmark: a busy hour measured. Many shoppers streaming answers from a paced model
across the API's processes while a large catalogue fully syncs in a Celery worker, each
measure beside its run alone, in one command.

The world (all on 127.0.0.1, all started and stopped by this command, on errors too): an
embedded PostgreSQL (pgvector), migrated; a Redis of its own on a free port (the API's
shared limits and caches and the Celery broker); the fake OpenAI server in a process of its
own, streaming at a realistic pace (first token after 200 ms, then one every 20 ms) and
answering embeddings; the WooCommerce emulator with a generated `--products` catalogue in
a process of its own; `shopbot serve --workers 2` (one process, said so in the table, where
the command has no `--workers` yet); a real `shopbot worker`. `--tenants` chat tenants
with the outfitter catalogue indexed, one sync tenant, one webhook tenant (bench/load_world.py).

Embeddings are OpenAI's text-embedding-3-small through the fake (production's provider):
the local MiniLM would make the sync a benchmark of the CPU model on 2 shared cores (10,000
products twice would not fit in the run's 6 minutes) and put the model on the chat path.

The phases, in order:
A. chat alone: one stream per shopper held open at once after its first `token` (the API's
   RSS then minus its RSS just before, per open stream), then `--shoppers` shoppers for
   `--duration` s, each asking (SSE), reading the answer to `done`, pausing `--think` s
   (0.5x-1.5x), asking again. Requests/s, first-token overhead p50/p95/p99 (as bench/widget
   defines it: first SSE `token` minus the model's own time to its first complete sentence,
   which the fake measures per request), errors by kind;
B. sync alone: a full sync of the store enqueued on the broker; its products/s from its
   job row over `--sync-window` s (or until 40 % of it is done);
C. the busy hour: the same shoppers for `--duration` s while the same sync goes on (its
   products/s over those seconds), and a third of the way in a price change in the webhook
   tenant's store sent as its signed `product.updated` webhook to the API (applied by the
   worker): the seconds until an answer's source shows the new price; then the held burst.

Goals: first-token overhead p95 <= 100 ms in C; sync throughput in C >= 0.7 of B; the
webhook visible within 5 s; no errors but 429.

The API runs as docker-compose.yml runs it: with load shedding (a question refused with
429 `busy` while a process's event loop has been behind for a second, api/chat/admission.py;
`--busy-lag-ms 0` turns it off) and at most 6 answers in flight per process
(api/chat/answer_slots.py; `--max-answers 0`: no cap, which the held burst needs to open
every stream and weigh them). Refusals are counted apart from other 429s, and a shopper
refused in the held burst asks again after its Retry-After.

Usage: .venv/bin/python -m bench.load [--tenants 50] [--shoppers 500] [--products 10000]
       [--duration 45] [--think 10] [--busy-lag-ms 5] [--max-answers 6] [--quick] [--logs DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from bench.load_procs import serve_has_workers
from bench.load_report import Measured, report
from bench.load_run import Options, run

os.environ.pop("DATABASE_URL", None)  # the bench's own embedded database, never another
os.environ.pop("REDIS_URL", None)  # and its own Redis
warnings.filterwarnings("ignore")

QUICK = {
    "tenants": 2,
    "shoppers": 6,
    # Enough that the sync outlasts a few 0.5 s samples on a quiet machine (~150 products/s):
    # with 400 it could finish between two of them and leave its rate unmeasured.
    "products": 1500,
    "duration": 4.0,
    "think": 1.0,
    "sync_window": 3.0,
    "hold_timeout": 20.0,
}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--shoppers", type=int, default=500)
    parser.add_argument("--products", type=int, default=10_000, help="the synced catalogue")
    parser.add_argument("--duration", type=float, default=45.0, help="seconds of chat a phase")
    parser.add_argument("--think", type=float, default=10.0, help="a shopper's mean pause, s")
    parser.add_argument("--sync-window", type=float, default=30.0, help="sync alone, s")
    parser.add_argument("--hold-timeout", type=float, default=40.0, help="burst open, at most s")
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument(
        "--busy-lag-ms",
        type=float,
        default=5.0,
        help="the API's SHOPBOT_CHAT_BUSY_LOOP_LAG_MS, as docker-compose.yml sets it (0: "
        "no load shedding)",
    )
    parser.add_argument(
        "--max-answers",
        type=int,
        default=6,
        help="the API's SHOPBOT_CHAT_MAX_ANSWERS_IN_FLIGHT per process, as docker-compose.yml "
        "sets it (0: no cap; the held burst's memory per open stream needs 0)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="a tiny run (the test's)")
    parser.add_argument("--logs", type=Path, help="keep the processes' logs in this folder")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    return args


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv: list[str]) -> int:
    args = parse(argv[1:])
    began, load_start = time.monotonic(), _load()
    workers = args.api_workers
    note = ""
    if workers > 1 and not serve_has_workers():
        note = " (`shopbot serve` has no --workers here: one process)"
        print(f"note:{note}", file=sys.stderr)
        workers = 1
    options = Options(
        tenants=args.tenants,
        shoppers=args.shoppers,
        products=args.products,
        seed=args.seed,
        duration_s=args.duration,
        think_s=args.think,
        sync_window_s=args.sync_window,
        hold_timeout_s=args.hold_timeout,
        api_workers=workers,
        worker_concurrency=args.worker_concurrency,
        busy_lag_ms=args.busy_lag_ms,
        max_answers=args.max_answers,
    )
    with tempfile.TemporaryDirectory(prefix="shopbot-load-bench-") as tmp:
        try:
            parts: dict[str, Any] = asyncio.run(run(options, Path(tmp)))
        finally:
            if args.logs is not None:  # on errors too: that is when they are read
                args.logs.mkdir(parents=True, exist_ok=True)
                for log in Path(tmp).glob("*.log"):
                    shutil.copy(log, args.logs / log.name)
    setup = parts.pop("setup") | {"api_note": note, "seconds": time.monotonic() - began}
    print(report(Measured(setup=setup, load=(load_start, _load()), **parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
