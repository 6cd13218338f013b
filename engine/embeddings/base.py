"""The embedding interface shared by indexing (ingestion) and retrieval (engine)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

# Which vectors can be compared with which: one type, declared with its registry in core.
# Two embedders may produce vectors of the same size (both fit the `vector(384)` column)
# and still be incomparable; the space name is stored next to every vector and retrieval
# filters on it, so vectors of different models never mix.
from core.embedding_spaces import EmbeddingSpace

__all__ = ["Embedder", "EmbeddingSpace"]


@runtime_checkable
class Embedder(Protocol):
    @property
    def space(self) -> EmbeddingSpace: ...

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in input order."""
        ...

    async def embed_query(self, text: str) -> list[float]: ...
