"""Rendered text → `ChunkText`s, sized for the embedding space.

MiniLM truncates after 256 word pieces, so it gets the chunker's 200-token default; a
large-context space gets 400/40 (see `ingestion.chunking`). The space is part of the
content hash, so changing it re-chunks everything once.
"""

from __future__ import annotations

from contextvars import ContextVar

from ingestion.chunking import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE, chunk_text
from ingestion.indexing.rows import ChunkText

LARGE_CONTEXT_SPACES = frozenset({"openai-3-small-384"})

# (size, overlap) for every chunk cut in this context instead of the space's: the answer
# evals set it around a sync to measure other chunkings (`shopbot eval sweep`). Each such
# configuration lives in a tenant of its own, built from scratch: the content hash does not
# carry the sizes, so a tenant synced once with other sizes would keep its old chunks.
CHUNKING_OVERRIDE: ContextVar[tuple[int, int] | None] = ContextVar(
    "shopbot_chunking_override", default=None
)


def chunk_sizes(space: str) -> tuple[int, int]:
    override = CHUNKING_OVERRIDE.get()
    if override is not None:
        return override
    if space in LARGE_CONTEXT_SPACES:
        return 400, 40
    return DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP


def chunk_rendered(
    title: str, attributes_text: str, body: str, *, space: str = ""
) -> list[ChunkText]:
    size, overlap = chunk_sizes(space)
    return [
        ChunkText(
            ordinal=draft.ordinal,
            title=title,
            attributes_text=attributes_text,
            # The chunker starts every chunk with the title line: the chunk text is the body.
            body=draft.text,
            token_count=draft.token_count,
        )
        for draft in chunk_text(title, body, chunk_size=size, chunk_overlap=overlap)
    ]
