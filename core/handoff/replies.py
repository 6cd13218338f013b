"""A merchant's reply reaches the shopper: the open widget fetches it (and marks it seen),
and a reply still unseen `REPLY_EMAIL_DELAY` after it was written is emailed to the
shopper's hand-off address, once.

The delay is an after-commit job (core.background.queue) sent with a countdown: with a
broker, Celery's `handoff.reply_email` task (`apply_async(countdown=...)`, registered by
`shopbot worker` through core.handoff.tasks); without one (the embedded default), a task on
this process's event loop that sleeps the delay (lost if the process stops first: the
embedded server is for development and demos). Either way the email is claimed in a
transaction (`emailed_at` set under `FOR UPDATE SKIP LOCKED`) before it is sent, so it is
sent at most once, and never for a reply the widget fetched first.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update

from core.background.celery_app import celery_app
from core.background.queue import Send
from core.background.queues import TaskQueue
from core.crypto import SecretBox
from core.db.database import Database
from core.email import EmailSender, send_quietly
from core.handoff.notices import shopper_reply_email, store_contact
from core.ids import TenantId
from core.models import Conversation, Message
from core.models.conversation import MessageRole

log = logging.getLogger(__name__)

REPLY_EMAIL_DELAY = timedelta(minutes=5)
REPLY_EMAIL_TASK = "handoff.reply_email"

# In-process delayed jobs, kept referenced until they finish (the loop holds only weak ones).
_PENDING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class HandoffMail:
    """What the hand-off emails need: the database, the key that opens the shopper's
    address, the sender, and how long a reply waits for the widget before it is emailed."""

    db: Database
    secret_box: SecretBox
    sender: EmailSender
    reply_email_delay: timedelta = REPLY_EMAIL_DELAY


async def email_unseen_reply(mail: HandoffMail, tenant_id: TenantId, message_id: uuid.UUID) -> bool:
    """Email the merchant reply `message_id` to the shopper unless the widget fetched it or
    it was emailed already. True when an email was sent."""
    async with mail.db.tenant_session(tenant_id) as session:
        row = (
            await session.execute(
                select(Message.id, Message.content, Conversation.handoff_email_ciphertext)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(
                    Message.tenant_id == tenant_id,
                    Message.id == message_id,
                    Message.role == MessageRole.MERCHANT,
                    Message.seen_at.is_(None),
                    Message.emailed_at.is_(None),
                    Conversation.handoff_email_ciphertext.is_not(None),
                )
                .with_for_update(of=Message, skip_locked=True)
            )
        ).first()
        if row is None:
            return False
        await session.execute(
            update(Message)
            .where(Message.tenant_id == tenant_id, Message.id == message_id)
            .values(emailed_at=func.now())
        )
        contact = await store_contact(session, tenant_id)
        to = mail.secret_box.decrypt(row.handoff_email_ciphertext)
    # Claimed and committed: a second run finds it emailed. The address is never logged.
    email = shopper_reply_email(to=to, store_name=contact.store_name, reply=row.content)
    return await send_quietly(mail.sender, email)


def reply_email_job(mail: HandoffMail, tenant_id: TenantId, message_id: uuid.UUID) -> Send:
    """The after-commit job that emails the reply if it is still unseen after the delay."""
    delay_s = mail.reply_email_delay.total_seconds()

    async def send() -> None:
        if celery_app.conf.task_always_eager:
            task = asyncio.get_running_loop().create_task(
                _later(mail, tenant_id, message_id, delay_s)
            )
            _PENDING.add(task)
            task.add_done_callback(_PENDING.discard)
            return
        await asyncio.to_thread(
            celery_app.send_task,
            REPLY_EMAIL_TASK,
            kwargs={"tenant_id": str(tenant_id), "message_id": str(message_id)},
            countdown=delay_s,
            # Sent by name (the API need not import the task): routed here, not by type.
            queue=str(TaskQueue.WEBHOOKS),
        )

    return send


async def _later(
    mail: HandoffMail, tenant_id: TenantId, message_id: uuid.UUID, delay_s: float
) -> None:
    await asyncio.sleep(delay_s)
    try:
        await email_unseen_reply(mail, tenant_id, message_id)
    except Exception:
        log.exception("could not email a merchant reply (message %s)", message_id)
