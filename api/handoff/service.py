"""A shopper asks for a person: the conversation is flagged with their email (encrypted),
the merchant is emailed after the commit; the open widget polls for the merchant's replies."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.handoff import repository
from api.handoff.schemas import HandoffRequest, HandoffStatus, RepliesPage, ReplyOut
from api.sessions.auth import WidgetSessionContext
from core.background.queue import jobs_of
from core.crypto import SecretBox
from core.email import EmailSender, send_quietly
from core.errors import NotFound
from core.handoff.notices import merchant_notice, store_contact
from core.models import Conversation
from core.privacy.masking import mask_personal_data

# How often the widget asks while a hand-off is open (the endpoint's rate limit allows it).
POLL_EVERY_S = 10


async def _own_conversation(
    session: AsyncSession,
    widget: WidgetSessionContext,
    conversation_id: uuid.UUID,
    *,
    lock: bool = False,
) -> Conversation:
    conversation = await repository.visitors_conversation(
        session, widget.tenant_id, widget.bot_id, widget.visitor_id, conversation_id, lock=lock
    )
    if conversation is None:
        # Another visitor's conversation looks exactly like one that does not exist.
        raise NotFound("No such conversation.")
    return conversation


async def request_handoff(
    session: AsyncSession,
    widget: WidgetSessionContext,
    body: HandoffRequest,
    *,
    secret_box: SecretBox,
    sender: EmailSender,
    dashboard_url: str,
) -> HandoffStatus:
    """Flag the conversation (a second request replaces the email and note and reopens it)
    and, after the commit, email the merchant. `session` must be a unit of work opened with
    `sending_jobs_after_commit`."""
    conversation = await _own_conversation(session, widget, body.conversation_id, lock=True)
    # The note is stored like a shopper's message: card numbers and contacts masked.
    note = mask_personal_data(body.message) if body.message else None
    requested_at = await repository.flag_requested(
        session,
        conversation,
        email_ciphertext=secret_box.encrypt(str(body.email)),
        note=note,
    )
    contact = await store_contact(session, widget.tenant_id)
    notice = merchant_notice(
        contact, conversation_id=conversation.id, dashboard_url=dashboard_url, note=note
    )
    if notice is not None:

        async def send() -> None:
            await send_quietly(sender, notice)

        jobs_of(session).enqueue("handoff.merchant_notice", send)
    return HandoffStatus(conversation_id=conversation.id, state="open", requested_at=requested_at)


async def replies(
    session: AsyncSession,
    widget: WidgetSessionContext,
    conversation_id: uuid.UUID,
    after: datetime | None,
) -> RepliesPage:
    """The merchant's replies after `after`, marked seen (no email will follow for them)."""
    conversation = await _own_conversation(session, widget, conversation_id)
    found = await repository.replies_after(session, widget.tenant_id, conversation.id, after)
    await repository.mark_seen(
        session, widget.tenant_id, [m.id for m in found if m.seen_at is None]
    )
    return RepliesPage(
        state=conversation.handoff_state,
        messages=[ReplyOut(id=m.id, content=m.content, created_at=m.created_at) for m in found],
        poll_after_s=POLL_EVERY_S,
    )
