"""Every application connection carries its server-side limits from the moment it connects:
statement, lock and idle-in-transaction timeouts, from the settings; a failed statement's
error never quotes the values it was given."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from core.db.database import Database, SessionTimeouts
from core.runtime import open_runtime
from core.settings import Settings

LIMITS = ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")


async def show(db: Database, *names: str) -> dict[str, str]:
    async with db.system_session() as session:
        return {name: (await session.execute(text(f"SHOW {name}"))).scalar_one() for name in names}


async def test_an_app_connection_shows_the_default_timeouts(app_url: URL) -> None:
    db = Database.connect(app_url, pool_size=1)  # no timeouts given: the settings' defaults
    try:
        assert await show(db, *LIMITS) == {
            "statement_timeout": "15s",
            "lock_timeout": "5s",
            "idle_in_transaction_session_timeout": "1min",
        }
        # Not per transaction: a second unit of work on the pooled connection still has them.
        assert (await show(db, "statement_timeout"))["statement_timeout"] == "15s"
    finally:
        await db.dispose()


async def test_the_runtime_takes_the_timeouts_from_the_settings(owner_url: URL) -> None:
    settings = Settings(
        database_url=owner_url.render_as_string(hide_password=False),
        db_statement_timeout_ms=2_500,
        db_lock_timeout_ms=750,
        db_idle_in_transaction_timeout_ms=30_000,
    )
    async with open_runtime(settings) as runtime:
        shown = await show(runtime.db, *LIMITS)
    assert shown == {
        "statement_timeout": "2500ms",
        "lock_timeout": "750ms",
        "idle_in_transaction_session_timeout": "30s",
    }


async def test_options_already_in_the_url_are_kept(app_url: URL) -> None:
    url = app_url.update_query_dict({"options": "-c work_mem=8MB"})
    db = Database.connect(
        url,
        pool_size=1,
        timeouts=SessionTimeouts(
            statement_ms=1_000, lock_ms=0, idle_in_transaction_ms=0, connect_s=3
        ),
    )
    try:
        assert await show(db, "work_mem", "statement_timeout", "lock_timeout") == {
            "work_mem": "8MB",
            "statement_timeout": "1s",
            "lock_timeout": "0",
        }
    finally:
        await db.dispose()


async def test_a_failed_statement_does_not_quote_its_values(app_url: URL) -> None:
    """The catch-all logs the error and Sentry reports it: the values a statement carried
    (here a shopper's text) must not ride along in its message."""
    shopper_text = "deliver to 12 Baker Street, my number is 555 0101"
    db = Database.connect(app_url, pool_size=1)
    try:
        with pytest.raises(DBAPIError) as failed:
            async with db.system_session() as session:
                # Fails for a reason of its own: the server's message does not name the value.
                await session.execute(
                    text("SELECT CAST(:value AS text), 1 / 0"), {"value": shopper_text}
                )
    finally:
        await db.dispose()
    assert "division by zero" in str(failed.value)  # still says what went wrong
    assert "Baker Street" not in str(failed.value)
