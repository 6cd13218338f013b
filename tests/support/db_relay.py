"""A Unix-socket relay in front of the test PostgreSQL server, so a test can make the
database go away for one app (every open connection cut, new ones refused) while the
server itself keeps serving the rest of the suite."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from sqlalchemy.engine import URL

SOCKET_NAME = ".s.PGSQL.5432"


class DatabaseRelay:
    def __init__(self, target: URL, listen_dir: Path) -> None:
        host = target.query.get("host")
        if not isinstance(host, str):
            raise ValueError("the relay serves a Unix-socket URL (?host=/dir)")
        self._target_socket = str(Path(host) / SOCKET_NAME)
        self._listen_dir = listen_dir
        self.url = target.update_query_dict({"host": str(listen_dir)})
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
        server_reader, server_writer = await asyncio.open_unix_connection(self._target_socket)
        self._writers.update({client_writer, server_writer})
        await asyncio.gather(
            _pipe(client_reader, server_writer),
            _pipe(server_reader, client_writer),
            return_exceptions=True,
        )
        for writer in (client_writer, server_writer):
            self._writers.discard(writer)
            writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.transport.abort()
