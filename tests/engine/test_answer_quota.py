"""The answer service against the tenant's plan: a message beyond the month's quota is
refused with the bot's fallback and leaves nothing behind; the platform's model-token budget
spent means offline answers (no request reaches the model); each model answer's tokens are
recorded, priced, as spend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from core.billing import usage
from core.billing.entitlements import entitlement_for
from core.billing.plan_changes import set_plan_manually
from core.billing.plans import offered_plan
from core.billing.prices import cost_micro_usd
from core.db.database import Database
from core.ids import BotId
from core.models import Bot, Conversation, Message, ModelUsageDaily, Tenant
from core.models.billing import Subscription, UsageMetric
from emulators.openai import FakeOpenAI
from emulators.openai.wire import count_tokens
from engine.answer import AnswerService
from engine.bot_config import load_bot
from engine.embeddings import shared_local_embedder
from engine.quota import NEUTRAL_FALLBACK, MessageQuotaExhausted
from tests.engine.support import question as _question
from tests.engine.support import use_openai as _use_openai

FREE_MESSAGES = 500  # the Free plan's messages_per_month (migration 0005)
FREE_TOKENS = 1_500_000  # the Free plan's model_tokens_per_month


async def test_the_numbers_here_are_the_free_plans(db) -> None:
    async with db.system_session() as session:
        limits = (await offered_plan(session, "free")).limits
    assert (limits.messages_per_month, limits.model_tokens_per_month) == (
        FREE_MESSAGES,
        FREE_TOKENS,
    )


@pytest.mark.parametrize(
    ("plan", "status", "grace_days"),
    [
        (None, None, None),  # no billing row: Free
        ("growth", "manual", None),
        ("growth", "active", None),
        ("starter", "past_due", 3),  # within the grace period: still Starter
        ("starter", "past_due", -1),  # past it: Free
        ("scale", "canceled", None),
    ],
)
async def test_the_plan_read_with_the_bot_is_the_entitlement(
    db, shop, plan, status, grace_days
) -> None:
    tenant, _ = shop
    async with db.tenant_session(tenant.tenant_id) as session:
        if plan is not None:
            await set_plan_manually(session, tenant.tenant_id, await offered_plan(session, plan))
            grace = None if grace_days is None else datetime.now(UTC) + timedelta(days=grace_days)
            await session.execute(
                update(Subscription)
                .where(Subscription.tenant_id == tenant.tenant_id)
                .values(status=status, grace_until=grace)
            )
        await usage.add(session, tenant.tenant_id, UsageMetric.MODEL_TOKENS, 1234)
        expected = await entitlement_for(session, tenant.tenant_id)
        loaded = await load_bot(session, tenant.tenant_id, BotId(tenant.bot_id), with_plan=True)
    assert loaded.plan is not None
    assert (loaded.plan.code, loaded.plan.limits) == (expected.plan.code, expected.limits)
    assert loaded.plan.model_tokens_used == 1234


async def _count(db: Database, tenant_id, model) -> int:
    async with db.tenant_session(tenant_id) as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _used(db: Database, tenant_id, metric: UsageMetric) -> int:
    async with db.tenant_session(tenant_id) as session:
        return (await usage.used_this_month(session, tenant_id, [metric]))[metric]


async def _fill(db: Database, tenant_id, metric: UsageMetric, amount: int) -> None:
    async with db.tenant_session(tenant_id) as session:
        await usage.add(session, tenant_id, metric, amount)


async def _platform_service(db: Database, fake_openai: FakeOpenAI) -> AnswerService:
    return AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )


async def test_a_message_beyond_the_quota_is_refused_with_the_bots_fallback_and_nothing_kept(
    db, shop
) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    await service.answer(_question(tenant, "do you have a rain jacket?"))
    assert await _used(db, tenant.tenant_id, UsageMetric.MESSAGES) == 1
    await _fill(db, tenant.tenant_id, UsageMetric.MESSAGES, FREE_MESSAGES - 1)
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(fallback_message="Please email help@peak.test, we answer within a day.")
        )
    conversations_before = await _count(db, tenant.tenant_id, Conversation)
    messages_before = await _count(db, tenant.tenant_id, Message)

    with pytest.raises(MessageQuotaExhausted) as refused:
        await service.answer(_question(tenant, "and a tent?"))

    problem = refused.value.problem()
    assert (problem["status"], problem["code"], problem["quota"]) == (
        402,
        "quota_exceeded",
        "messages_per_month",
    )
    assert problem["fallback"] == "Please email help@peak.test, we answer within a day."
    assert not {"limit", "usage", "plan"} & problem.keys(), "a shopper sees no merchant numbers"
    assert (refused.value.limit, refused.value.used, refused.value.plan) == (500, 500, "free")
    assert await _count(db, tenant.tenant_id, Conversation) == conversations_before
    assert await _count(db, tenant.tenant_id, Message) == messages_before
    assert await _used(db, tenant.tenant_id, UsageMetric.MESSAGES) == FREE_MESSAGES


@pytest.mark.parametrize(
    ("email", "phone", "expected"),
    [
        ("help@peak.test", "+1 555 0100", "reach us at help@peak.test or +1 555 0100."),
        (None, "+1 555 0100", "reach us at +1 555 0100."),
        (None, None, NEUTRAL_FALLBACK),
    ],
)
async def test_without_a_fallback_message_the_shopper_gets_the_contact_details(
    db, shop, email, phone, expected
) -> None:
    tenant, _ = shop
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Tenant)
            .where(Tenant.id == tenant.tenant_id)
            .values(support_email=email, support_phone=phone)
        )
    await _fill(db, tenant.tenant_id, UsageMetric.MESSAGES, FREE_MESSAGES)
    service = AnswerService(db, shared_local_embedder())
    with pytest.raises(MessageQuotaExhausted) as refused:
        await service.answer(_question(tenant, "do you have a tent?"))
    assert refused.value.fallback.endswith(expected)


async def test_without_enforcement_the_quota_is_not_counted(db, shop) -> None:
    tenant, _ = shop
    await _fill(db, tenant.tenant_id, UsageMetric.MESSAGES, FREE_MESSAGES)
    service = AnswerService(db, shared_local_embedder(), enforce_quotas=False)
    result = await service.answer(_question(tenant, "do you have a tent?"))
    assert result.answer
    assert await _used(db, tenant.tenant_id, UsageMetric.MESSAGES) == FREE_MESSAGES


async def test_over_the_token_budget_the_platform_model_is_not_called(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    await _fill(db, tenant.tenant_id, UsageMetric.MODEL_TOKENS, FREE_TOKENS)
    service = await _platform_service(db, fake_openai)
    first = await service.answer(_question(tenant, "do you have a headlamp?"))
    # A follow-up would be rewritten by the model too: that call is not made either.
    await service.answer(
        _question(tenant, "is it waterproof?", conversation_id=first.conversation_id)
    )
    assert "Camping Headlamp" in first.answer, "the offline answerer answers from the facts"
    assert fake_openai.requests_to("/v1/chat/completions") == []
    assert await _count(db, tenant.tenant_id, ModelUsageDaily) == 0, "no model spend"
    assert await _used(db, tenant.tenant_id, UsageMetric.MODEL_TOKENS) == FREE_TOKENS
    assert await _used(db, tenant.tenant_id, UsageMetric.MESSAGES) == 2, "messages still count"


async def test_each_model_answer_is_recorded_as_priced_spend(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    replies = ("We have the Camping Headlamp.", "The Alpine Rain Jacket is waterproof.")
    fake_openai.reply_with(*replies)
    service = await _platform_service(db, fake_openai)
    await service.answer(_question(tenant, "do you have a headlamp?"))
    await service.answer(_question(tenant, "do you have a rain jacket?"))

    requests = fake_openai.requests_to("/v1/chat/completions")
    assert len(requests) == 2
    prompt = sum(count_tokens(str(m.get("content") or "")) for r in requests for m in r.messages)
    completion = sum(count_tokens(reply) for reply in replies)
    async with db.tenant_session(tenant.tenant_id) as session:
        rows = (await session.scalars(select(ModelUsageDaily))).all()
    assert len(rows) == 1
    row = rows[0]
    assert (row.bot_id, row.model, row.answers) == (tenant.bot_id, "gpt-4o-mini", 2)
    assert (row.prompt_tokens, row.completion_tokens) == (prompt, completion)
    assert row.cost_micro_usd > 0
    assert row.cost_micro_usd == pytest.approx(
        cost_micro_usd("gpt-4o-mini", prompt, completion), abs=1
    )
    assert row.platform_tokens == prompt + completion
    assert await _used(db, tenant.tenant_id, UsageMetric.MODEL_TOKENS) == prompt + completion


async def test_offline_answers_record_no_spend(db, shop) -> None:
    tenant, _ = shop
    await AnswerService(db, shared_local_embedder()).answer(
        _question(tenant, "do you have a headlamp?")
    )
    assert await _count(db, tenant.tenant_id, ModelUsageDaily) == 0
    assert await _used(db, tenant.tenant_id, UsageMetric.MODEL_TOKENS) == 0


async def test_a_model_the_plan_no_longer_includes_is_capped_on_the_platforms_key(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    """A bot set to gpt-4o on Growth, then downgraded to Free (gpt-4o-mini only): its answers
    are asked of gpt-4o-mini, and spend is recorded under the model that answered."""
    tenant, _ = shop
    await _use_openai(db, tenant)
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(llm_settings={"provider": "openai", "model": "gpt-4o"})
        )
    fake_openai.reply_with("We have the Camping Headlamp.")
    service = await _platform_service(db, fake_openai)
    await service.answer(_question(tenant, "do you have a headlamp?"))
    [request] = fake_openai.requests_to("/v1/chat/completions")
    assert request.body["model"] == "gpt-4o-mini"
    async with db.tenant_session(tenant.tenant_id) as session:
        models = (await session.scalars(select(ModelUsageDaily.model))).all()
    assert models == ["gpt-4o-mini"]
