"""Team: members, roles and invitations, in the request's unit of work (each function
takes the session it works in). The invitation email is sent after that unit of work
commits (core.background.queue), so nobody can follow a link to an invitation that is
not stored yet. Accepting is the exception: an orchestrator over the `Database`, since
the business is known only once the token was looked up.

Rules: admins and owners manage the team; the plan's seats count members and pending
invitations, so an invitation past them is a 402; only an owner may make someone an owner or
change/remove an owner; a business always keeps at least one owner (409 `last_owner`),
checked with the owner rows locked so two owners cannot demote each other at once.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.background.queue import jobs_of
from core.billing.room import require_room
from core.db.database import Database
from core.email import EmailSender, OutgoingEmail, send_quietly
from core.errors import Forbidden, Unauthorized
from core.ids import TenantId
from dashboard_api.audit_log import service as audit
from dashboard_api.auth import repository as users
from dashboard_api.auth.context import MerchantContext
from dashboard_api.auth.passwords import Passwords, check_policy
from dashboard_api.auth.tokens import new_one_time_token
from dashboard_api.errors import (
    AlreadyMember,
    InsufficientRole,
    InvitationGone,
    LastOwner,
    found,
)
from dashboard_api.pagination import Page, PageRequest
from dashboard_api.team import repository
from dashboard_api.team.schemas import (
    InvitationAccepted,
    InvitationCreated,
    InvitationOut,
    MemberOut,
)
from web.client import ClientInfo

INVITATION_LIFETIME = timedelta(days=7)


def member_out(row: Any) -> MemberOut:
    membership, email, display_name = row
    return MemberOut(
        user_id=membership.user_id,
        email=email,
        display_name=display_name,
        role=membership.role,
        joined_at=membership.created_at,
    )


def invitation_out(invitation: Any) -> InvitationOut:
    return InvitationOut.model_validate(invitation, from_attributes=True)


def _require_owner_for(context: MerchantContext, *roles: str) -> None:
    if "owner" in roles and context.role != "owner":
        raise InsufficientRole("owner", "Only an owner can grant, change or remove the owner role.")


async def change_role(
    session: AsyncSession,
    context: MerchantContext,
    user_id: uuid.UUID,
    role: str,
    client: ClientInfo,
) -> MemberOut:
    row = found(
        await repository.get_member(session, context.tenant_id, user_id, lock=True), "member"
    )
    current = row[0].role
    _require_owner_for(context, current, role)
    if current == role:
        return member_out(row)
    if current == "owner":
        owners = await repository.lock_owners(session, context.tenant_id)
        if len(owners) <= 1:
            raise LastOwner(
                "Make someone else an owner first: a business needs at least one owner."
            )
    await repository.set_role(session, context.tenant_id, user_id, role)
    await audit.record_by(
        session,
        context,
        "team.role_changed",
        client=client,
        target_type="user",
        target_id=user_id,
        details={"from": current, "to": role},
    )
    updated = await repository.get_member(session, context.tenant_id, user_id)
    return member_out(updated)


async def remove_member(
    session: AsyncSession, context: MerchantContext, user_id: uuid.UUID, client: ClientInfo
) -> None:
    row = found(
        await repository.get_member(session, context.tenant_id, user_id, lock=True), "member"
    )
    current = row[0].role
    _require_owner_for(context, current)
    if current == "owner":
        owners = await repository.lock_owners(session, context.tenant_id)
        if len(owners) <= 1:
            raise LastOwner(
                "A business needs at least one owner; make someone else an owner first."
            )
    await repository.delete_member(session, context.tenant_id, user_id)
    await audit.record_by(
        session,
        context,
        "team.member_removed",
        client=client,
        target_type="user",
        target_id=user_id,
        details={"role": current},
    )


async def list_members(
    session: AsyncSession,
    context: MerchantContext,
    page: PageRequest,
    *,
    role: str | None,
) -> Page[MemberOut]:
    keyset = page.keyset(repository.MEMBER_SORTS)
    rows = await repository.list_members(session, context.tenant_id, keyset, role=role)
    # A row is (membership, email, display name): the email sort reads the joined column.
    by_email = keyset.sort.key.name == "email"
    return keyset.page(
        rows, member_out, key=lambda r: (r[1] if by_email else r[0].created_at, r[0].id)
    )


async def list_invitations(
    session: AsyncSession,
    context: MerchantContext,
    page: PageRequest,
    *,
    pending: bool,
) -> Page[InvitationOut]:
    keyset = page.keyset(repository.INVITATION_SORTS)
    rows = await repository.list_invitations(session, context.tenant_id, keyset, pending=pending)
    return keyset.page(rows, invitation_out)


async def invite(
    session: AsyncSession,
    context: MerchantContext,
    *,
    email: str,
    role: str,
    client: ClientInfo,
    link_base: str,
    email_sender: EmailSender,
) -> InvitationCreated:
    """The invitation email goes out after the request's unit of work committed."""
    _require_owner_for(context, role)
    email = users.normalise_email(email)
    if await repository.member_by_email(session, context.tenant_id, email) is not None:
        raise AlreadyMember("This person is already a member of the business.")
    # A pending invitation holds a seat (core.billing.room.count_usage): 402 at the limit.
    await require_room(session, context.tenant_id, "seats")
    token = new_one_time_token()
    invitation = await repository.add_invitation(
        session,
        context.tenant_id,
        email=email,
        role=role,
        token=token,
        invited_by=context.user_id,
        lifetime=INVITATION_LIFETIME,
    )
    await audit.record_by(
        session,
        context,
        "team.invitation_created",
        client=client,
        target_type="invitation",
        target_id=invitation.id,
        details={"email": email, "role": role},
    )
    message = OutgoingEmail(
        to=email,
        subject="You are invited to a business on Shopbot",
        body=(
            f"You have been invited to join a business on Shopbot as {role}. Accept the invitation "
            f"here (valid for 7 days):\n\n{link_base.rstrip('/')}/accept-invitation?token={token}\n"
        ),
    )

    async def send_email() -> None:
        await send_quietly(email_sender, message)

    jobs_of(session).enqueue("team.invitation_email", send_email)
    return InvitationCreated(**invitation_out(invitation).model_dump(), token=token)


async def revoke_invitation(
    session: AsyncSession, context: MerchantContext, invitation_id: uuid.UUID, client: ClientInfo
) -> None:
    invitation = found(
        await repository.get_invitation(session, context.tenant_id, invitation_id, lock=True),
        "invitation",
    )
    _require_owner_for(context, invitation.role)
    await repository.delete_invitation(session, context.tenant_id, invitation_id)
    await audit.record_by(
        session,
        context,
        "team.invitation_revoked",
        client=client,
        target_type="invitation",
        target_id=invitation_id,
        details={"email": invitation.email, "role": invitation.role},
    )


async def accept_invitation(
    db: Database,
    passwords: Passwords,
    *,
    token: str,
    password: str | None,
    context: MerchantContext | None,
    client: ClientInfo,
) -> InvitationAccepted:
    """Public: the token is the credential. A signed-in user joins with their account (its
    email must be the invited one); someone without an account creates it with a password.

    An orchestrator over `db`: the token is looked up without a tenant (system session),
    then the business it names is joined in one tenant transaction."""
    async with db.system_session() as session:
        by_token = await repository.find_invitation_by_token(session, token)
    if by_token is None:
        raise InvitationGone("This invitation is invalid, expired or already used.")
    tenant_id = TenantId(by_token.tenant_id)
    new_password_hash = await passwords.hash(password) if password and context is None else None
    async with db.tenant_session(tenant_id) as session:
        invitation = await repository.get_invitation(
            session, tenant_id, by_token.invitation_id, lock=True
        )
        if (
            invitation is None
            or invitation.accepted_at is not None
            or await repository.is_expired(session, invitation)
        ):
            raise InvitationGone("This invitation is invalid, expired or already used.")
        user_id = await _invitee(session, invitation.email, password, new_password_hash, context)
        if await repository.get_member(session, tenant_id, user_id) is not None:
            raise AlreadyMember("You are already a member of this business.")
        await users.add_membership(session, tenant_id, user_id, invitation.role)
        await repository.mark_accepted(session, invitation)
        await audit.record(
            session,
            tenant_id,
            "team.invitation_accepted",
            client=client,
            actor_user_id=user_id,
            target_type="invitation",
            target_id=invitation.id,
            details={"role": invitation.role},
        )
        return InvitationAccepted(tenant_id=tenant_id, user_id=user_id, role=invitation.role)


async def _invitee(
    session: AsyncSession,
    email: str,
    password: str | None,
    password_hash: str | None,
    context: MerchantContext | None,
) -> uuid.UUID:
    if context is not None:
        if context.user_id is None:
            raise Forbidden("API keys cannot accept invitations.")
        user = await users.user_by_id(session, context.user_id)
        if user is None or user.email != email:
            raise Forbidden("This invitation was sent to another email address.")
        return user.id
    if await users.user_by_email(session, email) is not None:
        raise Unauthorized(
            "An account with the invited email exists: sign in, then accept with your access token."
        )
    if not password or password_hash is None:
        raise Unauthorized("Sign in to accept, or give a password to create your account.")
    check_policy(password, email=email)
    # Receiving the invitation at this address proves it.
    user = await users.add_user(session, email=email, password_hash=password_hash, verified=True)
    return user.id
