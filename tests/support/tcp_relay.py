"""A TCP relay on 127.0.0.1 in front of the test PostgreSQL server (the embedded one's Unix
socket, or the TCP server TEST_DATABASE_URL names), so an app can reach its database over TCP
as in production and a test can take that database away and give it back:

- `refuse()`: every relayed connection is reset and new ones are refused (the port closes);
- `resume()`: the same port listens again, so the app's URL stays valid.

It runs on the test's event loop; the server behind it keeps serving the rest of the suite.
"""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.engine import URL

from tests.support.db_relay import open_server_connection, pipe


class TcpDatabaseRelay:
    def __init__(self, target: URL) -> None:
        self._target = target
        self._port = 0
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self.connections = 0  # accepted while listening, over the relay's life

    @property
    def url(self) -> URL:
        """The target's URL through the relay: same role, database and options, over TCP."""
        query = {k: v for k, v in self._target.query.items() if k != "host"}
        return self._target.set(host="127.0.0.1", port=self._port, query=query)

    async def start(self) -> TcpDatabaseRelay:
        self._server = await asyncio.start_server(
            self._relay, "127.0.0.1", self._port, reuse_address=True
        )
        self._port = self._server.sockets[0].getsockname()[1]
        return self

    async def refuse(self) -> None:
        """The database is gone: the port closes and every relayed connection is reset."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        # The relaying tasks end on their own once their sockets are cut; waiting for them
        # keeps none pending when the test's event loop closes.
        if self._handlers:
            await asyncio.wait(set(self._handlers), timeout=5)

    async def resume(self) -> None:
        if self._server is None:
            await self.start()

    async def _relay(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        handler = asyncio.current_task()
        if handler is not None:
            self._handlers.add(handler)
            handler.add_done_callback(self._handlers.discard)
        try:
            server_reader, server_writer = await open_server_connection(self._target)
        except OSError:
            client_writer.transport.abort()
            return
        pair = {client_writer, server_writer}
        self._writers.update(pair)
        await asyncio.gather(
            pipe(client_reader, server_writer),
            pipe(server_reader, client_writer),
            return_exceptions=True,
        )
        for writer in pair:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.transport.abort()
