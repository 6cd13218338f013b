"""Real Celery workers for tests: a Redis server of the test's own and `shopbot worker`
subprocesses on it, with their JSON log lines read back.

The Redis server is started on a free port with nothing persisted, so a test may kill
workers, leave tasks unacknowledged and stop it without touching the shared Redis. A
worker runs in its own process group: SIGKILL to the group kills the Celery parent and
its pool processes at once, as a machine or container dying would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from kombu import Connection
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import Chunk, Product, SyncJob, WebhookEvent
from emulators.openai import FakeOpenAI
from emulators.woocommerce import Fault
from ingestion.tasks import start_sync_task
from ingestion.webhooks import receive_woocommerce_webhook
from tests.support.plans import put_on_plan
from tests.support.sync import connect_store, new_tenant, outbound_env
from tests.support.woo_store import FakeWooStore

SHOPBOT = [sys.executable, "-m", "cli.main"]
# Celery's own line for a finished task: "Task <name>[<id>] succeeded in 1.23s: <result>".
_SUCCEEDED = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[\w-]+)\] succeeded in (?P<s>[\d.]+)s")
_RECEIVED = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[\w-]+)\] received")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def own_redis() -> Iterator[str]:
    """A redis-server for this test only; its URL. Stopped (and nothing kept) at the end."""
    binary = shutil.which("redis-server")
    assert binary is not None, "redis-server is not installed"
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def worker_env(
    owner_url: URL,
    broker_url: str,
    openai: FakeOpenAI,
    stores: tuple[FakeWooStore, ...],
    **settings: str,
) -> dict[str, str]:
    """What a worker process reads: our database, the test's Redis, the OpenAI emulator for
    embeddings (the fast, faithful vendor fake, instead of MiniLM on two shared cores), the
    operator's opt-in for the store emulators, JSON log lines, and `settings` on top."""
    return {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "REDIS_URL": broker_url,
        "SHOPBOT_EMBEDDING_PROVIDER": "openai",
        "OPENAI_API_KEY": openai.api_key,
        "SHOPBOT_OPENAI_BASE_URL": openai.base_url,
        "SHOPBOT_LOG_FORMAT": "json",
        "SHOPBOT_LOG_LEVEL": "INFO",
        **outbound_env(*stores),
        **settings,
    }


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log_path: Path

    def lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line still being written
        return lines

    def succeeded(self) -> list[tuple[str, float]]:
        """(task name, seconds it ran) of every task this worker finished, in order."""
        found = []
        for line in self.lines():
            match = _SUCCEEDED.search(str(line.get("message", "")))
            if match:
                found.append((match["name"], float(match["s"])))
        return found

    def wait_succeeded(self, names: set[str], timeout_s: float = 30) -> list[tuple[str, float]]:
        """The finished tasks named in `names`, once at least one has been logged."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = [(name, seconds) for name, seconds in self.succeeded() if name in names]
            if found:
                return found
            assert time.monotonic() < deadline, self.log_path.read_text()[-3000:]
            time.sleep(0.05)

    def received(self) -> list[tuple[datetime, str]]:
        """(when, task id) of every task delivered to this worker, in order."""
        found = []
        for line in self.lines():
            match = _RECEIVED.search(str(line.get("message", "")))
            if match:
                found.append((datetime.fromisoformat(line["time"]), match["id"]))
        return found

    def wait_ready(self, timeout_s: float = 90) -> None:
        deadline = time.monotonic() + timeout_s
        while not any("ready" in str(line.get("message", "")) for line in self.lines()):
            assert self.process.poll() is None, self.log_path.read_text()
            assert time.monotonic() < deadline, "the worker never became ready"
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the worker's whole process group: parent and pool die together."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def shopbot_worker(env: Mapping[str, str], log_path: Path, *arguments: str) -> Iterator[Worker]:
    """`shopbot worker --concurrency 1 <arguments>` in its own process group."""
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(
            [*SHOPBOT, "worker", "--concurrency", "1", *arguments],
            env=dict(env),
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            start_new_session=True,
        )
    worker = Worker(process, log_path)
    try:
        yield worker
    finally:
        worker.stop()


@contextmanager
def broker(url: str) -> Iterator[Connection]:
    """A connection for `task.apply_async(..., connection=...)`: sends to the test's Redis
    through the app's own routing (the process-wide app keeps its configured broker)."""
    connection = Connection(url)
    try:
        yield connection
    finally:
        connection.release()


@dataclass(frozen=True)
class SlowSync:
    tenant: TenantId
    store_id: uuid.UUID
    env: dict[str, str]  # what a worker for it reads


async def start_slow_full_sync(
    db: Database,
    box: SecretBox,
    store: FakeWooStore,
    connection: Connection,
    *,
    owner_url: URL,
    broker_url: str,
    openai: FakeOpenAI,
    name: str,
    **settings: str,
) -> SlowSync:
    """A new tenant on Growth with `store` connected, each of its listing pages half a second
    slow (so a slice is in flight most of the time), and a full sync's start task sent to
    the broker; with the environment of a worker that will run it (`settings` on top)."""
    tenant = await new_tenant(db, name)
    await put_on_plan(db, tenant, "growth")
    store_id = await connect_store(db, box, tenant, store)
    store.faults.add(Fault("slow", route=r"^/wc/v3/products$", delay_s=0.5))
    env = worker_env(owner_url, broker_url, openai, (store,), **settings)
    start_sync_task.apply_async(
        kwargs={"tenant_id": str(tenant), "store_id": str(store_id), "mode": "full"},
        connection=connection,
    )
    return SlowSync(tenant, store_id, env)


def queue_lengths(url: str, names: tuple[str, ...]) -> dict[str, int]:
    client = redis.Redis.from_url(url)
    try:
        return {name: int(client.llen(name)) for name in names}
    finally:
        client.close()


# --- reading what the worker did ---------------------------------------------------------
async def latest_job(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> SyncJob | None:
    async with db.tenant_session(tenant_id) as session:
        return await session.scalar(
            select(SyncJob)
            .where(SyncJob.store_id == store_id)
            .order_by(SyncJob.created_at.desc())
            .limit(1)
        )


async def event_row(db: Database, tenant_id: TenantId, event_id: uuid.UUID) -> WebhookEvent:
    async with db.tenant_session(tenant_id) as session:
        event = await session.get(WebhookEvent, event_id)
        assert event is not None
        return event


async def record_delivery(
    db: Database,
    box: SecretBox,
    store: FakeWooStore,
    store_id: uuid.UUID,
    product_id: int,
    topic: str = "product.updated",
) -> tuple[TenantId, uuid.UUID]:
    """What the webhook route does before it enqueues: verify and record the store's signed
    delivery; (tenant, event id) of the new event."""
    [delivery] = [d for d in store.webhook_deliveries(topic, product_id) if str(store_id) in d.url]
    received = await receive_woocommerce_webhook(
        db, box, store_id=store_id, headers=delivery.headers, body=delivery.body
    )
    assert received.accepted and received.tenant_id and received.event_id, received
    return received.tenant_id, received.event_id


async def assert_chunks_not_doubled(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> int:
    """Every product's chunks are numbered 0..n-1 exactly once (a page written twice over
    itself would leave two of an ordinal); the number of chunks."""
    async with db.tenant_session(tenant_id) as session:
        rows = (
            await session.execute(
                select(
                    Chunk.product_id,
                    func.count(),
                    func.count(func.distinct(Chunk.ordinal)),
                    func.min(Chunk.ordinal),
                    func.max(Chunk.ordinal),
                )
                .join(Product, Product.id == Chunk.product_id)
                .where(Product.store_id == store_id)
                .group_by(Chunk.product_id)
            )
        ).all()
    for product_id, count, distinct, lowest, highest in rows:
        assert count == distinct == highest - lowest + 1, (product_id, count, distinct)
    return sum(row[1] for row in rows)
