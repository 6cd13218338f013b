"""Embeddings: one `Embedder` interface, a bundled local model and OpenAI, one factory.

Ingestion may import this package from the engine (and `engine.model_io`, the token and
retry plumbing both share).
"""

from __future__ import annotations

from engine.embeddings.base import Embedder, EmbeddingSpace
from engine.embeddings.factory import build_embedder, embedder_from_settings
from engine.embeddings.local_minilm import (
    MINILM_SPACE,
    LocalMiniLMEmbedder,
    shared_local_embedder,
)
from engine.embeddings.openai_embedder import OPENAI_SPACE, OpenAIEmbedder

__all__ = [
    "MINILM_SPACE",
    "OPENAI_SPACE",
    "Embedder",
    "EmbeddingSpace",
    "LocalMiniLMEmbedder",
    "OpenAIEmbedder",
    "build_embedder",
    "embedder_from_settings",
    "shared_local_embedder",
]
