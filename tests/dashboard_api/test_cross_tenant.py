"""Generated from the route table: every route with an `{..._id}` path parameter, called by
business B with business A's real ids, answers 404 (never 403, never 2xx) and leaves every
row of A exactly as it was. A new id-taking route fails here until it is covered."""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy import text

from core.crypto import SecretBox
from core.models import (
    Conversation,
    Message,
    QuestionCluster,
    StoreConnection,
    SyncJob,
    tenant_scoped_tables,
)
from tests.dashboard_api.harness import (
    Merchant,
    add_member,
    build_app,
    client_for,
    register,
    unique_email,
)
from tests.dashboard_api.support import HashingEmbedder, RouteInfo, flat_routes
from tests.support.plans import put_on_plan

# A valid body for each id-taking operation that has one (a 422 would hide the 404).
BODIES: dict[str, dict] = {
    "bots_update": {"tone": "sneaky"},
    "bots_try": {"message": "hello"},
    "conversations_reply": {"text": "Replied by B"},
    "knowledge_update": {"title": "Changed by B"},
    "stores_replace_credentials": {"consumer_key": "ck_b", "consumer_secret": "cs_b"},
    "stores_sync": {"mode": "full"},
    "team_members_update": {"role": "viewer"},
}


async def _seed_a(app, client: httpx.AsyncClient, db, a: Merchant) -> dict[str, uuid.UUID | str]:
    ids: dict[str, uuid.UUID | str] = {"bot_id": a.bot_id, "user_id": a.user_id}
    await put_on_plan(db, a.tenant_id, "growth")  # an editor and an invitation: three seats
    editor = await add_member(app, db, a.tenant_id, "editor")
    ids["user_id"] = uuid.UUID(editor["X-User-Id"])
    box: SecretBox = app.state.shopbot_dashboard_runtime.deps.secret_box
    async with db.tenant_session(a.tenant_id) as session:
        store = StoreConnection(
            tenant_id=a.tenant_id,
            base_url="https://a-shop.example.com",
            credentials_ciphertext=box.encrypt_json(
                {"consumer_key": "ck_a", "consumer_secret": "cs_a"}
            ),
        )
        session.add(store)
        await session.flush()
        job = SyncJob(tenant_id=a.tenant_id, store_id=store.id, mode="full", status="succeeded")
        # With an open hand-off: B's reply or close would otherwise be possible.
        conversation = Conversation(
            tenant_id=a.tenant_id,
            bot_id=a.bot_id,
            visitor_id="v1",
            message_count=1,
            handoff_state="open",
        )
        session.add_all([job, conversation])
        await session.flush()
        session.add(
            Message(
                tenant_id=a.tenant_id, conversation_id=conversation.id, role="user", content="hi"
            )
        )
        cluster = QuestionCluster(
            tenant_id=a.tenant_id,
            bot_id=a.bot_id,
            embedding_space="minilm-l6-v2",
            centroid=[0.0] * 383 + [1.0],
            members=1,
        )
        session.add(cluster)
        await session.flush()
        ids.update(
            store_id=store.id, job_id=job.id, conversation_id=conversation.id, cluster_id=cluster.id
        )
        ids["visitor_id"] = "v1"  # the visitor of that conversation (not a uuid)
    document = await client.post(
        "/v1/knowledge", headers=a.headers, json={"title": "FAQ", "body": "Ask us."}
    )
    key = await client.post(
        "/v1/api-keys", headers=a.headers, json={"name": "a", "scopes": ["write"]}
    )
    invitation = await client.post(
        "/v1/team/invitations", headers=a.headers, json={"email": unique_email()}
    )
    assert document.status_code == key.status_code == invitation.status_code == 201
    ids.update(
        document_id=uuid.UUID(document.json()["id"]),
        api_key_id=uuid.UUID(key.json()["id"]),
        invitation_id=uuid.UUID(invitation.json()["id"]),
    )
    return ids


async def _snapshot(db, tenant_id) -> dict[str, list]:
    tables = [t for t in tenant_scoped_tables()]
    rows: dict[str, list] = {}
    async with db.tenant_session(tenant_id) as session:
        for table in tables:
            result = await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            rows[table] = [tuple(map(str, r)) for r in result.all()]
        rows["tenants"] = [
            tuple(map(str, r)) for r in (await session.execute(text("SELECT * FROM tenants"))).all()
        ]
    return rows


def id_routes(app) -> list[RouteInfo]:
    return [r for r in flat_routes(app) if re.search(r"\{\w+_id\}", r.path)]


async def test_every_id_route_is_a_404_for_another_business(db, redis) -> None:
    app = build_app(db, redis=redis, embedder=HashingEmbedder(), answer_service=None)
    async with client_for(app) as client:
        a = await register(client, "Business A")
        b = await register(client, "Business B")
        ids = await _seed_a(app, client, db, a)
        before = await _snapshot(db, a.tenant_id)

        routes = id_routes(app)
        assert len(routes) >= 20, "the route table looks empty"
        covered = 0
        for route in routes:
            assert route.operation_id is not None, f"{route.path} has no operation_id"
            params = re.findall(r"\{(\w+_id)\}", route.path)
            missing = [p for p in params if p not in ids]
            assert not missing, (
                f"{route.path}: no id of business A for {missing}; add one to _seed_a"
            )
            if route.takes_body and route.operation_id not in BODIES:
                raise AssertionError(
                    f"{route.operation_id} takes a body: add a valid one to BODIES"
                )
            path = route.path
            for param in params:
                path = path.replace("{" + param + "}", str(ids[param]))
            for method in sorted(route.methods):
                response = await client.request(
                    method, path, headers=b.headers, json=BODIES.get(route.operation_id)
                )
                assert response.status_code == 404, (
                    method,
                    path,
                    response.status_code,
                    response.text,
                )
                assert response.headers["content-type"].startswith("application/problem+json")
                covered += 1
        assert covered >= len(routes)

        after = await _snapshot(db, a.tenant_id)
        assert after == before, "business B changed something of business A"
        # And A still reaches its own objects (the ids were real).
        assert (await client.get(f"/v1/bots/{a.bot_id}", headers=a.headers)).status_code == 200
        assert (
            await client.get(f"/v1/stores/{ids['store_id']}", headers=a.headers)
        ).status_code == 200
