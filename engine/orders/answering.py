"""An order turn's answer events: the offline reply, or the model with its `lookup_order`
tool, both shown through the usual checks. engine.answer calls `answer_order` for a turn
that `intent.order_query` says is about an order, instead of searching the catalogue.

The model reads the bot's system prompt, the conversation and this message (no products:
none were searched for), plus one system message saying how to use the tool. What it says
goes through the same guardrails as any answer. The order facts carry no price, so the
price and stock checks have nothing of the order's to correct; item names and tracking
notes are not facts those checks own (tests/engine/test_order_answers.py shows them
passing unchanged). Should the model fail before its first word, the offline reply is
given instead (the catalogue answerer would only say that nothing matches).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.db.database import Database
from core.errors import AppError
from engine.answer_events import AnswerEvent, Question, TokenEvent
from engine.answer_inputs import answer_language_for
from engine.bot_config import LoadedBot
from engine.guardrails import LEAK_REFUSAL, AnswerGuard
from engine.llm.base import LLMProvider, StreamFailure, StreamUsage, TextDelta
from engine.orders.desk import OrderDesk, OrderTurn, describe, model_instructions
from engine.orders.intent import OrderQuery
from engine.orders.lookup import LookupOutcome, OrderFacts
from engine.orders.repository import ordered_products
from engine.orders.tools import OrderTools
from engine.prompts import build_messages
from engine.prompts.system_prompt import quotable_texts
from engine.streaming import CheckedStream
from engine.types import Turn, build_sources

log = logging.getLogger(__name__)


@dataclass(slots=True)
class OrderAnswer:
    """What an order turn leaves besides the events shown."""

    text: str = ""
    usage: StreamUsage | None = None
    failed: bool = False
    found: OrderFacts | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)


def order_turn(
    question: Question, bot: LoadedBot, conversation_id: uuid.UUID | None, language: str
) -> OrderTurn:
    """The limits count a visitor's failures across their conversations; without a visitor
    id, the conversation's (a turn without either shares the bot's anonymous count).
    `language`: the answer's (engine.answer_inputs.answer_language_for)."""
    shopper = question.visitor_id or (f"c:{conversation_id}" if conversation_id else "anonymous")
    return OrderTurn(
        tenant_id=question.tenant_id,
        bot_id=str(bot.bot_id),
        store_id=bot.store_id,
        shopper=shopper,
        language=language,
        support_email=bot.profile.support_email,
    )


class OrderTurnState(Protocol):
    """What engine.answer prepared for the turn (its `_Prepared`)."""

    bot: LoadedBot
    conversation_id: uuid.UUID | None
    history: list[Turn]
    provider: LLMProvider
    order: OrderQuery | None


async def answer_order(
    desk: OrderDesk,
    db: Database,
    prepared: OrderTurnState,
    question: Question,
    result: OrderAnswer,
) -> AsyncIterator[AnswerEvent]:
    """The events of an order turn's answer; its text, usage, failure and the cards of the
    ordered products it names go to `result`."""
    assert prepared.order is not None
    language = answer_language_for(prepared.bot, question.message, prepared.history).reply
    turn = order_turn(question, prepared.bot, prepared.conversation_id, language)
    if not prepared.provider.generative:
        result.text = await _offline(desk, turn, prepared.order, result)
        yield TokenEvent(result.text)
    else:
        async for event in _with_model(desk, turn, prepared, question, result):
            yield event
    if result.found is not None:
        async with db.tenant_session(question.tenant_id) as session:
            hits = await ordered_products(
                session,
                question.tenant_id,
                prepared.bot.store_id,
                [i.product_id for i in result.found.items if i.product_id],
            )
        result.sources = build_sources([h for h in hits if h.title in result.text])


async def _offline(desk: OrderDesk, turn: OrderTurn, query: OrderQuery, result: OrderAnswer) -> str:
    reply = await desk.reply(turn, query)
    if isinstance(reply, str):
        return reply
    result.found = reply.facts if reply.outcome is LookupOutcome.FOUND else None
    return describe(reply, turn)


async def _with_model(
    desk: OrderDesk,
    turn: OrderTurn,
    prepared: OrderTurnState,
    question: Question,
    result: OrderAnswer,
) -> AsyncIterator[AnswerEvent]:
    bot, provider, history = prepared.bot, prepared.provider, prepared.history
    assert prepared.order is not None
    message = question.message.strip()
    bundle = build_messages(
        bot.profile,
        bot.config,
        message,
        [],
        [],
        question.page,
        history,
        model=bot.config.llm.model,
        max_prompt_tokens=bot.config.max_prompt_tokens,
    )
    messages = list(bundle.messages)
    messages.insert(1, {"role": "system", "content": model_instructions(turn)})
    guard = AnswerGuard(
        (),
        currency=bot.profile.currency,
        policies_text=bot.profile.policies_text,
        question=message,
        system_prompt=bundle.system_prompt,
        public_text="\n".join(quotable_texts(bot.profile, bot.config)),
    )
    shown = CheckedStream(guard.check, settled=guard.settled, prompt_like=guard.prompt_like)
    tools = OrderTools(desk, turn, message)
    pieces: list[str] = []
    try:
        async for delta in provider.stream(messages, bot.config.llm, tools=tools):
            if isinstance(delta, TextDelta):
                pieces.append(delta.text)
                for event in shown.feed(delta.text):
                    yield event
            elif isinstance(delta, StreamUsage):
                result.usage = delta
            elif isinstance(delta, StreamFailure):
                result.failed = True
    except AppError as exc:
        log.error("LLM provider %s failed for bot %s: %s", provider.name, bot.bot_id, exc.code)
        pieces = [await _offline(desk, turn, prepared.order, result)]
    result.found = result.found or tools.found
    result.text = guard.check("".join(pieces).strip()) or LEAK_REFUSAL
    for event in shown.finish(result.text):
        yield event
