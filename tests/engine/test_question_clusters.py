"""Shopper questions clustered by meaning through the real write path: the answer service
(real database, real MiniLM, the offline answerer) answers each question of a seeded set of
paraphrases and distractors, and the clusters it keeps are scored.

Purity: the share of questions that sit in a cluster whose majority is their own intent (a
distractor is its own intent). Completeness: the share of an intent's paraphrases in that
intent's largest cluster. Purity alone is won by never merging anything, so both are
asserted. Calibration (engine.analytics.question_clusters.JOIN_SIMILARITY) found purity
0.967-1.0 and completeness 0.81-0.92 at the chosen 0.50 over five arrival orders of this
set; the bounds leave a margin below the worst of those."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text, update

from api.sessions.preview import PREVIEW_VISITOR_PREFIX as API_PREVIEW_PREFIX
from core.models import Bot
from core.privacy.retention import (
    _claim_and_uncluster,
    _purge_conversations,
    purge_tenant,
    retention_cutoff,
)
from core.privacy.visitor_data import VisitorScope, erase_visitor
from core.provisioning import provision_tenant
from dashboard_api.bots.service import PREVIEW_VISITOR_PREFIX as DASHBOARD_PREVIEW_PREFIX
from engine.analytics.answered import is_answered
from engine.analytics.question_clusters import PREVIEW_VISITOR_PREFIX
from engine.answer import AnswerService
from engine.embeddings import shared_local_embedder
from tests.engine.support import CATALOGUE, question
from tests.support.index import seed_store

PARAPHRASES = Path(__file__).parents[1] / "fixtures" / "questions" / "paraphrases.json"
MIN_PURITY = 0.95
MIN_COMPLETENESS = 0.80


def _labelled() -> list[tuple[str, str]]:
    data = json.loads(PARAPHRASES.read_text())
    intents = [(q, intent) for intent, qs in data["intents"].items() for q in qs]
    distractors = [(q, f"distractor-{n}") for n, q in enumerate(data["distractors"])]
    return intents + distractors


def scores(assigned: dict[str, object], labels: dict[str, str]) -> tuple[float, float]:
    """(purity, completeness) of `assigned` (question -> cluster) against `labels`."""
    members: dict[object, list[str]] = defaultdict(list)
    clusters_of: dict[str, list[object]] = defaultdict(list)
    for asked, cluster in assigned.items():
        members[cluster].append(labels[asked])
        clusters_of[labels[asked]].append(cluster)
    purity = sum(Counter(m).most_common(1)[0][1] for m in members.values()) / len(assigned)
    paraphrased = {k: v for k, v in clusters_of.items() if not k.startswith("distractor-")}
    kept = sum(Counter(v).most_common(1)[0][1] for v in paraphrased.values())
    return purity, kept / sum(len(v) for v in paraphrased.values())


async def test_paraphrases_share_a_cluster_and_intents_do_not(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    labelled = _labelled()
    assert len({label for _, label in labelled if not label.startswith("d")}) >= 8
    for n, (asked, _) in enumerate(labelled):
        await service.answer(question(tenant, asked, visitor_id=f"v-{n}"))
    async with db.tenant_session(tenant.tenant_id) as session:
        rows = (
            await session.execute(
                text(
                    "SELECT m.content, a.cluster_id FROM question_assignments a "
                    "JOIN messages m ON m.id = a.message_id"
                )
            )
        ).all()
        clusters = await session.scalar(text("SELECT count(*) FROM question_clusters"))
    assigned = {content: cluster for content, cluster in rows}
    assert len(assigned) == len(labelled), "every question is clustered once"
    purity, completeness = scores(assigned, dict(labelled))
    print(
        f"\nquestion clusters: {len(labelled)} questions, {clusters} clusters "
        f"(18 intents and distractors), purity {purity:.3f}, completeness {completeness:.3f}"
    )
    assert purity >= MIN_PURITY
    assert completeness >= MIN_COMPLETENESS


def test_scores_are_what_they_say() -> None:
    labels = {"a1": "a", "a2": "a", "b1": "b", "b2": "b"}
    assert scores({"a1": 1, "a2": 1, "b1": 2, "b2": 2}, labels) == (1.0, 1.0)
    assert scores({"a1": 1, "a2": 1, "b1": 1, "b2": 1}, labels) == (0.5, 1.0)
    assert scores({"a1": 1, "a2": 2, "b1": 3, "b2": 4}, labels) == (1.0, 0.5)


async def test_counts_and_answered_follow_the_reply(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    cited = await service.answer(question(tenant, "is the alpine rain jacket waterproof?"))
    again = await service.answer(question(tenant, "Alpine Rain Jacket waterproof?"))
    assert cited.sources and again.sources
    async with db.tenant_session(tenant.tenant_id) as session:
        clusters = (await session.execute(text("SELECT id, members FROM question_clusters"))).all()
        days = (
            await session.execute(text("SELECT asked, answered FROM question_cluster_days"))
        ).all()
    assert [c.members for c in clusters] == [2]
    assert [(d.asked, d.answered) for d in days] == [(2, 2)]


async def test_previews_and_out_of_scope_questions_are_not_clustered(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    await service.answer(question(tenant, "do you ship to canada?", visitor_id="preview:x"))
    await service.answer(question(tenant, "write a poem about the sea"))
    async with db.tenant_session(tenant.tenant_id) as session:
        assert await session.scalar(text("SELECT count(*) FROM question_assignments")) == 0


async def test_a_turn_stored_without_consent_is_not_clustered(db, shop) -> None:
    tenant, _ = shop
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot).where(Bot.id == tenant.bot_id).values(consent_required=True)
        )
    service = AnswerService(db, shared_local_embedder())
    await service.answer(question(tenant, "do you ship to canada?", consent=False))
    await service.answer(question(tenant, "can you deliver to canada?", consent=True))
    async with db.tenant_session(tenant.tenant_id) as session:
        assert await session.scalar(text("SELECT count(*) FROM question_assignments")) == 1


def test_one_preview_prefix_everywhere() -> None:
    assert PREVIEW_VISITOR_PREFIX == API_PREVIEW_PREFIX == DASHBOARD_PREVIEW_PREFIX


@pytest.mark.parametrize(
    ("status", "sources", "answered"),
    [
        ("ok", [{"product_id": "p"}], True),
        ("ok", [], False),  # the out-of-scope redirect, or an answer citing nothing
        ("no_answer", [{"product_id": "p"}], False),
        ("error", [], False),
    ],
)
def test_answered_means_ok_with_a_source(status: str, sources: list, answered: bool) -> None:
    assert is_answered(status, sources) is answered


async def test_erasure_leaves_no_question_behind(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    await service.answer(
        question(tenant, "How cold can the down sleeping bag go?", visitor_id="jo")
    )
    scope = VisitorScope(tenant_id=tenant.tenant_id, visitor_id="jo")
    async with db.tenant_session(tenant.tenant_id) as session:
        assert await session.scalar(text("SELECT count(*) FROM question_clusters")) == 1
        await erase_visitor(session, scope)
    async with db.tenant_session(tenant.tenant_id) as session:
        for table in ("question_clusters", "question_assignments", "question_cluster_days"):
            assert await session.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table


async def test_one_statement_may_delete_a_clusters_representative_and_its_other_members(
    db, shop
) -> None:
    """A purge batch or a cascade deletes many questions in one statement: the cluster's
    representative and a later member go together, and the cluster with them."""
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    for wording in ("is the alpine rain jacket waterproof?", "Alpine Rain Jacket waterproof?"):
        await service.answer(question(tenant, wording, visitor_id="jo"))
    async with db.tenant_session(tenant.tenant_id) as session:
        members = await session.scalar(
            text(
                "SELECT members FROM question_clusters WHERE representative_message_id IS NOT NULL"
            )
        )
        assert members == 2
        await session.execute(text("DELETE FROM conversations WHERE visitor_id = 'jo'"))
    async with db.tenant_session(tenant.tenant_id) as session:
        for table in ("question_clusters", "question_assignments", "question_cluster_days"):
            assert await session.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table


async def test_a_retention_purge_takes_its_questions_out_of_their_cluster(db, shop) -> None:
    """The purge unclusters a batch's questions in one pass (core.privacy.retention): the
    cluster keeps its newer member, loses the purged representative, and goes with its last
    member; the day counts follow."""
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    wordings = (
        "is the alpine rain jacket waterproof?",
        "Alpine Rain Jacket waterproof?",
        "is the alpine rain jacket water proof",
    )
    answers = [
        await service.answer(question(tenant, wording, visitor_id=f"v{n}"))
        for n, wording in enumerate(wordings)
    ]

    async def age(*conversation_ids: object) -> None:
        async with db.tenant_session(tenant.tenant_id) as session:
            await session.execute(
                text(
                    "UPDATE conversations SET last_message_at = now() - interval '100 days' "
                    "WHERE id = ANY(:ids)"
                ),
                {"ids": list(conversation_ids)},
            )

    async def state() -> tuple[list, int, int]:
        async with db.tenant_session(tenant.tenant_id) as session:
            clusters = (
                await session.execute(
                    text("SELECT members, representative_message_id FROM question_clusters")
                )
            ).all()
            assigned = await session.scalar(text("SELECT count(*) FROM question_assignments"))
            asked = await session.scalar(text("SELECT sum(asked) FROM question_cluster_days"))
        return [tuple(c) for c in clusters], int(assigned or 0), int(asked or 0)

    (members, representative), *_ = (await state())[0]
    assert members == 3 and representative is not None
    await age(answers[0].conversation_id, answers[1].conversation_id)
    run = await purge_tenant(db, tenant.tenant_id, retention_days=90)
    assert run.counts.conversations == 2
    assert await state() == ([(1, None)], 1, 1)
    await age(answers[2].conversation_id)
    await purge_tenant(db, tenant.tenant_id, retention_days=90)
    assert await state() == ([], 0, 0)


async def test_a_question_joins_its_cluster_while_a_purge_batch_deletes(committed_db) -> None:
    """A purge batch unclusters in its own short transaction and deletes in a second
    (core.privacy.retention), so a shopper's question joins the cluster while the batch's
    deletes are still uncommitted. Had the batch updated the cluster row and then deleted in
    the same transaction, the question would wait out the 250 ms lock timeout and be left
    unclustered. Real commits: the two must be separate connections."""
    db = committed_db
    tenant = await provision_tenant(db, name="Purge Race Outfitters", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    service = AnswerService(db, shared_local_embedder())
    first = await service.answer(question(tenant, "is the alpine rain jacket waterproof?"))
    await service.answer(question(tenant, "Alpine Rain Jacket waterproof?", visitor_id="v1"))
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            text(
                "UPDATE conversations SET last_message_at = now() - interval '100 days' "
                "WHERE id = :id"
            ),
            {"id": first.conversation_id},
        )
    params = {
        "tenant_id": tenant.tenant_id,
        "cutoff": retention_cutoff(datetime.now(UTC), 90),
        "batch_size": 10,
    }
    async with db.tenant_session(tenant.tenant_id) as session:
        ids = await _claim_and_uncluster(session, params)
    assert ids == [first.conversation_id]
    async with db.tenant_session(tenant.tenant_id) as purging:
        deleted = await _purge_conversations(purging, {**params, "ids": ids})
        assert deleted.conversations == 1  # uncommitted: the batch holds its rows
        await service.answer(
            question(tenant, "is the alpine rain jacket water proof", visitor_id="v2")
        )
    async with db.tenant_session(tenant.tenant_id) as session:
        members = await session.scalar(text("SELECT members FROM question_clusters"))
        assigned = await session.scalar(text("SELECT count(*) FROM question_assignments"))
    assert (members, assigned) == (2, 2)


async def test_a_question_behind_a_held_cluster_lock_is_answered_and_left_unclustered(
    committed_db, caplog: pytest.LogCaptureFixture
) -> None:
    """The function's lock timeout (250 ms) gives up on the bot's advisory lock that another
    transaction holds: the answer is stored all the same, the question is not clustered,
    and the failure is logged with its SQLSTATE; the next question clusters."""
    db = committed_db
    tenant = await provision_tenant(db, name="Held Lock Outfitters", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    service = AnswerService(db, shared_local_embedder())
    async with db.tenant_session(tenant.tenant_id) as session:
        bot_id = await session.scalar(text("SELECT id FROM bots"))
    async with db.tenant_session(tenant.tenant_id) as holder:
        await holder.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended('question_clusters:' || :b, 0))"),
            {"b": str(bot_id)},
        )
        with caplog.at_level("WARNING", logger="engine.analytics.question_clusters"):
            held = await service.answer(question(tenant, "is the alpine rain jacket waterproof?"))
    assert held.message_id is not None  # the answer was stored
    assert "SQLSTATE 55P03" in caplog.text  # lock_not_available
    await service.answer(question(tenant, "Alpine Rain Jacket waterproof?", visitor_id="v1"))
    async with db.tenant_session(tenant.tenant_id) as session:
        stored = await session.scalar(
            text("SELECT count(*) FROM messages WHERE role = 'assistant'")
        )
        assigned = await session.scalar(text("SELECT count(*) FROM question_assignments"))
        members = await session.scalar(text("SELECT sum(members) FROM question_clusters"))
    assert (stored, assigned, members) == (2, 1, 1)
