"""Readiness checks: the database answers `SELECT 1`, Redis (when configured) answers PING."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from sqlalchemy import text

from core.db.database import Database

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0


async def check_database(db: Database) -> bool:
    async def probe() -> None:
        async with db.system_session() as session:
            await session.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(probe(), CHECK_TIMEOUT)
        return True
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log
        logger.warning("readiness: database check failed: %s", type(exc).__name__)
        return False


async def check_redis(redis: Redis) -> bool:
    try:
        return bool(await asyncio.wait_for(redis.ping(), CHECK_TIMEOUT))
    except Exception as exc:
        logger.warning("readiness: Redis check failed: %s", type(exc).__name__)
        return False


async def check_dependencies(db: Database, redis: Redis | None) -> dict[str, str]:
    checks = {"database": "ok" if await check_database(db) else "down"}
    if redis is None:
        checks["redis"] = "not_configured"
    else:
        checks["redis"] = "ok" if await check_redis(redis) else "down"
    return checks
