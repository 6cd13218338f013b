"""Token counting with tiktoken, offline: the one place tiktoken encodings are loaded.

tiktoken downloads its BPE files on first use unless `TIKTOKEN_CACHE_DIR` points at a copy;
llama-index-core ships one (`_static/tiktoken_cache`), so we point there, but only when the
operator has not chosen a directory. Chunking (ingestion), the OpenAI embedder, prompt
budgets and the chat provider's usage estimate all load their encodings through here.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import tiktoken

FALLBACK_ENCODING = "cl100k_base"


def ensure_tiktoken_cache() -> str | None:
    """Point tiktoken at the encodings bundled in llama-index-core, unless already set;
    returns the directory tiktoken reads (None: none found, tiktoken would download).

    Nothing may download at run time. Finding the package does not import it (that import
    takes seconds)."""
    current = os.environ.get("TIKTOKEN_CACHE_DIR")
    if current:
        return current
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    cache = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    if not cache.is_dir():
        return None
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return str(cache)


@functools.lru_cache(maxsize=8)
def named_encoding(name: str) -> tiktoken.Encoding:
    """An encoding by its name ("cl100k_base"), loaded once per process (0.2-0.5 s)."""
    ensure_tiktoken_cache()
    return tiktoken.get_encoding(name)


@functools.lru_cache(maxsize=32)
def encoding_for(model: str) -> tiktoken.Encoding:
    """The model's encoding, loaded once per process; unknown models count as cl100k."""
    ensure_tiktoken_cache()
    try:
        return tiktoken.encoding_for_model(model)
    except (KeyError, ValueError):
        return named_encoding(FALLBACK_ENCODING)


def count_tokens(text: str, model: str = "gpt-4o-mini") -> int:
    # encode_ordinary skips the special-token scan: shopper text like "<|endoftext|>" is
    # counted as plain text instead of raising.
    return len(encoding_for(model).encode_ordinary(text))
