"""Test helpers that are not fixtures: a cheap deterministic embedder."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute

from core.embedding_spaces import MINILM_L6_V2

_WORD = re.compile(r"\w+")


class HashingEmbedder:
    """Bag-of-words hashed into 384 dimensions, in the MiniLM space's registry name so the
    vectors fit the chunks column. Similar texts get similar vectors; no model loads."""

    space = MINILM_L6_V2

    def __init__(self) -> None:
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * 384
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest[:2], "big") % 384] += 1.0 if digest[2] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector] if any(vector) else [1.0 / math.sqrt(384)] * 384

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    async def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@dataclass(frozen=True)
class RouteInfo:
    path: str  # the full path, prefixes included
    methods: frozenset[str]
    operation_id: str | None
    takes_body: bool


def flat_routes(app: FastAPI) -> list[RouteInfo]:
    """Every API route of the app with its full path. FastAPI ≥ 0.13x keeps included
    routers as nodes of `app.routes`; `iter_route_contexts` walks them."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: included routes are flattened into app.routes
        contexts = [(r, r.path) for r in app.routes if isinstance(r, APIRoute)]
    else:
        contexts = []
        for c in iter_route_contexts(app.routes):
            if isinstance(c.original_route, APIRoute):
                assert c.path is not None, "an API route always has a full path"
                contexts.append((c.original_route, c.path))
    routes = []
    for route, path in contexts:
        # Starlette types `methods` as optional; FastAPI always sets it on an APIRoute.
        assert route.methods is not None, f"{path} has no methods"
        routes.append(
            RouteInfo(
                path=path,
                methods=frozenset(route.methods),
                operation_id=route.operation_id,
                takes_body=route.body_field is not None,
            )
        )
    return routes
