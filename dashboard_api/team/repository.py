from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import token_hash
from core.ids import TenantId
from core.models import Invitation, Membership, User
from dashboard_api.pagination import Keyset, SortKey

MEMBER_SORTS = (
    SortKey("created_at", Membership.created_at, datetime),
    SortKey("email", User.email, str),
)
INVITATION_SORTS = (SortKey("created_at", Invitation.created_at, datetime),)


async def list_members(
    session: AsyncSession,
    tenant_id: TenantId,
    keyset: Keyset,
    *,
    role: str | None,
) -> list[Any]:
    statement = (
        select(Membership, User.email, User.display_name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id)
    )
    if role:
        statement = statement.where(Membership.role == role)
    return list((await session.execute(keyset.apply(statement, Membership.id))).all())


async def get_member(
    session: AsyncSession, tenant_id: TenantId, user_id: uuid.UUID, *, lock: bool = False
) -> Any:
    statement = (
        select(Membership, User.email, User.display_name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
    )
    if lock:
        statement = statement.with_for_update(of=Membership)
    return (await session.execute(statement)).first()


async def lock_owners(session: AsyncSession, tenant_id: TenantId) -> list[uuid.UUID]:
    """Owner rows locked, so two owners demoting each other cannot both succeed."""
    rows = await session.scalars(
        select(Membership.user_id)
        .where(Membership.tenant_id == tenant_id, Membership.role == "owner")
        .order_by(Membership.id)
        .with_for_update()
    )
    return list(rows)


async def set_role(
    session: AsyncSession, tenant_id: TenantId, user_id: uuid.UUID, role: str
) -> None:
    await session.execute(
        update(Membership)
        .where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
        .values(role=role)
    )


async def delete_member(session: AsyncSession, tenant_id: TenantId, user_id: uuid.UUID) -> None:
    await session.execute(
        delete(Membership).where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
    )


async def member_by_email(
    session: AsyncSession, tenant_id: TenantId, email: str
) -> uuid.UUID | None:
    return await session.scalar(
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id, User.email == email)
    )


async def add_invitation(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    email: str,
    role: str,
    token: str,
    invited_by: uuid.UUID | None,
    lifetime: timedelta,
) -> Invitation:
    invitation = Invitation(
        tenant_id=tenant_id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by_user_id=invited_by,
        expires_at=func.now() + lifetime,
    )
    session.add(invitation)
    await session.flush()
    await session.refresh(invitation)
    return invitation


async def list_invitations(
    session: AsyncSession,
    tenant_id: TenantId,
    keyset: Keyset,
    *,
    pending: bool,
) -> list[Invitation]:
    statement = select(Invitation).where(Invitation.tenant_id == tenant_id)
    if pending:
        statement = statement.where(
            Invitation.accepted_at.is_(None), Invitation.expires_at > func.now()
        )
    return list(await session.scalars(keyset.apply(statement, Invitation.id)))


async def get_invitation(
    session: AsyncSession, tenant_id: TenantId, invitation_id: uuid.UUID, *, lock: bool = False
) -> Invitation | None:
    statement = select(Invitation).where(
        Invitation.tenant_id == tenant_id, Invitation.id == invitation_id
    )
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def delete_invitation(
    session: AsyncSession, tenant_id: TenantId, invitation_id: uuid.UUID
) -> None:
    await session.execute(
        delete(Invitation).where(Invitation.tenant_id == tenant_id, Invitation.id == invitation_id)
    )


_INVITATION_BY_TOKEN = text(
    "SELECT tenant_id, invitation_id FROM app_invitation_by_token(:token_hash)"
)


async def find_invitation_by_token(session: AsyncSession, token: str) -> Any:
    """System session: which business an invitation token belongs to (ids only)."""
    return (await session.execute(_INVITATION_BY_TOKEN, {"token_hash": token_hash(token)})).first()


async def is_expired(session: AsyncSession, invitation: Invitation) -> bool:
    return bool(await session.scalar(select(func.now() >= invitation.expires_at)))


async def mark_accepted(session: AsyncSession, invitation: Invitation) -> None:
    invitation.accepted_at = await session.scalar(select(func.now()))
    await session.flush()
