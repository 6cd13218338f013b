"""Retry policy for calls to OpenAI-compatible services (embeddings and chat).

We disable the openai client's own retries (`max_retries=0`) and retry here instead, so that
the chat provider can stop retrying once tokens have reached the shopper and so that both
callers back off the same, testable way. The OpenAI embedder (which ingestion runs) and
`engine.llm` both use it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

import openai

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    max_retries: int = 2
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    # A server asking us to wait longer than this is treated as down for this request.
    max_retry_after_s: float = 20.0


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRYABLE_STATUS
    # APITimeoutError is a subclass of APIConnectionError; a garbled body (JSONDecodeError)
    # is as transient as a dropped connection.
    return isinstance(error, openai.APIConnectionError | json.JSONDecodeError)


def _retry_after_s(error: BaseException) -> float | None:
    response = getattr(error, "response", None)
    if response is None:
        return None
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000.0
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:  # an HTTP-date Retry-After: fall back to our own backoff
        return None
    return None


def retry_delay_s(attempt: int, error: BaseException, policy: RetryPolicy) -> float | None:
    """Seconds to wait before retry number `attempt` (0-based), or None to give up."""
    if attempt >= policy.max_retries or not is_retryable(error):
        return None
    asked = _retry_after_s(error)
    if asked is not None:
        if asked > policy.max_retry_after_s:
            return None
        return max(asked, 0.0)
    # Full jitter keeps many workers that hit the same 429 from retrying in lockstep.
    ceiling = min(policy.max_delay_s, policy.base_delay_s * (2**attempt))
    return random.uniform(ceiling / 2, ceiling)


def describe(error: BaseException) -> str:
    """A caller-safe description: status and class name, never the response body or key."""
    status = getattr(error, "status_code", None)
    name = type(error).__name__
    return f"{name} (HTTP {status})" if status else name
