from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request

from api.cors import allow_origin
from api.dependencies import RuntimeDep
from api.sessions import service
from api.sessions.auth import authenticate_widget_key
from api.sessions.schemas import SessionCreate, SessionCreated
from web.client import ClientDep

router = APIRouter(prefix="/widget/v1", tags=["widget"])


@router.post(
    "/sessions",
    response_model=SessionCreated,
    responses={403: {"description": "Origin not allowed (also: unknown or inactive key)"}},
)
async def create_session(
    body: SessionCreate,
    request: Request,
    runtime: RuntimeDep,
    client: ClientDep,
    origin: Annotated[str | None, Header()] = None,
) -> SessionCreated:
    """Public (the widget key is public): a session for the page's `Origin`, if the bot of
    `widget_key` allows it, or a preview session from the API's own origin (the
    dashboard's live preview)."""
    grant = await authenticate_widget_key(
        runtime.deps.db, body.widget_key, origin, runtime.deps.settings
    )
    allow_origin(request, grant.origin)
    return await service.open_session(
        runtime.deps.db,
        runtime.tokens,
        runtime.limiter,
        grant,
        client.address,
        previous_token=body.previous_session_token,
    )
