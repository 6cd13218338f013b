"""What must never leave the process in an error report or a log line.

Two nets, applied together:
- by name: a mapping key that names a credential (authorization, cookie, password, secret,
  token, api/widget/consumer key, signature, dsn...) or shopper text and contact data
  (message, content, comment, email, phone...) has its value replaced;
- by shape: inside any string, JWTs, bearer credentials, OpenAI keys (`sk-...`), our API
  keys (`sk_live_...`), refresh tokens (`rt_...`), widget keys (`wk_...`), WooCommerce keys
  (`ck_`/`cs_`), Stripe keys, URL user-info, credential query parameters, e-mail addresses
  and phone numbers are replaced.

Request bodies are the exception to "keep what is not recognised": every string in them is
replaced, because a body is where shoppers and merchants type (chat questions, names,
addresses) and no list of names can be complete.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

FILTERED = "[Filtered]"

_CREDENTIAL_NAME = re.compile(
    r"authorization|cookie|passw|secret|token|api_?key|apikey|widget_?key|consumer_?key|"
    r"private_?key|signature|credential|dsn|session|csrf|auth$|^key$|encryption",
    re.IGNORECASE,
)
_PERSONAL_NAME = re.compile(
    r"^(message|messages|content|comment|question|answer|text|body|email|e_mail|mail|phone|"
    r"telephone|mobile|address|name|first_name|last_name|full_name|username|ip_address)$",
    re.IGNORECASE,
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), FILTERED),  # JWT
    (re.compile(r"\b(Bearer|bearer|BEARER|Basic)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 " + FILTERED),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), FILTERED),  # OpenAI keys, sk-proj-... included
    # Our API keys (sk_live_), refresh tokens (rt_), widget keys (wk_); WooCommerce ck_/cs_;
    # Stripe's secret, restricted and webhook-signing keys.
    (
        re.compile(r"\b(sk_live|sk_test|rk_live|rk_test|rt|wk|ck|cs|whsec)_[A-Za-z0-9_-]{8,}"),
        FILTERED,
    ),
    (re.compile(r"(?<=://)[^/@\s:]*:[^/@\s]+@"), FILTERED + "@"),  # [user]:password@ in URLs
    (
        re.compile(
            r"\b(password|passwd|secret|token|access_token|refresh_token|api_key|apikey|key|"
            r"consumer_key|consumer_secret|widget_key|session_token|signature|email)=([^&\s\"']+)",
            re.IGNORECASE,
        ),
        r"\1=" + FILTERED,
    ),
    (
        re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        FILTERED,
    ),  # email
    (re.compile(r"[A-Za-z0-9._%+-]+%40[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"), FILTERED),
    # Phone numbers: international (+...) or grouped 3-3-4; dates, versions and ids do not match.
    (re.compile(r"(?<![\w+])\+\d[\d ().-]{6,18}\d(?![\w.])"), FILTERED),
    (re.compile(r"(?<![\w.:/-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w.-])"), FILTERED),
)


def scrub_text(value: str) -> str:
    for pattern, replacement in _PATTERNS:
        value = pattern.sub(replacement, value)
    return value


def is_credential_name(name: object) -> bool:
    return isinstance(name, str) and bool(_CREDENTIAL_NAME.search(name.replace("-", "_")))


def is_personal_name(name: object) -> bool:
    return isinstance(name, str) and bool(_PERSONAL_NAME.match(name.replace("-", "_")))


def scrub_value(value: Any, *, personal_keys: bool = True, depth: int = 0) -> Any:
    """Strings by shape, mapping entries by name, all the way down."""
    if depth > 20:
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {
            key: FILTERED
            if is_credential_name(key) or (personal_keys and is_personal_name(key))
            else scrub_value(item, personal_keys=personal_keys, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [scrub_value(item, personal_keys=personal_keys, depth=depth + 1) for item in value]
    return value


def blank_strings(value: Any, depth: int = 0) -> Any:
    """A request body's shape without its text: every string becomes FILTERED."""
    if depth > 20 or isinstance(value, str):
        return FILTERED
    if isinstance(value, Mapping):
        return {key: blank_strings(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [blank_strings(item, depth + 1) for item in value]
    return value


def scrub_query_string(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs and query:
        return scrub_text(query)
    return urlencode(
        [
            (
                key,
                FILTERED if is_credential_name(key) or is_personal_name(key) else scrub_text(value),
            )
            for key, value in pairs
        ]
    )
