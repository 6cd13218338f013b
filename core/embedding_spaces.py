"""Embedding spaces: which model produced a vector, and its dimension.

A vector is only comparable with vectors of the same space, so every chunk records its
space and retrieval filters on it. Both built-in spaces are 384-dimensional
(text-embedding-3-small is asked for `dimensions=384`), so they share one `vector(384)`
column and one HNSW index; a space with another dimension gets its own column and index
in a migration, and this registry is where it is declared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmbeddingSpace:
    name: str
    provider: str
    model: str
    dimensions: int


MINILM_L6_V2 = EmbeddingSpace(
    "minilm-l6-v2", "local", "sentence-transformers/all-MiniLM-L6-v2", 384
)
OPENAI_3_SMALL_384 = EmbeddingSpace("openai-3-small-384", "openai", "text-embedding-3-small", 384)

BUILTIN_SPACES: tuple[EmbeddingSpace, ...] = (MINILM_L6_V2, OPENAI_3_SMALL_384)
# The dimension of the shared `chunk_vectors.embedding` column.
CHUNK_VECTOR_DIMENSIONS = 384
