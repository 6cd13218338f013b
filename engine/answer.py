"""The one entry point the widget API (and `shopbot ask`) calls: question → event stream.

Units of work: the answer service is an edge like a request handler. It commits the
conversation and the shopper's message first (so nothing is lost if retrieval or the model
fails, and the conversation row is not held locked while a follow-up is rewritten, maybe
by an LLM, and the catalogue is searched), reads the catalogue in a transaction of its own
(on the read replica when there is one; for a question that opens a conversation, while
the first transaction writes, engine.answer_search), and commits the checked answer with
its sources, latency and token usage last. No transaction is open while a model is called. Stored
messages are masked; a bot asking for consent stores nothing of a turn without it.

Flow: load bot and profile → open conversation (or, for a retry, find its stored question,
engine.question_retry) → `QuestionStored` → out-of-scope check → rewrite follow-ups
into a standalone query → hybrid retrieval (live facts) → dynamic prompt → the model's text,
shown one checked sentence at a time (engine.streaming: guardrails correct prices/stock and
remove unapproved promises and prompt leaks, then the "[n]" are renumbered to the sources the
answer refers to, engine.citations) → `sources` → persist → `done` (carrying the checked
answer, which is exactly what the stream showed).
The query embedding of a question that needs no rewrite starts before any of that SQL.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

from core.billing.spend import AnswerSpend, record_spend
from core.crypto import SecretBox
from core.db.database import Database
from core.outbound import OutboundPolicy
from engine import conversation as conversations
from engine import handoff
from engine.analytics.answered import is_answered
from engine.analytics.question_clusters import AskedQuestion, cluster_question
from engine.answer_events import (
    AnswerEvent,
    AnswerResult,
    DoneEvent,
    ErrorEvent,
    Question,
    QuestionStored,
    SourcesEvent,
    TokenEvent,
)
from engine.answer_inputs import (
    answer_guard,
    embedded_early,
    error_from_event,
    prompt_and_grounding,
    reply_without_search,
)
from engine.answer_search import Asked, EarlySearch, TurnSearcher
from engine.answer_stages import mark_stage
from engine.answer_trace import record_prompt
from engine.bot_config import LoadedBot, load_bot
from engine.citations import cite
from engine.embeddings.base import Embedder
from engine.guardrails import LEAK_REFUSAL, screen_injection
from engine.language import warm_up
from engine.llm.base import LLMProvider, StreamUsage
from engine.llm.bot_models import BotModels
from engine.llm.endpoints import PlatformModel
from engine.offline import OfflineGroundedAnswerer
from engine.orders import OrderDesk, OrderQuery
from engine.orders.answering import OrderAnswer, answer_order
from engine.quota import admit_message, model_within_plan
from engine.retrieval.query_cache import QueryEmbeddingCache
from engine.retrieval.search import HybridRetriever, RetrievalResult
from engine.streaming import CheckedStream, ModelRun, run_model
from engine.types import Focus, Turn, build_sources

log = logging.getLogger(__name__)

PROVIDER_FAILED_NOTE = "Sorry, I couldn't finish that answer. Please try again in a moment."


@dataclass(slots=True)
class _Prepared:
    bot: LoadedBot
    conversation_id: uuid.UUID | None  # None: the turn is not stored (no consent)
    question_message_id: uuid.UUID | None  # the shopper's stored message
    history: list[Turn]
    # The model this answer uses: the bot's, or the offline answerer once the month's
    # model-token budget on the platform's key is spent.
    provider: LLMProvider
    on_platform_key: bool
    failed_before: bool = False  # the previous reply failed (engine.handoff)
    handoff_offered: bool = False  # this answer offers a person from the store
    order: OrderQuery | None = None  # a turn about the shopper's order (engine.orders)


class AnswerService:
    def __init__(
        self,
        db: Database,
        embedder: Embedder,
        *,
        openai_api_key: str | None = None,
        openai_base_url: str | None = None,
        cache: QueryEmbeddingCache | None = None,
        secret_box: SecretBox | None = None,
        outbound_policy: OutboundPolicy | None = None,
        enforce_quotas: bool = True,
        orders: OrderDesk | None = None,
    ) -> None:
        """`openai_api_key`/`openai_base_url`: the platform's model endpoint. `secret_box`
        opens bots' own model keys (None: they are not used). `outbound_policy` guards the
        endpoints merchants give (None: the strict default). `enforce_quotas`: count each
        message against the plan and keep to its model-token budget (off only for evals
        and benchmark baselines, whose tenants would otherwise run out). `orders`: order
        look-ups (None: an order question is answered like any other)."""
        self._db = db
        self._orders = orders
        self._enforce_quotas = enforce_quotas
        warm_up()  # the language model, off the event loop
        self._retriever = HybridRetriever(embedder, cache)
        self._searcher = TurnSearcher(db, self._retriever, orders=orders is not None)
        self._models = BotModels(
            PlatformModel(api_key=openai_api_key, base_url=openai_base_url),
            secret_box=secret_box,
            outbound=outbound_policy,
        )

    async def answer(self, question: Question) -> AnswerResult:
        """The JSON form: the same events, collected."""
        sources: list[dict[str, Any]] = []
        async for event in self.stream(question):
            if isinstance(event, SourcesEvent):
                sources = event.sources
            elif isinstance(event, DoneEvent):
                return AnswerResult.of(event, sources)
            elif isinstance(event, ErrorEvent):
                raise error_from_event(event)
        raise error_from_event(ErrorEvent("answer_failed", "the answer ended without a result"))

    async def stream(self, question: Question) -> AsyncIterator[AnswerEvent]:
        started = time.perf_counter()
        message = question.message.strip()
        # An attempt to steer the assistant is set aside; what else the message asks is
        # answered, and a message that is only an attempt is refused ("" is left).
        screened = screen_injection(message)
        asked = screened.question
        early = self._retriever.start_embedding(asked) if embedded_early(question, asked) else None
        asking = Asked(question, message, asked, early)
        searching = EarlySearch(self._searcher, asking)
        early_search = self._searcher.may_start_early(question)
        try:
            if early_search and question.scope is not None:
                searching.start(question.scope)
            prepared = await self._open_turn(
                question,
                message,
                on_bot=(lambda bot: searching.start(bot.scope)) if early_search else None,
            )
            if prepared.conversation_id and prepared.question_message_id:
                yield QuestionStored(prepared.conversation_id, prepared.question_message_id)
            found = await (
                searching.result()
                if searching.started
                else self._searcher.search(
                    prepared.bot.scope,
                    prepared.history,
                    asking,
                    model=(prepared.provider, prepared.bot.config.llm),
                )
            )
        finally:
            await searching.stop()  # the turn failed, or the stream was closed: not needed
            if early is not None:
                early.discard()  # a no-op once retrieval used it
        retrieval, focus, prepared.order = found.retrieval, found.focus, found.order
        bot = prepared.bot
        if prepared.order is not None and self._orders is not None:
            async for event in self._answer_order(prepared, question, started):
                yield event
            return

        if screened.injection:
            log.info("prompt injection attempt in a shopper message (bot %s)", bot.bot_id)
        if retrieval is None:  # refused, or a person asked for: no retrieval, no model
            reply, prepared.handoff_offered = reply_without_search(
                bot, message, asked, prepared.history
            )
            yield TokenEvent(reply)
            async for event in self._finish(prepared, question, reply, [], started, status="ok"):
                yield event
            return
        mark_stage("search")
        async for event in self._answer_with_model(
            prepared, question, message, asked, retrieval, focus, started
        ):
            yield event

    async def _answer_with_model(
        self,
        prepared: _Prepared,
        question: Question,
        message: str,
        asked: str,
        retrieval: RetrievalResult,
        focus: Focus | None,
        started: float,
    ) -> AsyncIterator[AnswerEvent]:
        """The prompt, the model's text checked sentence by sentence, and the turn stored."""
        bot = prepared.bot
        bundle, grounding = prompt_and_grounding(
            bot, question, asked, retrieval, prepared.history, focus=focus
        )
        provider = prepared.provider
        record_prompt(bundle.messages, provider.name)
        # The shopper sees cards for what the answer is about, numbered as it cites them.
        page_hit = next(
            (h for h in bundle.product_hits if h.product_id == retrieval.page_product_id), None
        )
        guard = answer_guard(bundle, bot, message)

        def checked_text(raw: str) -> str:
            return cite(guard.check(raw), bundle.numbered_sources, implied=page_hit).text

        # Every sentence is checked against the same facts as the whole answer before it is
        # shown; `shown` turns the model's deltas into `token` (and rarely `replace`) events.
        shown = CheckedStream(checked_text, settled=guard.settled, prompt_like=guard.prompt_like)
        run = ModelRun(model=provider.name)
        async for event in run_model(provider, bot, bundle, grounding, shown, run):
            yield event

        raw = "".join(run.pieces).strip()
        usage, failure = run.usage, run.failure
        if failure is not None:
            log.error("LLM stream for bot %s broke: %s", bot.bot_id, failure.code)
            raw = f"{raw}\n\n{PROVIDER_FAILED_NOTE}" if raw else PROVIDER_FAILED_NOTE
        cited = cite(guard.check(raw) or LEAK_REFUSAL, bundle.numbered_sources, implied=page_hit)
        checked, sources = cited.text, build_sources(cited.products, cited.documents)
        status = "no_answer" if not retrieval.hits and not retrieval.doc_hits else "ok"
        if failure is not None:
            status = "error"
        offer = handoff.offer_after_failures(grounding, prepared.failed_before, status, sources)
        prepared.handoff_offered, checked = bool(offer), checked + offer  # streamed by finish
        for event in shown.finish(checked):
            yield event
        async for event in self._finish(
            prepared,
            question,
            checked,
            sources,
            started,
            status=status,
            usage=usage,
            model=run.model if usage is None else usage.model,
            query_vector=retrieval.query_vector,
        ):
            yield event

    async def _open_turn(
        self,
        question: Question,
        message: str,
        *,
        on_bot: Callable[[LoadedBot], None] | None = None,
    ) -> _Prepared:
        """The first transaction: the bot, its conversation, the message written and
        admitted against the plan. `on_bot`: called with the bot once it is loaded,
        before anything is written (a new conversation's search starts there unless the
        question's scope started it already, engine.answer_search). A refused message
        (`MessageQuotaExhausted`) raises inside the transaction, whose rollback takes back
        the message and a conversation opened for it: a refused shopper leaves nothing
        behind, not even an empty conversation in the merchant's list.

        The admission is the transaction's last statement on purpose: it locks the month's
        counter row until commit, and a tenant's concurrent messages queue on that lock
        (bench.quota measures it), so it is held for the commit alone."""
        async with self._db.tenant_session(question.tenant_id) as session:
            bot = await load_bot(
                session, question.tenant_id, question.bot_id, with_plan=self._enforce_quotas
            )
            chosen = self._models.choose(bot.bot_id, bot.config.llm, bot.llm_api_key_ciphertext)
            if bot.plan is not None and chosen.on_platform_key:
                # A model the plan no longer includes (set before a downgrade) is capped here,
                # on every answer, not only when the merchant next saves the bot.
                within = model_within_plan(bot.bot_id, bot.config.llm, bot.plan.limits)
                if within is not bot.config.llm:
                    bot = replace(bot, config=replace(bot.config, llm=within))
                    chosen = self._models.choose(bot.bot_id, within, bot.llm_api_key_ciphertext)
            provider, on_platform_key = chosen.provider, chosen.on_platform_key
            if on_bot is not None:
                on_bot(bot)
            # Stored masked, or not at all without the consent the bot asks for; the
            # message is admitted (counted) either way: it is answered either way. A retry
            # stores nothing and is not counted again.
            conversation_id, question_message_id, history = await conversations.record_question(
                session, question, bot_id=bot.bot_id, policy=bot.storage, message=message
            )
            if bot.plan is not None:  # enforce_quotas: loaded with the bot
                admitted = await admit_message(
                    session,
                    question.tenant_id,
                    bot.plan,
                    fallback=bot.fallback,
                    on_platform_key=on_platform_key,
                    counted=not (question.retry_of and question_message_id),
                )
                if admitted.over_token_budget:
                    provider, on_platform_key = OfflineGroundedAnswerer(), False
            # No turn before this one (a new conversation): no reply to have failed.
            failed_before = bool(history) and await handoff.last_reply_failed(
                session, question.tenant_id, conversation_id
            )
        prepared = (bot, conversation_id, question_message_id, history, provider, on_platform_key)
        mark_stage("open_turn")  # committed
        return _Prepared(*prepared, failed_before=failed_before)

    async def _answer_order(
        self, prepared: _Prepared, question: Question, started: float
    ) -> AsyncIterator[AnswerEvent]:
        """Not searched, embedded or clustered: the order's facts stay in this turn."""
        assert self._orders is not None
        result = OrderAnswer()
        async for event in answer_order(self._orders, self._db, prepared, question, result):
            yield event
        usage, status = result.usage, "error" if result.failed else "ok"
        model = usage.model if usage else prepared.provider.name
        text, sources = result.text, result.sources
        async for event in self._finish(
            prepared, question, text, sources, started, status=status, usage=usage, model=model
        ):
            yield event

    async def _finish(
        self,
        prepared: _Prepared,
        question: Question,
        answer: str,
        sources: list[dict[str, Any]],
        started: float,
        *,
        status: str,
        usage: StreamUsage | None = None,
        model: str | None = None,
        query_vector: list[float] | None = None,
    ) -> AsyncIterator[AnswerEvent]:
        """`query_vector`: what retrieval searched with, to cluster the question by (None:
        no retrieval ran, the question is not clustered)."""
        yield SourcesEvent(sources)
        message_id = None
        # Stored last: its analytics trigger holds the bot's quarter-hour row until commit.
        async with self._db.tenant_session(question.tenant_id) as session:
            await cluster_question(
                session,
                AskedQuestion(
                    tenant_id=question.tenant_id,
                    bot_id=prepared.bot.bot_id,
                    message_id=prepared.question_message_id,  # None: not stored, not clustered
                    visitor_id=question.visitor_id,
                    space=self._retriever.space,
                    vector=query_vector,
                    answered=is_answered(status, sources),
                ),
            )
            # The model's tokens are spend whether or not the turn is stored.
            if usage is not None and prepared.provider.generative:
                # Only a model's tokens are spend; the offline answerer's cost nothing.
                spend = AnswerSpend(
                    bot_id=prepared.bot.bot_id,
                    model=usage.model,
                    prompt_tokens=usage.prompt_tokens,
                    completion_tokens=usage.completion_tokens,
                    on_platform_key=prepared.on_platform_key,
                )
                await record_spend(session, question.tenant_id, spend)
            if prepared.conversation_id is not None and prepared.question_message_id:
                message_id = await conversations.add_answer(
                    session,
                    tenant_id=question.tenant_id,
                    conversation_id=prepared.conversation_id,
                    question_id=prepared.question_message_id,
                    content=prepared.bot.storage.stored_text(answer),
                    sources=sources,
                    status=status,
                    model=model,
                    latency_ms=int((time.perf_counter() - started) * 1000),
                    first_token_ms=int(usage.first_token_latency_s * 1000)
                    if usage and usage.first_token_latency_s is not None
                    else None,
                    prompt_tokens=usage.prompt_tokens if usage else None,
                    completion_tokens=usage.completion_tokens if usage else None,
                )
        yield DoneEvent(prepared.conversation_id, message_id, answer, prepared.handoff_offered)
