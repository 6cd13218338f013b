"""Which model endpoint a bot's questions go to, and with whose key.

The rule (DESIGN.md: a platform credential is only ever sent to the platform's own
endpoint):

- The platform's key (`OPENAI_API_KEY`) goes only to the platform's endpoint
  (`SHOPBOT_OPENAI_BASE_URL`, or OpenAI's default).
- A bot's own `base_url` is honoured only together with the merchant's own key for it,
  and every request to it passes the outbound guard (core.outbound): it is a URL a user
  gave. A merchant's own key without a `base_url` goes to OpenAI's public API.
- A bot row that carries a `base_url` but no key of its own (written before the rule, or
  by hand) is answered through the platform's endpoint, with a warning that names only the
  URL's scheme, host and port.
- The provider "platform" (the default) and "openai" both use the platform's model when no
  key of the bot's own is set; without any key, the offline answerer answers.
- A request made with a bot's own key carries that key and the headers the request needs,
  nothing else: the openai client adds headers from the process environment
  (`OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_CUSTOM_HEADERS`, which may hold the
  platform's own `Authorization` or a gateway's key), and those belong to the platform.
- A merchant's endpoint answers uncompressed and in at most `MAX_ANSWER_BYTES`
  (`bounded_answer`): it may be anything, and the API's memory is every tenant's.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from engine.llm.openai_chat import OPENAI_PUBLIC_BASE_URL
from engine.types import LLMSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PlatformModel:
    """The platform's own model endpoint and key, from the process settings."""

    api_key: str | None = None
    base_url: str | None = None  # None: OpenAI's default

    @property
    def configured(self) -> bool:
        return bool(self.api_key)


@dataclass(frozen=True, slots=True)
class ModelEndpoint:
    """Where one bot's questions go. No key: the offline answerer."""

    api_key: str | None
    base_url: str | None
    # A merchant-given URL: the client connects only through the outbound guard.
    merchant_given: bool = False
    # The key is the bot's own: its requests carry nothing of the platform's (`own_key_only`).
    bots_own_key: bool = False

    @property
    def offline(self) -> bool:
        return not self.api_key


OFFLINE = ModelEndpoint(api_key=None, base_url=None)


def describe_url(url: str) -> str:
    """scheme://host:port of `url`: enough to find the setting, without the user info,
    path or query a URL may carry secrets in."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname or '?'}{port}"
    except ValueError:
        return "(an unparsable URL)"


def resolve_endpoint(
    settings: LLMSettings, *, platform: PlatformModel, own_key: str | None
) -> ModelEndpoint:
    if settings.provider == "offline":
        return OFFLINE
    if own_key:
        if settings.base_url:
            return ModelEndpoint(
                api_key=own_key, base_url=settings.base_url, merchant_given=True, bots_own_key=True
            )
        # Where a merchant's own key goes when the bot names no endpoint of its own.
        return ModelEndpoint(api_key=own_key, base_url=OPENAI_PUBLIC_BASE_URL, bots_own_key=True)
    if settings.base_url:
        log.warning(
            "a bot's model endpoint %s has no API key of its own; it is ignored and the "
            "platform's endpoint answers instead",
            describe_url(settings.base_url),
        )
    if platform.configured:
        return ModelEndpoint(api_key=platform.api_key, base_url=platform.base_url)
    return OFFLINE


# What a chat request needs; `x-stainless-*` are the openai client's own (version, OS, retry).
_NEEDED_HEADERS = frozenset(
    {
        "host",
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "content-type",
        "transfer-encoding",
        "user-agent",
    }
)


def own_key_only(api_key: str) -> Callable[[Any], Awaitable[None]]:
    """An httpx request hook: the request carries `api_key` as its only credential and no
    header the openai client took from the process environment."""
    authorization = f"Bearer {api_key}"

    async def strip(request: Any) -> None:
        for name in list(request.headers.keys()):
            lowered = name.lower()
            if lowered not in _NEEDED_HEADERS and not lowered.startswith("x-stainless-"):
                del request.headers[name]
        request.headers["Authorization"] = authorization

    return strip


# An answer of max_tokens (8192 at most), even sent one character per SSE chunk, is well
# under this; a merchant's endpoint sending more is cut off, compressed or not.
MAX_ANSWER_BYTES = 32 * 2**20


class _CappedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, limit: int) -> None:
        self._inner = inner
        self._limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise httpx.ReadError("the model endpoint's answer is larger than allowed")
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


async def bounded_answer(response: httpx.Response) -> None:
    """An httpx response hook for a merchant's endpoint: asked for an uncompressed answer
    (`Accept-Encoding: identity`), it gets no compressed one (a small body that expands
    without bound), and no more than `MAX_ANSWER_BYTES` of it is read."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        await response.aclose()
        raise httpx.DecodingError(
            "the model endpoint sent a compressed answer it was not asked for"
        )
    if isinstance(response.stream, httpx.AsyncByteStream):
        response.stream = _CappedStream(response.stream, MAX_ANSWER_BYTES)
