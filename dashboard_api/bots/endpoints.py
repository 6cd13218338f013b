"""`/v1/bots/...`: bot configuration, the embed snippet, key rotation and a live preview."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.bots import service
from dashboard_api.bots.schemas import (
    BotCreate,
    BotOut,
    BotUpdate,
    SnippetOut,
    TryRequest,
    TryResponse,
)
from dashboard_api.dependencies import DashboardRuntime, RuntimeDep
from dashboard_api.openapi import QUOTA_RESPONSES
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest
from web.client import ClientDep, ClientInfo

router = APIRouter(prefix="/bots", tags=["bots"])


@router.get("", operation_id="bots_list")
async def list_bots(
    context: MerchantRead,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal["created_at", "-created_at", "name", "-name"] = "created_at",
    is_active: bool | None = None,
) -> Page[BotOut]:
    return await service.list_bots(
        session, context, PageRequest(sort, cursor, limit), is_active=is_active
    )


def _writing(runtime: DashboardRuntime, client: ClientInfo) -> service.BotWriting:
    return service.BotWriting(
        secret_box=runtime.deps.secret_box, outbound=runtime.outbound_policy(), client=client
    )


@router.post(
    "", status_code=status.HTTP_201_CREATED, operation_id="bots_create", responses=QUOTA_RESPONSES
)
async def create_bot(
    body: BotCreate,
    context: MerchantWrite,
    session: TenantSession,
    runtime: RuntimeDep,
    client: ClientDep,
) -> BotOut:
    """`llm.api_key` is write-only (encrypted at rest, shown as `llm.has_api_key`); an
    `llm.base_url` needs it (422 `llm_base_url_requires_api_key`) and must pass the
    outbound guard (422 `url_not_allowed`)."""
    return await service.create_bot(session, context, body, _writing(runtime, client))


@router.get("/{bot_id}", operation_id="bots_get")
async def get_bot(bot_id: uuid.UUID, context: MerchantRead, session: TenantSession) -> BotOut:
    return service.bot_out(await service.get_bot(session, context, bot_id))


@router.patch("/{bot_id}", operation_id="bots_update", responses=QUOTA_RESPONSES)
async def update_bot(
    bot_id: uuid.UUID,
    body: BotUpdate,
    context: MerchantWrite,
    session: TenantSession,
    runtime: RuntimeDep,
    client: ClientDep,
) -> BotOut:
    """`llm.api_key` replaces the bot's own model key, `null` removes it; the same rules as
    on create apply to the resulting `llm.base_url`."""
    return await service.update_bot(session, context, bot_id, body, _writing(runtime, client))


@router.delete("/{bot_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="bots_delete")
async def delete_bot(
    bot_id: uuid.UUID, context: MerchantWrite, session: TenantSession, client: ClientDep
) -> Response:
    """Deletes the bot with its conversations."""
    await service.delete_bot(session, context, bot_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{bot_id}/snippet", operation_id="bots_snippet")
async def get_snippet(
    bot_id: uuid.UUID, context: MerchantRead, session: TenantSession, runtime: RuntimeDep
) -> SnippetOut:
    """The one `<script>` tag to paste into the store's pages (the configured public URL,
    never the request's Host)."""
    return await service.get_snippet(session, context, bot_id, runtime.public_api_url)


@router.post("/{bot_id}/widget-key/rotate", operation_id="bots_rotate_widget_key")
async def rotate_widget_key(
    bot_id: uuid.UUID, context: MerchantWrite, session: TenantSession, client: ClientDep
) -> BotOut:
    """A new widget key; pages with the old snippet stop opening sessions."""
    return await service.rotate_widget_key(session, context, bot_id, client)


@router.post("/{bot_id}/try", operation_id="bots_try", responses=QUOTA_RESPONSES)
async def try_bot(
    bot_id: uuid.UUID, body: TryRequest, context: MerchantWrite, runtime: RuntimeDep
) -> TryResponse:
    """Ask the bot as a shopper would. Preview conversations are marked (visitor id
    `preview:...`) and left out of analytics and, by default, of the conversation list.
    Rate limited per user (or API key) and per business (429 with `Retry-After`); each
    preview counts as a message of the month."""
    await service.throttle_preview(runtime.throttle, runtime.deps.preview_throttle, context)
    return await service.try_bot(runtime.db, runtime.deps.answer_service, context, bot_id, body)
