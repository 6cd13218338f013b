"""Put a small, hand-written catalogue straight into the index (products + embedded
chunks), for engine tests that must not depend on the WooCommerce sync path."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import update

from core.db.database import Database
from core.ids import TenantId
from core.models import Chunk, Product, StoreConnection
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


async def seed_store(
    db: Database, tenant_id: TenantId, embedder: Embedder, products: list[SeedProduct]
) -> dict[str, uuid.UUID]:
    """Returns product ids by name."""
    texts = [f"{p.name}. {p.body}" for p in products]
    vectors = await embedder.embed_documents(texts)
    ids: dict[str, uuid.UUID] = {}
    async with db.tenant_session(tenant_id) as session:
        store = StoreConnection(
            tenant_id=tenant_id, base_url="https://store.test", credentials_ciphertext=b"x"
        )
        session.add(store)
        await session.flush()
        for i, (product, text, vector) in enumerate(zip(products, texts, vectors, strict=True)):
            row = Product(
                tenant_id=tenant_id,
                store_id=store.id,
                external_id=product.external_id or str(1000 + i),
                name=product.name,
                permalink=f"https://store.test/product/{product.name.lower().replace(' ', '-')}/",
                price=Decimal(product.price) if product.price else None,
                regular_price=Decimal(product.price) if product.price else None,
                currency="USD",
                on_sale=product.on_sale,
                stock_status=product.stock_status,
                categories=product.categories,
                attributes=product.attributes,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
            session.add(row)
            await session.flush()
            ids[product.name] = row.id
            attributes_text = " ".join(
                f"{k}: {', '.join(v)}" for k, v in product.attributes.items()
            )
            session.add(
                Chunk(
                    tenant_id=tenant_id,
                    product_id=row.id,
                    ordinal=0,
                    title=product.name,
                    attributes_text=attributes_text,
                    body=text,
                    token_count=len(text.split()),
                    embedding_space=embedder.space.name,
                    embedding=vector,
                )
            )
        await session.flush()
    return ids


async def set_price(db: Database, tenant_id: TenantId, product_id: uuid.UUID, price: str) -> None:
    async with db.tenant_session(tenant_id) as session:
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(price=Decimal(price), regular_price=Decimal(price))
        )
