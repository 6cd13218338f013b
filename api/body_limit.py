"""A request body limit for the widget API: anything larger than the limit is a 413 problem.

The widget's bodies are small JSON documents (a message is at most 2,000 characters), so
the body is buffered up to the limit and replayed to the app; a declared or streamed body
past the limit is refused before any endpoint parses it.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import app_error_response
from core.errors import PayloadTooLarge

WIDGET_BODY_LIMIT = 16 * 1024


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, prefix: str, max_bytes: int = WIDGET_BODY_LIMIT) -> None:
        self.app = app
        self.prefix = prefix
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = PayloadTooLarge(f"Request bodies are limited to {self.max_bytes} bytes.")
        await app_error_response(error, scope["path"])(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """The buffered messages first, then the real channel (so a disconnect still arrives)."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
