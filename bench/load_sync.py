"""bench.load's sync and webhook: the full sync enqueued on the bench's broker for the real
`shopbot worker`, its progress read from its job row, and a price change sent as a signed
WooCommerce webhook to the API, timed until an answer shows the new price.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.load_world import SyncShop, WebhookShop
from bench.widget_setup import ORIGIN


def enqueue_full_sync(redis_url: str, shop: SyncShop) -> None:
    """`ingestion.sync.start` (mode full) on the broker, as the dashboard's "sync now" does
    through the product's own Celery app (so its queue routing applies)."""
    from core.background.celery_app import configure_celery
    from core.settings import Settings
    from ingestion.tasks import start_sync_task

    configure_celery(Settings.model_validate({"REDIS_URL": redis_url}))
    start_sync_task.apply_async(
        kwargs={
            "tenant_id": str(shop.tenant_id),
            "store_id": str(shop.store_id),
            "mode": "full",
            "trigger": "manual",
        }
    )


@dataclass
class SyncWatch:
    """(perf_counter, products processed, status) of the store's newest job, every 0.5 s."""

    samples: list[tuple[float, int, str]] = field(default_factory=list)
    total: int | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        return self.samples[-1][2] if self.samples else "not started"

    @property
    def processed(self) -> int:
        return self.samples[-1][1] if self.samples else 0

    @property
    def running(self) -> bool:
        return self.status in {"queued", "running"}

    def rate(self, start: float, end: float) -> tuple[float, int, float] | None:
        """(products/s, products, seconds) between the samples nearest `start` and `end`
        (inside the window), or None when it holds fewer than two moving samples."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2 or inside[-1][1] == inside[0][1]:
            return None
        # From the first sample that saw progress stop: a finished job's later samples
        # would dilute the rate with time it was not working.
        last = next(s for s in inside if s[1] == inside[-1][1])
        products, seconds = last[1] - inside[0][1], last[0] - inside[0][0]
        return (products / seconds, products, seconds) if seconds > 0 else None


async def watch_sync(db: Any, shop: SyncShop, watch: SyncWatch) -> None:
    """Fill `watch` until cancelled."""
    from sqlalchemy import select

    from core.models import SyncJob

    while True:
        async with db.tenant_session(shop.tenant_id) as session:
            job = await session.scalar(
                select(SyncJob)
                .where(SyncJob.store_id == shop.store_id)
                .order_by(SyncJob.created_at.desc())
                .limit(1)
            )
        if job is not None:
            watch.samples.append((time.perf_counter(), job.processed, str(job.status)))
            watch.total, watch.error = job.total, job.error
        await asyncio.sleep(0.5)


async def wait_for(condition: Any, timeout_s: float, step_s: float = 0.2) -> bool:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(step_s)
    return True


@dataclass
class WebhookResult:
    seconds: float | None  # delivery sent -> an answer showed the new price; None: never
    delivered: str  # the API's answer to the delivery, and how long it took
    sync_running: bool  # whether the bulk sync was still running when it was sent
    polls: int


async def webhook_visible(
    client: Any, store: Any, hook: WebhookShop, token: str, watch: SyncWatch, timeout_s: float
) -> WebhookResult:
    """Change the product's price in the store, send the store's signed `product.updated`
    delivery to the API, then ask the bot about the product until an answer's source
    carries the new price."""
    new_price = Decimal(hook.price) + Decimal("7.00")
    store.set_price(hook.product_id, f"{new_price:.2f}")
    [delivery] = [
        d
        for d in store.webhook_deliveries("product.updated", hook.product_id)
        if str(hook.store_id) in d.url
    ]
    running = watch.running
    sent = time.perf_counter()
    response = await delivery.asend(client)
    accepted = time.perf_counter()
    delivered = f"{response.status_code} {response.text[:40]} in {accepted - sent:.2f} s"
    polls = 0
    headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN}
    while time.perf_counter() - accepted < timeout_s:  # an API slow to accept still gets them
        polls += 1
        with contextlib.suppress(Exception):
            answer = await client.post(
                "/widget/v1/chat", json={"message": f"How much is {hook.name}?"}, headers=headers
            )
            if _shows_price(answer.json().get("sources") or [], hook.product_id, new_price):
                return WebhookResult(time.perf_counter() - sent, delivered, running, polls)
        await asyncio.sleep(0.1)
    return WebhookResult(None, delivered, running, polls)


def _shows_price(sources: list[dict[str, Any]], product_id: int, price: Decimal) -> bool:
    return any(
        s.get("external_id") == str(product_id)
        and s.get("price") is not None
        and Decimal(str(s["price"])) == price
        for s in sources
    )
