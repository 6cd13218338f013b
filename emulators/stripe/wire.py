"""Stripe's v1 wire format as the fake speaks it: bracket-encoded form bodies, ids, list
objects, the `{"error": {...}}` body, injectable faults and the request log.

Stripe's clients send every parameter form-encoded (`application/x-www-form-urlencoded` on
POST, the query string on GET and DELETE) with brackets for nesting: `metadata[plan]=pro`,
`line_items[0][price]=price_x`, `expand[]=customer` (stripe-python writes `expand[0]=`);
`parse_stripe_form` turns that back into nested dicts and lists.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

DEFAULT_API_KEY = "sk_test_fake_stripe"
# The version the installed stripe-python pins (stripe._api_version); events carry it.
DEFAULT_API_VERSION = "2026-10-28.endive"
_ID_ALPHABET = string.ascii_letters + string.digits
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")

FaultKind = Literal["api_error", "rate_limit", "disconnect"]


class StripeError(Exception):
    """An API error answered as Stripe does: `{"error": {type, message, code?, param?}}`."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param
        self.headers = headers or {}

    def body(self, request_id: str) -> dict[str, Any]:
        # Stripe leaves out the keys it has no value for (an invalid API key has no `code`).
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        if self.status >= 400 and self.type == "invalid_request_error":
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def resource_missing(noun: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {noun}: '{object_id}'", code="resource_missing", param=param)


def parameter_missing(param: str) -> StripeError:
    return StripeError(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def new_id(prefix: str, length: int = 24) -> str:
    """Stripe-looking ids: the object's prefix and random letters and digits."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def parse_stripe_form(raw: str) -> dict[str, Any]:
    """`a[b][0][c]=v&e[]=x` → `{"a": {"b": [{"c": "v"}]}, "e": ["x"]}` (values stay strings,
    as on Stripe's side: booleans arrive as "true"/"false", numbers as digits)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        head, _, rest = key.partition("[")
        parts = [head] + _BRACKETS.findall("[" + rest) if rest else [head]
        node: dict[str, Any] = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if part == "":  # `expand[]=`: append, numbered after what is already there
                part = str(len(node))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
    return _lists_from_numbered_dicts(root)


def _lists_from_numbered_dicts(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _lists_from_numbered_dicts(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def as_bool(value: Any, param: str) -> bool:
    if value in (True, "true"):
        return True
    if value in (False, "false"):
        return False
    raise StripeError(400, f"Invalid boolean: {value}", param=param)


def as_int(value: Any, param: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise StripeError(400, f"Invalid integer: {value}", param=param) from None


def as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def merged_metadata(current: dict[str, str], update: Any) -> dict[str, str]:
    """Stripe's metadata update: keys merge, `metadata[k]=""` deletes k, `metadata=""` clears."""
    if update == "":
        return {}
    if not isinstance(update, dict):
        raise StripeError(400, "Invalid metadata: must be a hash", param="metadata")
    merged = dict(current)
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return merged


def list_object(items: list[dict[str, Any]], params: dict[str, Any], url: str) -> dict[str, Any]:
    """A page of `items` (newest first, as Stripe lists) honouring `limit` (1..100, default
    10), `starting_after` and `ending_before`."""
    limit = as_int(params.get("limit", 10), "limit")
    if not 1 <= limit <= 100:
        raise StripeError(
            400,
            "Invalid limit: must be an integer between 1 and 100.",
            param="limit",
        )
    ids = [item["id"] for item in items]
    if params.get("starting_after"):
        cursor = str(params["starting_after"])
        if cursor not in ids:
            raise resource_missing("object", cursor, "starting_after")
        after = items[ids.index(cursor) + 1 :]
        page, has_more = after[:limit], len(after) > limit
    elif params.get("ending_before"):
        cursor = str(params["ending_before"])
        if cursor not in ids:
            raise resource_missing("object", cursor, "ending_before")
        before = items[: ids.index(cursor)]
        page, has_more = before[-limit:], len(before) > limit
    else:
        page, has_more = items[:limit], len(items) > limit
    return {"object": "list", "data": page, "has_more": has_more, "url": url}


@dataclass(frozen=True)
class Fault:
    """One injected failure, consumed by the next request whose path matches `path` (a regex
    search; None matches every path).

    api_error: 500 `api_error` (stripe-python retries a 500 unless `should_retry=False`).
    rate_limit: 429 `rate_limit` (stripe-python does not retry it unless told to).
    disconnect: the connection drops after half of a response (a network failure).
    `should_retry` sets Stripe's `Stripe-Should-Retry` header, which the client obeys.
    """

    kind: FaultKind
    path: str | None = None
    should_retry: bool | None = None

    def matches(self, path: str) -> bool:
        return self.path is None or re.search(self.path, path) is not None

    def error(self) -> StripeError:
        headers = {}
        if self.should_retry is not None:
            headers["Stripe-Should-Retry"] = "true" if self.should_retry else "false"
        if self.kind == "rate_limit":
            return StripeError(
                429,
                "Request rate limit exceeded. You can learn more about rate limits here "
                "https://stripe.com/docs/rate-limits.",
                code="rate_limit",
                headers=headers,
            )
        return StripeError(
            500,
            "An unknown error occurred while processing your request.",
            type_="api_error",
            headers=headers,
        )


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None
    status: int
    stripe_version: str | None = None
    replayed: bool = False
