"""The fake store as an ASGI app: WordPress REST routing, WooCommerce auth, injected faults.

Request life cycle, in WordPress's order: resolve the REST route (`/wp-json/<route>` with
pretty permalinks, `/?rest_route=<route>` always) → WooCommerce authentication for `wc/`
routes → API-key read/write permission (`rest_pre_dispatch`, before route matching) →
route match (`rest_no_route`) → the route's permission callback → handler.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulators.woocommerce import orders, routes, webhooks
from emulators.woocommerce.auth import AuthRequest, authenticate, check_key_permissions
from emulators.woocommerce.faults import CRITICAL_ERROR, RATE_LIMIT_BODY, Fault
from emulators.woocommerce.routes import RestRequest
from emulators.woocommerce.state import RecordedRequest
from emulators.woocommerce.wire import WPError, html_404_page, json_response, no_route

if TYPE_CHECKING:
    from emulators.woocommerce.store import FakeWooStore

Handler = Callable[["FakeWooStore", RestRequest, dict[str, str]], Response]
CANNOT_LIST = ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
CANNOT_VIEW = ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.")
CANNOT_CREATE = (
    "woocommerce_rest_cannot_create",
    "Sorry, you are not allowed to create resources.",
)
CANNOT_EDIT = ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.")
CANNOT_DELETE = (
    "woocommerce_rest_cannot_delete",
    "Sorry, you are not allowed to delete this resource.",
)


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    permission: tuple[str, str] | None  # error when no API key authenticated; None = public
    woocommerce: bool = True


def _route(
    method: str, path: str, handler: Handler, permission: tuple[str, str] | None, wc: bool = True
) -> Route:
    return Route(method, re.compile(f"^{path}$", re.IGNORECASE), handler, permission, wc)


ROUTES = (
    _route(
        "GET",
        "/",
        lambda s, r, m: routes.wordpress_index(s, r, s.woocommerce_active),
        None,
        wc=False,
    ),
    _route("GET", "/wc/v3", lambda s, r, m: routes.woocommerce_namespace_index(r), None),
    _route("GET", "/wc/v3/system_status", lambda s, r, m: routes.system_status(s, r), CANNOT_LIST),
    _route("GET", "/wc/v3/products", lambda s, r, m: routes.list_products(s, r), CANNOT_LIST),
    _route(
        "GET",
        "/wc/v3/products/categories",
        lambda s, r, m: routes.list_categories(s, r),
        CANNOT_LIST,
    ),
    _route(
        "GET", "/wc/v3/products/reviews", lambda s, r, m: routes.list_reviews(s, r), CANNOT_LIST
    ),
    _route(
        "GET",
        r"/wc/v3/products/(?P<id>\d+)",
        lambda s, r, m: routes.get_product(s, r, int(m["id"])),
        CANNOT_VIEW,
    ),
    _route(
        "GET",
        r"/wc/v3/products/(?P<id>\d+)/variations",
        lambda s, r, m: routes.list_variations(s, r, int(m["id"])),
        CANNOT_LIST,
    ),
    _route("GET", "/wc/v3/orders", lambda s, r, m: orders.list_orders(s, r), CANNOT_LIST),
    _route(
        "GET",
        r"/wc/v3/orders/(?P<id>\d+)",
        lambda s, r, m: orders.get_order(s, r, int(m["id"])),
        CANNOT_VIEW,
    ),
    _route(
        "GET",
        r"/wc/v3/orders/(?P<id>\d+)/notes",
        lambda s, r, m: orders.list_order_notes(s, r, int(m["id"])),
        CANNOT_LIST,
    ),
    _route(
        "GET",
        "/wc/v3/webhooks",
        lambda s, r, m: webhooks.list_webhooks(
            s, r.query, lambda items, args: routes.paged_response(items, r, args)
        ),
        CANNOT_LIST,
    ),
    _route(
        "POST",
        "/wc/v3/webhooks",
        lambda s, r, m: webhooks.create_webhook(
            s, r.body, r.rest_url("/wc/v3/webhooks"), s.ping_webhooks
        ),
        CANNOT_CREATE,
    ),
    _route(
        "GET",
        r"/wc/v3/webhooks/(?P<id>\d+)",
        lambda s, r, m: webhooks.get_webhook(s, int(m["id"])),
        CANNOT_VIEW,
    ),
    _route(
        "PUT",
        r"/wc/v3/webhooks/(?P<id>\d+)",
        lambda s, r, m: webhooks.update_webhook(s, int(m["id"]), r.body),
        CANNOT_EDIT,
    ),
    _route(
        "DELETE",
        r"/wc/v3/webhooks/(?P<id>\d+)",
        lambda s, r, m: webhooks.delete_webhook(
            s, int(m["id"]), r.query.get("force") in ("true", "1")
        ),
        CANNOT_DELETE,
    ),
)


class FakeWooApp:
    def __init__(self, store: FakeWooStore) -> None:
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response, after = await self._handle(request)
        if after == "disconnect":
            await self._send_half_then_drop(response, send)
            return
        if after == "truncate":
            response = Response(
                response.body[: len(response.body) // 2],
                response.status_code,
                media_type=response.media_type,
            )
        await response(scope, receive, send)

    async def _handle(self, request: Request) -> tuple[Response, str | None]:
        store = self.store
        if not store.wordpress:
            return html_404_page("404 Not Found"), None
        get = php_parse_query(request.scope["query_string"].decode("latin-1"))
        query = {k: (",".join(v.values()) if isinstance(v, dict) else v) for k, v in get.items()}
        route = self._resolve_route(request.url.path, query)
        if route is None:
            return html_404_page(), None
        faults = store.faults.triggered(route)
        delay = max((f.delay_s for f in faults if f.kind == "slow"), default=0.0)
        if delay:
            await asyncio.sleep(delay)
        is_ssl = request.url.scheme == "https" or store.assume_https
        post, body = await self._read_body(request)
        rest = RestRequest(
            method=request.method,
            route=route,
            query=query,
            body=body,
            home_url=f"{'https' if is_ssl else 'http'}://{store.netloc}{store.home_path}",
            pretty_permalinks=store.pretty_permalinks,
            is_ssl=is_ssl,
            faults=faults,
        )
        auth_via = ""
        try:
            rate_limit = next((f for f in faults if f.kind == "rate_limit"), None)
            if rate_limit is not None:
                headers = (
                    {"Retry-After": rate_limit.retry_after}
                    if rate_limit.retry_after is not None
                    else {}
                )
                response = Response(RATE_LIMIT_BODY, 429, headers=headers, media_type="text/html")
            elif any(f.kind == "server_error" for f in faults):
                response = json_response(CRITICAL_ERROR, status=500)
            else:
                auth_via = self._authorise(request, rest, get, post, is_ssl)
                response = self._dispatch(rest)
        except WPError as error:
            response = json_response(error.body(), status=error.status)
        with store.lock:
            store.requests.append(
                RecordedRequest(
                    request.method,
                    route,
                    query,
                    request.url.scheme,
                    auth_via or rest.auth_via,
                    response.status_code,
                )
            )
        return response, _after_effect(faults, response)

    def _resolve_route(self, path: str, query: dict[str, str]) -> str | None:
        home_path = self.store.home_path  # WordPress installed in a folder, e.g. "/demo-store"
        if home_path:
            if path != home_path and not path.startswith(f"{home_path}/"):
                return None
            path = path[len(home_path) :] or "/"
        route: str | None = None
        if path == "/wp-json" or path.startswith("/wp-json/"):
            if not self.store.pretty_permalinks:
                return None  # plain permalinks: the rewrite rule does not exist, the theme 404s
            route = path[len("/wp-json") :]
        elif path in ("/", "/index.php") and "rest_route" in query:
            route = query["rest_route"]
        if route is None:
            return None
        return "/" + route.strip("/") if route.strip("/") else "/"

    def _authorise(
        self,
        request: Request,
        rest: RestRequest,
        get: dict[str, Any],
        post: dict[str, Any],
        is_ssl: bool,
    ) -> str:
        store = self.store
        if not (store.woocommerce_active and rest.route.startswith(("/wc/", "/wc-"))):
            return ""
        authorization = (
            "" if store.strip_authorization_header else request.headers.get("authorization", "")
        )
        outcome = authenticate(
            AuthRequest(
                method=request.method,
                path=(request.scope.get("raw_path") or b"").decode("latin-1") or request.url.path,
                get=get,
                post=post,
                authorization=authorization,
                basic=_basic_credentials(authorization),
                is_ssl=is_ssl,
                home_url_without_scheme=store.netloc,
            ),
            store.keys,
        )
        rest.auth_via = outcome.via
        if outcome.error is not None:
            raise outcome.error
        rest.key = outcome.key
        if outcome.key is not None:
            permission_error = check_key_permissions(outcome.key, request.method)
            if permission_error is not None:
                raise permission_error
        return outcome.via

    def _dispatch(self, rest: RestRequest) -> Response:
        for route in ROUTES:
            match = route.pattern.match(rest.route)
            if match is None or route.method != rest.method:
                continue
            if route.woocommerce and not self.store.woocommerce_active:
                break
            if route.permission is not None and rest.key is None:
                raise WPError(route.permission[0], route.permission[1], 401)
            return route.handler(self.store, rest, match.groupdict())
        raise no_route()

    async def _read_body(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        """($_POST, parsed body): only a form-encoded body lands in $_POST and is OAuth-signed."""
        if request.method not in ("POST", "PUT", "PATCH"):
            return {}, {}
        raw = await request.body()
        content_type = request.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in content_type:
            form = php_parse_query(raw.decode())
            return form, form
        try:
            parsed = json.loads(raw or b"{}")
        except ValueError as error:
            raise WPError("rest_invalid_json", "Invalid JSON body passed.", 400) from error
        return {}, parsed if isinstance(parsed, dict) else {}

    async def _send_half_then_drop(self, response: Response, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [(k.encode(), v.encode()) for k, v in response.headers.items()],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": response.body[: len(response.body) // 2],
                "more_body": True,
            }
        )
        # Returning without finishing the body makes uvicorn close the connection mid-response.


def _after_effect(faults: list[Fault], response: Response) -> str | None:
    if response.status_code != 200:
        return None
    if any(f.kind == "disconnect" for f in faults):
        return "disconnect"
    if any(f.kind == "truncate" for f in faults):
        return "truncate"
    return None


def php_parse_query(raw: str) -> dict[str, Any]:
    """PHP's `parse_str` for what clients send: `a=1`, `a[]=1&a[]=2`, `a[k]=v` (one level)."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        bracket = re.match(r"^([^\[]+)\[([^\]]*)\]$", key)
        if bracket is None:
            result[key] = value
            continue
        base, sub = bracket.groups()
        bucket = result.get(base)
        if not isinstance(bucket, dict):
            bucket = result[base] = {}
        bucket[sub or str(len(bucket))] = value
    return result


def _basic_credentials(authorization: str) -> tuple[str, str] | None:
    if not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user, password
