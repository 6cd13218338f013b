"""How many of a tenant's chunks hold each word: the text ranker's document frequencies.

The text ranker weighs a question's words by IDF among the tenant's chunks. Counted per
question (engine.retrieval.term_stats), a word new to the process cost a scan of the
tenant's rows: 6.9 ms p50 / 12 ms p95 of a 2,000-chunk tenant's question, the largest
statement a question sent when its words were not in the process's minute-long cache,
which at 1,000 tenants and several API processes is most of the time
(bench/README_retrieval.md, "Stored term frequencies"). Here they are kept per tenant and
embedding space by ingestion (core.search_vocabulary.recompute, with the vocabulary), and
read with the vocabulary's row in the question's first statement.

`search_vocabularies.term_totals` holds, per space, how many chunks the counts were
taken over: the IDF is computed against that total, so a count and its total always come
from the same moment.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class TermFrequency(Base):
    __tablename__ = "term_frequencies"

    # The key leads with the tenant, as every tenant table's (alembic 0012, for Citus).
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    embedding_space: Mapped[str] = mapped_column(Text, primary_key=True)
    # As PostgreSQL's english configuration stems it: the chunks' search_vector lexemes.
    lexeme: Mapped[str] = mapped_column(Text, primary_key=True)
    chunks: Mapped[int] = mapped_column(Integer, nullable=False)
