"""Registration, sign-in, token rotation and the emailed one-time flows.

Units of work: these flows span a business that is not known yet (system session for the
global tables and the SECURITY DEFINER lookups) and one that is (tenant session for the
membership and the audit log), so the service opens its sessions itself. A failure that
must be remembered (a reused refresh token revoking its family, a failed login's audit
entry) is committed *before* the error is raised.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from core.errors import Forbidden
from core.ids import TenantId
from core.provisioning import add_tenant_with_bot, new_tenant_id
from dashboard_api import audit
from dashboard_api.auth import repository
from dashboard_api.auth.context import MerchantContext
from dashboard_api.auth.passwords import check_policy
from dashboard_api.auth.schemas import MembershipOut, MeResponse
from dashboard_api.auth.tokens import (
    REFRESH_LIFETIME,
    new_one_time_token,
    new_refresh_token,
    refresh_token_tenant,
)
from dashboard_api.dependencies import DashboardRuntime
from dashboard_api.email import OutgoingEmail, send_quietly
from dashboard_api.errors import (
    AccountDisabled,
    EmailTaken,
    InvalidCredentials,
    InvalidToken,
    RefreshTokenReused,
    ResourceNotFound,
    TokenGone,
)
from dashboard_api.throttle import LoginAttempt, email_identity
from web.client import ClientInfo, address_identity

log = logging.getLogger(__name__)

VERIFY_EMAIL_LIFETIME = timedelta(days=2)
RESET_PASSWORD_LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    tenant_id: TenantId
    user_id: uuid.UUID
    role: str


@dataclass(frozen=True)
class Registered:
    tokens: IssuedTokens
    bot_id: uuid.UUID
    email: str


class AuthService:
    def __init__(self, runtime: DashboardRuntime, *, link_base: str) -> None:
        self.runtime = runtime
        self.db = runtime.db
        self.policy = runtime.deps.throttle_policy
        self.throttle = runtime.throttle
        self.link_base = link_base.rstrip("/")

    # --- registration -------------------------------------------------------------
    async def register(
        self, *, email: str, password: str, business_name: str, client: ClientInfo
    ) -> Registered:
        await self.throttle.hit(
            "register_ip", address_identity(client.ip), self.policy.register_per_ip
        )
        email = repository.normalise_email(email)
        check_policy(password, email=email)
        async with self.db.system_session() as session:
            if await repository.user_by_email(session, email) is not None:
                raise EmailTaken("An account with this email already exists; sign in instead.")
        password_hash = await self.runtime.passwords.hash(password)
        tenant_id = new_tenant_id()
        verify_token = new_one_time_token()
        refresh_token = new_refresh_token(tenant_id)
        try:
            # One transaction: the business, its bot and its owner exist together or not at all.
            async with self.db.tenant_session(tenant_id) as session:
                tenant = await add_tenant_with_bot(
                    session, tenant_id, name=business_name, allowed_origins=[]
                )
                user = await repository.add_user(session, email=email, password_hash=password_hash)
                await repository.add_membership(session, tenant.tenant_id, user.id, "owner")
                await repository.add_one_time_token(
                    session,
                    user_id=user.id,
                    purpose="verify_email",
                    token=verify_token,
                    lifetime=VERIFY_EMAIL_LIFETIME,
                )
                await repository.add_refresh_token(
                    session,
                    user_id=user.id,
                    family_id=uuid.uuid4(),
                    token=refresh_token,
                    lifetime=REFRESH_LIFETIME,
                )
                await audit.record(
                    session,
                    tenant.tenant_id,
                    "auth.registered",
                    client=client,
                    actor_user_id=user.id,
                    target_type="user",
                    target_id=user.id,
                )
                user_id = user.id
        except IntegrityError:
            # Lost a race with another registration of the same email; nothing was kept.
            raise EmailTaken(
                "An account with this email already exists; sign in instead."
            ) from None
        await self._send_verification(email, verify_token)
        tokens = IssuedTokens(
            access_token=self.runtime.tokens.issue(
                user_id=user_id, tenant_id=tenant.tenant_id, role="owner"
            ),
            refresh_token=refresh_token,
            expires_in=int(self.runtime.tokens.lifetime.total_seconds()),
            tenant_id=tenant.tenant_id,
            user_id=user_id,
            role="owner",
        )
        return Registered(tokens=tokens, bot_id=tenant.bot_id, email=email)

    async def _send_verification(self, email: str, token: str) -> None:
        await send_quietly(
            self.runtime.deps.email_sender,
            OutgoingEmail(
                to=email,
                subject="Confirm your email for Shopbot",
                body=(
                    "Welcome to Shopbot! Confirm your email address with this link "
                    f"(valid for 2 days):\n\n{self.link_base}/verify-email?token={token}\n"
                ),
            ),
        )

    async def resend_verification(self, user_id: uuid.UUID) -> None:
        token = new_one_time_token()
        async with self.db.system_session() as session:
            user = await repository.user_by_id(session, user_id)
            if user is None or user.email_verified_at is not None:
                return
            await repository.add_one_time_token(
                session,
                user_id=user.id,
                purpose="verify_email",
                token=token,
                lifetime=VERIFY_EMAIL_LIFETIME,
            )
            email = user.email
        await self._send_verification(email, token)

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
            await repository.add_refresh_token(
                session,
                user_id=user.id,
                family_id=uuid.uuid4(),
                token=refresh_token,
                lifetime=REFRESH_LIFETIME,
            )
            await audit.record(
                session,
                chosen.tenant_id,
                "auth.login",
                client=client,
                actor_user_id=user.id,
                target_type="user",
                target_id=user.id,
            )
        return self._tokens(user.id, chosen.tenant_id, chosen.role, refresh_token)

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

    def _tokens(
        self, user_id: uuid.UUID, tenant_id: TenantId, role: str, refresh_token: str
    ) -> IssuedTokens:
        return IssuedTokens(
            access_token=self.runtime.tokens.issue(user_id=user_id, tenant_id=tenant_id, role=role),
            refresh_token=refresh_token,
            expires_in=int(self.runtime.tokens.lifetime.total_seconds()),
            tenant_id=tenant_id,
            user_id=user_id,
            role=role,
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
        return self._tokens(user_id, tenant_id, role, new_token)

    async def _rotate(self, session, token: str, role: str | None, new_token: str) -> str:
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

    # --- email verification and password reset ------------------------------------
    async def verify_email(self, token: str) -> None:
        async with self.db.system_session() as session:
            stored = await repository.usable_one_time_token(
                session, purpose="verify_email", token=token
            )
            if stored is None:
                raise TokenGone("This link is invalid, expired or already used.")
            await repository.use_one_time_tokens(
                session, user_id=stored.user_id, purpose="verify_email"
            )
            await repository.mark_email_verified(session, stored.user_id)

    async def request_password_reset(self, email: str, client: ClientInfo) -> None:
        email = repository.normalise_email(email)
        await self.throttle.hit("reset_ip", address_identity(client.ip), self.policy.reset_per_ip)
        await self.throttle.hit("reset_email", email_identity(email), self.policy.reset_per_email)
        token = new_one_time_token()
        async with self.db.system_session() as session:
            user = await repository.user_by_email(session, email)
            if user is None or not user.is_active:
                return  # same answer either way: no account enumeration
            await repository.add_one_time_token(
                session,
                user_id=user.id,
                purpose="reset_password",
                token=token,
                lifetime=RESET_PASSWORD_LIFETIME,
            )
        await send_quietly(
            self.runtime.deps.email_sender,
            OutgoingEmail(
                to=email,
                subject="Reset your Shopbot password",
                body=(
                    "Someone asked to reset the password of your Shopbot account. If it was you, "
                    f"choose a new one here (valid for 1 hour):\n\n{self.link_base}/reset-password?token={token}\n\n"
                    "If it was not you, ignore this email; your password stays as it is.\n"
                ),
            ),
        )

    async def reset_password(self, token: str, password: str, client: ClientInfo) -> None:
        async with self.db.system_session() as session:
            stored = await repository.usable_one_time_token(
                session, purpose="reset_password", token=token
            )
            if stored is None:
                raise TokenGone("This link is invalid, expired or already used.")
            user = await repository.user_by_id(session, stored.user_id)
            assert user is not None
            check_policy(password, email=user.email)
            password_hash = await self.runtime.passwords.hash(password)
            await repository.use_one_time_tokens(session, user_id=user.id, purpose="reset_password")
            await repository.set_password_hash(session, user.id, password_hash)
            # Whoever knew the old password may hold sessions: end them all.
            await repository.revoke_user_tokens(session, user.id)
            # Following the emailed link proves the address too.
            await repository.mark_email_verified(session, user.id)
            memberships = await repository.user_memberships(session, user.id)
            user_id = user.id
        for membership in memberships:
            async with self.db.tenant_session(membership.tenant_id) as session:
                await audit.record(
                    session,
                    membership.tenant_id,
                    "auth.password_reset",
                    client=client,
                    actor_user_id=user_id,
                    target_type="user",
                    target_id=user_id,
                )

    # --- who am I -----------------------------------------------------------------
    async def me(self, context: MerchantContext) -> MeResponse:
        email, verified, memberships = None, False, []
        if context.user_id is not None:
            async with self.db.system_session() as session:
                user = await repository.user_by_id(session, context.user_id)
                memberships = await repository.user_memberships(session, context.user_id)
            if user is not None:
                email, verified = user.email, user.email_verified_at is not None
        return MeResponse(
            user_id=context.user_id,
            email=email,
            email_verified=verified,
            tenant_id=context.tenant_id,
            role=context.role,
            api_key_id=context.api_key_id,
            memberships=[MembershipOut(tenant_id=m.tenant_id, role=m.role) for m in memberships],
        )
