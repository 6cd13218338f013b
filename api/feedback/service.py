from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.feedback import repository
from api.feedback.schemas import FeedbackRecord, FeedbackRequest
from api.sessions.auth import WidgetSessionContext
from core.errors import NotFound


async def record_feedback(
    session: AsyncSession, widget: WidgetSessionContext, body: FeedbackRequest
) -> FeedbackRecord:
    message = await repository.find_visitors_answer(
        session, widget.tenant_id, widget.bot_id, widget.visitor_id, body.message_id
    )
    if message is None:
        # Another visitor's answer looks exactly like one that does not exist: a message id
        # seen elsewhere (a shared screenshot, a log) must not let anyone rate it.
        raise NotFound("No such answer to rate.")
    row = await repository.upsert_feedback(
        session, widget.tenant_id, message.message_id, body.rating, body.comment
    )
    await session.flush()
    return FeedbackRecord(
        message_id=row.message_id,
        rating=row.rating,
        comment=row.comment,
        created_at=row.created_at,
    )
