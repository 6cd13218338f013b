"""`/v1/analytics/top-questions` and `/v1/analytics/content-gaps` (issue 16), with numbers
worked out by hand for a business in New York (UTC-5 in January): questions are written and
clustered by the answer service's own function (engine.analytics.question_clusters, with
real MiniLM vectors), some on the window's edges, one bot's and another's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select, text, update

from core.ids import TenantId
from core.models import AuditLogEntry, Conversation, Message, Tenant
from dashboard_api.analytics.questions_repository import CountWindow
from engine.analytics.question_clusters import AskedQuestion, cluster_question
from engine.embeddings import shared_local_embedder
from tests.dashboard_api.harness import Merchant, add_member, register
from tests.support.plans import put_on_plan

WINDOW = {"from": "2025-01-09", "to": "2025-01-13"}  # New York: [Jan 9 05:00Z, Jan 13 05:00Z)
SPACE = "minilm-l6-v2"
# (visitor, asked at UTC, text, answered); written in this order (the first of a cluster is
# its representative).
SHIPPING = [
    ("v-e", "2025-01-09T04:59:00", "Canada shipping possible?", True),  # Jan 8 in NY: out
    ("v-a", "2025-01-09T06:00:00", "Do you ship to Canada?", True),  # partial UTC day
    ("v-b", "2025-01-10T15:00:00", "Can I get my order delivered in Canada?", False),
    ("v-c", "2025-01-13T04:00:00", "do you deliver to canada", False),  # Jan 12 23:00 in NY
    ("v-d", "2025-01-13T05:00:00", "Is shipping to Canada available?", False),  # Jan 13: out
]
RETURNS = [
    ("v-a", "2025-01-11T12:00:00", "What is your return policy?", True),
    ("v-f", "2025-01-11T13:00:00", "How do I return an item?", True),
    ("v-g", "2025-01-12T10:00:00", "what's the returns policy", False),
    ("v-h", "2025-01-12T11:00:00", "How many days do I have to return a product?", True),
]
DISCOUNT = [("v-i", "2025-01-11T00:30:00", "Do you have any discount codes?", False)]


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


async def ask(
    db, tenant_id: TenantId, bot_id: uuid.UUID, visitor: str, moment: str, question: str, ok: bool
) -> uuid.UUID | None:
    """A shopper's message at `moment`, clustered as the answer service does once answered."""
    vector = await shared_local_embedder().embed_query(question.lower())
    async with db.tenant_session(tenant_id) as session:
        conversation = Conversation(
            tenant_id=tenant_id, bot_id=bot_id, visitor_id=visitor, created_at=at(moment)
        )
        session.add(conversation)
        await session.flush()
        message = Message(
            tenant_id=tenant_id,
            conversation_id=conversation.id,
            role="user",
            content=question,
            created_at=at(moment),
        )
        session.add(message)
        await session.flush()
        assigned = await cluster_question(
            session,
            AskedQuestion(tenant_id, bot_id, message.id, visitor, SPACE, vector, answered=ok),
        )
    return None if assigned is None else assigned.cluster_id


@pytest.fixture
async def second_bot(db, client: httpx.AsyncClient, merchant: Merchant) -> uuid.UUID:
    await put_on_plan(db, merchant.tenant_id, "starter")  # room for a second bot
    response = await client.post("/v1/bots", headers=merchant.headers, json={"name": "Outlet"})
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


@pytest.fixture
async def clusters(db, merchant: Merchant, second_bot: uuid.UUID) -> dict[str, uuid.UUID]:
    tenant = merchant.tenant_id
    async with db.tenant_session(tenant) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == tenant).values(timezone="America/New_York")
        )
    found: dict[str, set[uuid.UUID | None]] = {}
    for name, questions, bot in (
        ("shipping", SHIPPING, merchant.bot_id),
        ("returns", RETURNS, merchant.bot_id),
        ("discount", DISCOUNT, second_bot),
    ):
        found[name] = {await ask(db, tenant, bot, *question) for question in questions}
    # A dashboard preview is never clustered.
    preview = "preview:dashboard"
    assert (
        await ask(
            db,
            tenant,
            merchant.bot_id,
            preview,
            "2025-01-10T16:00:00",
            "Do you ship to Canada?",
            False,
        )
        is None
    )
    assert all(len(ids) == 1 and None not in ids for ids in found.values()), found
    return {name: next(iter(ids)) for name, ids in found.items()}  # type: ignore[misc]


async def get(client: httpx.AsyncClient, path: str, headers, **params) -> dict:
    response = await client.get(f"/v1/analytics/{path}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_top_questions_count_clusters_in_the_business_days(
    client: httpx.AsyncClient, merchant: Merchant, clusters, second_bot: uuid.UUID
) -> None:
    body = await get(client, "top-questions", merchant.headers, **WINDOW)
    assert body["timezone"] == "America/New_York"
    assert body["questions"] == [
        {
            "cluster_id": str(clusters["returns"]),
            "asked": 4,
            "answered": 3,
            "answered_share": 0.75,
            "representative": "What is your return policy?",
            "examples": [
                "How many days do I have to return a product?",
                "what's the returns policy",
                "How do I return an item?",
            ],
        },
        {
            "cluster_id": str(clusters["shipping"]),
            "asked": 3,  # not the one of Jan 8 or Jan 13 in New York, nor the preview
            "answered": 1,
            "answered_share": 0.3333,
            "representative": "Canada shipping possible?",  # opened the cluster (Jan 8)
            "examples": [
                "do you deliver to canada",
                "Can I get my order delivered in Canada?",
                "Do you ship to Canada?",
            ],
        },
        {
            "cluster_id": str(clusters["discount"]),
            "asked": 1,
            "answered": 0,
            "answered_share": 0.0,
            "representative": "Do you have any discount codes?",
            "examples": [],
        },
    ]
    one_bot = await get(client, "top-questions", merchant.headers, bot_id=str(second_bot), **WINDOW)
    assert [q["cluster_id"] for q in one_bot["questions"]] == [str(clusters["discount"])]
    limited = await get(client, "top-questions", merchant.headers, limit=1, **WINDOW)
    assert [q["asked"] for q in limited["questions"]] == [4]
    # Jan 12 only (New York): two returns questions and the 23:00 one about Canada.
    day = await get(
        client, "top-questions", merchant.headers, **{"from": "2025-01-12", "to": "2025-01-13"}
    )
    assert [(q["cluster_id"], q["asked"]) for q in day["questions"]] == [
        (str(clusters["returns"]), 2),
        (str(clusters["shipping"]), 1),
    ]
    assert day["questions"][1]["examples"] == ["do you deliver to canada"]


async def test_content_gaps_rank_unanswered_then_share(
    client: httpx.AsyncClient, merchant: Merchant, clusters
) -> None:
    body = await get(client, "content-gaps", merchant.headers, **WINDOW)
    assert [(g["cluster_id"], g["unanswered"], g["asked"]) for g in body["gaps"]] == [
        (str(clusters["shipping"]), 2, 3),
        (str(clusters["discount"]), 1, 1),  # ties with returns on 1: all unanswered
        (str(clusters["returns"]), 1, 4),
    ]
    assert body["gaps"][0]["representative"] == "Canada shipping possible?"
    # Jan 11 in New York: the discount question (00:30Z is Jan 10 19:30 there) is not in it.
    day = await get(
        client, "content-gaps", merchant.headers, **{"from": "2025-01-11", "to": "2025-01-12"}
    )
    assert day["gaps"] == []


async def test_a_short_list_is_the_head_of_the_long_one(
    client: httpx.AsyncClient, merchant: Merchant, clusters
) -> None:
    # Short lists count only the clusters big enough to make them (the bound by members);
    # long ones scan the window: both must rank alike.
    for path, key in (("top-questions", "questions"), ("content-gaps", "gaps")):
        full = (await get(client, path, merchant.headers, **WINDOW))[key]
        assert len(full) == 3
        for n in (1, 2, 3):
            assert (await get(client, path, merchant.headers, limit=n, **WINDOW))[key] == full[:n]


async def test_a_gap_drafts_a_knowledge_document_the_bot_does_not_use_yet(
    db, client: httpx.AsyncClient, merchant: Merchant, clusters
) -> None:
    cluster = clusters["shipping"]
    response = await client.post(
        f"/v1/analytics/content-gaps/{cluster}/document", headers=merchant.headers
    )
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["title"] == "Canada shipping possible?"
    assert document["bot_id"] == str(merchant.bot_id) and document["kind"] == "faq"
    for _, _, wording, _ in SHIPPING:
        assert f"- {wording}\n" in document["body"] + "\n"
    assert document["body"].endswith("until you save your own text.]")
    assert document["indexed_at"] is None and document["chunks"] == 0  # a draft: not used
    again = await client.get(f"/v1/knowledge/{document['id']}", headers=merchant.headers)
    assert again.status_code == 200 and again.json() == document
    async with db.tenant_session(merchant.tenant_id) as session:
        entry = await session.scalar(
            select(AuditLogEntry).where(AuditLogEntry.target_id == document["id"])
        )
    assert entry is not None and entry.action == "knowledge.drafted_from_content_gap"
    assert entry.details == {"cluster_id": str(cluster)}  # no shopper's words in the log


async def test_roles_and_other_businesses(
    app, db, client: httpx.AsyncClient, merchant: Merchant, clusters
) -> None:
    viewer = await add_member(app, db, merchant.tenant_id, "viewer")
    path = f"/v1/analytics/content-gaps/{clusters['shipping']}/document"
    for read in ("top-questions", "content-gaps"):
        assert (await client.get(f"/v1/analytics/{read}", headers=viewer)).status_code == 200
        assert (await client.get(f"/v1/analytics/{read}")).status_code == 401
    assert (await client.post(path, headers=viewer)).status_code == 403

    other = await register(client, "Other Shop")
    mine = {**WINDOW, "bot_id": str(merchant.bot_id)}
    assert (await get(client, "top-questions", other.headers, **mine))["questions"] == []
    assert (await get(client, "content-gaps", other.headers, **mine))["gaps"] == []
    for cluster in (clusters["shipping"], uuid.uuid4()):
        response = await client.post(
            f"/v1/analytics/content-gaps/{cluster}/document", headers=other.headers
        )
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    too_many = await client.get(
        "/v1/analytics/content-gaps", headers=merchant.headers, params={"limit": 101}
    )
    assert too_many.status_code == 422


async def test_erasing_a_visitor_takes_their_questions_out_of_every_cluster(
    db, client: httpx.AsyncClient, merchant: Merchant, clusters
) -> None:
    # v-a asked about Canada (in the window) and opened the returns cluster.
    response = await client.delete("/v1/privacy/visitors/v-a", headers=merchant.headers)
    assert response.status_code in (200, 204), response.text
    body = await get(client, "top-questions", merchant.headers, **WINDOW)
    by_id = {q["cluster_id"]: q for q in body["questions"]}
    returns, shipping = by_id[str(clusters["returns"])], by_id[str(clusters["shipping"])]
    assert (returns["asked"], returns["answered"]) == (3, 2)
    assert (shipping["asked"], shipping["answered"]) == (2, 0)
    # The representative is re-chosen: the newest question still stored.
    assert returns["representative"] == "How many days do I have to return a product?"
    shown = str(body)
    assert "Do you ship to Canada?" not in shown and "What is your return policy?" not in shown
    async with db.tenant_session(merchant.tenant_id) as session:
        for table in ("question_clusters", "question_assignments", "question_cluster_days"):
            rows = (await session.execute(text(f"SELECT * FROM {table}"))).all()
            assert rows and "return policy" not in str(rows).lower(), table

    # The last question of a cluster gone, the cluster is gone.
    assert (
        await client.delete("/v1/privacy/visitors/v-i", headers=merchant.headers)
    ).status_code in (200, 204)
    async with db.tenant_session(merchant.tenant_id) as session:
        left = await session.scalar(
            text("SELECT count(*) FROM question_clusters WHERE id = :id"),
            {"id": clusters["discount"]},
        )
    assert left == 0


@pytest.mark.parametrize(
    ("start", "end", "days", "edges"),
    [
        # Kolkata (UTC+5:30), Jan 9 to Jan 13: two partial UTC days around three whole ones.
        (
            "2025-01-08T18:30:00",
            "2025-01-12T18:30:00",
            ("2025-01-09", "2025-01-12"),
            (
                ("2025-01-08T18:30:00", "2025-01-09T00:00:00"),
                ("2025-01-12T00:00:00", "2025-01-12T18:30:00"),
            ),
        ),
        # UTC itself: whole days only, the edges are empty.
        (
            "2025-01-09T00:00:00",
            "2025-01-10T00:00:00",
            ("2025-01-09", "2025-01-10"),
            (
                ("2025-01-09T00:00:00", "2025-01-09T00:00:00"),
                ("2025-01-10T00:00:00", "2025-01-10T00:00:00"),
            ),
        ),
        # Less than a whole UTC day inside: every question is counted one by one.
        (
            "2025-01-09T05:00:00",
            "2025-01-10T05:00:00",
            ("2025-01-10", "2025-01-10"),
            (
                ("2025-01-09T05:00:00", "2025-01-10T05:00:00"),
                ("2025-01-10T05:00:00", "2025-01-10T05:00:00"),
            ),
        ),
    ],
)
def test_a_window_is_whole_utc_days_and_two_edges(start, end, days, edges) -> None:
    window = CountWindow.between(at(start), at(end))
    assert (window.days_from.isoformat(), window.days_to.isoformat()) == days
    assert window.edges == tuple((at(a), at(b)) for a, b in edges)
