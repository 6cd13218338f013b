"""The hourly retention purge as a Celery beat task (`privacy.retention.purge`).

Registered with the worker and beat by importing this module (`cli/worker_commands.py`),
as the billing sweep is. The task has no tenant: it lists the tenants with a retention
setting through a SECURITY DEFINER lookup and purges each in its own tenant sessions
(core.privacy.retention), short transactions one after another.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from core.background.celery_app import celery_app
from core.background.queues import TaskQueue
from core.privacy.retention import purge_expired
from core.runtime import open_runtime
from core.settings import get_settings

log = logging.getLogger(__name__)

PURGE_EVERY_S = 60 * 60
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "privacy-retention-purge": {"task": "privacy.retention.purge", "schedule": PURGE_EVERY_S},
}


def install_beat_schedule(app: Any = celery_app) -> None:
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


install_beat_schedule()


async def _purge_with_settings() -> int:
    async with open_runtime(get_settings()) as runtime:
        run = await purge_expired(runtime.db)
    # Counts only: what was purged is exactly what must not be written anywhere.
    log.info(
        "retention purge: %d tenants, %d rows in %d batches, %.0f rows/s",
        run.tenants,
        run.counts.rows,
        run.batches,
        run.rows_per_second,
    )
    return run.counts.rows


@celery_app.task(name="privacy.retention.purge", acks_late=True, routed_to=TaskQueue.BULK)
def purge_expired_conversations() -> int:
    return asyncio.run(_purge_with_settings())
