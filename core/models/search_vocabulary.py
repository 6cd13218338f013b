"""Each tenant's search vocabulary: what retrieval reads per question, kept by ingestion.

Retrieval turns a question's words into filters with the store's categories and
attribute values, and weighs its terms by IDF against the number of the tenant's chunks.
Computed per question from the products and chunks (DISTINCT over every published
product, count(*) over every chunk), a tenant not in the process's cache paid ~37 ms of
an 85 ms p95 at 1,000 tenants x 2,000 products (bench/README_retrieval.md). Here they are
one row by primary key, written with the catalogue (core.search_vocabulary has the SQL):
- `categories`, `attribute_values`: lower-cased and distinct, of published products only;
- `chunk_counts`: {embedding space: chunks in it}, product and knowledge chunks alike;
- `term_totals`: the chunks `term_frequencies` (core.models.term_frequency) counted over.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class SearchVocabulary(Base):
    __tablename__ = "search_vocabularies"

    # One row per tenant: the key is the tenant alone (no `id`, no extra index).
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    categories: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    attribute_values: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default="{}"
    )
    chunk_counts: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # {embedding space: chunks its `term_frequencies` were counted over}; NULL until they
    # are first counted (retrieval then counts a question's words itself).
    term_totals: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    refreshed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
