"""A merchant answering one shopper's access or erasure request: the visitor's data across
every bot of the business, read or erased by `core.privacy.visitor_data` (the same code the
widget's own `/widget/v1/me` uses), and an audit entry that names the visitor and counts
rows, never what they wrote."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import SecretBox
from core.privacy.visitor_data import VisitorExport, VisitorScope, erase_visitor, export_visitor
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.errors import ResourceNotFound
from web.client import ClientInfo

VISITOR = "visitor"


async def export_data(
    session: AsyncSession,
    context: MerchantContext,
    visitor_id: str,
    client: ClientInfo,
    *,
    secret_box: SecretBox | None = None,
) -> VisitorExport:
    """404 when the business holds nothing about this visitor (another business's visitor
    looks the same)."""
    data = await export_visitor(session, VisitorScope(context.tenant_id, visitor_id), secret_box)
    if data.is_empty:
        raise ResourceNotFound("Visitor")
    await audit.record_by(
        session,
        context,
        "privacy.visitor_exported",
        client=client,
        target_type=VISITOR,
        target_id=visitor_id,
        details={"conversations": len(data.conversations), "events": len(data.events)},
    )
    return data


async def erase_data(
    session: AsyncSession, context: MerchantContext, visitor_id: str, client: ClientInfo
) -> None:
    """404 when nothing was left to erase: a second request, an unknown visitor or another
    business's all look the same."""
    erased = await erase_visitor(session, VisitorScope(context.tenant_id, visitor_id))
    if erased.total == 0:
        raise ResourceNotFound("Visitor")
    await audit.record_by(
        session,
        context,
        "privacy.visitor_erased",
        client=client,
        target_type=VISITOR,
        target_id=visitor_id,
        details={
            "conversations": erased.conversations,
            "messages": erased.messages,
            "feedback": erased.feedback,
            "events": erased.events,
        },
    )
