"""What the answer service emits, and what it is asked: the contract with the widget API.

The widget API turns these into SSE events (`token`, `replace`, `sources`, `done`,
`error`) or collects them into one JSON body; `shopbot ask` prints them. `QuestionStored`
is no event of the response: its ids go on an `error` that ends the answer early.

Only checked text is streamed: each `token` is a finished sentence (or clause) that passed
the guardrails (engine.streaming). The text shown is the `token` deltas appended in order,
where a `replace` sets it to its full text (a check that needed more of the answer took back
what was shown); at `done` it equals `done.answer`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from core.ids import BotId, TenantId
from engine.retrieval.settings import RetrievalSettings
from engine.types import PageContext


@dataclass(frozen=True, slots=True)
class SearchScope:
    """What a catalogue search needs of its bot: the store it searches, and how."""

    store_id: uuid.UUID | None
    retrieval: RetrievalSettings


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    tenant_id: TenantId
    bot_id: BotId
    message: str
    conversation_id: uuid.UUID | None = None
    page: PageContext | None = None
    visitor_id: str | None = None
    # The shopper's answer to the bot's consent question (core.privacy.consent): a bot that
    # requires consent stores the turn only when this is True.
    consent: bool | None = None
    # A retry of an interrupted answer: the id of this conversation's stored, unanswered
    # question (`message` is its text), answered instead of storing the message again
    # (engine.question_retry).
    retry_of: uuid.UUID | None = None
    # The bot's search scope as the caller read it for this request (the widget session's
    # policy read): a question that opens a conversation is searched with it from the
    # start, beside the turn's first transaction (engine.answer_search). None: searched
    # once that transaction has loaded the bot.
    scope: SearchScope | None = None


@dataclass(frozen=True, slots=True)
class QuestionStored:
    """The shopper's message is committed in its conversation (first, before anything is
    searched or generated). Not an SSE event of its own: the widget API keeps the ids and
    puts them on an `error` that interrupts the answer, so the client's retry continues
    this conversation and names this message (`retry_of`) instead of asking again."""

    conversation_id: uuid.UUID
    message_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class TokenEvent:
    """Checked text to append to what is shown."""

    delta: str


@dataclass(frozen=True, slots=True)
class ReplaceEvent:
    """Checked text that replaces everything shown so far."""

    text: str


@dataclass(frozen=True, slots=True)
class SourcesEvent:
    sources: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class DoneEvent:
    """`answer` is the final, guardrail-checked text: what the stream showed, in full.
    The ids are None when the turn was not stored (no consent where the bot requires it).
    `handoff_offered`: the answer offers a person from the store (engine.handoff); the
    widget then shows the hand-off form."""

    conversation_id: uuid.UUID | None
    message_id: uuid.UUID | None
    answer: str
    handoff_offered: bool = False


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    code: str
    detail: str


AnswerEvent = QuestionStored | TokenEvent | ReplaceEvent | SourcesEvent | DoneEvent | ErrorEvent


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """The JSON body of `POST /widget/v1/chat` (and `shopbot ask --json`); ids are None
    when the turn was not stored."""

    conversation_id: uuid.UUID | None
    message_id: uuid.UUID | None
    answer: str
    sources: list[dict[str, Any]]
    handoff_offered: bool = False

    @classmethod
    def of(cls, done: DoneEvent, sources: list[dict[str, Any]]) -> AnswerResult:
        return cls(
            done.conversation_id, done.message_id, done.answer, sources, done.handoff_offered
        )

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "conversation_id": _text_or_none(self.conversation_id),
            "message_id": _text_or_none(self.message_id),
            "answer": self.answer,
            "sources": self.sources,
        }
        return body | handoff_json(self.handoff_offered)


def handoff_json(offered: bool) -> dict[str, Any]:
    """The `handoff` member of the chat body and of the `done` event: present only when the
    answer offers a hand-off, so clients that predate it see the body they always did."""
    return {"handoff": {"offered": True}} if offered else {}


def _text_or_none(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None
