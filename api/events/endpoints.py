from __future__ import annotations

from fastapi import APIRouter, Response

from api.dependencies import RuntimeDep
from api.events import service
from api.events.schemas import WidgetEventIn
from api.sessions.auth import WidgetSession
from api.unit_of_work import WidgetDbSession

router = APIRouter(prefix="/widget/v1", tags=["widget"])


@router.post("/events", status_code=202, response_class=Response)
async def record_event(
    body: WidgetEventIn, widget: WidgetSession, session: WidgetDbSession, runtime: RuntimeDep
) -> Response:
    """An analytics event (product-card click, open...): accepted with 202, no body."""
    await runtime.limiter.enforce("interaction", widget.visitor_id, widget.limits["interaction"])
    await service.record_event(session, widget, body)
    return Response(status_code=202)
