"""Embeddings: one `Embedder` interface, a bundled local model and OpenAI.

Ingestion may import this package (and only this one) from the engine.
"""

from __future__ import annotations

from core.errors import ConfigurationError
from engine.embeddings.base import Embedder, EmbeddingSpace
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
    "shared_local_embedder",
]


def build_embedder(
    provider: str,
    *,
    openai_api_key: str | None = None,
    openai_base_url: str | None = None,
) -> Embedder:
    """`provider` is "local" (the bundled MiniLM, shared per process) or "openai"."""
    if provider == "local":
        return shared_local_embedder()
    if provider == "openai":
        if not openai_api_key:
            raise ConfigurationError("The OpenAI embedder needs an API key (OPENAI_API_KEY).")
        return OpenAIEmbedder(api_key=openai_api_key, base_url=openai_base_url)
    raise ConfigurationError(f"Unknown embedding provider {provider!r}; use 'local' or 'openai'.")
