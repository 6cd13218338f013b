"""Who a log line or an error report is about: the request, tenant and bot ids.

One mutable `RequestContext` per request (or task) lives in a context variable. The
request middleware opens it; the auth dependencies fill in the tenant and bot when they
resolve a credential. It is mutated rather than re-set so the middleware, which opened it,
still sees the tenant after the endpoint ran (a `ContextVar.set` inside a dependency would
not travel back up), and so do tasks the request spawned.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

import sentry_sdk

# A caller's id is kept only when it cannot smuggle anything into a log line.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


@dataclass
class RequestContext:
    request_id: str | None = None
    tenant_id: str | None = None
    bot_id: str | None = None

    def as_fields(self) -> dict[str, str]:
        fields = {"request_id": self.request_id, "tenant_id": self.tenant_id, "bot_id": self.bot_id}
        return {name: value for name, value in fields.items() if value is not None}


_current: ContextVar[RequestContext | None] = ContextVar("shopbot_request_context", default=None)


def current_context() -> RequestContext | None:
    return _current.get()


def request_id_from_header(value: str | None) -> str:
    """The caller's `X-Request-ID` when it is sane, else a new one."""
    if value is not None and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def open_context(request_id: str | None = None) -> Token[RequestContext | None]:
    """A fresh context for one request or task; hand the token to `close_context`."""
    token = _current.set(RequestContext(request_id=request_id))
    if request_id is not None:
        sentry_sdk.set_tag("request_id", request_id)
    return token


def close_context(token: Token[RequestContext | None]) -> None:
    try:
        _current.reset(token)
    except ValueError:  # closed from another context (a task signal in another thread)
        _current.set(None)


@contextmanager
def request_context(request_id: str | None = None) -> Iterator[RequestContext]:
    token = open_context(request_id)
    try:
        context = _current.get()
        assert context is not None
        yield context
    finally:
        close_context(token)


def bind_tenant(tenant_id: object, bot_id: object | None = None) -> None:
    """Called where a verified credential names the tenant (and bot). Outside an open
    context (no request or task around it) there is nothing to name, and nothing to leak
    into whatever the same context does next."""
    context = _current.get()
    if context is None:
        return
    context.tenant_id = str(tenant_id)
    sentry_sdk.set_tag("tenant_id", context.tenant_id)
    if bot_id is not None:
        context.bot_id = str(bot_id)
        sentry_sdk.set_tag("bot_id", context.bot_id)
