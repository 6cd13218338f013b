from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import entitlement_for
from core.crypto import SecretBox
from core.db.database import Database
from core.ids import BotId, new_widget_key
from core.outbound import OutboundPolicy
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.bots import plan_checks, repository
from dashboard_api.bots.model_endpoint import check_model_endpoint, split_key
from dashboard_api.bots.schemas import (
    BotCreate,
    BotOut,
    BotUpdate,
    SnippetOut,
    TryRequest,
    TryResponse,
)
from dashboard_api.dependencies import AnswerProvider
from dashboard_api.errors import ResourceNotFound, found
from dashboard_api.pagination import Page, PageRequest
from dashboard_api.throttle import AttemptThrottle, PreviewThrottlePolicy
from engine.answer_events import Question
from engine.types import PageContext
from web.client import ClientInfo
from web.errors import AnsweringUnavailable

# API field → JSON column; these merge key by key on update.
GROUPS = {
    "llm": "llm_settings",
    "retrieval": "retrieval_settings",
    "theme": "theme",
    "rate_limits": "rate_limits",
}
# Conversations opened from the dashboard preview carry this visitor prefix, so analytics
# and the conversation list can leave them out.
PREVIEW_VISITOR_PREFIX = "preview:"
# Columns that cannot be NULL: `null` in a PATCH leaves them as they are.
_REQUIRED_COLUMNS = frozenset(
    {
        "name",
        "is_active",
        "language_policy",
        "allowed_origins",
        "mask_contact_details",
        "consent_required",
    }
)


def bot_out(bot: Any) -> BotOut:
    # The bot's own model key is never shown, only whether there is one.
    llm = {**(bot.llm_settings or {}), "has_api_key": bot.llm_api_key_ciphertext is not None}
    return BotOut(
        id=bot.id,
        name=bot.name,
        widget_key=bot.widget_key,
        is_active=bot.is_active,
        store_id=bot.store_id,
        persona=bot.persona,
        tone=bot.tone,
        greeting=bot.greeting,
        fallback_message=bot.fallback_message,
        language_policy=bot.language_policy,
        custom_instructions=bot.custom_instructions,
        llm=llm,
        retrieval=bot.retrieval_settings or {},
        theme=bot.theme or {},
        rate_limits=bot.rate_limits or {},
        allowed_origins=list(bot.allowed_origins or []),
        mask_contact_details=bot.mask_contact_details,
        consent_required=bot.consent_required,
        consent_text=bot.consent_text,
        suspended_by_plan=bot.suspended_by_plan_at is not None,
        created_at=bot.created_at,
        updated_at=bot.updated_at,
    )


def _merged(current: dict[str, Any] | None, patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current or {})
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


async def _check_store(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID | None
) -> None:
    if store_id is not None and not await repository.store_exists(
        session, context.tenant_id, store_id
    ):
        raise ResourceNotFound("store")


@dataclass(frozen=True)
class BotWriting:
    """What writing a bot needs beyond the session: the key box and the outbound policy
    for the bot's own model key and endpoint, and the caller for the audit log."""

    secret_box: SecretBox
    outbound: OutboundPolicy
    client: ClientInfo


async def create_bot(
    session: AsyncSession, context: MerchantContext, body: BotCreate, writing: BotWriting
) -> BotOut:
    values = body.model_dump(exclude_none=True, exclude=set(GROUPS))
    await _check_store(session, context, values.get("store_id"))
    for field, column in GROUPS.items():
        group = getattr(body, field)
        if group is not None:
            values[column] = group.model_dump(exclude_none=True)
    llm, key = split_key(values.get("llm_settings", {}))
    values["llm_settings"] = llm or {}
    values["llm_api_key_ciphertext"] = key.ciphertext(writing.secret_box, None)
    has_key = values["llm_api_key_ciphertext"] is not None
    await check_model_endpoint(values["llm_settings"], has_key=has_key, policy=writing.outbound)
    await _check_plan(session, context, values, has_key=has_key, adds_active=body.is_active)
    values["widget_key"] = new_widget_key()
    bot = await repository.add_bot(session, context.tenant_id, values)
    if bot.llm_api_key_ciphertext is not None:
        await _audit_key(session, context, writing, bot.id, "bot.llm_api_key_set")
    return bot_out(bot)


async def _check_plan(
    session: AsyncSession,
    context: MerchantContext,
    values: dict[str, Any],
    *,
    has_key: bool,
    adds_active: bool | None,
) -> None:
    """A new bot within the plan: a slot when it starts active (the quota lock then holds
    until the insert commits), a model the plan pays for, rate limits under its ceiling."""
    tenant_id = context.tenant_id
    if adds_active is not False:
        entitlement = await plan_checks.require_bot_slot(session, tenant_id)
    else:
        entitlement = await entitlement_for(session, tenant_id)
    llm = values["llm_settings"]
    await plan_checks.check_model_allowed(
        session, tenant_id, llm, has_own_key=has_key, entitlement=entitlement
    )
    await plan_checks.check_rate_limits(
        session, tenant_id, values.get("rate_limits") or {}, entitlement
    )


async def get_bot(session: AsyncSession, context: MerchantContext, bot_id: uuid.UUID) -> Any:
    bot = found(await repository.get_bot(session, context.tenant_id, bot_id), "bot")
    return bot


async def update_bot(
    session: AsyncSession,
    context: MerchantContext,
    bot_id: uuid.UUID,
    body: BotUpdate,
    writing: BotWriting,
) -> BotOut:
    bot = found(await repository.get_bot(session, context.tenant_id, bot_id, lock=True), "bot")
    sent = body.model_dump(exclude_unset=True)
    values: dict[str, Any] = {}
    bot_had_key = bot.llm_api_key_ciphertext is not None
    if "llm" in sent:
        sent["llm"], key = split_key(sent["llm"])
        ciphertext = key.ciphertext(writing.secret_box, bot.llm_api_key_ciphertext)
        llm = {} if sent["llm"] is None else _merged(bot.llm_settings, sent["llm"])
        await check_model_endpoint(llm, has_key=ciphertext is not None, policy=writing.outbound)
        await plan_checks.check_model_allowed(
            session, context.tenant_id, llm, has_own_key=ciphertext is not None
        )
        if not key.keeps:
            values["llm_api_key_ciphertext"] = ciphertext
    for field, value in sent.items():
        if field in GROUPS:
            column = GROUPS[field]
            values[column] = {} if value is None else _merged(getattr(bot, column), value)
        elif field in _REQUIRED_COLUMNS and value is None:
            continue  # required columns: null means "leave as is"
        else:
            values[field] = value
    if "store_id" in values:
        await _check_store(session, context, values["store_id"])
    if sent.get("rate_limits"):
        await plan_checks.check_rate_limits(session, context.tenant_id, values["rate_limits"])
    await _switching(session, context, bot, values)
    updated = await repository.update_bot(session, context.tenant_id, bot_id, values)
    assert updated is not None
    if "llm_api_key_ciphertext" in values and (values["llm_api_key_ciphertext"] or bot_had_key):
        action = (
            "bot.llm_api_key_set" if values["llm_api_key_ciphertext"] else "bot.llm_api_key_removed"
        )
        await _audit_key(session, context, writing, bot_id, action)
    return bot_out(updated)


async def _switching(
    session: AsyncSession, context: MerchantContext, bot: Any, values: dict[str, Any]
) -> None:
    """Enabling a disabled bot takes a slot (402 at the limit). Either switch is the
    merchant's choice, so it clears the plan's suspension: an upgrade resumes only what the
    plan suspended, never a bot the merchant turned off."""
    if "is_active" not in values:
        return
    if values["is_active"] and not bot.is_active:
        await plan_checks.require_bot_slot(session, context.tenant_id)
    values["suspended_by_plan_at"] = None


async def _audit_key(
    session: AsyncSession,
    context: MerchantContext,
    writing: BotWriting,
    bot_id: uuid.UUID,
    action: str,
) -> None:
    # Who set or removed a key, and when; never the key.
    await audit.record_by(
        session, context, action, client=writing.client, target_type="bot", target_id=bot_id
    )


async def delete_bot(
    session: AsyncSession, context: MerchantContext, bot_id: uuid.UUID, client: ClientInfo
) -> None:
    if not await repository.delete_bot(session, context.tenant_id, bot_id):
        raise ResourceNotFound("bot")
    await audit.record_by(
        session, context, "bot.deleted", client=client, target_type="bot", target_id=bot_id
    )


async def rotate_widget_key(
    session: AsyncSession, context: MerchantContext, bot_id: uuid.UUID, client: ClientInfo
) -> BotOut:
    found(await repository.get_bot(session, context.tenant_id, bot_id, lock=True), "bot")
    updated = await repository.update_bot(
        session, context.tenant_id, bot_id, {"widget_key": new_widget_key()}
    )
    assert updated is not None
    await audit.record_by(
        session,
        context,
        "bot.widget_key_rotated",
        client=client,
        target_type="bot",
        target_id=bot_id,
    )
    return bot_out(updated)


async def list_bots(
    session: AsyncSession,
    context: MerchantContext,
    page: PageRequest,
    *,
    is_active: bool | None,
) -> Page[BotOut]:
    keyset = page.keyset(repository.BOT_SORTS)
    rows = await repository.list_bots(session, context.tenant_id, keyset, is_active=is_active)
    return keyset.page(rows, bot_out)


async def get_snippet(
    session: AsyncSession, context: MerchantContext, bot_id: uuid.UUID, public_base_url: str
) -> SnippetOut:
    return snippet(await get_bot(session, context, bot_id), public_base_url)


def snippet(bot: Any, public_base_url: str) -> SnippetOut:
    script_url = public_base_url.rstrip("/") + "/widget.js"
    tag = (
        f'<script src="{html.escape(script_url, quote=True)}" '
        f'data-widget-key="{html.escape(bot.widget_key, quote=True)}" async></script>'
    )
    return SnippetOut(snippet=tag, script_url=script_url, widget_key=bot.widget_key)


async def throttle_preview(
    throttle: AttemptThrottle, policy: PreviewThrottlePolicy, context: MerchantContext
) -> None:
    await throttle.hit(
        "bot_try_actor", f"{context.tenant_id}:{context.actor_label}", policy.per_actor
    )
    await throttle.hit("bot_try_tenant", str(context.tenant_id), policy.per_tenant)


async def try_bot(
    db: Database,
    service: AnswerProvider | None,
    context: MerchantContext,
    bot_id: uuid.UUID,
    body: TryRequest,
) -> TryResponse:
    """Answer exactly as the widget would. An orchestrator over `db`: no transaction is
    held while the model answers (the answer service opens its own units of work)."""
    async with db.tenant_session(context.tenant_id) as session:
        if not await repository.bot_exists(session, context.tenant_id, bot_id):
            raise ResourceNotFound("bot")
    if service is None:
        raise AnsweringUnavailable("Answering is not configured on this server.")
    page = PageContext(url=body.page.url, product_id=body.page.product_id) if body.page else None
    result = await service.answer(
        Question(
            tenant_id=context.tenant_id,
            bot_id=BotId(bot_id),
            message=body.message,
            conversation_id=body.conversation_id,
            page=page,
            visitor_id=PREVIEW_VISITOR_PREFIX + context.actor_label,
            # The merchant trying their own bot: stored (and listed) even when the bot asks
            # shoppers for consent first.
            consent=True,
        )
    )
    # Stored, so never None (only a shopper who did not consent gets no ids).
    assert result.conversation_id is not None and result.message_id is not None
    return TryResponse(
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        answer=result.answer,
        sources=result.sources,
    )
