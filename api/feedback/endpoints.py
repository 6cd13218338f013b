from __future__ import annotations

from fastapi import APIRouter

from api.dependencies import RuntimeDep
from api.feedback import service
from api.feedback.schemas import FeedbackRecord, FeedbackRequest
from api.sessions.auth import WidgetSession
from api.unit_of_work import WidgetDbSession

router = APIRouter(prefix="/widget/v1", tags=["widget"])


@router.post(
    "/feedback",
    response_model=FeedbackRecord,
    responses={404: {"description": "Not an answer in this visitor's conversations with this bot"}},
)
async def give_feedback(
    body: FeedbackRequest, widget: WidgetSession, session: WidgetDbSession, runtime: RuntimeDep
) -> FeedbackRecord:
    """Thumbs up or down on an answer in the session's own conversations with this bot (a
    second rating replaces the first); any other message id is a 404."""
    await runtime.limiter.enforce("interaction", widget.visitor_id, widget.limits["interaction"])
    return await service.record_feedback(session, widget, body)
