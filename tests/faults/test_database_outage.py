"""The database refusing connections for 10 s while shoppers ask: during it, 503
`database_unavailable` problem+json with Retry-After (a stream already open ends with a
clean `error` event); after it, every request is answered again from the same pool; no 500
at any time, no traceback in the logs, and no lost or duplicated rows.

The app reaches PostgreSQL over TCP through a relay that resets every connection and
refuses new ones for the outage, then listens on the same port again."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import URL

from core.db.database import Database
from engine.answer import AnswerService
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client
from tests.support.log_records import our_tracebacks
from tests.support.shopper_load import (
    ShopperLoad,
    assert_no_lost_or_duplicated_rows,
    assert_only_503_during,
    provision_load_shop,
)
from tests.support.tcp_relay import TcpDatabaseRelay

ORIGIN = "https://outage.shop.test"
SHOPPERS = 4
OUTAGE_S = 10.0


@pytest.fixture
async def relay(app_url: URL) -> AsyncIterator[TcpDatabaseRelay]:
    relay = await TcpDatabaseRelay(app_url).start()
    try:
        yield relay
    finally:
        await relay.refuse()


async def test_a_ten_second_database_outage_under_load(
    relay: TcpDatabaseRelay, committed_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    shop = await provision_load_shop(committed_db, "Outage Under Load", origin=ORIGIN)
    db = Database.connect(relay.url, pool_size=4)
    app = composed_app(db, relay.url, answer_service=AnswerService(db, HashingEmbedder()))
    clients = [composed_client(app, ip=f"198.51.100.{10 + i}") for i in range(SHOPPERS)]
    load = ShopperLoad(clients, shop.widget_key, ORIGIN)
    stop = asyncio.Event()
    try:
        with caplog.at_level(logging.WARNING):
            shoppers = asyncio.create_task(load.run(stop))
            await load.warmed_up()
            await asyncio.sleep(1.0)
            outage_started = time.monotonic()
            await relay.refuse()
            await asyncio.sleep(OUTAGE_S)
            await relay.resume()
            outage_ended = time.monotonic()
            await asyncio.sleep(3.0)
            stop.set()
            await shoppers
    finally:
        stop.set()
        for client in clients:
            await client.aclose()
        await db.dispose()

    before = [o for o in load.outcomes if o.ended < outage_started]
    during = [o for o in load.outcomes if o.started >= outage_started and o.ended <= outage_ended]
    after = load.after(outage_ended)
    assert before and all(o.answered for o in before)
    assert during and all(o.status == 503 for o in during), {o.status for o in during}
    # The pool's dead connections are replaced at once: nothing fails after the outage.
    assert len(after) >= SHOPPERS and all(o.answered for o in after), [
        (o.status, o.events, o.body) for o in after if not o.answered
    ]
    failed = assert_only_503_during(load, outage_started, outage_ended)
    assert all(o.body and o.body["code"] == "database_unavailable" for o in failed)
    assert not our_tracebacks(caplog.records), "an outage must not log a traceback"
    counts = await assert_no_lost_or_duplicated_rows(committed_db, shop.tenant_id, load)
    print(f"database outage: {counts}")  # shown with -s
    assert counts["answered"] == len([o for o in load.outcomes if o.answered])
