"""The server's graceful shutdown as the app's open streams see it.

The ASGI server (cli.graceful_server) calls `begin()` on the event loop when it is told to
stop (SIGTERM, SIGINT). From then on a chat stream has `grace_s` seconds to end with its
answer (`done`); one still inside the model call after that ends with a retryable `error`
event (`shutting_down`) at an event boundary (api/chat/streaming.py). Nothing here knows
about signals or the server: tests and other servers call `begin()` the same way.
"""

from __future__ import annotations

import asyncio
import time

SHUTTING_DOWN = "shutting_down"
# Past the grace: the time a stream takes to stop its answer and write its last event.
# The ASGI server waits longer than grace + this before it cuts connections.
STREAM_END_MARGIN_S = 3.0


class ShutdownSignal:
    def __init__(self, grace_s: float) -> None:
        self.grace_s = grace_s
        self._deadline: float | None = None
        self._begun = asyncio.Event()

    def begin(self) -> None:
        """Start the grace period (once; later calls keep the first deadline)."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.grace_s
            self._begun.set()

    @property
    def begun(self) -> bool:
        return self._deadline is not None

    def remaining(self) -> float | None:
        """Seconds left of the grace period; None while the server is not shutting down."""
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - time.monotonic())

    async def wait(self) -> None:
        await self._begun.wait()
