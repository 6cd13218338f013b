"""Signing in, token rotation and signing out (`/v1/auth/login`, `/refresh`, `/logout`).

`SignInFlows` is an orchestrator, not a request-scoped service: it takes the `Database`
and opens its own transactions, because these flows span a business that is not known yet
(system session: users, refresh tokens, the SECURITY DEFINER lookups) and one that is
(tenant session: the membership, the audit log), and because a failure that must be
remembered (a reused refresh token revoking its family, a failed login's audit entry) is
committed *before* the error is raised, which a request's unit of work would roll back.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from core.errors import Forbidden
from core.ids import TenantId
from dashboard_api.audit_log import service as audit
from dashboard_api.auth import repository
from dashboard_api.auth.tokens import (
    REFRESH_LIFETIME,
    AccessTokens,
    new_refresh_token,
    refresh_token_tenant,
)
from dashboard_api.dependencies import DashboardRuntime
from dashboard_api.errors import (
    AccountDisabled,
    InvalidCredentials,
    InvalidToken,
    RefreshTokenReused,
    ResourceNotFound,
)
from dashboard_api.throttle import LoginAttempt, email_identity
from web.client import ClientInfo, address_identity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    tenant_id: TenantId
    user_id: uuid.UUID
    role: str


def issue_tokens(
    tokens: AccessTokens, user_id: uuid.UUID, tenant_id: TenantId, role: str, refresh_token: str
) -> IssuedTokens:
    return IssuedTokens(
        access_token=tokens.issue(user_id=user_id, tenant_id=tenant_id, role=role),
        refresh_token=refresh_token,
        expires_in=int(tokens.lifetime.total_seconds()),
        tenant_id=tenant_id,
        user_id=user_id,
        role=role,
    )


async def record_sign_in(
    session: AsyncSession,
    tenant_id: TenantId,
    user_id: uuid.UUID,
    refresh_token: str,
    action: str,
    client: ClientInfo,
) -> None:
    """A new sign-in (login or registration): its refresh token, the first of a new
    family, and its audit entry, in the caller's tenant transaction."""
    await repository.add_refresh_token(
        session,
        user_id=user_id,
        family_id=uuid.uuid4(),
        token=refresh_token,
        lifetime=REFRESH_LIFETIME,
    )
    await audit.record(
        session,
        tenant_id,
        action,
        client=client,
        actor_user_id=user_id,
        target_type="user",
        target_id=user_id,
    )


class SignInFlows:
    def __init__(self, db: Database, runtime: DashboardRuntime) -> None:
        self.db = db
        self.runtime = runtime
        self.policy = runtime.deps.throttle_policy
        self.throttle = runtime.throttle

    # --- sign-in ------------------------------------------------------------------
    async def login(
        self, *, email: str, password: str, tenant_id: uuid.UUID | None, client: ClientInfo
    ) -> IssuedTokens:
        email = repository.normalise_email(email)
        attempt = LoginAttempt(email_key=email_identity(email), address=address_identity(client.ip))
        # Counted before the (slow) password check, so parallel guesses cannot outrun it.
        await self.throttle.begin_login(attempt, self.policy)
        async with self.db.system_session() as session:
            user = await repository.user_by_email(session, email)
            memberships = await repository.user_memberships(session, user.id) if user else []
        valid = await self.runtime.passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid:
            await self.throttle.login_failed(attempt, self.policy)
            if user is not None:
                await self._audit_failed_login(user.id, [m.tenant_id for m in memberships], client)
            log.info("failed sign-in from %s", client.ip or "unknown address")
            raise InvalidCredentials("The email or password is not correct.")
        await self.throttle.login_succeeded(attempt)
        if not user.is_active:
            raise AccountDisabled("This account is disabled.")
        if not memberships:
            raise Forbidden("This account is not a member of any business.")
        chosen = memberships[0]
        if tenant_id is not None:
            matching = [m for m in memberships if m.tenant_id == tenant_id]
            if not matching:
                raise ResourceNotFound("business")
            chosen = matching[0]
        if self.runtime.passwords.needs_rehash(user.password_hash):
            new_hash = await self.runtime.passwords.hash(password)
            async with self.db.system_session() as session:
                await repository.set_password_hash(session, user.id, new_hash)
        refresh_token = new_refresh_token(chosen.tenant_id)
        async with self.db.tenant_session(chosen.tenant_id) as session:
            await record_sign_in(
                session, chosen.tenant_id, user.id, refresh_token, "auth.login", client
            )
        return issue_tokens(
            self.runtime.tokens, user.id, chosen.tenant_id, chosen.role, refresh_token
        )

    async def _audit_failed_login(
        self, user_id: uuid.UUID, tenant_ids: list[TenantId], client: ClientInfo
    ) -> None:
        for tenant_id in tenant_ids:
            async with self.db.tenant_session(tenant_id) as session:
                await audit.record(
                    session,
                    tenant_id,
                    "auth.login_failed",
                    client=client,
                    actor_user_id=user_id,
                    target_type="user",
                    target_id=user_id,
                    details={"reason": "wrong_password"},
                )

    # --- refresh and sign-out -----------------------------------------------------
    async def refresh(self, token: str, client: ClientInfo) -> IssuedTokens:
        tenant_uuid = refresh_token_tenant(token)
        if tenant_uuid is None:
            raise InvalidToken("The refresh token is not valid.")
        tenant_id = TenantId(tenant_uuid)
        async with self.db.system_session() as session:
            stored = await repository.refresh_token_by_value(session, token)
            if stored is None or stored.revoked_at is not None:
                raise InvalidToken("The refresh token is not valid.")
            user_id, family_id, rotated = (
                stored.user_id,
                stored.family_id,
                stored.rotated_at is not None,
            )
            if rotated:
                await repository.revoke_family(session, family_id)
            elif await repository.is_expired(session, stored.expires_at):
                raise InvalidToken("The refresh token has expired; sign in again.")
        if rotated:
            await self._reused(tenant_id, user_id, family_id, client)
        async with self.db.tenant_session(tenant_id) as session:
            role = await repository.membership_role(session, tenant_id, user_id)
        new_token = new_refresh_token(tenant_id)
        async with self.db.system_session() as session:
            outcome = await self._rotate(session, token, role, new_token)
        if outcome == "reused":
            await self._reused(tenant_id, user_id, family_id, client)
        if outcome != "rotated" or role is None:
            raise InvalidToken("The refresh token is no longer valid for this business.")
        return issue_tokens(self.runtime.tokens, user_id, tenant_id, role, new_token)

    async def _rotate(
        self, session: AsyncSession, token: str, role: str | None, new_token: str
    ) -> str:
        """Under the token's row lock: exactly one of two concurrent refreshes wins; the
        other is a reuse."""
        stored = await repository.refresh_token_by_value(session, token)
        if stored is None or stored.revoked_at is not None:
            return "invalid"
        user = await repository.user_by_id(session, stored.user_id)
        if role is None or user is None or not user.is_active:
            await repository.revoke_family(session, stored.family_id)
            return "invalid"
        if not await repository.mark_rotated(session, stored.id):
            await repository.revoke_family(session, stored.family_id)
            return "reused"
        await repository.add_refresh_token(
            session,
            user_id=stored.user_id,
            family_id=stored.family_id,
            token=new_token,
            lifetime=REFRESH_LIFETIME,
        )
        return "rotated"

    async def _reused(
        self, tenant_id: TenantId, user_id: uuid.UUID, family_id: uuid.UUID, client: ClientInfo
    ) -> None:
        """A token that was already exchanged: either the client or a thief holds the newer
        one. The family is revoked (committed already); everyone signs in again."""
        log.warning("refresh token reuse detected; revoked token family %s", family_id)
        await self._audit_reuse(tenant_id, user_id, family_id, client)
        raise RefreshTokenReused(
            "This refresh token was already used; every session of this sign-in is revoked."
        )

    async def _audit_reuse(
        self, tenant_id: TenantId, user_id: uuid.UUID, family_id: uuid.UUID, client: ClientInfo
    ) -> None:
        try:
            async with self.db.tenant_session(tenant_id) as session:
                if await repository.membership_role(session, tenant_id, user_id) is None:
                    return
                await audit.record(
                    session,
                    tenant_id,
                    "auth.refresh_token_reused",
                    client=client,
                    actor_user_id=user_id,
                    target_type="user",
                    target_id=user_id,
                    details={"family_id": str(family_id)},
                )
        except Exception:
            log.warning("could not audit a refresh token reuse", exc_info=True)

    async def logout(self, token: str) -> None:
        async with self.db.system_session() as session:
            stored = await repository.refresh_token_by_value(session, token)
            if stored is not None:
                await repository.revoke_family(session, stored.family_id)
