"""Where widget requests get their tenant: a widget key from an allowed origin (to open a
session), then the session token (every other widget endpoint). Nowhere else in the widget
API is a `TenantId` created.

Key lookup answers: an unknown key, an inactive bot, a missing Origin and an origin the bot
does not allow all get the same 403 `origin_not_allowed`, so a foreign site learns nothing
about which keys exist.

The API's own public origin is also allowed for every bot: that is the dashboard's live
preview (api.sessions.preview), whose sessions are marked `preview` and whose visitor ids
carry the `preview:` prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.cors import allow_origin
from api.dependencies import RuntimeDep
from api.errors import InvalidSession, OriginMismatch, OriginNotAllowed
from api.origins import normalise_request_origin, origin_allowed
from api.rate_limit import Limit, limits_for_bot
from api.sessions import repository
from api.sessions.preview import is_preview_origin
from core.db.database import Database
from core.ids import BotId, StoreId, TenantId
from core.observability.context import bind_tenant
from core.settings import Settings
from engine.answer_events import SearchScope
from engine.bot_config import settings_from_json
from engine.retrieval.settings import RetrievalSettings


@dataclass(frozen=True, slots=True)
class WidgetKeyGrant:
    tenant_id: TenantId
    bot_id: BotId
    origin: str
    preview: bool = False


@dataclass(frozen=True, slots=True)
class WidgetSessionContext:
    tenant_id: TenantId
    bot_id: BotId
    visitor_id: str
    origin: str
    store_id: StoreId | None
    limits: Mapping[str, Limit]
    # The bot's store and retrieval settings, read with its policy (`Question.scope`).
    search_scope: SearchScope


def _not_allowed() -> OriginNotAllowed:
    return OriginNotAllowed("This widget is not enabled for this site.")


async def authenticate_widget_key(
    db: Database, widget_key: str, origin_header: str | None, settings: Settings
) -> WidgetKeyGrant:
    origin = normalise_request_origin(origin_header)
    preview = is_preview_origin(origin, settings)
    async with db.system_session() as session:
        match = await repository.find_by_widget_key(session, widget_key)
    if (
        match is None
        or not match.is_active
        or origin is None
        or not (preview or origin_allowed(origin, match.allowed_origins))
    ):
        raise _not_allowed()
    bind_tenant(
        match.tenant_id, match.bot_id
    )  # the request's log lines and error reports name them
    return WidgetKeyGrant(
        tenant_id=TenantId(match.tenant_id),
        bot_id=BotId(match.bot_id),
        origin=origin,
        preview=preview,
    )


_bearer = HTTPBearer(auto_error=False, description="The widget session token.")


async def widget_session(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> WidgetSessionContext:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise InvalidSession("A widget session token is required (Authorization: Bearer ...).")
    token = credentials.credentials
    request_origin = request.headers.get("origin")
    try:
        claims = runtime.tokens.verify(token)
    except InvalidSession:
        # An authentic but expired token still names its origin: let that origin read the
        # 401 so the widget can renew its session instead of seeing a network error.
        expired = runtime.tokens.verify_ignoring_expiry(token)
        if expired is not None:
            allow_origin(request, expired.origin)
        raise
    if request_origin is not None and normalise_request_origin(request_origin) != claims.origin:
        raise OriginMismatch("This session belongs to another site.")

    tenant_id = TenantId(claims.tenant_id)
    policy = await repository.read_bot_policy(runtime.deps.db, tenant_id, claims.bot_id)
    if policy is None or not policy.is_active:
        allow_origin(request, claims.origin)  # authentic token: its origin may read the 401
        raise InvalidSession("The widget session is no longer valid.")
    preview = is_preview_origin(claims.origin, runtime.deps.settings)
    if not (preview or origin_allowed(claims.origin, policy.allowed_origins)):
        raise _not_allowed()
    allow_origin(request, claims.origin)
    bind_tenant(tenant_id, claims.bot_id)  # the request's log lines and error reports name them
    return WidgetSessionContext(
        tenant_id=tenant_id,
        bot_id=BotId(claims.bot_id),
        visitor_id=claims.visitor_id,
        origin=claims.origin,
        store_id=StoreId(policy.store_id) if policy.store_id else None,
        limits=limits_for_bot(
            policy.rate_limits, ceiling=policy.rate_ceiling, label=f"bot {claims.bot_id}"
        ),
        search_scope=SearchScope(
            policy.store_id,
            settings_from_json(
                RetrievalSettings,
                dict(policy.retrieval_settings),
                bot_id=BotId(claims.bot_id),
                column="retrieval_settings",
            ),
        ),
    )


WidgetSession = Annotated[WidgetSessionContext, Depends(widget_session)]
