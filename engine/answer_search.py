"""A turn's search: what the question is about (the shopper's order, the products in focus,
or the catalogue searched), found for the answer service (engine.answer).

A question that opens a conversation needs nothing the turn's first transaction writes: its
history is empty, so it is neither rewritten nor focused on earlier products. Its search
therefore starts on a connection of its own while the bot is loaded and the conversation
and the message are written, admitted and committed (`AnswerService.stream`): those round
trips leave the way to the first token. It needs only the bot's search scope (its store and
retrieval settings): the widget API passes the one its session check read
(`Question.scope`), so the search starts as the turn does; without one it starts once the
turn's transaction has loaded the bot. A turn in a conversation waits for its history,
read in that transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from core.db.database import Database
from engine.answer_events import Question, SearchScope
from engine.answer_inputs import is_searched
from engine.answer_trace import record_retrieval
from engine.focus import focus_products
from engine.llm.base import LLMProvider
from engine.orders import OrderQuery, order_query
from engine.query_rewrite import RewrittenQuery, rewrite_query
from engine.retrieval.filters import parse_filters
from engine.retrieval.query_cache import PendingEmbedding
from engine.retrieval.search import HybridRetriever, RetrievalResult
from engine.types import Focus, LLMSettings, Turn


@dataclass(frozen=True, slots=True)
class Asked:
    """The question as the search reads it: `message` as the shopper wrote it, `asked`
    without an injection attempt, `early` its embedding if one was started."""

    question: Question
    message: str
    asked: str
    early: PendingEmbedding | None


@dataclass(frozen=True, slots=True)
class TurnSearch:
    # None: not searched (a refusal, a person asked for, an order question)
    retrieval: RetrievalResult | None = None
    focus: Focus | None = None  # the products the question itself chose
    order: OrderQuery | None = None  # a turn about the shopper's order (engine.orders)


def opens_conversation(question: Question) -> bool:
    """Nothing before it to read: the search may start before the turn is written."""
    return question.conversation_id is None and question.retry_of is None


class TurnSearcher:
    def __init__(self, db: Database, retriever: HybridRetriever, *, orders: bool) -> None:
        self._db = db
        self._retriever = retriever
        self._orders = orders

    def may_start_early(self, question: Question) -> bool:
        """A question that opens a conversation, where units of work may run at once."""
        return opens_conversation(question) and self._db.concurrent_sessions

    async def search(
        self,
        scope: SearchScope,
        history: list[Turn],
        asked: Asked,
        *,
        model: tuple[LLMProvider, LLMSettings] | None = None,
    ) -> TurnSearch:
        """`asked.asked` searched for, unless it is not (engine.answer_inputs.is_searched).
        `model`: the bot's, to rewrite a follow-up with (without it a follow-up is searched
        as asked; a question without history never is rewritten). No transaction is held
        across the rewrite (an LLM call)."""
        question, text = asked.question, asked.asked
        order = order_query(asked.message, history) if self._orders else None
        if not is_searched(text) or order is not None:
            return TurnSearch(order=order)
        focused = await focus_products(
            self._db,
            question,
            text,
            history,
            store_id=scope.store_id,
            space=self._retriever.space,
            evidence=scope.retrieval.evidence_per_product + 1,
        )
        if focused is not None and focused.focus is not None:
            # The products were chosen by the question itself (a follow-up on the last
            # answer's products, a comparison by name): their facts, no search.
            # The trace's query: what the question was resolved to.
            record_retrieval(" | ".join(h.title for h in focused.hits), focused.hits, [])
            # A comparison asked first was embedded meanwhile: the question's analytics
            # cluster it; a follow-up ("the second one") is not embedded, not clustered.
            vector = await asked.early.vector() if asked.early is not None else None
            chosen = RetrievalResult(focused.hits, [], parse_filters(text), query_vector=vector)
            return TurnSearch(chosen, focused.focus)
        query = (
            RewrittenQuery(text, "unchanged")  # it names its own, new subject
            if focused is not None
            else await rewrite_query(
                text,
                history,
                llm=model[0] if model else None,
                settings=model[1] if model else None,
            )
        )
        async with self._db.read_session(question.tenant_id) as session:
            retrieval = await self._retriever.retrieve(
                session,
                tenant_id=question.tenant_id,
                query=query.text,
                settings=scope.retrieval,
                store_id=scope.store_id,
                page=question.page,
                prefetched=asked.early,
            )
        record_retrieval(query.text, retrieval.hits, retrieval.doc_hits)
        return TurnSearch(retrieval)


class EarlySearch:
    """A new conversation's search, started before the turn's first transaction commits
    (`start`): at once with the scope the caller read (`Question.scope`), else by that
    transaction once the bot is loaded; awaited after it (`result`). `stop` cancels it and
    waits for it to end: the turn failed (a refused message, an inactive bot), or nobody
    reads the answer any more."""

    def __init__(self, searcher: TurnSearcher, asked: Asked) -> None:
        self._searcher = searcher
        self._asked = asked
        self._task: asyncio.Task[TurnSearch] | None = None

    def start(self, scope: SearchScope) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._searcher.search(scope, [], self._asked))

    @property
    def started(self) -> bool:
        return self._task is not None

    async def result(self) -> TurnSearch:
        assert self._task is not None
        return await self._task

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()  # a no-op once it is done
        # The turn's own error, if any, is what the caller raises; the search's is not
        # left unread (asyncio would log it as never retrieved).
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
