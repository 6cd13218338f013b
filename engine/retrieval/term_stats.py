"""The question's search terms and how rare each is in the tenant's index (IDF).

PostgreSQL's own rankers (ts_rank, ts_rank_cd) have no notion of how common a word is: a
chunk matching "the product" counts like one matching "waterproof". The text ranker
therefore weighs each question term by its inverse document frequency among the tenant's
chunks. Ingestion keeps them per tenant (core.models.term_frequency) and retrieval reads
the question's with the vocabulary (`question_lexemes`, `stored_terms`); what follows is
the path of a tenant whose words were never counted (a database migrated to 0018 before
its next sync run), and of the page product's evidence ranking. There the frequencies
are counted on demand, only for the question's terms, and kept for a minute per tenant:
a catalogue's word statistics move slowly, and a slightly stale IDF changes a ranking
weight, never which products a filter lets through. The total (the tenant's chunks in
the space) is the stored one retrieval read with the store's vocabulary
(core.search_vocabulary: one read by primary key, always current); only a tenant without
a stored row has it counted, and kept with its frequencies.

How they are counted: the full-text GIN index is one for all tenants, so the posting list
of a word such as "small" holds every tenant's chunks that have it, and walking it costs
with the size of the whole database, not the tenant's. A tenant of up to
HEAP_SCAN_MAX_CHUNKS chunks is counted from its own rows instead (found by the tenant
b-tree). For a 2,000-chunk tenant among 100 (bench/retrieval.py's database), counting all
of a question's terms, as after the cache expires, takes 1.4 ms p50 / 3.4-4.9 ms p95
against 2.7-3.4 / 10-15 ms through the GIN index; counting only a question's new, rare
terms takes about 2.7 ms either way. A larger tenant has its frequencies estimated on a
fixed sample of its chunks, and only its rare terms counted exactly through the GIN index
(`TermStats._estimate`): an exact count of a common word walks most of its rows.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.search_vocabulary import QuestionLexemes
from engine.language import detect_language

MAX_TERMS = 32  # a question longer than this is a paste, not a question
STATS_TTL_SECONDS = 60.0
MAX_CACHED_INDEXES = 1024
MAX_CACHED_QUESTIONS = 4096
HEAP_SCAN_MAX_CHUNKS = 20_000
# A larger tenant's frequencies are estimated on a fixed sample of about this many chunks,
# and counted exactly only for the terms the sample holds fewer than EXACT_BELOW_SAMPLED
# times (`_frequencies`).
SAMPLE_CHUNKS = 4_000
EXACT_BELOW_SAMPLED = 20


# PostgreSQL's text search configurations for the languages the shopper may write in.
QUESTION_REGCONFIGS: dict[str, str] = {
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
}
# The question's lexemes (`lexeme`) in the order they come in it (`ord`), at most MAX_TERMS.
_LEXEMES_SQL = (
    "SELECT lexeme, positions[1] AS ord FROM unnest(to_tsvector('english', :question)) "
    f"ORDER BY ord LIMIT {MAX_TERMS}"
)
# ts_debug gives each token's lexemes in the question's configuration: '{}' is a stop word
# of that language. The words left are stemmed like the chunks (english).
_LEXEMES_WITHOUT_STOP_WORDS_SQL = f"""
    SELECT lexeme, positions[1] AS ord FROM unnest(to_tsvector('english', (
        SELECT coalesce(string_agg(d.token, ' '), '')
        FROM ts_debug(CAST(:config AS regconfig), :question) AS d
        WHERE d.lexemes <> '{{}}'
    ))) ORDER BY ord LIMIT {MAX_TERMS}
"""


def question_regconfig(question: str) -> str | None:
    """The text search configuration of the question's language, when it is not English
    and PostgreSQL has one (None: the question is read as English, like the chunks)."""
    language = detect_language(question)
    return QUESTION_REGCONFIGS.get(language) if language is not None else None


@dataclass(frozen=True, slots=True)
class WeightedTerm:
    lexeme: str  # as PostgreSQL's english configuration normalises it
    idf: float


def question_lexemes(question: str) -> QuestionLexemes:
    """The statement of the question's lexemes: the same parser and stemmer as the chunks'
    generated search_vector, so the terms are exactly the lexemes stored there (stop words
    dropped). A question in another language PostgreSQL has a dictionary for loses that
    language's stop words first ("¿tienen el X para correr?": "el" and "para" are no
    catalogue words)."""
    key = " ".join(question.lower().split())
    config = question_regconfig(key)
    if config is None:
        return QuestionLexemes(_LEXEMES_SQL, {"question": key})
    return QuestionLexemes(_LEXEMES_WITHOUT_STOP_WORDS_SQL, {"question": key, "config": config})


def stored_terms(counts: Sequence[tuple[str, int]], total: int) -> list[WeightedTerm]:
    """The question's terms weighed by the tenant's stored document frequencies
    (core.search_vocabulary.read: `term_counts` over `term_total` chunks)."""
    return [WeightedTerm(lexeme, idf(total, frequency)) for lexeme, frequency in counts]


def tsquery_any(lexemes: Iterable[str]) -> str:
    """`'a' | 'b'` in tsquery syntax: each lexeme quoted as a whole, its quotes doubled
    and backslashes escaped, so no character in it is read as an operator. Sent as a
    parameter, it lets the planner see the words (a tsquery built inside the statement is
    opaque to it, and it then assumed the GIN index cheap even for a word in every chunk)."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


def idf(total: int, document_frequency: int) -> float:
    """BM25's IDF: always positive, near 0 for a term in every chunk."""
    df = min(document_frequency, total)
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))


@dataclass(slots=True)
class _IndexStats:
    fetched_at: float
    total: int
    frequencies: dict[str, int] = field(default_factory=dict)


class TermStats:
    """Per-process cache of question lexemes and per-tenant document frequencies."""

    def __init__(
        self,
        ttl_seconds: float = STATS_TTL_SECONDS,
        heap_scan_max_chunks: int = HEAP_SCAN_MAX_CHUNKS,
        sample_chunks: int = SAMPLE_CHUNKS,
        exact_below_sampled: int = EXACT_BELOW_SAMPLED,
    ) -> None:
        self._ttl = ttl_seconds
        self._heap_scan_max_chunks = heap_scan_max_chunks
        self._sample_chunks = sample_chunks
        self._exact_below_sampled = exact_below_sampled
        self._indexes: OrderedDict[tuple[TenantId, str], _IndexStats] = OrderedDict()
        self._lexemes: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def known_total(self, tenant_id: TenantId, space: str) -> int | None:
        """The tenant's chunk count its cached frequencies were computed on (None: not
        cached)."""
        stats = self._indexes.get((tenant_id, space))
        return stats.total if stats is not None else None

    async def weighted_terms(
        self,
        session: AsyncSession,
        *,
        tenant_id: TenantId,
        space: str,
        question: str,
        chunk_total: int | None = None,
    ) -> list[WeightedTerm]:
        """`chunk_total`: the tenant's chunks in `space` as stored (None: count them)."""
        lexemes = await self._question_lexemes(session, question)
        if not lexemes:
            return []
        stats = await self._frequencies(session, tenant_id, space, lexemes, chunk_total)
        return [
            WeightedTerm(lexeme, idf(stats.total, stats.frequencies[lexeme])) for lexeme in lexemes
        ]

    async def _question_lexemes(self, session: AsyncSession, question: str) -> tuple[str, ...]:
        key = " ".join(question.lower().split())
        cached = self._lexemes.get(key)
        if cached is not None:
            self._lexemes.move_to_end(key)
            return cached
        statement = question_lexemes(key)
        rows = await session.scalars(text(statement.sql), dict(statement.params))
        lexemes = tuple(rows.all())
        self._lexemes[key] = lexemes
        if len(self._lexemes) > MAX_CACHED_QUESTIONS:
            self._lexemes.popitem(last=False)
        return lexemes

    async def _frequencies(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        space: str,
        lexemes: Sequence[str],
        chunk_total: int | None,
    ) -> _IndexStats:
        key = (tenant_id, space)
        stats = self._indexes.get(key)
        if stats is None or time.monotonic() - stats.fetched_at > self._ttl:
            total = chunk_total
            if total is None:
                total = await session.scalar(
                    text(
                        "SELECT count(*) FROM chunks c "
                        "WHERE c.tenant_id = :tenant_id AND c.embedding_space = :space"
                    ),
                    {"tenant_id": tenant_id, "space": space},
                )
            stats = _IndexStats(fetched_at=time.monotonic(), total=total or 0)
            self._indexes[key] = stats
        elif chunk_total is not None:
            stats.total = chunk_total  # the frequencies stay a minute, the total is current
        self._indexes.move_to_end(key)
        missing = [lexeme for lexeme in lexemes if lexeme not in stats.frequencies]
        if missing and stats.total <= self._heap_scan_max_chunks:
            stats.frequencies.update(await _count(session, tenant_id, space, missing, by_rows=True))
        elif missing:
            stats.frequencies.update(
                await self._estimate(session, tenant_id, space, missing, stats)
            )
        while len(self._indexes) > MAX_CACHED_INDEXES:
            self._indexes.popitem(last=False)
        return stats

    async def _estimate(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        space: str,
        lexemes: Sequence[str],
        stats: _IndexStats,
    ) -> dict[str, int]:
        """A large tenant's frequencies: each term counted on a fixed sample of its chunks
        and scaled to the total; a term the sample holds fewer than `exact_below_sampled`
        times (a rare one, whose scaled count would be mostly noise) is counted exactly
        through the GIN index, which is cheap for a rare word.

        Counting them all exactly matched every chunk holding any of the question's words:
        a common one ("made", "use") is in most of a catalogue, and the bench's 100,000-
        chunk tenant paid up to 550 ms for it (bench/README_retrieval.md, "Statement by
        statement"). An IDF is a weight, and an estimate within a few tens of per cent
        moves it by a fraction of a unit for the common words that the sample counts."""
        fraction = min(1.0, self._sample_chunks / max(stats.total, 1))
        sampled, sample_size = await _count_sample(session, tenant_id, space, lexemes, fraction)
        rare = [
            lexeme
            for lexeme in lexemes
            if sample_size == 0 or sampled[lexeme] < self._exact_below_sampled
        ]
        exact = await _count(session, tenant_id, space, rare, by_rows=False) if rare else {}
        return {
            lexeme: exact[lexeme]
            if lexeme in exact
            else round(sampled[lexeme] * stats.total / sample_size)
            for lexeme in lexemes
        }


def sample_bound(fraction: float) -> uuid.UUID:
    """The id below which about `fraction` of a tenant's chunks fall. Ids compare as their
    16 bytes, and the leading bytes of a random (version 4) or name-hashed (version 5) id
    are uniformly distributed; the sample is the same one every time for a tenant."""
    return uuid.UUID(int=min((1 << 128) - 1, int(fraction * (1 << 128))))


async def _count_sample(
    session: AsyncSession, tenant_id: TenantId, space: str, lexemes: Sequence[str], fraction: float
) -> tuple[dict[str, int], int]:
    """How many of the tenant's sampled chunks hold each term, and how many were sampled.
    The sample is a range of the (tenant_id, id) primary key: `uuid_lt` is LEAKPROOF, so
    the index serves it under row-level security."""
    rows = (
        await session.execute(
            text("""
                WITH terms AS (
                    SELECT lexeme, quote_literal(lexeme)::tsquery AS q
                    FROM unnest(CAST(:lexemes AS text[])) AS lexeme
                ), sample AS MATERIALIZED (
                    SELECT c.search_vector FROM chunks c
                    WHERE c.tenant_id = :tenant_id AND c.id < :bound
                      AND c.embedding_space = :space
                )
                SELECT t.lexeme,
                       (SELECT count(*) FROM sample m WHERE m.search_vector @@ t.q) AS df,
                       (SELECT count(*) FROM sample) AS sampled
                FROM terms t
            """),
            {
                "tenant_id": tenant_id,
                "space": space,
                "lexemes": list(lexemes),
                "bound": sample_bound(fraction),
            },
        )
    ).all()
    return {r.lexeme: r.df for r in rows}, (rows[0].sampled if rows else 0)


async def _count(
    session: AsyncSession, tenant_id: TenantId, space: str, lexemes: Sequence[str], *, by_rows: bool
) -> dict[str, int]:
    """One pass over the tenant's chunks that contain any of the terms, counting each.

    `by_rows`: find them among the tenant's rows. `ts_match_vq` is the function behind the
    `@@` operator; the GIN index serves only the operator, so the planner cannot take it."""
    contains_any = (
        "ts_match_vq(c.search_vector, CAST(:any_query AS tsquery))"
        if by_rows
        else ("c.search_vector @@ CAST(:any_query AS tsquery)")
    )
    rows = (
        await session.execute(
            text(f"""
                WITH terms AS (
                    SELECT lexeme, quote_literal(lexeme)::tsquery AS q
                    FROM unnest(CAST(:lexemes AS text[])) AS lexeme
                ), matching AS MATERIALIZED (
                    SELECT c.search_vector FROM chunks c
                    WHERE c.tenant_id = :tenant_id AND c.embedding_space = :space
                      AND {contains_any}
                )
                SELECT t.lexeme,
                       (SELECT count(*) FROM matching m WHERE m.search_vector @@ t.q) AS df
                FROM terms t
            """),
            {
                "tenant_id": tenant_id,
                "space": space,
                "lexemes": list(lexemes),
                "any_query": tsquery_any(lexemes),
            },
        )
    ).all()
    return {r.lexeme: r.df for r in rows}
