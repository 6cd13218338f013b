"""Put a small, hand-written catalogue straight into the index: one store, each product with
one embedded chunk holding its text. For the engine tests and the widget bench, which must
not depend on the WooCommerce sync path or on the chunker."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core import search_vocabulary
from core.db.database import Database
from core.ids import TenantId
from core.models import Chunk, ChunkVector, Product, StoreConnection
from engine.embeddings.base import Embedder


@dataclass
class SeedProduct:
    name: str
    price: str | None
    body: str
    categories: list[str] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    stock_status: str = "instock"
    on_sale: bool = False
    external_id: str | None = None

    @property
    def text(self) -> str:
        """What the product's one chunk holds and what is embedded: name, then body."""
        return f"{self.name}. {self.body}"


async def seed_store(
    db: Database, tenant_id: TenantId, embedder: Embedder, products: list[SeedProduct]
) -> dict[str, uuid.UUID]:
    """Embeds the products' texts, then indexes them; returns product ids by name."""
    vectors = await embedder.embed_documents([p.text for p in products])
    return await index_products(db, tenant_id, products, vectors, embedder.space.name)


async def index_products(
    db: Database,
    tenant_id: TenantId,
    products: Sequence[SeedProduct],
    vectors: Sequence[list[float]],
    space: str,
) -> dict[str, uuid.UUID]:
    """One store for the tenant, then each product with one chunk of its already embedded
    text (in `space`), and the tenant's search vocabulary, in one transaction; returns
    product ids by name."""
    ids: dict[str, uuid.UUID] = {}
    async with db.tenant_session(tenant_id) as session:
        store = StoreConnection(
            tenant_id=tenant_id, base_url="https://store.test", credentials_ciphertext=b"x"
        )
        session.add(store)
        await session.flush()
        for i, (product, vector) in enumerate(zip(products, vectors, strict=True)):
            price = Decimal(product.price) if product.price else None
            row = Product(
                tenant_id=tenant_id,
                store_id=store.id,
                external_id=product.external_id or str(1000 + i),
                name=product.name,
                permalink=f"https://store.test/product/{product.name.lower().replace(' ', '-')}/",
                price=price,
                regular_price=price,
                currency="USD",
                on_sale=product.on_sale,
                stock_status=product.stock_status,
                categories=product.categories,
                attributes=product.attributes,
                content_hash=hashlib.sha256(product.text.encode()).hexdigest(),
            )
            session.add(row)
            await session.flush()  # the chunk needs the product's id
            ids[product.name] = row.id
            attributes_text = " ".join(
                f"{k}: {', '.join(v)}" for k, v in product.attributes.items()
            )
            chunk = Chunk(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                product_id=row.id,
                ordinal=0,
                title=product.name,
                attributes_text=attributes_text,
                body=product.text,
                token_count=len(product.text.split()),
                embedding_space=space,
            )
            session.add(chunk)
            await session.flush()  # the vector's key refers to the chunk
            session.add(
                ChunkVector(
                    id=chunk.id,
                    tenant_id=tenant_id,
                    product_id=row.id,
                    embedding_space=space,
                    embedding=vector,
                )
            )
        await session.flush()
        # The tenant's search vocabulary, as ingestion leaves it after a sync.
        await search_vocabulary.recompute(session, tenant_id)
    return ids
