"""libpq's protocol trace of a pooled connection: what the client sent, message by message,
for tests that count round trips (tests/core/test_one_trip.py,
tests/core/test_unit_of_work_begin.py)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg

from core.db.database import Database


async def driver_connection(db: Database) -> psycopg.AsyncConnection:
    """The psycopg connection the pool hands out next (a pool of one: always the same)."""
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, psycopg.AsyncConnection)
        return driver


@asynccontextmanager
async def protocol_trace(db: Database) -> AsyncIterator[Callable[[], list[str]]]:
    """Traces `db`'s one pooled connection; yields a function returning the messages the
    client sent so far (libpq's trace lines starting with "F")."""
    pgconn = (await driver_connection(db)).pgconn
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace"
        with trace.open("w") as sink:
            pgconn.trace(sink.fileno())
            pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
            try:
                yield lambda: [
                    line for line in trace.read_text().splitlines() if line.startswith("F")
                ]
            finally:
                pgconn.untrace()


def waits(sent: list[str]) -> list[str]:
    """The exchanges the client waited on: each ends with a Sync (extended protocol) or is a
    Query (simple protocol)."""
    return [line for line in sent if "\tSync" in line or "\tQuery" in line]
