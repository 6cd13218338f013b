"""A Unix-socket relay in front of the test PostgreSQL server, so a test can make the
database go away for one app (every open connection cut, new ones refused) while the
server itself keeps serving the rest of the suite. The server behind it is the embedded
one (a Unix socket) or TEST_DATABASE_URL's (TCP, as in CI's service container)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from sqlalchemy.engine import URL

SOCKET_NAME = ".s.PGSQL.5432"


class DatabaseRelay:
    def __init__(self, target: URL, listen_dir: Path) -> None:
        self._target = target
        self._listen_dir = listen_dir
        # Clients reach the relay on its Unix socket whatever the server listens on.
        query = {k: v for k, v in target.query.items() if k != "host"}
        self.url = URL.create(
            target.drivername,
            username=target.username,
            password=target.password,
            database=target.database,
            query={**query, "host": str(listen_dir)},
        )
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(
            self._relay, path=str(self._listen_dir / SOCKET_NAME)
        )

    async def stop(self) -> None:
        """The database is gone: the listener closes and every relayed connection is cut."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        with contextlib.suppress(FileNotFoundError):
            (self._listen_dir / SOCKET_NAME).unlink()

    async def _relay(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        server_reader, server_writer = await open_server_connection(self._target)
        self._writers.update({client_writer, server_writer})
        await asyncio.gather(
            pipe(client_reader, server_writer),
            pipe(server_reader, client_writer),
            return_exceptions=True,
        )
        for writer in (client_writer, server_writer):
            self._writers.discard(writer)
            writer.transport.abort()


async def open_server_connection(
    target: URL,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw connection to the PostgreSQL server `target` names: its Unix socket when the
    URL carries `?host=/dir` (the embedded server), else TCP to its host and port."""
    socket_dir = target.query.get("host")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        return await asyncio.open_unix_connection(str(Path(socket_dir) / SOCKET_NAME))
    return await asyncio.open_connection(target.host or "127.0.0.1", target.port or 5432)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.transport.abort()
