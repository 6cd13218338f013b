"""The test database under pytest-xdist (`pytest -n 2`): each worker process has its own.

With the embedded server every worker starts its own (its data directory is under the
worker's own base temp). With TEST_DATABASE_URL (GitHub's service container) the workers
share one PostgreSQL server, so each gets a database of its own on it, named after the
given one and the worker, created afresh: a session migrates its database once, and tests
that count rows across tenants or commit for real must not meet another worker's rows.

Roles are per server, not per database: the migration that creates the application role
(`CREATE ROLE` when missing, then `ALTER ROLE`) is not safe to run twice at once, so the
workers migrate one after the other, under a lock file in the run's shared temp directory.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL


def xdist_worker() -> str | None:
    """'gw0', 'gw1', ... inside an xdist worker; None in a plain `pytest` run."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def worker_database(given: URL, worker: str) -> URL:
    """`given`'s server with a fresh, empty database for `worker` (dropped first if an
    earlier run left it)."""
    name = f"{given.database}_{worker}"
    admin = create_engine(given, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()
    return given.set(database=name)


@contextmanager
def one_worker_at_a_time(shared_dir: Path) -> Iterator[None]:
    """Hold the run-wide lock (a file every worker of this run can see)."""
    with (shared_dir / "migrate.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
