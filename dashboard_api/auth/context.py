"""Who is calling: the one place a dashboard request gets a `TenantId`.

A request carries `Authorization: Bearer <token>`, either an access token (JWT, see
`tokens.py`) or an API key (`sk_live_...`). Either becomes a `MerchantContext`:

- JWT: signature, audience and expiry are checked, then the membership is read again, so a
  removed member or a demoted role takes effect at once (not when the token expires); the
  role in the context is the current one. A seat the plan suspended (a downgrade to fewer
  seats, core.billing.plan_changes) acts on nothing: 403 `seat_suspended`.
- API key: found by its hash through the `app_api_key_by_hash` SECURITY DEFINER lookup
  (the tenant is not known yet); revoked or expired keys are refused. A key acts with the
  editor role when it has the `write` scope, as a viewer otherwise, and never manages the
  team or API keys (those need admin).

Endpoints declare what they need with the `Annotated` aliases `MerchantRead`,
`MerchantWrite` (editor+), `MerchantAdmin` (admin+), `MerchantOwner`; an endpoint with
none of them is public and says so. `TenantSession` is the request's unit of work for the
context's tenant, committed by the dependency before the response is sent; the background
jobs its services enqueue (`core.background.queue.jobs_of(session)`) are sent after that
commit, and dropped if it rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.background.queue import sending_jobs_after_commit
from core.crypto import token_hash
from core.ids import TenantId, UserId
from core.models import ApiKey, Membership, User
from core.observability.context import bind_tenant
from dashboard_api.auth.tokens import looks_like_api_key
from dashboard_api.dependencies import DashboardRuntime, RuntimeDep
from dashboard_api.errors import InsufficientRole, InsufficientScope, InvalidToken, SeatSuspended

ROLE_RANK = {"viewer": 0, "editor": 1, "admin": 2, "owner": 3}
API_KEY_SCOPES = ("read", "write")

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An access token from `POST /v1/auth/login`, or an API key (`sk_live_...`).",
)


@dataclass(frozen=True)
class MerchantContext:
    tenant_id: TenantId
    user_id: UserId | None
    role: str
    api_key_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_api_key(self) -> bool:
        return self.api_key_id is not None

    def at_least(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]

    @property
    def actor_label(self) -> str:
        """A stable, non-secret name for previews and logs."""
        return f"key:{self.api_key_id}" if self.api_key_id else f"user:{self.user_id}"


async def _from_access_token(runtime: DashboardRuntime, token: str) -> MerchantContext:
    claims = runtime.tokens.verify(token)
    tenant_id = TenantId(claims.tenant_id)
    async with runtime.db.tenant_session(tenant_id) as session:
        row = (
            await session.execute(
                select(Membership.role, Membership.suspended_by_plan_at, User.is_active)
                .join(User, User.id == Membership.user_id)
                .where(Membership.tenant_id == tenant_id, Membership.user_id == claims.user_id)
            )
        ).first()
    if row is None or not row.is_active:
        raise InvalidToken("The access token is no longer valid for this business.")
    if row.suspended_by_plan_at is not None:
        raise SeatSuspended(
            "Your seat is suspended: the business's plan has fewer seats. An owner can "
            "upgrade the plan or free a seat."
        )
    return MerchantContext(tenant_id=tenant_id, user_id=UserId(claims.user_id), role=row.role)


_API_KEY_LOOKUP = text(
    "SELECT tenant_id, api_key_id, scopes, expires_at, revoked_at"
    " FROM app_api_key_by_hash(:key_hash)"
)


async def _from_api_key(runtime: DashboardRuntime, secret: str) -> MerchantContext:
    async with runtime.db.system_session() as session:
        row = (await session.execute(_API_KEY_LOOKUP, {"key_hash": token_hash(secret)})).first()
    now = datetime.now(UTC)
    if (
        row is None
        or row.revoked_at is not None
        or (row.expires_at is not None and row.expires_at <= now)
    ):
        raise InvalidToken("The API key is not valid.")
    tenant_id = TenantId(row.tenant_id)
    async with runtime.db.tenant_session(tenant_id) as session:
        await _touch_api_key(session, tenant_id, row.api_key_id)
    scopes = frozenset(s for s in row.scopes or () if s in API_KEY_SCOPES)
    return MerchantContext(
        tenant_id=tenant_id,
        user_id=None,
        role="editor" if "write" in scopes else "viewer",
        api_key_id=row.api_key_id,
        scopes=scopes,
    )


async def _touch_api_key(session: AsyncSession, tenant_id: TenantId, key_id: uuid.UUID) -> None:
    # At most one write a minute per key: listing shows "last used", not an access log.
    await session.execute(
        update(ApiKey)
        .where(
            ApiKey.tenant_id == tenant_id,
            ApiKey.id == key_id,
            or_(
                ApiKey.last_used_at.is_(None),
                ApiKey.last_used_at < func.now() - text("interval '1 minute'"),
            ),
        )
        .values(last_used_at=func.now())
    )


async def authenticate(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> MerchantContext:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise InvalidToken("Send `Authorization: Bearer <access token or API key>`.")
    token = credentials.credentials.strip()
    if looks_like_api_key(token):
        context = await _from_api_key(runtime, token)
    else:
        context = await _from_access_token(runtime, token)
    bind_tenant(context.tenant_id)  # the request's log lines and error reports name it
    return context


def require_role(minimum: str) -> Callable[..., Coroutine[Any, Any, MerchantContext]]:
    async def dependency(
        context: Annotated[MerchantContext, Depends(authenticate)],
    ) -> MerchantContext:
        if context.at_least(minimum):
            return context
        if context.is_api_key:
            if minimum in ("editor",):
                raise InsufficientScope(
                    "This API key has only the `read` scope; this needs `write`."
                )
            raise InsufficientRole(
                minimum, "API keys cannot do this; sign in as an admin or owner."
            )
        raise InsufficientRole(minimum)

    dependency.__name__ = f"require_{minimum}"
    return dependency


MerchantRead = Annotated[MerchantContext, Depends(require_role("viewer"))]
MerchantWrite = Annotated[MerchantContext, Depends(require_role("editor"))]
MerchantAdmin = Annotated[MerchantContext, Depends(require_role("admin"))]
MerchantOwner = Annotated[MerchantContext, Depends(require_role("owner"))]


async def _tenant_session(
    runtime: RuntimeDep, context: Annotated[MerchantContext, Depends(authenticate)]
) -> AsyncIterator[AsyncSession]:
    async with sending_jobs_after_commit(runtime.db.tenant_session(context.tenant_id)) as session:
        yield session


# Function scope: committed when the endpoint returns, before the response is sent, so a
# failed commit is the caller's error and a 2xx means the change is durable.
TenantSession = Annotated[AsyncSession, Depends(_tenant_session, scope="function")]


async def authenticate_optional(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> MerchantContext | None:
    """For endpoints that are public but act for a signed-in user when there is one; a
    credential that is present must still be valid."""
    if credentials is None:
        return None
    return await authenticate(runtime, credentials)


OptionalMerchant = Annotated[MerchantContext | None, Depends(authenticate_optional)]
