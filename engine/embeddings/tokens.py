"""Token counting with tiktoken, offline.

tiktoken downloads its BPE files on first use unless `TIKTOKEN_CACHE_DIR` points at a copy;
llama-index-core ships one (`_static/tiktoken_cache`), so we point there, but only when the
operator has not chosen a directory. This lives in `engine.embeddings` (not `engine.prompts`)
because ingestion may import only `engine.embeddings` and the OpenAI embedder needs token
counts too; prompts import it from here.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import tiktoken

FALLBACK_ENCODING = "cl100k_base"


def _bundled_cache_dir() -> Path | None:
    # find_spec does not import llama_index.core itself (that import takes seconds).
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    candidate = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    return candidate if candidate.is_dir() else None


def ensure_offline_tiktoken() -> None:
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return
    bundled = _bundled_cache_dir()
    if bundled is not None:
        os.environ["TIKTOKEN_CACHE_DIR"] = str(bundled)


@functools.lru_cache(maxsize=32)
def encoding_for(model: str) -> tiktoken.Encoding:
    """The model's encoding, loaded once per process (loading costs 0.2-0.5 s)."""
    ensure_offline_tiktoken()
    try:
        return tiktoken.encoding_for_model(model)
    except (KeyError, ValueError):
        return tiktoken.get_encoding(FALLBACK_ENCODING)


def count_tokens(text: str, model: str = "gpt-4o-mini") -> int:
    # encode_ordinary skips the special-token scan: shopper text like "<|endoftext|>" is
    # counted as plain text instead of raising.
    return len(encoding_for(model).encode_ordinary(text))


def truncate_to_tokens(text: str, max_tokens: int, model: str = "gpt-4o-mini") -> str:
    encoding = encoding_for(model)
    tokens = encoding.encode_ordinary(text)
    if len(tokens) <= max_tokens:
        return text
    return encoding.decode(tokens[:max_tokens])
