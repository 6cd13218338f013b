"""`shopbot serve --workers 2`: two processes, one truth. With Redis, a shopper session's
message limit holds across both processes (the requests provably landed on both: the JSON
access lines carry each process's pid), the metrics port counts both processes' requests
(before and after one of them is killed), and a killed worker is started again; without a
working Redis each process limits on its own, degraded and logged, as before. The second
case runs on the embedded server: the workers use the parent's, not one each."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from sqlalchemy.engine import URL

from core.db.database import Database
from core.models import Bot
from core.provisioning import provision_tenant
from emulators.openai import FakeOpenAI
from emulators.openai.wire import DEFAULT_API_KEY
from tests.cli.serving import free_port, serving_logged_to
from tests.cli.shoppers import ORIGIN, chat_headers, create_tenant, open_session

CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
REQUESTS = 14


def model_env(model: FakeOpenAI) -> dict[str, str]:
    return {
        "OPENAI_API_KEY": DEFAULT_API_KEY,
        "SHOPBOT_OPENAI_BASE_URL": model.base_url,
        "SHOPBOT_EMBEDDING_PROVIDER": "openai",
        "SHOPBOT_LOG_FORMAT": "json",
        "SHOPBOT_LOG_LEVEL": "INFO",
    }


async def ask_repeatedly(base: str, widget_key: str, tag: str) -> tuple[dict[str, int], float]:
    """One shopper session's REQUESTS chat messages, one after another, one new connection
    each: the kernel spreads new connections over the workers' sockets (cli.listening), so
    they land on both processes. The status of each request id, and the time taken."""
    address = "198.51.100.77"
    statuses: dict[str, int] = {}
    started = time.monotonic()
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        token = await open_session(client, base, widget_key, address)
        for index in range(REQUESTS):
            request_id = f"{tag}-{index:02d}"
            response = await client.post(
                f"{base}/widget/v1/chat",
                json={"message": f"Do you have rain jackets? ({index})"},
                headers={**chat_headers(token, address, stream=False), "X-Request-ID": request_id},
            )
            assert response.status_code in (200, 429), response.text
            statuses[request_id] = response.status_code
    return statuses, time.monotonic() - started


async def wait_for_line(log_path: Path, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in log_path.read_text():
        assert time.monotonic() < deadline, f"no {text!r} in the log"
        await asyncio.sleep(0.5)


async def served_by(
    log_path: Path, statuses: dict[str, int], timeout: float = 10
) -> dict[str, int]:
    """The pid of the process that answered each request (its JSON access line). A line is
    written as its response ends, so the last one can reach the log just after the client
    has its answer (seen once in CI): the log is read again until every request is in it."""
    deadline = time.monotonic() + timeout
    while True:
        pids: dict[str, int] = {}
        for line in log_path.read_text().splitlines():
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            if record.get("logger") == "shopbot.access" and record.get("request_id") in statuses:
                assert record["status"] == statuses[record["request_id"]]
                pids[record["request_id"]] = record["pid"]
        if pids.keys() == statuses.keys() or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert pids.keys() == statuses.keys()
    return pids


async def chat_counts(metrics_port: int, timeout: float = 60) -> Counter[int]:
    """`shopbot_http_requests_total` of the chat route by status, from the metrics port
    (waited for: a restarted worker 0 binds it again as it starts)."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            try:
                response = await client.get(f"http://127.0.0.1:{metrics_port}/metrics")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the metrics port never answered"
                await asyncio.sleep(0.5)
    counts: Counter[int] = Counter()
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = sample.labels
            if sample.name == "shopbot_http_requests_total" and (
                labels.get("route") == "/widget/v1/chat"
            ):
                counts[int(labels["status"])] += int(sample.value)
    return counts


async def test_a_session_limit_holds_across_two_processes_sharing_redis(
    owner_url: URL, committed_db: Database, tmp_path: Path
) -> None:
    shop = await provision_tenant(
        committed_db, name=f"Shared Limits {uuid.uuid4().hex[:8]}", allowed_origins=[ORIGIN]
    )
    async with committed_db.tenant_session(shop.tenant_id) as session:
        # 3 messages at once, then one a minute: the test's minute shows the burst alone.
        await session.execute(
            update(Bot)
            .where(Bot.id == shop.bot_id)
            .values(rate_limits={"session": {"per_minute": 1, "burst": 3}})
        )
    with FakeOpenAI() as model:
        env = {
            **model_env(model),
            "DATABASE_URL": owner_url.render_as_string(hide_password=False),
            "REDIS_URL": os.environ["REDIS_URL"],
        }
        # A run where one process accepted every connection says nothing about sharing:
        # run it again (a fresh server, a fresh session), at most three times.
        for attempt in range(3):
            log_path = tmp_path / f"serve-{attempt}.log"
            port, metrics_port = free_port(), free_port()
            env["SHOPBOT_METRICS_PORT"] = str(metrics_port)
            with serving_logged_to(env, port=port, workers=2, log_path=str(log_path)):
                statuses, elapsed = await ask_repeatedly(
                    f"http://127.0.0.1:{port}", shop.widget_key, f"shared{attempt}"
                )
                pids = await served_by(log_path, statuses)
                if len(set(pids.values())) < 2:
                    continue
                # Worker 0 serves the port, and counts what both processes answered.
                answered = Counter(statuses.values())
                assert await chat_counts(metrics_port) == answered
                # A worker that dies is started again, and the port keeps answering meanwhile.
                os.kill(min(pids.values()), signal.SIGKILL)
                await wait_for_line(log_path, "restarted API worker")
                async with httpx.AsyncClient(timeout=10) as client:
                    health = await client.get(f"http://127.0.0.1:{port}/healthz")
                    assert health.status_code == 200
                # The dead worker's counts stay in the total: it never goes back.
                assert await chat_counts(metrics_port) == answered
            break

    assert len(set(pids.values())) == 2, pids  # both processes answered this session
    allowed = [request for request, status in statuses.items() if status == 200]
    refilled = int(elapsed / 60)
    assert 3 <= len(allowed) <= 3 + refilled, (statuses, pids)
    assert {pids[request] for request, status in statuses.items() if status == 429} <= set(
        pids.values()
    )


def test_without_redis_each_process_limits_on_its_own_on_the_embedded_server(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    with FakeOpenAI() as model:
        env = {
            **model_env(model),
            "DATABASE_URL": "",  # the embedded server in --data-dir
            "SHOPBOT_DATA_DIR": str(data_dir),
            "REDIS_URL": CLOSED_REDIS_URL,
        }
        tenant = create_tenant(env, "Own Limits Outfitters")
        # The kernel hands each connection to whichever process accepts first, and a run
        # where one process took them all says nothing about two buckets: run it again
        # (a fresh server, a fresh session), at most three times.
        for attempt in range(3):
            log_path = tmp_path / f"serve-{attempt}.log"
            port = free_port()
            with serving_logged_to(env, port=port, workers=2, log_path=str(log_path)):
                statuses, elapsed = asyncio.run(
                    ask_repeatedly(f"http://127.0.0.1:{port}", tenant["widget_key"], "own")
                )
            pids = asyncio.run(served_by(log_path, statuses))
            landed = Counter(pids.values())
            if len(landed) == 2:
                break
    assert len(landed) == 2, pids
    allowed = Counter(pids[request] for request, status in statuses.items() if status == 200)
    refilled = int(elapsed / 6)  # the default session limit: burst 5, 10 a minute
    for pid, count in landed.items():  # each process's own bucket of 5
        assert min(count, 5) <= allowed[pid] <= min(count, 5 + refilled), (statuses, pids)
    assert sum(allowed.values()) > 5  # more than one shared bucket would have let through
    log = log_path.read_text()
    degraded = [
        json.loads(line)["pid"]
        for line in log.splitlines()
        if line.startswith("{") and "rate limiter: Redis unavailable" in line
    ]
    assert set(degraded) == set(landed), log  # each process said so
    # One embedded PostgreSQL for the three processes: only the parent started one.
    assert log.count("embedded PostgreSQL running") == 1, log
    # Every worker says which loop it serves on (core.event_loop): asyncio's, the default.
    assert log.count("API event loop: asyncio") >= 2, log
