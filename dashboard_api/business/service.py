"""The business profile in the request's unit of work: read it, change it (required
fields cannot be cleared).

The retention setting deletes shoppers' data on a schedule, so changing it takes an admin
or the owner (the rest of the profile an editor) and leaves an audit-log entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound, ValidationFailed
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.business import repository
from dashboard_api.business.schemas import REQUIRED_FIELDS, BusinessOut
from dashboard_api.errors import InsufficientRole
from web.client import ClientInfo

RETENTION_ROLE = "admin"


async def get_business(session: AsyncSession, context: MerchantContext) -> BusinessOut:
    tenant = await repository.get_business(session, context.tenant_id)
    if tenant is None:
        raise NotFound("business not found")
    return BusinessOut.model_validate(tenant, from_attributes=True)


async def update_business(
    session: AsyncSession,
    context: MerchantContext,
    values: dict[str, Any],
    client: ClientInfo | None = None,
) -> BusinessOut:
    cleared = sorted(k for k, v in values.items() if v is None and k in REQUIRED_FIELDS)
    if cleared:
        raise ValidationFailed(f"{', '.join(cleared)} cannot be cleared")
    if "retention_days" in values and not context.at_least(RETENTION_ROLE):
        raise InsufficientRole(RETENTION_ROLE, "Changing retention_days needs an admin or owner.")
    before = await repository.get_business(session, context.tenant_id)
    if before is None:
        raise NotFound("business not found")
    previous_retention = before.retention_days
    tenant = await repository.update_business(session, context.tenant_id, values)
    if tenant is None:
        raise NotFound("business not found")
    if "retention_days" in values and values["retention_days"] != previous_retention:
        await audit.record_by(
            session,
            context,
            "business.retention_changed",
            client=client,
            target_type="tenant",
            target_id=context.tenant_id,
            details={"from": previous_retention, "to": values["retention_days"]},
        )
    return BusinessOut.model_validate(tenant, from_attributes=True)
