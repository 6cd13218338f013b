"""`/v1/privacy/visitors/{visitor_id}`: one shopper's data (a GDPR access or erasure
request the merchant received). Reading is open to every role, like the conversations;
erasing needs an admin or the owner. Both are audit-logged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from core.privacy.visitor_data import VisitorExport
from dashboard_api.auth.context import MerchantAdmin, MerchantRead, TenantSession
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.visitors import service
from web.client import ClientDep

router = APIRouter(prefix="/privacy/visitors", tags=["privacy"])

VisitorIdPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="The visitor id a conversation shows (`visitor_id`)",
    ),
]


# DESIGN's contract names the visitor's own URL (`GET|DELETE /v1/privacy/visitors/{id}`); the
# issue names `/export`. Both serve the same download.
@router.get("/{visitor_id}", operation_id="privacy_visitor_get", include_in_schema=False)
@router.get("/{visitor_id}/export", operation_id="privacy_visitor_export")
async def export_visitor(
    visitor_id: VisitorIdPath,
    context: MerchantRead,
    session: TenantSession,
    client: ClientDep,
    response: Response,
    runtime: RuntimeDep,
) -> VisitorExport:
    """Everything the business holds about the visitor: their conversations with every bot
    (messages, feedback) and their widget events, as one JSON document."""
    data = await service.export_data(
        session, context, visitor_id, client, secret_box=runtime.deps.secret_box
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    response.headers["Content-Disposition"] = f'attachment; filename="visitor-{stamp}.json"'
    return data


@router.delete(
    "/{visitor_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="privacy_visitor_delete",
)
async def delete_visitor(
    visitor_id: VisitorIdPath, context: MerchantAdmin, session: TenantSession, client: ClientDep
) -> Response:
    """Erase the visitor's conversations, messages, feedback and events (every bot). The
    audit log keeps who did it and how many rows went, not what the visitor wrote."""
    await service.erase_data(session, context, visitor_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
