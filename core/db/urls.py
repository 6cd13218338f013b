"""Database URLs: driver normalisation and the application role's URL."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url


def with_psycopg_driver(url: str | URL) -> URL:
    """Accept `postgres://`, `postgresql://` or any `postgresql+driver://` and use psycopg 3."""
    parsed = make_url(
        str(url).replace("postgres://", "postgresql://", 1) if isinstance(url, str) else url
    )
    return parsed.set(drivername="postgresql+psycopg")


def app_role_url(owner_url: str | URL, role: str, password: str | None) -> URL:
    """The owner's URL with the application role's credentials (same host, port, database)."""
    return with_psycopg_driver(owner_url).set(username=role, password=password)


def redacted(url: str | URL) -> str:
    return with_psycopg_driver(url).render_as_string(hide_password=True)
