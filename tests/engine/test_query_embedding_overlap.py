"""The query embedding runs while the SQL that does not need it runs, on the real database
with the real MiniLM: retrieval begins its transaction and loads the store's vocabulary
while the embedding is under way, and the answer service starts the embedding of a
question that needs no rewrite before it writes the conversation.

The embedder here is MiniLM behind a gate the test opens, so what happens while an
embedding is under way is observed, not raced.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence

import pytest
from sqlalchemy import select

from core.errors import NotFound, UpstreamError
from core.ids import BotId
from core.models import Message
from core.provisioning import provision_tenant
from engine.answer import AnswerService
from engine.answer_events import Question
from engine.embeddings import shared_local_embedder
from engine.embeddings.base import EmbeddingSpace
from engine.retrieval.query_cache import QueryEmbeddingCache, normalise
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.types import PageContext
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store
from tests.support.sent_statements import SentStatements

WAIT_S = 10.0
VOCABULARY = "JOIN search_vocabularies"  # the stored vocabulary's read (core.search_vocabulary)


class GatedEmbedder:
    """MiniLM, whose query embeddings start at once but finish only when the gate opens."""

    def __init__(self) -> None:
        self._inner = shared_local_embedder()
        self.gate = asyncio.Event()
        self.queries: list[str] = []
        self.cancelled: list[str] = []
        self.on_query: Callable[[], None] = lambda: None  # called as an embedding starts

    @property
    def space(self) -> EmbeddingSpace:
        return self._inner.space

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return await self._inner.embed_documents(texts)

    async def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        self.on_query()
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            self.cancelled.append(text)
            raise
        return await self._inner.embed_query(text)


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(WAIT_S):
        while not condition():
            await asyncio.sleep(0.005)


@pytest.fixture
async def shop(db):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    return tenant, ids


async def test_retrieval_runs_its_sql_while_the_query_is_embedded(db, shop) -> None:
    tenant, _ = shop
    embedder = GatedEmbedder()
    retriever = HybridRetriever(embedder, QueryEmbeddingCache(max_local=0))
    with SentStatements(db) as statements:
        embedder.on_query = statements.snapshot
        async with db.tenant_session(tenant.tenant_id) as session:
            retrieval = asyncio.create_task(
                retriever.retrieve(
                    session,
                    tenant_id=tenant.tenant_id,
                    query="a waterproof jacket under $100",
                    settings=RetrievalSettings(),
                )
            )
            # The embedding starts before the store's vocabulary is asked for...
            await _until(lambda: bool(embedder.queries))
            assert not any(VOCABULARY in s for s in statements.at_snapshot)
            # ...which loads while the embedding is held, and nothing that needs the vector runs.
            await _until(lambda: statements.any(VOCABULARY))
            assert statements.any("set_config('app.tenant_id'")
            assert not statements.any("<=>")
            embedder.gate.set()
            result = await retrieval
    assert result.hits[0].title == "Alpine Rain Jacket"
    assert embedder.queries == ["a waterproof jacket"], "embedded once, the price phrase cut out"
    timings = result.timings_ms
    assert 0 <= timings["embedding_wait"] <= timings["embedding"]
    assert timings["sql"] > 0


async def test_the_page_product_evidence_reuses_the_query_vector(db, shop) -> None:
    tenant, _ = shop
    embedder = GatedEmbedder()
    embedder.gate.set()
    retriever = HybridRetriever(
        embedder, QueryEmbeddingCache(max_local=0)
    )  # no cache to hide a second embedding
    async with db.tenant_session(tenant.tenant_id) as session:
        result = await retriever.retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query="what is the outsole like?",
            settings=RetrievalSettings(),
            page=PageContext(url=None, product_id="1001"),
        )
    assert result.hits[0].external_id == "1001"
    assert embedder.queries == ["what is the outsole like?"]


def _question(tenant, message: str, **kw) -> Question:
    return Question(tenant_id=tenant.tenant_id, bot_id=BotId(tenant.bot_id), message=message, **kw)


def _service(db, embedder: GatedEmbedder) -> AnswerService:
    # No cache, so a second embedding of the same text would show.
    return AnswerService(db, embedder, cache=QueryEmbeddingCache(max_local=0))


async def test_a_new_question_is_embedded_while_the_conversation_is_written(db, shop) -> None:
    tenant, _ = shop
    embedder = GatedEmbedder()
    service = _service(db, embedder)
    with SentStatements(db) as statements:
        embedder.on_query = statements.snapshot
        answering = asyncio.create_task(
            service.answer(_question(tenant, "do you have a waterproof jacket?"))
        )
        await _until(lambda: statements.any("INSERT INTO messages"))
        assert embedder.queries == ["do you have a waterproof jacket?"]
        assert not any("INSERT INTO messages" in s for s in statements.at_snapshot), (
            "embedding came first"
        )
        embedder.gate.set()
        result = await answering
    assert result.sources[0]["title"] == "Alpine Rain Jacket"
    assert embedder.queries == ["do you have a waterproof jacket?"], (
        "the early embedding is the one used"
    )


async def test_a_follow_up_is_embedded_only_once_rewritten(db, shop) -> None:
    tenant, _ = shop
    embedder = GatedEmbedder()
    embedder.gate.set()
    service = _service(db, embedder)
    first = await service.answer(_question(tenant, "I need a rain jacket"))
    # "and in blue?" would act on the jacket shown (engine.focus, not embedded at all);
    # "anything cheaper?" is a search, rewritten with the conversation first.
    await service.answer(
        _question(tenant, "anything cheaper?", conversation_id=first.conversation_id)
    )
    # A question long enough to stand on its own is searched as asked, even mid-conversation.
    standalone = "do you also sell a warm sleeping bag for winter camping?"
    await service.answer(_question(tenant, standalone, conversation_id=first.conversation_id))
    assert embedder.queries == [
        "i need a rain jacket",
        "rain jacket cheaper",
        normalise(standalone),
    ]


async def test_a_question_that_fails_before_retrieval_leaves_no_embedding_running(db, shop) -> None:
    tenant, _ = shop
    embedder = GatedEmbedder()
    service = _service(db, embedder)
    with pytest.raises(NotFound):
        await service.answer(
            _question(
                tenant, "do you have a waterproof jacket for hiking?", conversation_id=uuid.uuid4()
            )
        )
    await _until(lambda: bool(embedder.cancelled))
    assert embedder.cancelled == embedder.queries == ["do you have a waterproof jacket for hiking?"]


class UnavailableEmbedder(GatedEmbedder):
    """An embedding provider that is down, failing as the OpenAI embedder does."""

    async def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        raise UpstreamError("The embedding service is unavailable.")


async def test_the_shoppers_message_is_kept_when_retrieval_fails(db, shop) -> None:
    tenant, _ = shop
    service = _service(db, UnavailableEmbedder())
    with pytest.raises(UpstreamError):
        await service.answer(_question(tenant, "do you have a waterproof jacket?"))
    async with db.tenant_session(tenant.tenant_id) as session:
        stored = (
            await session.scalars(select(Message).where(Message.tenant_id == tenant.tenant_id))
        ).all()
    assert [(m.role, m.content) for m in stored] == [("user", "do you have a waterproof jacket?")]
