from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Role = Literal["owner", "admin", "editor", "viewer"]


class MemberOut(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str | None = None
    role: Role
    joined_at: datetime


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr
    role: Role = "viewer"


class InvitationOut(BaseModel):
    id: uuid.UUID
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    invited_by_user_id: uuid.UUID | None = None


class InvitationCreated(InvitationOut):
    token: str = Field(description="Shown once: the invitee accepts with it (it is also emailed).")


class InvitationAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=512)
    password: str | None = Field(
        default=None,
        min_length=1,
        max_length=1024,
        description="For someone without an account: creates it with the invited email.",
    )


class InvitationAccepted(BaseModel):
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    role: Role
