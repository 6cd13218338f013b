"""`/v1/conversations/{id}/replies` and `/v1/conversations/{id}/handoff/close`: a person from
the store answers a shopper who asked for one, and closes the request."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, Response, status

from core.handoff.replies import HandoffMail
from dashboard_api.auth.context import MerchantWrite, TenantSession
from dashboard_api.conversations import handoff_service
from dashboard_api.conversations.schemas import MessageOut, ReplyCreate
from dashboard_api.dependencies import RuntimeDep
from web.client import ClientDep

router = APIRouter(prefix="/conversations", tags=["conversations"])


@router.post(
    "/{conversation_id}/replies",
    status_code=status.HTTP_201_CREATED,
    operation_id="conversations_reply",
    responses={409: {"description": "The shopper has no open hand-off request"}},
)
async def reply(
    conversation_id: uuid.UUID,
    body: ReplyCreate,
    context: MerchantWrite,
    session: TenantSession,
    runtime: RuntimeDep,
    client: ClientDep,
) -> MessageOut:
    """Reply to a shopper who asked for a person. Their widget shows it while it is open;
    a reply it has not fetched in time (`SHOPBOT_HANDOFF_REPLY_EMAIL_DELAY_S`, 5 minutes by
    default) is emailed to the address they left, once."""
    deps = runtime.deps
    mail = HandoffMail(
        db=deps.db,
        secret_box=deps.secret_box,
        sender=deps.email_sender,
        reply_email_delay=timedelta(seconds=deps.settings.handoff_reply_email_delay_s),
    )
    return await handoff_service.reply(
        session, context, conversation_id, body.text, mail=mail, client=client
    )


@router.post(
    "/{conversation_id}/handoff/close",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    operation_id="conversations_close_handoff",
    responses={409: {"description": "The shopper never asked for a person here"}},
)
async def close_handoff(
    conversation_id: uuid.UUID, context: MerchantWrite, session: TenantSession, client: ClientDep
) -> Response:
    await handoff_service.close(session, context, conversation_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
