"""Conversations and their messages: the only SQL the answer service runs besides retrieval.

What is stored follows the bot's `StoragePolicy`:
- Minimisation: every stored message passes `core.privacy.masking` (card numbers always;
  e-mail addresses and phone numbers unless the bot keeps contact details). The model
  still reads the shopper's own words for the turn being answered (so "mail me at ..." can
  be answered); the history it reads back for later turns is what was stored, masked.
- Consent: a bot that requires it stores a turn only when the shopper said yes; otherwise
  the turn has no conversation (`record_question` returns None and no history), and the
  answer is not stored either.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, Table, exists, func, select, update
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.ids import BotId, TenantId, new_id
from core.models import Conversation, Message
from core.models.conversation import MessageRole
from core.privacy.consent import stores_conversation
from core.privacy.masking import mask_personal_data
from engine.answer_events import Question
from engine.question_retry import retried_question
from engine.types import Turn

log = logging.getLogger(__name__)

HISTORY_TURNS = 12


@dataclass(frozen=True, slots=True)
class StoragePolicy:
    """A bot's privacy settings (`bots.mask_contact_details`, `bots.consent_required`)."""

    mask_contact_details: bool = True
    consent_required: bool = False

    def stores(self, consent: bool | None) -> bool:
        return stores_conversation(consent_required=self.consent_required, consent=consent)

    def stored_text(self, text: str) -> str:
        return mask_personal_data(text, keep_contacts=not self.mask_contact_details)


async def open_conversation(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    bot_id: BotId,
    conversation_id: uuid.UUID | None,
    visitor_id: str | None,
    page_url: str | None,
) -> uuid.UUID:
    """The id of the shopper's conversation with this bot, opened when `conversation_id` is
    None; another bot's or tenant's id is a 404.

    An existing conversation's row is locked for the rest of the transaction (which writes
    to it anyway): the retention purge skips a locked row, so a conversation a shopper is
    returning to is never deleted under them; one the purge holds first is gone (a 404).

    Plain statements, not the ORM's unit of work: this runs in every answer's first
    transaction, where a flush cost more CPU than the statement it sends."""
    if conversation_id is None:
        opened = new_id()
        await session.execute(
            insert(Conversation).values(
                id=opened,
                tenant_id=tenant_id,
                bot_id=bot_id,
                visitor_id=visitor_id,
                page_url=page_url,
            )
        )
        return opened
    found = (
        await session.execute(
            select(Conversation.visitor_id)
            .where(
                Conversation.id == conversation_id,
                Conversation.tenant_id == tenant_id,
                Conversation.bot_id == bot_id,
            )
            .with_for_update(key_share=True)  # FOR NO KEY UPDATE
        )
    ).first()
    if found is None or (visitor_id and found.visitor_id not in (None, visitor_id)):
        raise NotFound("conversation not found")
    return conversation_id


async def history(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    conversation_id: uuid.UUID,
    limit: int = HISTORY_TURNS,
) -> list[Turn]:
    """The conversation's last `limit` turns, oldest first; an assistant turn carries the
    products it showed (its stored product sources, in order), which follow-ups act on."""
    rows = (
        await session.execute(
            select(Message.role, Message.content, Message.sources)
            .where(
                Message.tenant_id == tenant_id,
                Message.conversation_id == conversation_id,
                # A merchant's reply to a hand-off is between two people, not the bot's turn.
                Message.role != MessageRole.MERCHANT,
            )
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(limit)
        )
    ).all()
    return [
        Turn("assistant", content, shown_products(sources))
        if role == "assistant"
        else Turn("user", content)
        for role, content, sources in reversed(rows)
    ]


def shown_products(sources: Any) -> tuple[str, ...]:
    """The store ids of the products among an answer's stored sources, in the order shown
    (documents carry no `external_id`; a malformed row shows nothing rather than failing
    the shopper's next question)."""
    if not isinstance(sources, list):
        return ()
    ids = (
        str(source["external_id"])
        for source in sources
        if isinstance(source, dict) and source.get("product_id") and source.get("external_id")
    )
    return tuple(dict.fromkeys(ids))


async def record_question(
    session: AsyncSession,
    question: Question,
    *,
    bot_id: BotId,
    policy: StoragePolicy,
    message: str,
) -> tuple[uuid.UUID | None, uuid.UUID | None, list[Turn]]:
    """The shopper's message stored (masked) in their conversation, opened if new: the
    conversation's id, the message's id and the history before it. A retry
    (`question.retry_of`) stores nothing: its question is the one already stored
    (engine.question_retry). Not stored without the consent the bot requires: (None, None,
    []), and the client's `conversation_id` and `retry_of` are not read either."""
    if not policy.stores(question.consent):
        return None, None, []
    page_url = question.page.url if question.page else None
    if question.conversation_id is None and question.retry_of is None:
        return await _open_with_question(session, question, bot_id, page_url, policy, message)
    conversation_id = await open_conversation(
        session,
        tenant_id=question.tenant_id,
        bot_id=bot_id,
        conversation_id=question.conversation_id,
        visitor_id=question.visitor_id,
        page_url=page_url,
    )
    if question.retry_of is not None:
        retried = await retried_question(
            session,
            tenant_id=question.tenant_id,
            conversation_id=conversation_id,
            message_id=question.retry_of,
            stored_text=policy.stored_text(message),
        )
        # The question is the conversation's last message: the turns before it.
        turns = await history(
            session,
            tenant_id=question.tenant_id,
            conversation_id=conversation_id,
            limit=HISTORY_TURNS + 1,
        )
        return conversation_id, retried.id, turns[:-1]
    turns = await history(session, tenant_id=question.tenant_id, conversation_id=conversation_id)
    question_id = new_id()
    stored = await session.scalar(
        _counted(
            insert(_MESSAGES).values(
                id=question_id,
                tenant_id=question.tenant_id,
                conversation_id=conversation_id,
                role=MessageRole.USER.value,
                content=policy.stored_text(message),
            ),
            question.tenant_id,
            conversation_id,
        )
    )
    assert stored == question_id
    return conversation_id, question_id, turns


async def _open_with_question(
    session: AsyncSession,
    question: Question,
    bot_id: BotId,
    page_url: str | None,
    policy: StoragePolicy,
    message: str,
) -> tuple[uuid.UUID, uuid.UUID, list[Turn]]:
    """A new conversation and its first message in one statement, one round trip (every
    answer that opens a conversation runs it in its first transaction). The conversation
    is inserted already counting its message: one part of a statement cannot update a row
    another part inserts. Nothing before the message to read: no history."""
    conversation_id, question_id = new_id(), new_id()
    opened = (
        insert(_CONVERSATIONS)
        .values(
            id=conversation_id,
            tenant_id=question.tenant_id,
            bot_id=bot_id,
            visitor_id=question.visitor_id,
            page_url=page_url,
            message_count=1,
            last_message_at=func.now(),
        )
        .returning(_CONVERSATIONS.c.id)
        .cte("opened")
    )
    stored = (
        insert(_MESSAGES)
        .values(
            id=question_id,
            tenant_id=question.tenant_id,
            conversation_id=select(opened.c.id).scalar_subquery(),
            role=MessageRole.USER.value,
            content=policy.stored_text(message),
        )
        .returning(_MESSAGES.c.id)
        .cte("stored")
    )
    inserted = await session.scalar(select(stored.c.id))
    assert inserted == question_id
    return conversation_id, question_id, []


async def add_message(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    conversation_id: uuid.UUID,
    role: str,
    content: str,
    **fields: Any,
) -> Message:
    """Store `content` as given: callers pass text already through `StoragePolicy`."""
    message = Message(
        tenant_id=tenant_id, conversation_id=conversation_id, role=role, content=content, **fields
    )
    session.add(message)
    await session.flush()
    await _count_message(session, tenant_id, conversation_id)
    return message


async def add_answer(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    conversation_id: uuid.UUID,
    question_id: uuid.UUID,
    content: str,
    **fields: Any,
) -> uuid.UUID | None:
    """The bot's answer to the stored question `question_id`, stored unless the question
    already has one: its id, or None when another request answered the question first (a
    retry beside the answer it retries, alembic 0017). The losing insert waits for the
    winner's transaction and then does nothing: no second answer, no count."""
    stored: uuid.UUID | None = await session.scalar(
        _counted(
            insert(_MESSAGES)
            .values(
                id=new_id(),
                tenant_id=tenant_id,
                conversation_id=conversation_id,
                role=MessageRole.ASSISTANT.value,
                question_id=question_id,
                content=content,
                **fields,
            )
            .on_conflict_do_nothing(
                index_elements=[Message.tenant_id, Message.question_id],
                index_where=Message.question_id.is_not(None),
            ),
            tenant_id,
            conversation_id,
        )
    )
    if stored is None:
        log.warning(
            "question %s of conversation %s was answered by another request first;"
            " this answer was shown, not stored",
            question_id,
            conversation_id,
        )
    return stored


_MESSAGES, _CONVERSATIONS = cast(Table, Message.__table__), cast(Table, Conversation.__table__)


def _counted(
    stored: Insert, tenant_id: TenantId, conversation_id: uuid.UUID
) -> Select[*tuple[Any, ...]]:
    """`stored` (an insert of one message) and the conversation's count in one statement,
    one round trip: the new message's id, or None when the insert did nothing (then
    nothing is counted). Core tables, not the ORM's entities: nothing to synchronise."""
    inserted = stored.returning(_MESSAGES.c.id).cte("stored")
    counted = (
        update(_CONVERSATIONS)
        .where(
            _CONVERSATIONS.c.id == conversation_id,
            _CONVERSATIONS.c.tenant_id == tenant_id,
            exists(select(inserted.c.id)),
        )
        .values(last_message_at=func.now(), message_count=_CONVERSATIONS.c.message_count + 1)
        .cte("counted")
    )
    return select(inserted.c.id).add_cte(counted)


async def _count_message(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID
) -> None:
    await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.tenant_id == tenant_id)
        .values(last_message_at=func.now(), message_count=Conversation.message_count + 1)
        # No loaded Conversation to bring up to date: the ORM's search for one is CPU alone.
        .execution_options(synchronize_session=False)
    )
