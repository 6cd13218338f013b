"""Every request gets an id (the caller's `X-Request-ID` when sane, else a new one), echoed
in the response, carried by every log line and error report made while it runs, and one
access line at the end with the tenant and bot the auth dependencies resolved.

Outermost of our middleware, so the id is on every response, a 500 from the catch-all
included. The access line replaces uvicorn's own (which has neither id and logs the raw
query string).
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from core.observability.context import request_context, request_id_from_header
from web.http_middleware import HttpMiddleware

REQUEST_ID_HEADER = "X-Request-ID"
# Probes and scrapes every few seconds: only at DEBUG, so they do not drown the rest.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

access_logger = logging.getLogger("shopbot.access")


class RequestContextMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_from_header(Headers(scope=scope).get(REQUEST_ID_HEADER))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with request_context(request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                path = scope.get("path", "")
                access_logger.log(
                    logging.DEBUG if path in QUIET_PATHS else logging.INFO,
                    "%s %s %s",
                    scope.get("method", ""),
                    path,
                    status,
                    extra={
                        "method": scope.get("method", ""),
                        "path": path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
