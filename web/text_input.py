"""Text the database cannot store never reaches an endpoint: a NUL character (PostgreSQL
text and jsonb refuse it) or a lone UTF-16 surrogate (it has no UTF-8 form) anywhere in
the path, the query string, a header, or a JSON or form body is a 422 `validation_failed`
naming where it was, before the endpoint runs, so nothing of the request is written.

One check for every route instead of a rule on every string field: JSON escapes
(`"\\u0000"`, `"\\ud800"`) and raw surrogate bytes (which Python's JSON decoder passes
through) are caught after decoding the body exactly as the endpoint will. A valid pair of
surrogate escapes decodes to one character and passes. Multipart bodies are not accepted by
any route (they fail the endpoints' JSON validation before any text is used).

It sits inside the body limit (`web.body_limit`), which hands it the whole body in one
message, already bounded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from web.body_limit import replay
from web.errors import validation_problem_response
from web.http_middleware import HttpMiddleware

INVALID_TEXT = re.compile("[\x00\ud800-\udfff]")
INVALID_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates"
INVALID_TEXT_TYPE = "invalid_characters"
_FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


def has_invalid_text(value: str) -> bool:
    return INVALID_TEXT.search(value) is not None


def invalid_json_fields(document: Any) -> Iterator[str]:
    """Dotted paths (list indexes included) of every string, or key, that is invalid.
    Walked with a stack, not recursion: a body may nest as deep as the JSON parser allows."""
    pending: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if has_invalid_text(value):
                yield ".".join(path)
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if has_invalid_text(key):
                    yield ".".join((*path, _printable(key)))
                pending.append(((*path, _printable(key)), item))
        elif isinstance(value, list):
            pending.extend(
                ((*path, str(index)), item) for index, item in reversed(list(enumerate(value)))
            )


def _printable(name: str) -> str:
    """A field name safe to echo back in a JSON response (no NUL, no lone surrogate)."""
    return INVALID_TEXT.sub("\ufffd", name)


def _error(location: str, field: str) -> dict[str, Any]:
    return {
        "location": location,
        "field": field,
        "message": INVALID_TEXT_MESSAGE,
        "type": INVALID_TEXT_TYPE,
    }


def _request_line_and_header_errors(scope: Scope) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    if has_invalid_text(scope["path"]):
        errors.append(_error("path", ""))
    # Decoded as Starlette decodes it for the endpoints (percent-escapes as UTF-8).
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if has_invalid_text(name) or has_invalid_text(value):
            errors.append(_error("query", _printable(name)))
    for raw_name, raw_value in scope.get("headers", ()):
        if b"\x00" in raw_value:  # headers are latin-1: no surrogate can appear
            errors.append(_error("header", raw_name.decode("latin-1").replace("\x00", "\ufffd")))
    return errors


# Only a JSON body with one of these needs decoding: a NUL byte (or UTF-16/32 text), a
# `\\u` escape, or the UTF-8 form of a surrogate (0xED 0xA0..0xBF, which is not UTF-8).
_JSON_MAY_HOLD_INVALID_TEXT = re.compile(rb"\x00|\\u|\xed[\xa0-\xbf]")


def _body_errors(headers: Headers, body: bytes) -> list[dict[str, Any]]:
    if not body:
        return []
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == _FORM_MEDIA_TYPE:
        fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        return [
            _error("body", _printable(name))
            for name, value in fields
            if has_invalid_text(name + value)
        ]
    if _JSON_MAY_HOLD_INVALID_TEXT.search(body) is None:
        return []
    try:
        # The same decoding FastAPI applies to a JSON body (encoding detection, surrogatepass).
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []  # not JSON (or nested past the parser): the endpoint refuses it itself
    return [_error("body", field) for field in invalid_json_fields(document)]


class TextInputGuardMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        errors = _request_line_and_header_errors(scope)
        if errors:
            await validation_problem_response(errors, _printable(scope["path"]))(
                scope, receive, send
            )
            return

        messages: list[Message] = []
        body = bytearray()
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        errors = _body_errors(Headers(scope=scope), bytes(body))
        if errors:
            await validation_problem_response(errors, scope["path"])(scope, receive, send)
            return
        await self.app(scope, replay(messages, receive), send)
