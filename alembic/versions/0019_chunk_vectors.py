"""The chunks' embeddings move to a table of their own: `chunk_vectors`.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08

A chunk row was 2,222 bytes on the bench's catalogues, 1,544 of them its vector, kept in
the row (0003) so that the exact vector scan never reads TOAST. The text ranker, the
fusion and the product's evidence read those rows without using the vector: three rows to
a page. Without it a row is about 680 bytes, eleven to a page (bench/README_retrieval.md,
"The vectors in a table of their own", has the measurements).

- `chunk_vectors`: one row per chunk, keyed (tenant_id, id) with the chunk's id, holding
  the chunk's owner (product or knowledge document) and space, copied so that the vector
  ranker and its product filter read this table alone, and the vector. A foreign key to
  the chunk, ON DELETE CASCADE: replacing or deleting chunks needs no second statement.
  Row-level security ENABLED and FORCED with every tenant table's policy (0002); b-trees
  on tenant_id (a small tenant's exact vector scan) and on product_id (the evidence of
  the page's product), as `chunks` has.
- The vector is stored at half precision (`halfvec`, 2 bytes a dimension): a row is about
  870 bytes, nine to a page, where a `vector` row (about 1,640 bytes) fits four, and both
  rankers together read fewer pages per question than the one wide row did. pgvector
  computes the distance in single precision from the halves; what it costs in ranking
  quality and recall is measured in bench/README_retrieval.md. The downgrade puts back
  single-precision vectors with the half-precision values (a full sync re-embeds them).
- The per-tenant HNSW indexes (0013) are built again on the new table, each with the graph
  options it had, named `ix_chunk_vectors_hnsw_<tenant hex>`; the old ones go with the
  column.
- `chunks` is rewritten (CLUSTER on its primary key, then no clustering kept): dropping a
  column frees no space until each row is written again. The rewrite also puts each
  tenant's rows together.

On a populated database this holds an ACCESS EXCLUSIVE lock on `chunks` while the vectors
are copied, the indexes built and the table rewritten: run it in a maintenance window
(DEPLOYMENT.md gives the time measured for 200,000 chunks).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from pgvector.sqlalchemy import HALFVEC, Vector

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"
OLD_PREFIX = "ix_chunks_embedding_hnsw_"
NEW_PREFIX = "ix_chunk_vectors_hnsw_"
DIMENSIONS = 384  # core.embedding_spaces.CHUNK_VECTOR_DIMENSIONS when this was written


def _tenant_indexes(table: str, prefix: str) -> list[tuple[str, list[str]]]:
    """(tenant hex, reloptions) of each per-tenant HNSW index on `table`."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c"
            " JOIN pg_index i ON i.indexrelid = c.oid"
            " WHERE c.relkind = 'i' AND i.indrelid = to_regclass(:table)"
            " AND c.relname LIKE :prefix"
        ),
        {"table": table, "prefix": prefix.replace("_", r"\_") + "%"},
    )
    return [(name.removeprefix(prefix), list(options)) for name, options in rows]


def _build_indexes(
    table: str, prefix: str, opclass: str, indexes: list[tuple[str, list[str]]]
) -> None:
    if indexes:
        op.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for tenant_hex, options in indexes:
        tenant = uuid.UUID(hex=tenant_hex)  # from the catalogue's own index names
        with_options = f" WITH ({', '.join(options)})" if options else ""
        op.execute(
            f"CREATE INDEX {prefix}{tenant_hex} ON {table}"
            f" USING hnsw (embedding {opclass}){with_options}"
            f" WHERE tenant_id = '{tenant}'::uuid"
        )


def upgrade() -> None:
    indexes = _tenant_indexes("chunks", OLD_PREFIX)
    op.create_table(
        "chunk_vectors",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=True),
        sa.Column("knowledge_document_id", sa.UUID(), nullable=True),
        sa.Column("embedding_space", sa.String(length=64), nullable=False),
        sa.Column("embedding", HALFVEC(DIMENSIONS), nullable=False),
    )
    # The owner copies every tenant's vectors: chunks' forced policy would show it none.
    op.execute("ALTER TABLE chunks NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO chunk_vectors (tenant_id, id, product_id, knowledge_document_id,"
        " embedding_space, embedding)"
        " SELECT tenant_id, id, product_id, knowledge_document_id, embedding_space,"
        " embedding::halfvec FROM chunks ORDER BY tenant_id, id"
    )
    copied = (
        op.get_bind()
        .execute(
            sa.text("SELECT (SELECT count(*) FROM chunks), (SELECT count(*) FROM chunk_vectors)")
        )
        .one()
    )
    if copied[0] != copied[1]:  # the column is dropped below: never without every vector
        raise RuntimeError(f"copied {copied[1]} of {copied[0]} chunks' vectors")
    # Keys and indexes after the copy: one sort each, and one join validating each foreign
    # key, instead of an index insert and a look-up per row. As on every tenant table
    # (core.models.base.TenantScoped): the exact scan's b-tree on tenant_id; as on chunks:
    # the page's product's evidence reads its few vectors by product.
    op.create_primary_key("pk_chunk_vectors", "chunk_vectors", ["tenant_id", "id"])
    op.create_foreign_key(
        "fk_chunk_vectors_tenant_id_tenants",
        "chunk_vectors",
        "tenants",
        ["tenant_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_foreign_key(
        "fk_chunk_vectors_id_chunks",
        "chunk_vectors",
        "chunks",
        ["tenant_id", "id"],
        ["tenant_id", "id"],
        ondelete="CASCADE",
    )
    op.create_foreign_key(
        "fk_chunk_vectors_embedding_space_embedding_spaces",
        "chunk_vectors",
        "embedding_spaces",
        ["embedding_space"],
        ["name"],
    )
    op.execute("ALTER TABLE chunks FORCE ROW LEVEL SECURITY")
    op.create_index(op.f("ix_chunk_vectors_tenant_id"), "chunk_vectors", ["tenant_id"])
    op.create_index(op.f("ix_chunk_vectors_product_id"), "chunk_vectors", ["product_id"])
    op.execute("ALTER TABLE chunk_vectors ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE chunk_vectors FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON chunk_vectors "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )
    _build_indexes("chunk_vectors", NEW_PREFIX, "halfvec_cosine_ops", indexes)
    op.drop_column("chunks", "embedding")  # and the old per-tenant indexes with it
    op.execute("CLUSTER chunks USING pk_chunks")
    op.execute("ALTER TABLE chunks SET WITHOUT CLUSTER")
    op.execute("ANALYZE chunks")
    op.execute("ANALYZE chunk_vectors")


def downgrade() -> None:
    indexes = _tenant_indexes("chunk_vectors", NEW_PREFIX)
    op.add_column("chunks", sa.Column("embedding", Vector(DIMENSIONS), nullable=True))
    op.execute("ALTER TABLE chunks NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE chunk_vectors NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE chunks c SET embedding = v.embedding::vector FROM chunk_vectors v"
        " WHERE v.tenant_id = c.tenant_id AND v.id = c.id"
    )
    op.execute("ALTER TABLE chunks FORCE ROW LEVEL SECURITY")
    op.alter_column("chunks", "embedding", nullable=False)
    op.drop_table("chunk_vectors")
    _build_indexes("chunks", OLD_PREFIX, "vector_cosine_ops", indexes)
