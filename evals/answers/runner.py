"""Asks every turn of a suite through the widget's chat path and records what came back.

One widget session per conversation (`POST /widget/v1/sessions` with the bot's key and an
Origin it allows), then each turn in order through the JSON chat path
(`POST /widget/v1/chat`, the conversation id carried from the previous answer, the page
context when the turn has one). The client is any `httpx.AsyncClient` bound to the app: the
eval command drives the app in process with httpx.ASGITransport, so the latency measured
is the request's wall time as the shopper would wait for it, minus the network.

Per turn the runner also reads the stored assistant message in the eval tenant's session
(status, tokens, model; as the dashboard would), prices the tokens with the platform's
price table, and reads the engine's trace (engine.answer_trace) for the rewritten query,
the ranked evidence and the prompt. It then scores the turn (evals.answers.metrics) and, with
a judge, asks it too.

Turns run one after another: answers depend on the conversation so far, and a sequential
run gives the same numbers every time. A turn that fails over HTTP is recorded with status
"http_<code>" and scored as it is (an empty answer, no cards): a failing turn costs its
metrics, it never aborts the run.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from core.billing.prices import price_of
from core.db.database import Database
from core.ids import TenantId
from core.models import Message
from engine.answer_trace import ANSWER_TRACE, AnswerTrace
from evals.answers.judge import Complete, judge_turn
from evals.answers.metrics import score_turn
from evals.answers.records import (
    Catalogue,
    Conversation,
    RetrievedItem,
    Suite,
    Turn,
    TurnResult,
)

SESSIONS_PATH = "/widget/v1/sessions"
CHAT_PATH = "/widget/v1/chat"
TurnDone = Callable[[TurnResult], None]


@dataclass(frozen=True, slots=True)
class WidgetAccess:
    """How the runner reaches the bot: a client bound to the app, the bot's public widget
    key and an Origin the bot allows."""

    http: httpx.AsyncClient
    widget_key: str
    origin: str


@dataclass(frozen=True, slots=True)
class EvalTenant:
    db: Database
    tenant_id: TenantId


@dataclass(frozen=True, slots=True)
class _Stored:
    status: str
    prompt_tokens: int | None
    completion_tokens: int | None
    model: str | None


async def run_suite(
    suite: Suite,
    access: WidgetAccess,
    tenant: EvalTenant,
    catalogue: Catalogue,
    *,
    judge: Complete | None = None,
    on_turn: TurnDone | None = None,
    conversations: list[Conversation] | None = None,
) -> list[TurnResult]:
    """Every turn of `conversations` (default: the suite's), in order, scored."""
    results: list[TurnResult] = []
    for conversation in suite.conversations if conversations is None else conversations:
        results.extend(
            await run_conversation(
                conversation, access, tenant, catalogue, judge=judge, on_turn=on_turn
            )
        )
    return results


async def run_conversation(
    conversation: Conversation,
    access: WidgetAccess,
    tenant: EvalTenant,
    catalogue: Catalogue,
    *,
    judge: Complete | None = None,
    on_turn: TurnDone | None = None,
) -> list[TurnResult]:
    headers = {"Origin": access.origin}
    opened = await access.http.post(
        SESSIONS_PATH, json={"widget_key": access.widget_key}, headers=headers
    )
    opened.raise_for_status()  # the eval's own bot refusing it is a set-up error, not a turn's
    headers["Authorization"] = f"Bearer {opened.json()['session_token']}"
    conversation_id: str | None = None
    results = []
    for index, turn in enumerate(conversation.turns):
        asked = await _ask(access.http, headers, conversation.id, index, turn, conversation_id)
        # A failed turn keeps the conversation going where the last answer left it.
        conversation_id = asked.conversation_id or conversation_id
        turn_result = await _finish(asked, tenant)
        turn_result.scores = dict(score_turn(turn, turn_result, catalogue))
        if judge is not None:
            turn_result.judge = await judge_turn(judge, turn, turn_result, catalogue)
            score = (turn_result.judge or {}).get("score")
            if isinstance(score, int | float):
                turn_result.scores["judge"] = float(score)
        results.append(turn_result)
        if on_turn is not None:
            on_turn(turn_result)
    return results


@dataclass(slots=True)
class _Asked:
    result: TurnResult
    conversation_id: str | None
    message_id: str | None


def _body(turn: Turn, conversation_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": turn.message}
    if conversation_id is not None:
        body["conversation_id"] = conversation_id
    if turn.page_product is not None or turn.page_url is not None:
        body["page"] = {"product_id": turn.page_product, "url": turn.page_url}
    return body


async def _ask(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    conversation: str,
    index: int,
    turn: Turn,
    conversation_id: str | None,
) -> _Asked:
    trace = AnswerTrace()
    token = ANSWER_TRACE.set(trace)  # the in-process app and its answer task see this object
    started = time.perf_counter()
    try:
        response = await http.post(CHAT_PATH, json=_body(turn, conversation_id), headers=headers)
    finally:
        ANSWER_TRACE.reset(token)
    latency_ms = (time.perf_counter() - started) * 1000
    body = response.json() if response.status_code == 200 else {}
    sources = body.get("sources") or []
    result = TurnResult(
        conversation=conversation,
        index=index,
        message=turn.message,
        tags=[str(tag) for tag in turn.tags],
        answer=str(body.get("answer") or ""),
        cards=[str(s["external_id"]) for s in sources if "external_id" in s],
        documents=[str(s["title"]) for s in sources if "document_id" in s],
        status="ok" if response.status_code == 200 else f"http_{response.status_code}",
        latency_ms=round(latency_ms, 3),
        prompt_tokens=None,
        completion_tokens=None,
        cost_usd=None,
        model=trace.provider,
        rewritten_query=trace.rewritten_query,
        retrieved=_retrieved(trace),
        prompt=list(trace.prompt),
    )
    return _Asked(result, body.get("conversation_id"), body.get("message_id"))


def _retrieved(trace: AnswerTrace) -> list[RetrievedItem]:
    products = [RetrievedItem("product", p.external_id, p.score, p.text) for p in trace.products]
    documents = [RetrievedItem("document", d.title, d.score, d.text) for d in trace.documents]
    return products + documents


async def _finish(asked: _Asked, tenant: EvalTenant) -> TurnResult:
    """The stored message's status, tokens and model, and the tokens' cost."""
    result = asked.result
    if asked.message_id is None:
        return result
    stored = await _stored_message(tenant, uuid.UUID(asked.message_id))
    if stored is None:
        return result
    result.status = stored.status
    result.prompt_tokens = stored.prompt_tokens
    result.completion_tokens = stored.completion_tokens
    result.model = stored.model or result.model
    result.cost_usd = cost_usd(stored.model, stored.prompt_tokens, stored.completion_tokens)
    return result


async def _stored_message(tenant: EvalTenant, message_id: uuid.UUID) -> _Stored | None:
    async with tenant.db.tenant_session(tenant.tenant_id) as session:
        row = (
            await session.execute(
                select(
                    Message.status,
                    Message.prompt_tokens,
                    Message.completion_tokens,
                    Message.model,
                ).where(Message.id == message_id)
            )
        ).first()
    if row is None:
        return None
    return _Stored(row.status, row.prompt_tokens, row.completion_tokens, row.model)


def cost_usd(
    model: str | None, prompt_tokens: int | None, completion_tokens: int | None
) -> float | None:
    """What the tokens cost at the platform's price table; 0 for the offline answerer (it
    calls no model); None when the tokens or the model's price are unknown."""
    if model is None or prompt_tokens is None or completion_tokens is None:
        return None
    if model.startswith("offline"):
        return 0.0
    price = price_of(model)
    if price is None:
        return None
    return round(
        (prompt_tokens * price.input_per_million + completion_tokens * price.output_per_million)
        / 1_000_000,
        8,
    )
