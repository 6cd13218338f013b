"""Accounts: registration, email verification, password reset, and who a credential is
(`/v1/auth/register`, `/verify-email`, `/resend-verification`, `/request-password-reset`,
`/reset-password`, `/me`).

`AccountFlows` is an orchestrator, not a request-scoped service: it takes the `Database`
and opens its own transactions, because a user and their one-time tokens carry no tenant
(system session) while the business they belong to is known only once they are read, or
is created by the flow itself (tenant session). Emails go out after the transaction that
stored their token has committed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.background.queue import Send, jobs_of, sending_jobs_after_commit
from core.db.database import Database
from core.email import OutgoingEmail, send_quietly
from core.provisioning import add_tenant_with_bot, new_tenant_id
from dashboard_api.audit_log import service as audit
from dashboard_api.auth import repository
from dashboard_api.auth.context import MerchantContext
from dashboard_api.auth.passwords import check_policy
from dashboard_api.auth.schemas import MembershipOut, MeResponse
from dashboard_api.auth.sign_in_flows import IssuedTokens, issue_tokens, record_sign_in
from dashboard_api.auth.tokens import new_one_time_token, new_refresh_token
from dashboard_api.dependencies import DashboardRuntime
from dashboard_api.errors import EmailTaken, TokenGone
from dashboard_api.throttle import email_identity
from web.client import ClientInfo, address_identity

VERIFY_EMAIL_LIFETIME = timedelta(days=2)
RESET_PASSWORD_LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class Registered:
    tokens: IssuedTokens
    bot_id: uuid.UUID
    email: str


class AccountFlows:
    def __init__(self, db: Database, runtime: DashboardRuntime, *, link_base: str) -> None:
        self.db = db
        self.runtime = runtime
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
        refresh_token = new_refresh_token(tenant_id)
        try:
            # One transaction: the business, its bot and its owner exist together or not at all.
            async with sending_jobs_after_commit(self.db.tenant_session(tenant_id)) as session:
                tenant = await add_tenant_with_bot(
                    session, tenant_id, name=business_name, allowed_origins=[]
                )
                user = await repository.add_user(session, email=email, password_hash=password_hash)
                await repository.add_membership(session, tenant.tenant_id, user.id, "owner")
                await self._queue_verification(session, user.id, email)
                await record_sign_in(
                    session, tenant.tenant_id, user.id, refresh_token, "auth.registered", client
                )
                user_id = user.id
        except IntegrityError:
            # Lost a race with another registration of the same email; nothing was kept.
            raise EmailTaken(
                "An account with this email already exists; sign in instead."
            ) from None
        tokens = issue_tokens(
            self.runtime.tokens, user_id, tenant.tenant_id, "owner", refresh_token
        )
        return Registered(tokens=tokens, bot_id=tenant.bot_id, email=email)

    def _email(self, message: OutgoingEmail) -> Send:
        """Sending `message`, as a job for after the commit that stored its token."""

        async def send() -> None:
            await send_quietly(self.runtime.deps.email_sender, message)

        return send

    def _verification_email(self, email: str, token: str) -> Send:
        return self._email(
            OutgoingEmail(
                to=email,
                subject="Confirm your email for Shopbot",
                body=(
                    "Welcome to Shopbot! Confirm your email address with this link "
                    f"(valid for 2 days):\n\n{self.link_base}/verify-email?token={token}\n"
                ),
            )
        )

    async def _queue_verification(
        self, session: AsyncSession, user_id: uuid.UUID, email: str
    ) -> None:
        """Stores a new verify-email token in `session`'s unit of work and queues its email
        for after the commit (the session must be one of `sending_jobs_after_commit`)."""
        token = new_one_time_token()
        await repository.add_one_time_token(
            session,
            user_id=user_id,
            purpose="verify_email",
            token=token,
            lifetime=VERIFY_EMAIL_LIFETIME,
        )
        jobs_of(session).enqueue("auth.verification_email", self._verification_email(email, token))

    async def resend_verification(self, user_id: uuid.UUID) -> None:
        async with sending_jobs_after_commit(self.db.system_session()) as session:
            user = await repository.user_by_id(session, user_id)
            if user is None or user.email_verified_at is not None:
                return
            await self._queue_verification(session, user.id, user.email)

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
        async with sending_jobs_after_commit(self.db.system_session()) as session:
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
            reset_email = OutgoingEmail(
                to=email,
                subject="Reset your Shopbot password",
                body=(
                    "Someone asked to reset the password of your Shopbot account. If it was you, "
                    "choose a new one here (valid for 1 hour):\n\n"
                    f"{self.link_base}/reset-password?token={token}\n\n"
                    "If it was not you, ignore this email; your password stays as it is.\n"
                ),
            )
            jobs_of(session).enqueue("auth.password_reset_email", self._email(reset_email))

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
