"""Which database the process uses: `DATABASE_URL`, or the embedded server."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import URL

from core.db.embedded import start_embedded_server
from core.db.urls import app_role_url, with_psycopg_driver
from core.settings import Settings


@dataclass(frozen=True)
class DatabaseUrls:
    owner: URL  # migrations
    app: URL  # everything else: the non-owner role under RLS
    embedded: bool
    read: URL | None = None  # a read replica, as the application role (retrieval)


def resolve_database_urls(settings: Settings) -> DatabaseUrls:
    embedded = settings.database_url is None
    owner_raw = settings.database_url or start_embedded_server(settings.data_dir)
    owner = with_psycopg_driver(owner_raw)
    if settings.app_database_url:
        app = with_psycopg_driver(settings.app_database_url)
    else:
        password = settings.app_db_password.get_secret_value() if settings.app_db_password else None
        app = app_role_url(owner, settings.app_db_role, password)
    read = None
    if settings.database_read_url:
        # The same role as the primary's application URL, so row-level security holds.
        read = app_role_url(settings.database_read_url, app.username or "", app.password)
    return DatabaseUrls(owner=owner, app=app, embedded=embedded, read=read)
