"""OpenAI `text-embedding-3-small`, shortened to 384 dimensions.

OpenAI's v3 embedding models accept `dimensions` and return a re-normalised, truncated
vector, so the same `vector(384)` column holds either space; the space name keeps them apart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence

import openai

from core.embedding_spaces import OPENAI_3_SMALL_384
from core.errors import UpstreamError
from engine.embeddings.base import EmbeddingSpace
from engine.model_io.retry import RetryPolicy, describe, retry_delay_s
from engine.model_io.tokens import encoding_for

logger = logging.getLogger(__name__)

OPENAI_EMBEDDING_MODEL = "text-embedding-3-small"
OPENAI_SPACE = OPENAI_3_SMALL_384
# Documented API limits: 2048 inputs per request, 8192 tokens per input, 300k tokens summed
# over one request. We keep a margin under the summed limit.
MAX_INPUTS_PER_REQUEST = 2048
MAX_TOKENS_PER_INPUT = 8191
MAX_TOKENS_PER_REQUEST = 250_000
EMBEDDING_ENCODING_MODEL = "text-embedding-3-small"
DEFAULT_RETRY = RetryPolicy()  # frozen: one shared default is safe


class OpenAIEmbedder:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 30.0,
        retry: RetryPolicy = DEFAULT_RETRY,
        client: openai.AsyncOpenAI | None = None,
    ) -> None:
        self._client = client or openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0
        )
        self._retry = retry

    @property
    def space(self) -> EmbeddingSpace:
        return OPENAI_SPACE

    async def aclose(self) -> None:
        await self._client.close()

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for batch in _request_batches(texts):
            vectors.extend(await self._embed_batch(batch))
        return vectors

    async def embed_query(self, text: str) -> list[float]:
        return (await self.embed_documents([text]))[0]

    async def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        attempt = 0
        while True:
            try:
                response = await self._client.embeddings.create(
                    model=OPENAI_EMBEDDING_MODEL,
                    input=batch,
                    dimensions=OPENAI_SPACE.dimensions,
                )
            except openai.OpenAIError as error:
                delay = retry_delay_s(attempt, error, self._retry)
                if delay is None:
                    logger.warning("embedding request failed: %s", describe(error))
                    raise UpstreamError(
                        "The embedding service is unavailable.", service="embeddings"
                    ) from error
                attempt += 1
                await asyncio.sleep(delay)
                continue
            # The API documents input order but not response order; index makes it certain.
            ordered = sorted(response.data, key=lambda item: item.index)
            if len(ordered) != len(batch):
                raise UpstreamError("The embedding service returned a partial result.")
            return [list(item.embedding) for item in ordered]


def _prepare(text: str) -> tuple[str, int]:
    encoding = encoding_for(EMBEDDING_ENCODING_MODEL)
    tokens = encoding.encode_ordinary(text)
    if not tokens:
        # The API rejects empty strings; a blank vector is still a valid (if useless) row.
        return " ", 1
    if len(tokens) > MAX_TOKENS_PER_INPUT:
        return encoding.decode(tokens[:MAX_TOKENS_PER_INPUT]), MAX_TOKENS_PER_INPUT
    return text, len(tokens)


def _request_batches(texts: Sequence[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    batch_tokens = 0
    for text in texts:
        prepared, n_tokens = _prepare(text)
        too_many = len(batch) >= MAX_INPUTS_PER_REQUEST
        if batch and (too_many or batch_tokens + n_tokens > MAX_TOKENS_PER_REQUEST):
            yield batch
            batch, batch_tokens = [], 0
        batch.append(prepared)
        batch_tokens += n_tokens
    if batch:
        yield batch
