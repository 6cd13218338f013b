"""uvicorn's server with a graceful shutdown the app's open streams take part in.

On SIGTERM (or a first SIGINT) uvicorn stops accepting, closes idle connections and waits
for the busy ones. `GracefulServer` also tells the app (`api.shutdown.ShutdownSignal`), so
every open chat stream ends within the grace period with `done` or a retryable `error`
event; uvicorn's own timeout is a few seconds above the grace, so a stream's last event is
always written before anything is cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Generator
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from api.shutdown import STREAM_END_MARGIN_S
from core.settings import Settings

# What the server waits beyond the streams' grace: more than the streams take to stop their
# answers and write their last event (api.shutdown.STREAM_END_MARGIN_S).
STREAM_CLOSE_MARGIN_S = STREAM_END_MARGIN_S + 2.0
_HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def server_config(app: ASGIApp, settings: Settings, *, host: str, port: int) -> uvicorn.Config:
    # Logging stays as init_observability set it (format, level); the request middleware
    # writes the access lines, with request, tenant and bot ids.
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s + STREAM_CLOSE_MARGIN_S),
    )


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, *, on_shutdown: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_shutdown = on_shutdown
        self._loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets=sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and not self._loop.is_closed():
            # A signal handler interrupts the loop's own code: the app hears of it from the
            # loop, not from inside the handler.
            self._loop.call_soon_threadsafe(self._on_shutdown)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """uvicorn's, without raising the signal again once serving ended: with the default
        SIGTERM action back in place that would kill the process before its runtime closes
        (database pool, Redis). The shutdown is complete here; the command returns."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _HANDLED_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
