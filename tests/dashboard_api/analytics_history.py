"""Raw analytics rows written the way the chat, feedback and events write them (through the
ORM, so the rollup triggers count them), at explicit UTC moments."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Conversation, Feedback, Message, Product, StoreConnection, WidgetEvent


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class History:
    def __init__(self, session: AsyncSession, tenant_id: TenantId) -> None:
        self.session, self.tenant_id = session, tenant_id

    async def _add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def product(self, name: str) -> uuid.UUID:
        """A catalogue product (in a store of its own)."""
        store = StoreConnection(
            tenant_id=self.tenant_id, base_url="https://shop.test", credentials_ciphertext=b"x"
        )
        await self._add(store)
        product = Product(
            tenant_id=self.tenant_id,
            store_id=store.id,
            external_id="1",
            name=name,
            permalink="https://shop.test/p/1",
            content_hash="x" * 64,
        )
        await self._add(product)
        return product.id

    async def conversation(self, bot_id: uuid.UUID, visitor: str, when: str) -> Conversation:
        row = Conversation(
            tenant_id=self.tenant_id, bot_id=bot_id, visitor_id=visitor, created_at=at(when)
        )
        await self._add(row)
        return row

    async def ask(self, conversation: Conversation, when: str) -> Message:
        row = Message(
            tenant_id=self.tenant_id,
            conversation_id=conversation.id,
            role="user",
            content="a question",
            created_at=at(when),
        )
        await self._add(row)
        return row

    async def answer(
        self,
        conversation: Conversation,
        when: str,
        status: str,
        latency_ms: int | None,
        tokens: tuple[int, int],
        products: list[uuid.UUID] | None = None,
        *,
        model: str = "gpt-4o-mini",
        document: bool = False,
    ) -> Message:
        """An answer; each product's card is titled `Card <n>` (n: its place in the list);
        `document`: it also cites a knowledge document (answered, yet no product shown)."""
        cards: list[dict[str, str]] = [
            {"product_id": str(product), "title": f"Card {n}", "url": f"https://shop.test/{n}"}
            for n, product in enumerate(products or [])
        ]
        if document:
            cards.append({"document_id": str(uuid.uuid4()), "title": "Returns", "snippet": ""})
        row = Message(
            tenant_id=self.tenant_id,
            conversation_id=conversation.id,
            role="assistant",
            content="an answer",
            status=status,
            model=model,
            latency_ms=latency_ms,
            prompt_tokens=tokens[0],
            completion_tokens=tokens[1],
            sources=cards,
            created_at=at(when),
        )
        await self._add(row)
        return row

    async def rate(self, message: Message, rating: str, when: str) -> Feedback:
        row = Feedback(
            tenant_id=self.tenant_id, message_id=message.id, rating=rating, created_at=at(when)
        )
        await self._add(row)
        return row

    async def event(
        self,
        bot_id: uuid.UUID,
        conversation: Conversation | None,
        type_: str,
        product_id: uuid.UUID | None,
        when: str,
    ) -> WidgetEvent:
        row = WidgetEvent(
            tenant_id=self.tenant_id,
            bot_id=bot_id,
            conversation_id=conversation.id if conversation else None,
            type=type_,
            product_id=product_id,
            created_at=at(when),
        )
        await self._add(row)
        return row
