"""The fake Stripe API as an ASGI app: Stripe's request life cycle over the shared state.

Order, as Stripe answers: an injected fault (if one is queued for this path) → API-key
authentication → idempotency (a POST whose `Idempotency-Key` was seen before is replayed
byte for byte with `Idempotent-Replayed: true`, or refused with `idempotency_error` when
its method, path or parameters differ) → the route. Only successful results are kept for
replay: Stripe keeps no result when a request fails validation before it runs. Every
request is recorded in `requests`, and every answer carries a `Request-Id`.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulators.stripe import pages
from emulators.stripe.routes import Call, find_route
from emulators.stripe.state import Origin
from emulators.stripe.wire import RecordedRequest, StripeError, new_id, parse_stripe_form

if TYPE_CHECKING:
    from emulators.stripe.server import FakeStripe

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)


class FakeStripeApp:
    def __init__(self, fake: FakeStripe) -> None:
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        if not request.url.path.startswith("/v1/"):
            response = await pages.serve(self.fake, request)
            await response(scope, receive, send)
            return
        response, drop = await self._api(request)
        if drop:
            await _send_half_then_drop(response, send)
            return
        await response(scope, receive, send)

    async def _api(self, request: Request) -> tuple[Response, bool]:
        fake = self.fake
        method, path = request.method, request.url.path
        raw_body = (await request.body()).decode() if method == "POST" else ""
        params = parse_stripe_form(request.url.query)
        params.update(parse_stripe_form(raw_body))
        key = request.headers.get("idempotency-key") if method == "POST" else None
        version = request.headers.get("stripe-version")
        request_id = new_id("req_", 14)
        headers = {"Request-Id": request_id, "Stripe-Version": version or fake.api_version}
        if key:
            headers["Idempotency-Key"] = key
        replayed, drop = False, False
        try:
            fault = fake.take_fault(path)
            if fault is not None and fault.kind == "disconnect":
                drop = True
                status, body = 200, {"object": "list", "data": [], "note": "cut short"}
            elif fault is not None:
                raise fault.error()
            else:
                self._authenticate(request.headers.get("authorization", ""))
                status, body, replay_headers = self._run(
                    method, path, params, key, Origin(request_id, key)
                )
                replayed = bool(replay_headers)
                headers.update(replay_headers)
        except StripeError as error:
            status, body = error.status, error.body(request_id)
            headers.update(error.headers)
        with fake.lock:
            fake.requests.append(
                RecordedRequest(method, path, params, key, status, version, replayed)
            )
        return _json(body, status, headers), drop

    def _authenticate(self, authorization: str) -> None:
        scheme, _, token = authorization.partition(" ")
        if not token.strip():
            raise StripeError(401, _NO_KEY)
        if scheme.lower() == "basic":  # curl -u sk_test_...: sends the key as the user name
            try:
                token = base64.b64decode(token).decode(errors="replace").partition(":")[0]
            except binascii.Error:
                raise StripeError(401, _NO_KEY) from None
        elif scheme.lower() != "bearer":
            raise StripeError(401, _NO_KEY)
        token = token.strip()
        if token != self.fake.api_key:
            shown = f"{token[:8]}{'*' * max(len(token) - 12, 0)}{token[-4:]}"
            raise StripeError(401, f"Invalid API Key provided: {shown}")

    def _run(
        self, method: str, path: str, params: dict[str, Any], key: str | None, origin: Origin
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.fake
        with fake.lock:
            if key:
                seen = fake.idempotent.get((fake.api_key, key))
                if seen is not None:
                    return self._replay(seen, method, path, params, key)
            handler, ids = find_route(method, path)
            call = Call(method, path, params, ids, origin, fake.url)
            body = copy.deepcopy(handler(fake, call))
            if key:
                fake.idempotent[(fake.api_key, key)] = (
                    method,
                    path,
                    params,
                    200,
                    body,
                    origin.request_id or "",
                )
            return 200, body, {}

    @staticmethod
    def _replay(
        seen: tuple[str, str, dict[str, Any], int, Any, str],
        method: str,
        path: str,
        params: dict[str, Any],
        key: str,
    ) -> tuple[int, Any, dict[str, str]]:
        first_method, first_path, first_params, status, body, first_request_id = seen
        if (first_method, first_path) != (method, path):
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{first_method} {first_path}' vs '{method} {path}'). Try "
                f"using a key other than '{key}' if you meant to execute a different request.",
                type_="idempotency_error",
            )
        if first_params != params:
            raise StripeError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                type_="idempotency_error",
            )
        return (
            status,
            body,
            {
                "Idempotent-Replayed": "true",
                "Original-Request": first_request_id,
                "Request-Id": first_request_id,
            },
        )


def _json(body: Any, status: int, headers: dict[str, str]) -> Response:
    return Response(
        json.dumps(body, indent=2),
        status,
        headers=headers,
        media_type="application/json",
    )


async def _send_half_then_drop(response: Response, send: Send) -> None:
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
