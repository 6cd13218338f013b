"""`/v1/team/...`: members (everyone reads; admin+ changes) and invitations (admin+;
accepting is public: the token is the credential)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.auth.context import MerchantAdmin, MerchantRead, OptionalMerchant, TenantSession
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.openapi import QUOTA_RESPONSES
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest
from dashboard_api.team import service
from dashboard_api.team.schemas import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationOut,
    MemberOut,
    Role,
    RoleChange,
)
from web.client import ClientDep

router = APIRouter(prefix="/team", tags=["team"])

MemberSort = Literal["created_at", "-created_at", "email", "-email"]


@router.get("/members", operation_id="team_members_list")
async def list_members(
    context: MerchantRead,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: MemberSort = "created_at",
    role: Role | None = None,
) -> Page[MemberOut]:
    return await service.list_members(session, context, PageRequest(sort, cursor, limit), role=role)


@router.patch("/members/{user_id}", operation_id="team_members_update")
async def update_member(
    user_id: uuid.UUID,
    body: RoleChange,
    context: MerchantAdmin,
    session: TenantSession,
    client: ClientDep,
) -> MemberOut:
    return await service.change_role(session, context, user_id, body.role, client)


@router.delete(
    "/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="team_members_remove"
)
async def remove_member(
    user_id: uuid.UUID, context: MerchantAdmin, session: TenantSession, client: ClientDep
) -> Response:
    await service.remove_member(session, context, user_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/invitations", operation_id="team_invitations_list")
async def list_invitations(
    context: MerchantAdmin,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal["created_at", "-created_at"] = "-created_at",
    pending: bool = True,
) -> Page[InvitationOut]:
    return await service.list_invitations(
        session, context, PageRequest(sort, cursor, limit), pending=pending
    )


@router.post(
    "/invitations",
    status_code=status.HTTP_201_CREATED,
    operation_id="team_invitations_create",
    responses=QUOTA_RESPONSES,
)
async def create_invitation(
    body: InvitationCreate,
    context: MerchantAdmin,
    session: TenantSession,
    runtime: RuntimeDep,
    client: ClientDep,
) -> InvitationCreated:
    """The token is in this response once (and in the invitation email)."""
    # The email goes out after the request's transaction commits (core.background.queue).
    return await service.invite(
        session,
        context,
        email=body.email,
        role=body.role,
        client=client,
        link_base=runtime.link_base,
        email_sender=runtime.deps.email_sender,
    )


@router.delete(
    "/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="team_invitations_revoke",
)
async def revoke_invitation(
    invitation_id: uuid.UUID, context: MerchantAdmin, session: TenantSession, client: ClientDep
) -> Response:
    await service.revoke_invitation(session, context, invitation_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/invitations/accept", operation_id="team_invitations_accept")
async def accept_invitation(
    body: InvitationAccept, runtime: RuntimeDep, client: ClientDep, context: OptionalMerchant
) -> InvitationAccepted:
    """Public (the token is the credential); acts for the signed-in user when there is one."""
    return await service.accept_invitation(
        runtime.db,
        runtime.passwords,
        token=body.token,
        password=body.password,
        context=context,
        client=client,
    )
