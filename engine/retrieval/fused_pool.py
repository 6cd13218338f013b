"""The statement that pools the vector ranker's chunks with the text ranker's (which ran
already, without the vector) and gives each its ranks, similarity and coverage, for
`engine.retrieval.repository.hybrid_candidates` to fuse."""

from __future__ import annotations

from typing import Any

from engine.retrieval.text_ranker import TextRanking, coverage_sql


def fused_pool_sql(
    vector_where: str | None, text_ranking: TextRanking | None, params: dict[str, Any]
) -> str:
    """The statement that pools both rankers' chunks with their ranks, similarity and
    coverage. `vector_where` (the product filter) is None when the vector ranker is off,
    `text_ranking` when the text ranker is; its lists go into `params`."""
    use_vector = vector_where is not None
    ctes: list[str] = []
    if use_vector:
        ctes.append(f"""
        vec_hits AS (
            -- `c` is the chunk's vector row: it carries the chunk's owner and space, so the
            -- product filter's conditions on `c` read this table alone.
            SELECT c.id, c.embedding <=> CAST(:qvec AS halfvec) AS dist
            FROM chunk_vectors c
            WHERE c.tenant_id = :tenant_id AND c.embedding_space = :space AND {vector_where}
            ORDER BY c.embedding <=> CAST(:qvec AS halfvec)
            LIMIT :n
        ), vec AS (
            -- `dist + 0`: an order the planner cannot take from the index, so it sorts. A
            -- relaxed_order HNSW scan returns rows only roughly by distance, and PostgreSQL 17+
            -- trusts the index's order even through a MATERIALIZED CTE (pgvector issue #862).
            SELECT id, dist, row_number() OVER (ORDER BY dist + 0) AS rank FROM vec_hits
        )""")
    else:
        ctes.append(
            "vec AS (SELECT NULL::uuid AS id, NULL::float8 AS dist, NULL::bigint AS rank"
            " WHERE false)"
        )
    # The text ranker's list, in its order (it ran already: it needs no vector).
    params["txt_ids"] = list(text_ranking.chunk_ids) if text_ranking else []
    params["txt_coverage"] = list(text_ranking.coverage) if text_ranking else []
    ctes.append("""
        txt AS (
            SELECT t.id, t.coverage, t.rank
            FROM unnest(CAST(:txt_ids AS uuid[]), CAST(:txt_coverage AS float8[]))
                 WITH ORDINALITY AS t(id, coverage, rank)
        )""")
    # The vector ranker's chunks carry their distance; only the text ranker's others look
    # their vector up (by primary key).
    similarity = (
        "1 - coalesce(v.dist, (SELECT cv.embedding <=> CAST(:qvec AS halfvec)"
        " FROM chunk_vectors cv WHERE cv.tenant_id = :tenant_id AND cv.id = pool.id))"
        if use_vector
        else "NULL::float8"
    )
    # Chunks the text ranker listed carry their coverage; only vector-only ones compute it here.
    coverage = (
        f"coalesce(t.coverage, {coverage_sql(text_ranking.terms, params)})"
        if text_ranking is not None
        else "NULL::float8"
    )
    return f"""
        WITH {",".join(ctes)}
        SELECT c.id AS chunk_id, c.product_id, c.knowledge_document_id AS document_id,
               c.title, c.body, v.rank AS vector_rank, t.rank AS text_rank,
               {similarity} AS similarity, {coverage} AS coverage
        FROM (SELECT id FROM vec UNION SELECT id FROM txt) pool
        -- Each pooled chunk by its primary key (OFFSET 0 keeps the planner from turning the
        -- look-ups into a scan of the tenant's chunks: narrow since alembic 0019, it chose
        -- to read all 2,000 of a small tenant's rows and hash them for 50-80 look-ups).
        CROSS JOIN LATERAL (
            SELECT * FROM chunks c WHERE c.tenant_id = :tenant_id AND c.id = pool.id OFFSET 0
        ) c
        LEFT JOIN vec v ON v.id = pool.id
        LEFT JOIN txt t ON t.id = pool.id
    """
