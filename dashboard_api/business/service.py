"""The business profile in the request's unit of work: read it, change it (required
fields cannot be cleared)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound, ValidationFailed
from dashboard_api.auth.context import MerchantContext
from dashboard_api.business import repository
from dashboard_api.business.schemas import REQUIRED_FIELDS, BusinessOut


async def get_business(session: AsyncSession, context: MerchantContext) -> BusinessOut:
    tenant = await repository.get_business(session, context.tenant_id)
    if tenant is None:
        raise NotFound("business not found")
    return BusinessOut.model_validate(tenant, from_attributes=True)


async def update_business(
    session: AsyncSession, context: MerchantContext, values: dict[str, Any]
) -> BusinessOut:
    cleared = sorted(k for k, v in values.items() if v is None and k in REQUIRED_FIELDS)
    if cleared:
        raise ValidationFailed(f"{', '.join(cleared)} cannot be cleared")
    tenant = await repository.update_business(session, context.tenant_id, values)
    if tenant is None:
        raise NotFound("business not found")
    return BusinessOut.model_validate(tenant, from_attributes=True)
