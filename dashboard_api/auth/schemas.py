from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Password = Field(
    min_length=1,
    max_length=1024,
    description="At least 10 characters.",
    examples=["a long pass phrase"],
)


# "token": the refresh token in the JSON body (API clients, today's default). "cookie": the
# web app; the refresh token goes into an HttpOnly cookie only (auth.browser_sessions).
SessionMode = Literal["token", "cookie"]
SESSION_DESCRIPTION = (
    "Where the refresh token goes: the body (`token`) or an HttpOnly cookie "
    "(`cookie`, for the web app; the body's `refresh_token` is then null)."
)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegisterRequest(_Request):
    email: EmailStr
    password: str = Password
    business_name: str = Field(min_length=1, max_length=200)
    session: SessionMode = Field(default="token", description=SESSION_DESCRIPTION)


class LoginRequest(_Request):
    email: EmailStr
    password: str = Field(min_length=1, max_length=1024)
    tenant_id: uuid.UUID | None = Field(
        default=None, description="Which business to sign in to; default: the first membership."
    )
    session: SessionMode = Field(default="token", description=SESSION_DESCRIPTION)


class RefreshRequest(_Request):
    refresh_token: str = Field(min_length=1, max_length=512)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str | None = Field(
        description="The refresh token; null when it was set as the HttpOnly `shopbot_refresh` "
        "cookie (`session: cookie`, and always on `session/refresh`)."
    )
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    role: str


class RegisterResponse(TokenResponse):
    bot_id: uuid.UUID
    email: str
    email_verified: bool = False


class TokenRequest(_Request):
    token: str = Field(min_length=1, max_length=512)


class PasswordResetRequest(_Request):
    email: EmailStr


class ResetPasswordRequest(_Request):
    token: str = Field(min_length=1, max_length=512)
    password: str = Password


class Accepted(BaseModel):
    status: Literal["accepted"] = "accepted"
    detail: str


class EmailVerified(BaseModel):
    email_verified: bool


class MembershipOut(BaseModel):
    tenant_id: uuid.UUID
    role: str


class MeResponse(BaseModel):
    user_id: uuid.UUID | None
    email: str | None
    email_verified: bool
    tenant_id: uuid.UUID
    role: str
    api_key_id: uuid.UUID | None = None
    memberships: list[MembershipOut]
