"""API keys for the merchant's own servers: `sk_live_...`, shown once, stored as a SHA-256
hash (a long random key needs no slow hash; the hash stays indexable for the lookup)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import token_hash
from dashboard_api.api_keys import repository
from dashboard_api.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.auth.tokens import new_api_key
from dashboard_api.errors import found
from dashboard_api.pagination import Page, PageRequest
from web.client import ClientInfo

PREFIX_LENGTH = 12  # "sk_live_" and four random characters


def key_out(key: object) -> ApiKeyOut:
    return ApiKeyOut.model_validate(key, from_attributes=True)


async def list_keys(
    session: AsyncSession,
    context: MerchantContext,
    page: PageRequest,
    *,
    include_revoked: bool,
) -> Page[ApiKeyOut]:
    keyset = page.keyset(repository.API_KEY_SORTS)
    rows = await repository.list_keys(
        session, context.tenant_id, keyset, include_revoked=include_revoked
    )
    return keyset.page(rows, key_out)


async def create_key(
    session: AsyncSession, context: MerchantContext, body: ApiKeyCreate, client: ClientInfo
) -> ApiKeyCreated:
    secret = new_api_key()
    key = await repository.add_key(
        session,
        context.tenant_id,
        name=body.name.strip() or "API key",
        prefix=secret[:PREFIX_LENGTH],
        key_hash=token_hash(secret),
        scopes=list(body.scopes),
        created_by=context.user_id,
        expires_at=body.expires_at,
    )
    await audit.record_by(
        session,
        context,
        "api_key.created",
        client=client,
        target_type="api_key",
        target_id=key.id,
        details={"name": key.name, "scopes": list(key.scopes), "prefix": key.prefix},
    )
    return ApiKeyCreated(**key_out(key).model_dump(), secret=secret)


async def revoke_key(
    session: AsyncSession, context: MerchantContext, key_id: uuid.UUID, client: ClientInfo
) -> None:
    key = found(await repository.revoke_key(session, context.tenant_id, key_id), "API key")
    await audit.record_by(
        session,
        context,
        "api_key.revoked",
        client=client,
        target_type="api_key",
        target_id=key_id,
        details={"name": key.name, "prefix": key.prefix},
    )
