"""`handoff.reply_email`: the Celery side of core.handoff.replies (a merchant reply still
unseen after the delay is emailed). Registered with the worker by importing this module
(`cli/worker_commands.py`); the API sends it by name, with a countdown."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from core.background.celery_app import celery_app, tenant_id_from_task_argument
from core.background.queues import TaskQueue
from core.email import email_sender_from_settings
from core.handoff.replies import REPLY_EMAIL_TASK, HandoffMail, email_unseen_reply
from core.runtime import open_runtime
from core.settings import get_settings


async def _email_with_settings(tenant_id: Any, message_id: str) -> bool:
    settings = get_settings()
    tenant = tenant_id_from_task_argument(tenant_id)
    async with open_runtime(settings) as runtime:
        mail = HandoffMail(
            db=runtime.db,
            secret_box=runtime.secrets.secret_box,
            sender=email_sender_from_settings(settings),
        )
        return await email_unseen_reply(mail, tenant, uuid.UUID(message_id))


@celery_app.task(name=REPLY_EMAIL_TASK, acks_late=True, routed_to=TaskQueue.WEBHOOKS)
def email_reply_if_unseen(*, tenant_id: Any = None, message_id: str) -> bool:
    return asyncio.run(_email_with_settings(tenant_id, message_id))
