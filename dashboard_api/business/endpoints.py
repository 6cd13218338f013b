"""`/v1/business`: the business profile the bot speaks for (name, currency, policies...)."""

from __future__ import annotations

from fastapi import APIRouter

from core.errors import NotFound, ValidationFailed
from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.business import repository
from dashboard_api.business.schemas import REQUIRED_FIELDS, BusinessOut, BusinessUpdate

router = APIRouter(prefix="/business", tags=["business"])


@router.get("", operation_id="business_get")
async def get_business(context: MerchantRead, session: TenantSession) -> BusinessOut:
    tenant = await repository.get_business(session, context.tenant_id)
    if tenant is None:
        raise NotFound("business not found")
    return BusinessOut.model_validate(tenant, from_attributes=True)


@router.patch("", operation_id="business_update")
async def update_business(
    body: BusinessUpdate, context: MerchantWrite, session: TenantSession
) -> BusinessOut:
    values = body.model_dump(exclude_unset=True)
    cleared = sorted(k for k, v in values.items() if v is None and k in REQUIRED_FIELDS)
    if cleared:
        raise ValidationFailed(f"{', '.join(cleared)} cannot be cleared")
    tenant = await repository.update_business(session, context.tenant_id, values)
    if tenant is None:
        raise NotFound("business not found")
    return BusinessOut.model_validate(tenant, from_attributes=True)
