"""The dashboard's own expected failures: `AppError`s with stable machine codes.

They become `application/problem+json` through the one handler the composition root
installs (`web.errors`); nothing here knows about HTTP beyond the status code.
"""

from __future__ import annotations

from typing import Any, TypeVar

from core.errors import AppError, BadRequest, Conflict, Forbidden, NotFound, Unauthorized


class InvalidToken(Unauthorized):
    code = "invalid_token"
    title = "Invalid or expired token"


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    title = "Invalid email or password"


class RefreshTokenReused(Unauthorized):
    code = "refresh_token_reused"
    title = "Refresh token already used"


class InsufficientRole(Forbidden):
    code = "insufficient_role"
    title = "Your role does not allow this"

    def __init__(self, required: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail or f"This needs the {required} role or higher.", required_role=required, **extra
        )


class InsufficientScope(Forbidden):
    code = "insufficient_scope"
    title = "The API key's scopes do not allow this"


class AccountDisabled(Forbidden):
    code = "account_disabled"
    title = "Account disabled"


class SeatSuspended(Forbidden):
    code = "seat_suspended"
    title = "Your seat is suspended"


class EmailTaken(Conflict):
    code = "email_taken"
    title = "Email already registered"


class LastOwner(Conflict):
    code = "last_owner"
    title = "A business must keep at least one owner"


class AlreadyMember(Conflict):
    code = "already_member"
    title = "Already a member"


class InvalidCursor(BadRequest):
    code = "invalid_cursor"
    title = "Invalid pagination cursor"


class WeakPassword(AppError):
    status_code = 422
    code = "weak_password"
    title = "Password does not meet the policy"


class InvitationGone(AppError):
    status_code = 410
    code = "invitation_gone"
    title = "Invitation expired or already used"


class TokenGone(AppError):
    status_code = 410
    code = "token_gone"
    title = "Link expired or already used"


class ResourceNotFound(NotFound):
    """A 404 that names the kind of thing (another tenant's id looks exactly the same)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind} not found")


Found = TypeVar("Found")


def found(value: Found | None, kind: str) -> Found:
    """`value` when the lookup found it, else the 404 that names `kind`."""
    if value is None:
        raise ResourceNotFound(kind)
    return value
