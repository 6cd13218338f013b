"""Which `embedding_spaces` row an embedder's vectors belong to.

Chunks reference the database registry (`core.embedding_spaces`, seeded by migration
0002) by name, and `engine.embeddings` names its spaces after that registry. Indexing
refuses a space the registry does not know, or one that does not fit the shared vector
column, rather than writing vectors nobody can query.
"""

from __future__ import annotations

from core.embedding_spaces import BUILTIN_SPACES, CHUNK_VECTOR_DIMENSIONS
from core.errors import ConfigurationError
from engine.embeddings import Embedder

_REGISTRY_NAMES = {space.name for space in BUILTIN_SPACES}


def registry_space_name(embedder: Embedder) -> str:
    space = embedder.space
    if space.name not in _REGISTRY_NAMES:
        raise ConfigurationError(
            f"embedding space {space.name!r} is not registered in the database"
        )
    if space.dimensions != CHUNK_VECTOR_DIMENSIONS:
        raise ConfigurationError(
            f"embedding space {space.name!r} has {space.dimensions} dimensions; "
            f"the chunks column holds {CHUNK_VECTOR_DIMENSIONS}"
        )
    return space.name
