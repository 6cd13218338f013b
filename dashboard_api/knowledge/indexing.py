"""Writing knowledge documents, indexed before the response (the merchant sees at once
whether the bot can use the text), through `ingestion.knowledge` (rendering, chunking,
embedding, swapping chunks).

`KnowledgeIndexing` is an orchestrator, not a request-scoped service: it takes the
`Database` and runs each step in its own transaction, because no transaction may be held
open across embedding (a remote call that can take seconds). An update is thus up to
five short transactions: check the bot, write the fields, then indexing's own (load,
swap chunks), then read the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from core.db.database import Database
from dashboard_api.auth.context import MerchantContext
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.errors import ResourceNotFound
from dashboard_api.knowledge import service
from dashboard_api.knowledge.schemas import (
    IndexOutcome,
    KnowledgeCreate,
    KnowledgeOut,
    KnowledgeUpdate,
)
from engine.embeddings.base import Embedder
from ingestion.knowledge import (
    add_knowledge_document,
    delete_knowledge_document,
    index_knowledge_document,
)

# Fields whose change changes the indexed text.
INDEXED_FIELDS = frozenset({"title", "body", "content_type"})


@dataclass(frozen=True)
class KnowledgeIndexing:
    db: Database
    # Built on first use (DashboardRuntime.embedder): deleting a document embeds nothing.
    embedder: Callable[[], Embedder]

    async def create(self, context: MerchantContext, body: KnowledgeCreate) -> KnowledgeOut:
        service.check_size(body.body)
        async with self.db.tenant_session(context.tenant_id) as session:
            await service.check_bot(session, context.tenant_id, body.bot_id)
            await service.require_room_for_new(session, context.tenant_id, body.body)
        outcome = await add_knowledge_document(
            self.db,
            context.tenant_id,
            title=body.title,
            body=body.body,
            content_type=body.content_type,
            kind=body.kind,
            bot_id=body.bot_id,
            embedder=self.embedder(),
        )
        return await self._read(context, outcome.document_id)

    async def update(
        self, context: MerchantContext, document_id: uuid.UUID, body: KnowledgeUpdate
    ) -> KnowledgeOut:
        values = {
            k: v
            for k, v in body.model_dump(exclude_unset=True).items()
            if v is not None or k == "bot_id"
        }
        service.check_size(values.get("body"))
        async with self.db.tenant_session(context.tenant_id) as session:
            await service.check_bot(session, context.tenant_id, values.get("bot_id"))
        async with self.db.tenant_session(context.tenant_id) as session:
            await service.update_fields(session, context.tenant_id, document_id, values)
        if INDEXED_FIELDS & values.keys():
            await index_knowledge_document(
                self.db, context.tenant_id, document_id, embedder=self.embedder()
            )
        return await self._read(context, document_id)

    async def reindex(self, context: MerchantContext, document_id: uuid.UUID) -> IndexOutcome:
        await self._read(context, document_id)  # 404 first, before any embedding
        outcome = await index_knowledge_document(
            self.db, context.tenant_id, document_id, embedder=self.embedder(), force=True
        )
        return IndexOutcome(
            document_id=outcome.document_id, status=outcome.status, chunks=outcome.chunks
        )

    async def delete(self, context: MerchantContext, document_id: uuid.UUID) -> None:
        if not await delete_knowledge_document(self.db, context.tenant_id, document_id):
            raise ResourceNotFound("knowledge document")

    async def _read(self, context: MerchantContext, document_id: uuid.UUID) -> KnowledgeOut:
        async with self.db.tenant_session(context.tenant_id) as session:
            return await service.get_document(session, context, document_id)


def knowledge_indexing(runtime: RuntimeDep) -> KnowledgeIndexing:
    return KnowledgeIndexing(db=runtime.db, embedder=runtime.embedder)


KnowledgeIndexingDep = Annotated[KnowledgeIndexing, Depends(knowledge_indexing)]
