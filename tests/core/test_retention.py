"""core.privacy.retention: exactly what is older than the tenant's setting is purged (the
boundary to the second), with messages, feedback and events; in batches; per tenant;
audited with counts only. Real PostgreSQL under the application role (RLS applies)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from core.db.database import Database
from core.ids import TenantId, new_id
from core.models import AuditLogEntry, Conversation, Feedback, Message, Tenant, WidgetEvent
from core.privacy.retention import (
    AUDIT_ACTION,
    PurgeCounts,
    purge_expired,
    purge_tenant,
    retention_cutoff,
)
from core.provisioning import ProvisionedTenant, provision_tenant

NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


async def _tenant(db: Database, name: str, retention_days: int | None) -> ProvisionedTenant:
    created = await provision_tenant(db, name=name, allowed_origins=["https://shop.test"])
    async with db.tenant_session(created.tenant_id) as session:
        await session.execute(
            update(Tenant)
            .where(Tenant.id == created.tenant_id)
            .values(retention_days=retention_days)
        )
    return created


async def _conversation(
    db: Database, shop: ProvisionedTenant, last_activity: datetime
) -> uuid.UUID:
    """A conversation last active at `last_activity`: a question, a rated answer, a click."""
    tenant_id, conversation_id = shop.tenant_id, new_id()
    question_id, answer_id = new_id(), new_id()
    async with db.tenant_session(tenant_id) as session:
        session.add(
            Conversation(
                id=conversation_id,
                tenant_id=tenant_id,
                bot_id=shop.bot_id,
                visitor_id="v_retention",
                last_message_at=last_activity,
                created_at=last_activity - timedelta(minutes=5),
                message_count=2,
            )
        )
        await session.flush()
        for message_id, role in ((question_id, "user"), (answer_id, "assistant")):
            session.add(
                Message(
                    id=message_id,
                    tenant_id=tenant_id,
                    conversation_id=conversation_id,
                    role=role,
                    content=f"{role} text",
                    created_at=last_activity,
                )
            )
        await session.flush()
        session.add(Feedback(tenant_id=tenant_id, message_id=answer_id, rating="up"))
        session.add(
            WidgetEvent(
                tenant_id=tenant_id,
                bot_id=shop.bot_id,
                conversation_id=conversation_id,
                message_id=answer_id,
                type="product_click",
                created_at=last_activity,
            )
        )
    return conversation_id


async def _lone_event(db: Database, shop: ProvisionedTenant, at: datetime) -> uuid.UUID:
    event_id = new_id()
    async with db.tenant_session(shop.tenant_id) as session:
        session.add(
            WidgetEvent(
                id=event_id,
                tenant_id=shop.tenant_id,
                bot_id=shop.bot_id,
                type="open",
                created_at=at,
            )
        )
    return event_id


async def _ids(
    db: Database, tenant_id: TenantId, model: type[Conversation] | type[WidgetEvent]
) -> set[uuid.UUID]:
    async with db.tenant_session(tenant_id) as session:
        return set((await session.scalars(select(model.id))).all())


async def _count(db: Database, tenant_id: TenantId, model: type) -> int:
    async with db.tenant_session(tenant_id) as session:
        return (await session.scalar(select(func.count()).select_from(model))) or 0


async def test_exactly_what_is_older_than_the_cutoff_goes(db: Database) -> None:
    shop = await _tenant(db, "Retention Outdoors", 30)
    cutoff = retention_cutoff(NOW, 30)
    assert cutoff == NOW - timedelta(days=30)
    before = await _conversation(db, shop, cutoff - SECOND)
    much_before = await _conversation(db, shop, cutoff - timedelta(days=200))
    at = await _conversation(db, shop, cutoff)
    after = await _conversation(db, shop, cutoff + SECOND)
    old_event, kept_event = (
        await _lone_event(db, shop, cutoff - SECOND),
        await _lone_event(db, shop, cutoff),
    )

    run = await purge_tenant(db, shop.tenant_id, now=NOW)

    assert run.counts == PurgeCounts(conversations=2, messages=4, feedback=2, widget_events=3)
    assert await _ids(db, shop.tenant_id, Conversation) == {at, after}
    assert before not in await _ids(db, shop.tenant_id, Conversation)
    assert much_before not in await _ids(db, shop.tenant_id, Conversation)
    assert await _count(db, shop.tenant_id, Message) == 4
    assert await _count(db, shop.tenant_id, Feedback) == 2
    events = await _ids(db, shop.tenant_id, WidgetEvent)
    assert kept_event in events and old_event not in events
    assert len(events) == 3  # the two kept conversations' clicks and the event at the cutoff
    assert run.rows_per_second > 0


async def test_purging_again_removes_nothing_and_a_kept_tenant_is_never_touched(
    db: Database,
) -> None:
    shop = await _tenant(db, "Purged Shop", 90)
    keeper = await _tenant(db, "Keeper Shop", None)
    for tenant in (shop, keeper):
        await _conversation(db, tenant, NOW - timedelta(days=400))
        await _lone_event(db, tenant, NOW - timedelta(days=400))

    first = await purge_expired(db, now=NOW)
    second = await purge_expired(db, now=NOW)

    assert first.tenants == 1 and first.counts.conversations == 1
    assert second.counts == PurgeCounts()
    assert await _count(db, shop.tenant_id, Conversation) == 0
    assert await _count(db, shop.tenant_id, WidgetEvent) == 0
    assert await _count(db, keeper.tenant_id, Conversation) == 1
    assert await _count(db, keeper.tenant_id, WidgetEvent) == 2
    assert (await purge_tenant(db, keeper.tenant_id, now=NOW)).counts == PurgeCounts()


async def test_batches_are_separate_transactions_and_take_everything(db: Database) -> None:
    shop = await _tenant(db, "Batch Shop", 30)
    for day in range(7):
        await _conversation(db, shop, NOW - timedelta(days=40 + day))
    recent = await _conversation(db, shop, NOW - timedelta(days=1))

    run = await purge_tenant(db, shop.tenant_id, now=NOW, batch_size=3)

    # 7 old conversations at 3 a batch: 3 + 3 + 1, then one batch for lone events.
    assert run.batches == 4
    assert run.counts.conversations == 7 and run.counts.messages == 14
    assert await _ids(db, shop.tenant_id, Conversation) == {recent}


async def test_each_run_that_deleted_leaves_an_audit_entry_with_counts_only(db: Database) -> None:
    shop = await _tenant(db, "Audited Shop", 30)
    await _conversation(db, shop, NOW - timedelta(days=31))
    await purge_tenant(db, shop.tenant_id, now=NOW)
    await purge_tenant(db, shop.tenant_id, now=NOW)  # nothing left: no second entry

    async with db.tenant_session(shop.tenant_id) as session:
        entries = (
            await session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == AUDIT_ACTION))
        ).all()
    assert len(entries) == 1
    assert entries[0].details == {
        "conversations": 1,
        "messages": 2,
        "feedback": 1,
        "widget_events": 1,
        "retention_days": 30,
        "cutoff": (NOW - timedelta(days=30)).isoformat(),
    }
    assert entries[0].actor_user_id is None and entries[0].ip is None


async def test_a_conversation_being_written_is_skipped_not_waited_for(
    committed_db: Database,
) -> None:
    db = committed_db
    shop = await _tenant(db, f"Busy Shop {uuid.uuid4().hex[:6]}", 30)
    busy = await _conversation(db, shop, NOW - timedelta(days=60))
    idle = await _conversation(db, shop, NOW - timedelta(days=60))
    try:
        async with db.tenant_session(shop.tenant_id) as writer:
            # The answer service's first transaction holds the conversation's row.
            await writer.execute(
                select(Conversation.id).where(Conversation.id == busy).with_for_update()
            )
            run = await asyncio.wait_for(purge_tenant(db, shop.tenant_id, now=NOW), timeout=10)
        assert run.counts.conversations == 1
        assert await _ids(db, shop.tenant_id, Conversation) == {busy}
        assert idle not in await _ids(db, shop.tenant_id, Conversation)
    finally:
        # Committed rows: leave nothing behind, and no tenant with a retention setting.
        await purge_tenant(db, shop.tenant_id, retention_days=1, now=NOW + timedelta(days=3650))
        async with db.tenant_session(shop.tenant_id) as session:
            await session.execute(
                update(Tenant).where(Tenant.id == shop.tenant_id).values(retention_days=None)
            )


def test_the_purge_is_an_hourly_beat_task() -> None:
    from core.background.celery_app import celery_app
    from core.privacy import tasks

    entry = celery_app.conf.beat_schedule["privacy-retention-purge"]
    assert entry == {"task": "privacy.retention.purge", "schedule": 3600}
    assert entry["task"] == tasks.purge_expired_conversations.name
    assert "privacy.retention.purge" in celery_app.tasks
