"""Query embeddings cached by (embedding space, normalised text).

Shoppers ask the same things ("do you ship to canada", "under $30"): embedding them once
saves the model call on the hot path. Redis when configured (shared by every API
process), else a bounded in-process LRU. A Redis failure is logged and falls through to
computing the embedding: the cache can only make things faster, never fail a request.

`start` begins a lookup-or-compute in the background and returns at once: the embedding
runs on the embedder's thread while the caller's SQL that does not need the vector runs,
so only what is left of it when the vector is needed is on the critical path.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import struct
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

TTL_SECONDS = 7 * 24 * 3600


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def cache_key(space: str, text: str) -> str:
    digest = hashlib.sha256(normalise(text).encode()).hexdigest()[:32]
    return f"shopbot:qemb:{space}:{digest}"


def _pack(vector: list[float]) -> bytes:
    return struct.pack(f"<{len(vector)}f", *vector)


def _unpack(raw: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


class PendingEmbedding:
    """A query embedding under way for `text` (the lookup too, when it misses)."""

    def __init__(self, text: str, lookup: Awaitable[list[float]]) -> None:
        self.text = text
        self.took_ms = 0.0  # the lookup-or-compute's own duration, once it is done
        self._task = asyncio.ensure_future(self._timed(lookup))

    async def _timed(self, lookup: Awaitable[list[float]]) -> list[float]:
        started = time.perf_counter()
        try:
            return await lookup
        finally:
            self.took_ms = (time.perf_counter() - started) * 1000.0

    async def vector(self) -> list[float]:
        return await self._task

    def discard(self) -> None:
        """For a caller that will not await it (an error came first, or the text changed)."""
        if not self._task.done():
            self._task.cancel()
        elif not self._task.cancelled():
            self._task.exception()  # retrieved, so asyncio does not log it as forgotten


class QueryEmbeddingCache:
    def __init__(self, redis: Any | None = None, *, max_local: int = 4096) -> None:
        self._redis = redis
        self._local: OrderedDict[str, list[float]] = OrderedDict()
        self._max_local = max_local

    async def get_or_compute(
        self, space: str, text: str, compute: Callable[[str], Awaitable[list[float]]]
    ) -> list[float]:
        key = cache_key(space, text)
        if (hit := self._local.get(key)) is not None:
            self._local.move_to_end(key)
            return hit
        if self._redis is not None:
            try:
                raw = await self._redis.get(key)
                if raw:
                    vector = _unpack(raw)
                    self._remember(key, vector)
                    return vector
            except Exception as exc:
                log.warning("query embedding cache read failed: %s", type(exc).__name__)
        vector = await compute(normalise(text))
        self._remember(key, vector)
        if self._redis is not None:
            try:
                await self._redis.set(key, _pack(vector), ex=TTL_SECONDS)
            except Exception as exc:
                log.warning("query embedding cache write failed: %s", type(exc).__name__)
        return vector

    def start(
        self, space: str, text: str, compute: Callable[[str], Awaitable[list[float]]]
    ) -> PendingEmbedding:
        return PendingEmbedding(text, self.get_or_compute(space, text, compute))

    def _remember(self, key: str, vector: list[float]) -> None:
        self._local[key] = vector
        self._local.move_to_end(key)
        while len(self._local) > self._max_local:
            self._local.popitem(last=False)
