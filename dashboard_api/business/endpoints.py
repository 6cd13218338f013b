"""`/v1/business`: the business profile the bot speaks for (name, currency, policies...)."""

from __future__ import annotations

from fastapi import APIRouter

from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.business import service
from dashboard_api.business.schemas import BusinessOut, BusinessUpdate
from web.client import ClientDep

router = APIRouter(prefix="/business", tags=["business"])


@router.get("", operation_id="business_get")
async def get_business(context: MerchantRead, session: TenantSession) -> BusinessOut:
    return await service.get_business(session, context)


@router.patch("", operation_id="business_update")
async def update_business(
    body: BusinessUpdate, context: MerchantWrite, session: TenantSession, client: ClientDep
) -> BusinessOut:
    """Editors change the profile; `retention_days` takes an admin or the owner (403
    `insufficient_role` otherwise) and is recorded in the audit log."""
    values = body.model_dump(exclude_unset=True)
    return await service.update_business(session, context, values, client)
