"""Chunking: title on every chunk, hard token limits, real overlap, nothing lost, unicode-safe."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.model_io.tokens import ensure_tiktoken_cache
from ingestion.chunking import (
    DEFAULT_CHUNK_OVERLAP,
    DEFAULT_CHUNK_SIZE,
    ChunkDraft,
    chunk_text,
    count_tokens,
)

TITLE = "Kyōto Santoku Knife"
SENTENCES = [
    f"Sentence number {i} talks about {topic} in some detail so that it has a realistic length."
    for i, topic in enumerate(
        [
            "steel",
            "handles",
            "sharpening",
            "balance",
            "care",
            "storage",
            "history",
            "Japanese craft",
            "vegetables",
            "fish",
            "gifts",
            "warranty",
        ]
        * 4
    )
]
BODY = f"{TITLE}\n" + " ".join(SENTENCES)


def _body_of(chunk: ChunkDraft) -> str:
    assert chunk.text.startswith(chunk.title + "\n")
    return chunk.text[len(chunk.title) + 1 :]


def test_every_chunk_starts_with_the_title_once() -> None:
    chunks = chunk_text(TITLE, BODY, chunk_size=120, chunk_overlap=20)
    assert len(chunks) > 3
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert all(c.title == TITLE and c.text.startswith(TITLE + "\n") for c in chunks)
    assert not any(
        _body_of(c).startswith(TITLE) for c in chunks
    )  # the body's own title line is not repeated


def test_token_limits_hold_and_counts_are_exact() -> None:
    for size, overlap in (
        (64, 0),
        (120, 20),
        (DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP),
        (400, 40),
    ):
        for chunk in chunk_text(TITLE, BODY, chunk_size=size, chunk_overlap=overlap):
            assert chunk.token_count == count_tokens(chunk.text) <= size


def test_consecutive_chunks_overlap() -> None:
    chunks = chunk_text(TITLE, BODY, chunk_size=120, chunk_overlap=30)
    for previous, current in itertools.pairwise(chunks):
        head = _body_of(current)[:40]
        assert head in _body_of(previous), (
            "the next chunk must begin with the previous chunk's tail"
        )


def test_without_overlap_nothing_repeats_and_nothing_is_lost() -> None:
    chunks = chunk_text(TITLE, BODY, chunk_size=100, chunk_overlap=0)
    joined = " ".join(_body_of(c) for c in chunks)
    assert joined.split() == " ".join(SENTENCES).split()


def test_sentences_are_not_cut_when_they_fit() -> None:
    for chunk in chunk_text(TITLE, BODY, chunk_size=150, chunk_overlap=0):
        assert _body_of(chunk).endswith(".")


def test_short_and_empty_texts() -> None:
    assert [c.text for c in chunk_text(TITLE, "Sharp.")] == [f"{TITLE}\nSharp."]
    [only] = chunk_text(TITLE, "")
    assert only.text == TITLE and only.token_count == count_tokens(TITLE)
    [same] = chunk_text(TITLE, TITLE)
    assert same.text == TITLE


def test_a_title_that_is_a_prefix_of_a_word_is_not_stripped() -> None:
    [chunk] = chunk_text("Hat", "Hats are great.")
    assert chunk.text == "Hat\nHats are great."


def test_unspaced_cjk_and_emoji_are_split_on_character_boundaries() -> None:
    text = "包丁は日本の伝統的な技術で作られています" * 60 + "🔪🍣" * 80
    chunks = chunk_text("三徳包丁", text, chunk_size=48, chunk_overlap=8)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.token_count <= 48 and "\ufffd" not in chunk.text
    assert (
        "".join(_body_of(c) for c in chunk_text("三徳包丁", text, chunk_size=48, chunk_overlap=0))
        == text
    )


def test_an_absurdly_long_title_is_shortened_to_leave_room_for_content() -> None:
    chunks = chunk_text(
        "Very long title " * 100, "Body sentence. " * 50, chunk_size=64, chunk_overlap=0
    )
    assert all(c.token_count <= 64 and count_tokens(c.title) <= 16 for c in chunks)
    assert all("Body sentence." in c.text for c in chunks)


@pytest.mark.parametrize(("size", "overlap"), [(16, 0), (100, 60), (100, -1)])
def test_invalid_parameters(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_text(TITLE, BODY, chunk_size=size, chunk_overlap=overlap)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=1500),
    size=st.integers(min_value=32, max_value=300),
    overlap_share=st.floats(min_value=0, max_value=0.5),
)
def test_any_text_respects_the_limit(text: str, size: int, overlap_share: float) -> None:
    chunks = chunk_text(
        "Prödukt 製品", text, chunk_size=size, chunk_overlap=int(size * overlap_share)
    )
    assert chunks
    for chunk in chunks:
        assert chunk.token_count == count_tokens(chunk.text) <= size
        assert chunk.text.startswith("Prödukt 製品")


def test_tiktoken_cache_points_at_the_bundled_encodings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    path = ensure_tiktoken_cache()
    assert path is not None and os.environ["TIKTOKEN_CACHE_DIR"] == path
    assert path.endswith(os.path.join("llama_index", "core", "_static", "tiktoken_cache"))
    assert any(Path(path).iterdir())
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "/somewhere/else")
    assert ensure_tiktoken_cache() == "/somewhere/else"  # an operator's choice is respected
