"""The one place an embedder is built: from a provider name, or from the process settings."""

from __future__ import annotations

from core.errors import ConfigurationError
from core.settings import Settings
from engine.embeddings.base import Embedder
from engine.embeddings.local_minilm import shared_local_embedder
from engine.embeddings.openai_embedder import OpenAIEmbedder


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


def embedder_from_settings(settings: Settings) -> Embedder:
    """The embedder the deployment's settings choose (`EMBEDDING_PROVIDER`, and for OpenAI
    the platform's key and endpoint)."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return build_embedder(
        settings.embedding_provider, openai_api_key=key, openai_base_url=settings.openai_base_url
    )
