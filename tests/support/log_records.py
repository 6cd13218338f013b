"""Which log records a test may hold the product to."""

from __future__ import annotations

import logging

# The product's own packages: asyncio may log, mid-test, a task of an earlier test's closed
# event loop being collected ("Task exception was never retrieved"): not this test's doing.
OUR_PACKAGES = {"api", "cli", "core", "dashboard_api", "engine", "ingestion", "web"}


def our_tracebacks(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.exc_info and r.name.split(".")[0] in OUR_PACKAGES]
