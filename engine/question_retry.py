"""A retried question: answering a shopper's message that is already stored.

The shopper's message is committed before anything is searched or generated
(engine.answer), so an answer interrupted after that (the server shutting down, the model or
the database failing) leaves the question in its conversation without a reply. The error
that ends such an answer carries the conversation's and the message's ids (the widget API's
`error` event and 503 problem); the client's retry names the message (`retry_of`) and its
conversation, and the turn answers that message instead of storing the question twice.

A question can be retried while it is its conversation's last message: once anything
follows it (its answer, a later question, a reply from the store) a retry is a conflict
(409 `retry_conflict`), as is a retry whose text is not the stored question's. A message
id that is not a question of this conversation (another conversation's, another tenant's,
an answer's) is a 404, like an unknown conversation.
"""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from core.ids import TenantId
from core.models import Message
from core.models.conversation import MessageRole


class RetryConflict(Conflict):
    code = "retry_conflict"
    title = "The message cannot be retried"


async def retried_question(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    stored_text: str,
) -> Message:
    """The stored question `message_id` of the conversation, still unanswered and with the
    text the retry asks (`stored_text`: the retry's message as it would be stored, masked).
    The caller holds the conversation's row lock (engine.conversation.open_conversation)."""
    question = await session.scalar(
        select(Message).where(
            Message.id == message_id,
            Message.tenant_id == tenant_id,
            Message.conversation_id == conversation_id,
            Message.role == MessageRole.USER,
        )
    )
    if question is None:
        raise NotFound("message not found")
    # Each turn's messages are written by their own transactions, so anything written after
    # the question has a later `created_at`; an equal one counts as later to be safe.
    followed = await session.scalar(
        select(
            exists().where(
                Message.tenant_id == tenant_id,
                Message.conversation_id == conversation_id,
                Message.id != question.id,
                Message.created_at >= question.created_at,
            )
        )
    )
    if followed:
        raise RetryConflict("The message was already answered or the conversation went on.")
    if question.content != stored_text:
        raise RetryConflict("The message is not the question it retries.")
    return question
