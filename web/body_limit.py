"""One request body limit for every route of the process: past it, a 413 problem, and the
endpoint never runs (nothing is parsed, nothing is written).

The limit is enforced while the body is read: a declared `Content-Length` past it is refused
before reading, and a chunked body is counted as it arrives and refused at the first chunk
that crosses it. The body is buffered up to the limit and replayed to the app in one message
(the endpoints parse JSON, which is buffered anyway), so the input text check
(`web.text_input`) sees the same bytes the endpoint will.

Which limit applies, first match wins:
1. a route that declares its own (`openapi_extra={"x-max-body-bytes": n}`, e.g. the
   knowledge upload): read from the app's OpenAPI document (`x-max-body-bytes` on the
   operation), so the published limit and the enforced one are the same fact;
2. a path prefix: the widget API (16 KiB: its bodies are small JSON, a message is at most
   2,000 characters) and the webhooks (a WooCommerce product with many variations and
   images);
3. the default for everything else: 64 KiB, far above any merchant JSON body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import PayloadTooLarge
from ingestion.webhooks import MAX_WEBHOOK_BODY_BYTES
from web.errors import app_error_response
from web.http_middleware import HttpMiddleware

BODY_LIMIT_EXTENSION = "x-max-body-bytes"
DEFAULT_BODY_LIMIT = 64 * 1024
WIDGET_BODY_LIMIT = 16 * 1024
WEBHOOK_BODY_LIMIT = MAX_WEBHOOK_BODY_BYTES
PREFIX_LIMITS: tuple[tuple[str, int], ...] = (
    ("/widget/", WIDGET_BODY_LIMIT),
    ("/webhooks/", WEBHOOK_BODY_LIMIT),
)


class BodySizeLimitMiddleware(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int = DEFAULT_BODY_LIMIT,
        prefix_limits: Sequence[tuple[str, int]] = PREFIX_LIMITS,
    ) -> None:
        super().__init__(app)
        self.default_limit = default_limit
        self.prefix_limits = tuple(prefix_limits)
        self._declared: DeclaredLimits | None = None

    def limit_for(self, scope: Scope) -> int:
        if self._declared is None:  # on the first request: every route is in place by then
            self._declared = DeclaredLimits.of_app(scope.get("app"))
        path: str = scope["path"]
        declared = self._declared.find(scope["method"], path)
        if declared is not None:
            return declared
        for prefix, limit in self.prefix_limits:
            if path.startswith(prefix):
                return limit
        return self.default_limit

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        max_bytes = self.limit_for(scope)
        declared = Headers(scope=scope).get("content-length")
        length = _length(declared) if declared is not None else 0
        if length is None or length > max_bytes:
            await _refuse(max_bytes, scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                await _refuse(max_bytes, scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, replay([body], receive), send)


def _length(header: str) -> int | None:
    """A Content-Length's value, or None when it is not one: `str.isdigit` alone takes
    '²' and any number of digits, on which `int()` raises (a 500 outside the catch-all)."""
    if not (header.isascii() and header.isdigit()) or len(header) > 18:
        return None
    return int(header)


async def _refuse(max_bytes: int, scope: Scope, receive: Receive, send: Send) -> None:
    error = PayloadTooLarge(
        f"Request bodies here are limited to {max_bytes} bytes.", max_bytes=max_bytes
    )
    await app_error_response(error, scope["path"])(scope, receive, send)


class DeclaredLimits:
    """The operations of an OpenAPI document that declare `x-max-body-bytes`."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.rules: list[tuple[str, re.Pattern[str], int]] = []
        for template, operations in document.get("paths", {}).items():
            for method, operation in operations.items():
                if isinstance(operation, dict) and BODY_LIMIT_EXTENSION in operation:
                    self.rules.append(
                        (
                            method.upper(),
                            _path_pattern(template),
                            int(operation[BODY_LIMIT_EXTENSION]),
                        )
                    )

    @classmethod
    def of_app(cls, app: Any) -> DeclaredLimits:
        openapi = getattr(app, "openapi", None)  # a FastAPI app; anything else declares nothing
        return cls(openapi() if callable(openapi) else {})

    def find(self, method: str, path: str) -> int | None:
        for rule_method, pattern, limit in self.rules:
            if rule_method == method and pattern.fullmatch(path):
                return limit
        return None


def _path_pattern(template: str) -> re.Pattern[str]:
    """`/v1/knowledge/{document_id}` → a pattern where each parameter is one path segment."""
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile(
        "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    )


def replay(messages: list[Message], receive: Receive) -> Receive:
    """The buffered messages first, then the real channel (so a disconnect still arrives)."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
