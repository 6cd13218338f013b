"""Server side of WooCommerce REST authentication, ported from `WC_REST_Authentication`.

Order of events, as in the PHP: over SSL (`is_ssl()`), try Basic auth (the
`consumer_key`/`consumer_secret` query parameters first, then the Authorization header);
if that yields no user, try OAuth 1.0a one-legged from the query string, form body and an
`Authorization: OAuth …` header. Without credentials nothing fails here: the route's own
permission check answers 401 `woocommerce_rest_cannot_view` later, which is why Basic over
plain HTTP gets "Sorry, you cannot list resources." on a real store.

The signature check mirrors the PHP byte for byte: parameters sorted by raw key with
`strcmp` *before* encoding, keys and values `rawurlencode`d, each `key=value` encoded a
second time and joined with `%26`; base URL = home URL + request path with the scheme
`is_ssl()` implies; key = consumer secret + "&"; HMAC-SHA1 or HMAC-SHA256, base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

from emulators.woocommerce.wire import WPError

OAUTH_PARAMS = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
TIMESTAMP_WINDOW_S = 15 * 60
_HEADER_PARAM = re.compile(r'(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))')


@dataclass
class ApiKey:
    consumer_key: str
    consumer_secret: str
    permissions: str = "read_write"  # read | write | read_write
    used_nonces: dict[int, str] = field(default_factory=dict)


@dataclass
class AuthOutcome:
    key: ApiKey | None = None
    error: WPError | None = None
    # How the key that authenticated was presented, for tests to assert on:
    # "basic_header" | "query_string" | "oauth1" | "" (no key authenticated).
    via: str = ""


@dataclass
class AuthRequest:
    """What PHP would see: $_GET/$_POST (PHP-decoded), headers, method, path, is_ssl()."""

    method: str
    path: str
    get: dict[str, Any]
    post: dict[str, Any]
    authorization: str
    basic: tuple[str, str] | None
    is_ssl: bool
    home_url_without_scheme: str  # e.g. "127.0.0.1:8123"


def authenticate(request: AuthRequest, keys: dict[str, ApiKey]) -> AuthOutcome:
    outcome = AuthOutcome()
    if request.is_ssl:
        _basic(request, keys, outcome)
        if outcome.key is not None:
            return outcome
    _oauth(request, keys, outcome)
    return outcome


def _basic(request: AuthRequest, keys: dict[str, ApiKey], outcome: AuthOutcome) -> None:
    key_id, secret, via = "", "", ""
    if request.get.get("consumer_key") and request.get.get("consumer_secret"):
        key_id, secret, via = (
            str(request.get["consumer_key"]),
            str(request.get["consumer_secret"]),
            "query_string",
        )
    if not key_id and request.basic is not None:
        (key_id, secret), via = request.basic, "basic_header"
    if not key_id or not secret:
        return
    key = keys.get(key_id)
    if key is None:
        return
    if not hmac.compare_digest(key.consumer_secret, secret):
        outcome.error = WPError(
            "woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401
        )
        return
    outcome.key, outcome.via = key, via


def _oauth(request: AuthRequest, keys: dict[str, ApiKey], outcome: AuthOutcome) -> None:
    params = {**request.get, **request.post}
    if request.authorization.strip().startswith("OAuth "):
        params.update(parse_oauth_header(request.authorization.strip()))
    present = [name for name in OAUTH_PARAMS if params.get(name)]
    if not present:
        return  # not even trying OAuth; an earlier Basic error (if any) stands
    missing = [name for name in OAUTH_PARAMS if not params.get(name)]
    if missing:
        noun = "parameter" if len(missing) == 1 else "parameters"
        outcome.error = WPError(
            "woocommerce_rest_authentication_missing_parameter",
            f"Missing OAuth {noun} {', '.join(missing)}",
            401,
        )
        return
    key = keys.get(str(params["oauth_consumer_key"]))
    if key is None:
        outcome.error = WPError(
            "woocommerce_rest_authentication_error", "Consumer key is invalid.", 401
        )
        return
    signature_error = check_signature(request, key, params)
    if signature_error is not None:
        outcome.error = signature_error
        return
    replay_error = check_timestamp_and_nonce(
        key, str(params["oauth_timestamp"]), str(params["oauth_nonce"])
    )
    if replay_error is not None:
        outcome.error = replay_error
        return
    outcome.key, outcome.via = key, "oauth1"


def parse_oauth_header(header: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for match in _HEADER_PARAM.finditer(header):
        params[match.group(1)] = unquote_plus(match.group(3) or match.group(4))  # PHP urldecode()
    return params


def check_signature(request: AuthRequest, key: ApiKey, params: dict[str, Any]) -> WPError | None:
    scheme = "https" if request.is_ssl else "http"
    base_request_uri = rawurlencode(f"{scheme}://{request.home_url_without_scheme}{request.path}")
    consumer_signature = unquote(str(params["oauth_signature"]).replace(" ", "+"))
    unsigned = {k: v for k, v in params.items() if k != "oauth_signature"}
    ordered = dict(sorted(unsigned.items(), key=lambda item: item[0].encode("utf-8")))  # strcmp
    normalized = {rawurlencode(k): _encode_value(v) for k, v in ordered.items()}
    query_string = "%26".join(_join_with_equals_sign(normalized))
    string_to_sign = f"{request.method.upper()}&{base_request_uri}&{query_string}"

    method = normalized.get("oauth_signature_method")
    if method not in ("HMAC-SHA1", "HMAC-SHA256"):
        return WPError(
            "woocommerce_rest_authentication_error",
            "Invalid signature - signature method is invalid.",
            401,
        )
    digest = hashlib.sha1 if method == "HMAC-SHA1" else hashlib.sha256
    expected = base64.b64encode(
        hmac.new(f"{key.consumer_secret}&".encode(), string_to_sign.encode(), digest).digest()
    ).decode()
    if not hmac.compare_digest(expected, consumer_signature):
        return WPError(
            "woocommerce_rest_authentication_error",
            "Invalid signature - provided signature does not match.",
            401,
        )
    return None


def check_timestamp_and_nonce(key: ApiKey, timestamp: str, nonce: str) -> WPError | None:
    now = int(time.time())
    try:
        stamp = int(timestamp)
    except ValueError:
        stamp = 0
    if stamp < now - TIMESTAMP_WINDOW_S or stamp > now + TIMESTAMP_WINDOW_S:
        return WPError("woocommerce_rest_authentication_error", "Invalid timestamp.", 401)
    if nonce in key.used_nonces.values():
        return WPError(
            "woocommerce_rest_authentication_error",
            "Invalid nonce - nonce has already been used.",
            401,
        )
    key.used_nonces[stamp] = nonce
    for old in [t for t in key.used_nonces if t < now - TIMESTAMP_WINDOW_S]:
        del key.used_nonces[old]
    return None


def check_key_permissions(key: ApiKey, method: str) -> WPError | None:
    """`check_user_permissions` on `rest_pre_dispatch`: before any route is matched."""
    if method in ("HEAD", "GET") and key.permissions not in ("read", "read_write"):
        return WPError(
            "woocommerce_rest_authentication_error",
            "The API key provided does not have read permissions.",
            401,
        )
    if method in ("POST", "PUT", "PATCH", "DELETE") and key.permissions not in (
        "write",
        "read_write",
    ):
        return WPError(
            "woocommerce_rest_authentication_error",
            "The API key provided does not have write permissions.",
            401,
        )
    return None


def rawurlencode(value: str) -> str:
    """PHP `rawurlencode` (RFC 3986): everything but ALPHA / DIGIT / "-" / "." / "_" / "~"."""
    return quote(value, safe="~")


def _encode_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _encode_value(v) for k, v in value.items()}
    return rawurlencode(_php_string(value))


def _join_with_equals_sign(params: dict[str, Any], prefix: str = "") -> list[str]:
    joined: list[str] = []
    for key, value in params.items():
        full_key = f"{prefix}%5B{key}%5D" if prefix else key
        if isinstance(value, dict):
            joined.extend(_join_with_equals_sign(value, full_key))
        else:
            joined.append(rawurlencode(f"{full_key}={value}"))
    return joined


def _php_string(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)
