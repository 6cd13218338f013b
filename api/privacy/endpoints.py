"""`/widget/v1/me`: the session's own visitor reads (export) or erases what the store holds
about them. Authenticated by the widget session token, so a visitor only ever reaches their
own conversations with this bot; rate limited like feedback and events (`interaction`)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.dependencies import RuntimeDep
from api.sessions.auth import WidgetSession, WidgetSessionContext
from api.unit_of_work import WidgetDbSession
from core.privacy.visitor_data import VisitorExport, VisitorScope, erase_visitor, export_visitor

router = APIRouter(prefix="/widget/v1", tags=["widget"])


def _own_data(widget: WidgetSessionContext) -> VisitorScope:
    return VisitorScope(
        tenant_id=widget.tenant_id, visitor_id=widget.visitor_id, bot_id=widget.bot_id
    )


@router.get("/me/export", response_model=VisitorExport)
async def export_my_data(
    widget: WidgetSession, session: WidgetDbSession, runtime: RuntimeDep
) -> VisitorExport:
    """This visitor's conversations with this bot (messages, feedback) and their widget
    events, as JSON; nothing about anyone else."""
    await runtime.limiter.enforce("interaction", widget.visitor_id, widget.limits["interaction"])
    return await export_visitor(session, _own_data(widget), runtime.deps.secret_box)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def erase_my_data(
    widget: WidgetSession, session: WidgetDbSession, runtime: RuntimeDep
) -> Response:
    """Erase this visitor's conversations, messages, feedback and events with this bot.
    Idempotent: 204 whether or not anything was left. The widget then drops its session,
    so the shopper's next message starts a new conversation under a new visitor id."""
    await runtime.limiter.enforce("interaction", widget.visitor_id, widget.limits["interaction"])
    await erase_visitor(session, _own_data(widget))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
