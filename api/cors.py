"""CORS for the widget API (`/widget/v1/*`), decided per bot, never allow-all.

A response carries `Access-Control-Allow-Origin` only when the request's own code has
established that the origin is allowed for the bot it talks to, and said so with
`allow_origin(request, origin)`:
- `POST /widget/v1/sessions`: the origin is on the allow-list of the posted key's bot;
- the other endpoints: the origin is the one the session token was issued to (still on
  the bot's allow-list). An expired but authentic token also counts, so the widget can
  read the 401 and renew its session.
Everything else (a 403 for a foreign origin, a garbage token) goes out without CORS
headers: the browser hides it from the page. Every response says `Vary: Origin`.

Preflights carry neither a body nor an `Authorization` header, so they cannot name the
bot. A preflight is answered for any well-formed web origin asking for the route's one
method (POST; DELETE `/me`, GET `/me/export` and GET `/conversations/{id}/messages`, whose
Authorization header needs a preflight too) with the headers the widget sends; it grants
nothing by itself, because the actual response is only readable by an origin allowed as
above, and the endpoints refuse the action itself (403) for any other origin.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import CorsPreflightRejected
from api.origins import normalise_request_origin
from web.errors import app_error_response

WIDGET_PREFIX = "/widget/v1/"
# The one cross-origin method of each widget route a preflight may ask for.
WIDGET_METHODS: dict[str, str] = {
    **{
        WIDGET_PREFIX + name: "POST"
        for name in ("sessions", "chat", "feedback", "events", "handoff")
    },
    WIDGET_PREFIX + "me": "DELETE",
    WIDGET_PREFIX + "me/export": "GET",
}
# Routes with an id in their path: the store's replies the widget polls (GET).
_REPLIES_PATH = re.compile(r"^/widget/v1/conversations/[0-9a-fA-F-]{36}/messages$")


def route_method(path: str) -> str | None:
    """The one cross-origin method a preflight for `path` may ask for (None: no such route)."""
    return WIDGET_METHODS.get(path) or ("GET" if _REPLIES_PATH.match(path) else None)


ALLOWED_REQUEST_HEADERS = frozenset(
    {"authorization", "content-type", "accept", "accept-language", "content-language"}
)
PREFLIGHT_MAX_AGE = "600"
_STATE_KEY = "shopbot_cors_origin"


def allow_origin(request: Request, origin: str) -> None:
    """Record that this request's origin may read the response (see the module docstring)."""
    if normalise_request_origin(request.headers.get("origin")) == origin:
        setattr(request.state, _STATE_KEY, origin)


def _add_vary(headers: MutableHeaders, *values: str) -> None:
    present = {v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()}
    for value in values:
        if value.lower() not in present:
            headers.add_vary_header(value)


class WidgetCorsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(WIDGET_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if (
            scope["method"] == "OPTIONS"
            and "access-control-request-method" in headers
            and route_method(scope["path"]) is not None
        ):
            await self._preflight(scope, receive, send, headers)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                _add_vary(response_headers, "Origin")
                origin = scope.get("state", {}).get(_STATE_KEY)
                if origin:
                    response_headers["Access-Control-Allow-Origin"] = origin
                    response_headers["Access-Control-Expose-Headers"] = "Retry-After"
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers
    ) -> None:
        origin = normalise_request_origin(headers.get("origin"))
        method = headers.get("access-control-request-method", "").strip().upper()
        allowed_method = route_method(scope["path"]) or ""
        requested = {
            h.strip().lower()
            for h in headers.get("access-control-request-headers", "").split(",")
            if h.strip()
        }
        vary = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
        if origin is None or method != allowed_method or not requested <= ALLOWED_REQUEST_HEADERS:
            response: Response = app_error_response(
                CorsPreflightRejected(
                    f"Only {allowed_method} from a web origin with the widget's headers is allowed."
                ),
                scope["path"],
            )
            _add_vary(response.headers, *vary)
            await response(scope, receive, send)
            return

        response = Response(status_code=204)
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = allowed_method
        response.headers["Access-Control-Allow-Headers"] = ", ".join(
            sorted(ALLOWED_REQUEST_HEADERS)
        )
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        _add_vary(response.headers, *vary)
        await response(scope, receive, send)
