"""SQL for users, memberships (as seen before a tenant is known), refresh tokens and
one-time tokens. `users`, `refresh_tokens` and `one_time_tokens` carry no tenant and are
visible to the application role; a user's memberships across businesses come only from
the `app_user_tenants` SECURITY DEFINER lookup."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import token_hash
from core.ids import TenantId
from core.models import Membership, OneTimeToken, RefreshToken, User


@dataclass(frozen=True)
class UserMembership:
    tenant_id: TenantId
    role: str
    created_at: datetime


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id))


async def add_user(
    session: AsyncSession, *, email: str, password_hash: str, verified: bool = False
) -> User:
    user = User(email=normalise_email(email), password_hash=password_hash)
    if verified:
        user.email_verified_at = func.now()
    session.add(user)
    await session.flush()
    return user


async def set_password_hash(session: AsyncSession, user_id: uuid.UUID, password_hash: str) -> None:
    await session.execute(
        update(User).where(User.id == user_id).values(password_hash=password_hash)
    )


async def mark_email_verified(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(User)
        .where(User.id == user_id, User.email_verified_at.is_(None))
        .values(email_verified_at=func.now())
    )


_USER_TENANTS = text("SELECT tenant_id, role, created_at FROM app_user_tenants(:user_id)")


async def user_memberships(session: AsyncSession, user_id: uuid.UUID) -> list[UserMembership]:
    """Oldest first: the first one is the default business at login."""
    rows = (await session.execute(_USER_TENANTS, {"user_id": user_id})).all()
    return [UserMembership(TenantId(r.tenant_id), r.role, r.created_at) for r in rows]


async def membership_role(
    session: AsyncSession, tenant_id: TenantId, user_id: uuid.UUID
) -> str | None:
    return await session.scalar(
        select(Membership.role).where(
            Membership.tenant_id == tenant_id, Membership.user_id == user_id
        )
    )


async def add_membership(
    session: AsyncSession, tenant_id: TenantId, user_id: uuid.UUID, role: str
) -> Membership:
    membership = Membership(tenant_id=tenant_id, user_id=user_id, role=role)
    session.add(membership)
    await session.flush()
    return membership


# --- refresh tokens -------------------------------------------------------------------


async def add_refresh_token(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    token: str,
    lifetime: timedelta,
) -> None:
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family_id,
            token_hash=token_hash(token),
            expires_at=func.now() + lifetime,
        )
    )
    await session.flush()


async def refresh_token_by_value(session: AsyncSession, token: str) -> RefreshToken | None:
    return await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)).with_for_update()
    )


async def mark_rotated(session: AsyncSession, token_id: uuid.UUID) -> bool:
    """Atomically: only one of two concurrent refreshes with the same token wins."""
    rotated = await session.scalar(
        update(RefreshToken)
        .where(
            RefreshToken.id == token_id,
            RefreshToken.rotated_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(rotated_at=func.now())
        .returning(RefreshToken.id)
    )
    return rotated is not None


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def revoke_user_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def is_expired(session: AsyncSession, moment: datetime) -> bool:
    return bool(await session.scalar(select(func.now() >= moment)))


# --- one-time tokens ------------------------------------------------------------------


async def add_one_time_token(
    session: AsyncSession, *, user_id: uuid.UUID, purpose: str, token: str, lifetime: timedelta
) -> None:
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=func.now() + lifetime,
        )
    )
    await session.flush()


async def usable_one_time_token(
    session: AsyncSession, *, purpose: str, token: str
) -> OneTimeToken | None:
    return await session.scalar(
        select(OneTimeToken)
        .where(
            OneTimeToken.token_hash == token_hash(token),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > func.now(),
        )
        .with_for_update()
    )


async def use_one_time_tokens(session: AsyncSession, *, user_id: uuid.UUID, purpose: str) -> None:
    """Spend every open token of this purpose: one reset invalidates the other links too."""
    await session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=func.now())
    )
