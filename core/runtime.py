"""What a process needs to talk to its database: resolved URLs, the app engine, secrets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from core.db import migrate
from core.db.config import DatabaseUrls, resolve_database_urls
from core.db.database import Database, SessionTimeouts
from core.secrets import ProcessSecrets, load_process_secrets
from core.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    urls: DatabaseUrls
    db: Database
    secrets: ProcessSecrets


def migrate_database(settings: Settings, urls: DatabaseUrls) -> tuple[str | None, str | None]:
    password = settings.app_db_password.get_secret_value() if settings.app_db_password else None
    return migrate.upgrade(urls.owner, app_role=settings.app_db_role, app_password=password)


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, run_migrations: bool = False
) -> AsyncIterator[Runtime]:
    urls = resolve_database_urls(settings)
    if run_migrations:
        migrate_database(settings, urls)
    db = Database.connect(
        urls.app,
        pool_size=settings.db_pool_size,
        timeouts=SessionTimeouts.from_settings(settings),
        read_url=urls.read,
        replica_retry_s=settings.db_replica_retry_s,
    )
    try:
        yield Runtime(settings=settings, urls=urls, db=db, secrets=load_process_secrets(settings))
    finally:
        await db.dispose()
