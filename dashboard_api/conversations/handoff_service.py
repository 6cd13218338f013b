"""The merchant's side of a hand-off (core.handoff): see who asked and where to write, reply
(stored as a `merchant` message the shopper's open widget fetches, else emailed after
`REPLY_EMAIL_DELAY`), and close it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from core.background.queue import jobs_of
from core.crypto import SecretBox
from core.errors import Conflict
from core.handoff.replies import HandoffMail, reply_email_job
from core.ids import TenantId
from core.models import Conversation
from core.models.conversation import HandoffState, MessageRole
from core.privacy.masking import mask_personal_data
from dashboard_api.audit_log.service import record_by
from dashboard_api.auth.context import MerchantContext
from dashboard_api.conversations import handoff_repository as repository
from dashboard_api.conversations.schemas import ConversationOut, HandoffOut, MessageOut
from dashboard_api.conversations.service import message_out
from dashboard_api.errors import found
from engine.conversation import add_message
from web.client import ClientInfo


def handoff_out(conversation: Conversation, secret_box: SecretBox | None) -> HandoffOut | None:
    if conversation.handoff_state is None:
        return None
    ciphertext = conversation.handoff_email_ciphertext
    return HandoffOut(
        state=HandoffState(conversation.handoff_state),
        requested_at=conversation.handoff_requested_at,
        closed_at=conversation.handoff_closed_at,
        email=secret_box.decrypt(ciphertext) if secret_box and ciphertext else None,
        note=conversation.handoff_note,
    )


async def with_handoff(
    session: AsyncSession,
    tenant_id: TenantId,
    conversation: ConversationOut,
    secret_box: SecretBox | None,
) -> ConversationOut:
    row = await repository.handoff_of(session, tenant_id, conversation.id)
    if row is None:
        return conversation
    return conversation.model_copy(update={"handoff": handoff_out(row, secret_box)})


async def reply(
    session: AsyncSession,
    context: MerchantContext,
    conversation_id: uuid.UUID,
    text: str,
    *,
    mail: HandoffMail,
    client: ClientInfo,
) -> MessageOut:
    """Store the reply and, after the commit, schedule its email for a shopper whose widget
    does not fetch it in time. Only a conversation whose shopper asked for a person can be
    replied to (they left the address the reply may go to); a closed one is reopened by the
    shopper, not by the merchant."""
    conversation = found(
        await repository.conversation_for_update(session, context.tenant_id, conversation_id),
        "conversation",
    )
    if conversation.handoff_state != HandoffState.OPEN:
        raise Conflict("The shopper has no open hand-off request in this conversation.")
    message = await add_message(
        session,
        tenant_id=context.tenant_id,
        conversation_id=conversation.id,
        role=MessageRole.MERCHANT,
        # The merchant's own words; a card number pasted by mistake is still masked.
        content=mask_personal_data(text, keep_contacts=True),
    )
    await record_by(
        session,
        context,
        "conversation.replied",
        client=client,
        target_type="conversation",
        target_id=conversation.id,
        details={"message_id": str(message.id), "chars": len(text)},
    )
    await session.refresh(message)
    jobs_of(session).enqueue(
        "handoff.reply_email", reply_email_job(mail, context.tenant_id, message.id)
    )
    return message_out(message, None)


async def close(
    session: AsyncSession, context: MerchantContext, conversation_id: uuid.UUID, client: ClientInfo
) -> None:
    conversation = found(
        await repository.conversation_for_update(session, context.tenant_id, conversation_id),
        "conversation",
    )
    if conversation.handoff_state is None:
        raise Conflict("The shopper did not ask for a person in this conversation.")
    await repository.close_handoff(session, context.tenant_id, conversation.id)
    await record_by(
        session,
        context,
        "conversation.handoff_closed",
        client=client,
        target_type="conversation",
        target_id=conversation.id,
    )
