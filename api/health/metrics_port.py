"""`/metrics` on a port of its own (`SHOPBOT_METRICS_PORT`), for `shopbot serve`.

prometheus_client's own exposition server, in a thread, reads the same registry the app's
middleware counts into (in multiprocess mode, every worker's: api.metrics). It lives
exactly as long as the app: started when the ASGI server runs the app's lifespan start-up,
stopped at its shutdown, so a port in use fails the start.
"""

from __future__ import annotations

import threading
from wsgiref.simple_server import WSGIServer

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, start_http_server
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.dependencies import WIDGET_RUNTIME
from api.metrics import scraped_registry
from core.settings import Settings


def with_metrics_port(app: FastAPI, settings: Settings) -> ASGIApp:
    """`app`, serving its metrics on `settings.metrics_port` while it runs (unchanged when
    no port is configured)."""
    if settings.metrics_port is None:
        return app
    runtime = WIDGET_RUNTIME.get(app)
    registry = scraped_registry(runtime.metrics.registry)
    return MetricsPortLifespan(app, registry, settings.metrics_host, settings.metrics_port)


class MetricsPortLifespan:
    def __init__(self, app: ASGIApp, registry: CollectorRegistry, host: str, port: int) -> None:
        self.app = app
        self.registry = registry
        self.host = host
        self.port = port
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def bound_port(self) -> int | None:
        return self._server.server_port if self._server is not None else None

    def start(self) -> None:
        if self._server is None:
            self._server, self._thread = start_http_server(
                self.port, addr=self.host, registry=self.registry
            )

    def stop(self) -> None:
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def receive_and_follow() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.start()
            elif message["type"] == "lifespan.shutdown":
                self.stop()
            return message

        try:
            await self.app(scope, receive_and_follow, send)
        finally:
            self.stop()
