"""`/v1/api-keys`: admin+ only (an API key can never manage API keys)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.api_keys import service
from dashboard_api.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from dashboard_api.auth.context import MerchantAdmin, TenantSession
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest
from web.client import ClientDep

router = APIRouter(prefix="/api-keys", tags=["api-keys"])


@router.get("", operation_id="api_keys_list")
async def list_keys(
    context: MerchantAdmin,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal["created_at", "-created_at", "name", "-name"] = "-created_at",
    include_revoked: bool = False,
) -> Page[ApiKeyOut]:
    return await service.list_keys(
        session,
        context,
        PageRequest(sort, cursor, limit),
        include_revoked=include_revoked,
    )


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="api_keys_create")
async def create_key(
    body: ApiKeyCreate, context: MerchantAdmin, session: TenantSession, client: ClientDep
) -> ApiKeyCreated:
    """The secret is in this response only."""
    return await service.create_key(session, context, body, client)


@router.delete(
    "/{api_key_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="api_keys_revoke"
)
async def revoke_key(
    api_key_id: uuid.UUID, context: MerchantAdmin, session: TenantSession, client: ClientDep
) -> Response:
    await service.revoke_key(session, context, api_key_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
