"""`/widget/v1/handoff` and the replies the widget polls for while a hand-off is open.

Authenticated by the widget session token: a visitor reaches only their own conversations
with this bot (anything else is a 404), rate limited like feedback and events
(`interaction`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.dependencies import RuntimeDep
from api.handoff import service
from api.handoff.schemas import HandoffRequest, HandoffStatus, RepliesPage
from api.sessions.auth import WidgetSession
from api.unit_of_work import WidgetDbSession, WidgetJobsSession
from core.errors import ServiceUnavailable

router = APIRouter(prefix="/widget/v1", tags=["widget"])

_NOT_YOURS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not one of this visitor's conversations with this bot"}
}


@router.post("/handoff", response_model=HandoffStatus, responses=_NOT_YOURS)
async def request_handoff(
    body: HandoffRequest, widget: WidgetSession, session: WidgetJobsSession, runtime: RuntimeDep
) -> HandoffStatus:
    """The shopper asks for a person from the store and leaves an email (with `consent:
    true`) for the reply. The conversation is flagged for the merchant, who is emailed."""
    await runtime.limiter.enforce("interaction", widget.visitor_id, widget.limits["interaction"])
    deps = runtime.deps
    if deps.secret_box is None:
        raise ServiceUnavailable("Hand-off is not available right now.")
    return await service.request_handoff(
        session,
        widget,
        body,
        secret_box=deps.secret_box,
        sender=deps.email_sender,
        dashboard_url=deps.dashboard_url,
    )


@router.get(
    "/conversations/{conversation_id}/messages", response_model=RepliesPage, responses=_NOT_YOURS
)
async def poll_replies(
    conversation_id: uuid.UUID,
    widget: WidgetSession,
    session: WidgetDbSession,
    runtime: RuntimeDep,
    after: Annotated[
        datetime | None, Query(description="Only replies written after this time")
    ] = None,
) -> RepliesPage:
    """The store's replies to this visitor's hand-off (at most 50, oldest first), polled by
    the widget while the hand-off is open; each one returned is marked seen, so it is not
    emailed."""
    await runtime.limiter.enforce("interaction", widget.visitor_id, widget.limits["interaction"])
    return await service.replies(session, widget, conversation_id, after)
