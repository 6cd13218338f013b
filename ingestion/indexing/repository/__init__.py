"""The SQL of indexing: products, variations and chunks. Every statement names the tenant
(the application wall) and runs in a tenant session (the RLS wall).

Writes are set-based and run inside the caller's transaction. COPY is not an option for
any of them: PostgreSQL refuses COPY FROM into a table whose row-level security applies
to the role.
"""

from ingestion.indexing.repository.chunks import ReplacedChunks, replace_chunks
from ingestion.indexing.repository.lookups import (
    known_modified,
    product_by_variation,
    store_belongs_to,
    store_product_ids,
)
from ingestion.indexing.repository.products import (
    StoredProduct,
    delete_products,
    load_stored,
    replace_variations,
    update_facts,
    upsert_products,
)

__all__ = [
    "ReplacedChunks",
    "StoredProduct",
    "delete_products",
    "known_modified",
    "load_stored",
    "product_by_variation",
    "replace_chunks",
    "replace_variations",
    "store_belongs_to",
    "store_product_ids",
    "update_facts",
    "upsert_products",
]
