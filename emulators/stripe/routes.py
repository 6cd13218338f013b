"""The v1 routes the fake serves, each a function of the parsed call returning the object
Stripe would answer with (errors are raised as `StripeError`).

`expand[]` is honoured for the id fields callers expand on these objects (`customer`,
`subscription`, `latest_invoice`, a Checkout Session's `line_items`); any other name is
refused as Stripe refuses it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulators.stripe import sessions
from emulators.stripe.state import Origin, StripeState
from emulators.stripe.wire import StripeError, as_list, resource_missing


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, Any]
    ids: dict[str, str]
    origin: Origin
    base_url: str


Handler = Callable[[StripeState, Call], dict[str, Any]]


def _expandable(state: StripeState) -> dict[str, Callable[[str], dict[str, Any]]]:
    return {
        "customer": state.customer,
        "subscription": state.subscription,
        "latest_invoice": state.invoice,
    }


def expanded(state: StripeState, obj: dict[str, Any], call: Call) -> dict[str, Any]:
    answer = copy.deepcopy(obj)
    lookups = _expandable(state)
    for field in as_list(call.params.get("expand")):
        if field == "line_items" and answer.get("object") == "checkout.session":
            answer["line_items"] = sessions.checkout_line_items(state, answer["id"])
        elif field in lookups and field in answer:
            if isinstance(answer[field], str):
                answer[field] = copy.deepcopy(lookups[field](answer[field]))
        else:
            raise StripeError(400, f"This property cannot be expanded ({field}).", param="expand")
    return answer


def _get(store: Callable[[StripeState], dict[str, dict[str, Any]]], noun: str) -> Handler:
    def handler(state: StripeState, call: Call) -> dict[str, Any]:
        found = store(state).get(call.ids["id"])
        if found is None:
            raise resource_missing(noun, call.ids["id"])
        return expanded(state, found, call)

    return handler


def _create_checkout(state: StripeState, call: Call) -> dict[str, Any]:
    return expanded(
        state, sessions.create_checkout_session(state, call.params, call.base_url), call
    )


def _create_portal(state: StripeState, call: Call) -> dict[str, Any]:
    return sessions.create_portal_session(state, call.params, call.base_url)


def _list_of(lister: Callable[[StripeState, dict[str, Any], str], dict[str, Any]]) -> Handler:
    def handler(state: StripeState, call: Call) -> dict[str, Any]:
        page = lister(state, call.params, call.path)
        page["data"] = [expanded(state, item, call) for item in page["data"]]
        return page

    return handler


def _checkout_line_items(state: StripeState, call: Call) -> dict[str, Any]:
    if call.ids["id"] not in state.checkout_sessions:
        raise resource_missing("checkout.session", call.ids["id"])
    return sessions.checkout_line_items(state, call.ids["id"])


ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (method, re.compile(f"^/v1/{pattern}$"), handler)
    for method, pattern, handler in (
        (
            "POST",
            "customers",
            lambda s, c: expanded(s, s.create_customer(c.params, c.origin), c),
        ),
        ("GET", r"customers/(?P<id>[^/]+)", _get(lambda s: s.customers, "customer")),
        (
            "POST",
            r"customers/(?P<id>[^/]+)",
            lambda s, c: expanded(s, s.update_customer(c.ids["id"], c.params, c.origin), c),
        ),
        ("POST", "prices", lambda s, c: expanded(s, s.create_price(c.params, c.origin), c)),
        ("GET", "prices", _list_of(StripeState.list_prices)),
        ("GET", r"prices/(?P<id>[^/]+)", _get(lambda s: s.prices, "price")),
        ("POST", "checkout/sessions", _create_checkout),
        (
            "GET",
            r"checkout/sessions/(?P<id>[^/]+)",
            _get(lambda s: s.checkout_sessions, "checkout.session"),
        ),
        ("GET", r"checkout/sessions/(?P<id>[^/]+)/line_items", _checkout_line_items),
        ("POST", "billing_portal/sessions", _create_portal),
        ("GET", "subscriptions", _list_of(StripeState.list_subscriptions)),
        ("GET", r"subscriptions/(?P<id>[^/]+)", _get(lambda s: s.subscriptions, "subscription")),
        (
            "POST",
            r"subscriptions/(?P<id>[^/]+)",
            lambda s, c: expanded(s, s.update_subscription(c.ids["id"], c.params, c.origin), c),
        ),
        (
            "DELETE",
            r"subscriptions/(?P<id>[^/]+)",
            lambda s, c: expanded(s, s.cancel_subscription(c.ids["id"], c.origin), c),
        ),
        ("GET", "invoices", _list_of(StripeState.list_invoices)),
        ("GET", r"invoices/(?P<id>[^/]+)", _get(lambda s: s.invoices, "invoice")),
    )
]


def find_route(method: str, path: str) -> tuple[Handler, dict[str, str]]:
    for route_method, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match is not None and route_method == method:
            return handler, match.groupdict()
    raise StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
    )
