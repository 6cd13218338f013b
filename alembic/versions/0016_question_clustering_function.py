"""A shopper's question is clustered in one statement: the function `cluster_question`.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

Clustering a question (engine.analytics.question_clusters) took twelve round trips inside
the answer's transaction: a savepoint, the lock timeout read and set, the question's time,
the bot's advisory lock, the HNSW settings, the nearest centroid, the cluster's insert or
update (its running mean computed in Python), the assignment, the day's counts, the lock
timeout put back, the savepoint released. Under bench.load's busy hour the API processes
spent 11 % of their event loops there, and because the bot's advisory lock is held from
its statement to the answer's commit, a saturated loop stretched that span past the
250 ms lock timeout: 126 questions in one run were left unclustered.

The function does the same in one statement, with the same rules: it runs as the caller
(SECURITY INVOKER: row-level security applies to every row it reads or writes), its
`lock_timeout` is 250 ms while it runs and the caller's after, and an error inside it is
undone alone (its EXCEPTION block is a subtransaction, as the savepoint was) and returned
as its SQLSTATE in `failure` for the caller to log; the answer's transaction goes on. The
running mean is computed by pgvector in single precision (the column's), where Python
computed it in double and stored it in single.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from core.settings import get_settings

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "cluster_question(uuid, uuid, uuid, text, vector, float8, integer, boolean)"

CLUSTER_QUESTION = """
CREATE FUNCTION cluster_question(
    p_tenant_id uuid, p_bot_id uuid, p_message_id uuid, p_space text, p_vector vector,
    p_join_similarity float8, p_ef_search integer, p_answered boolean
) RETURNS TABLE (clustered_into uuid, opened_cluster boolean, failure text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = public, pg_temp
SET lock_timeout = '250ms'
AS $$
DECLARE
    v_asked_at timestamptz;
    v_nearest record;
BEGIN
    SELECT m.created_at INTO v_asked_at
    FROM messages m WHERE m.tenant_id = p_tenant_id AND m.id = p_message_id;
    IF v_asked_at IS NULL THEN  -- erased while it was being answered
        RETURN;
    END IF;
    -- Two shoppers asking the same new question at once must not open two clusters.
    PERFORM pg_advisory_xact_lock(hashtextextended('question_clusters:' || p_bot_id::text, 0));
    PERFORM set_config('hnsw.iterative_scan', 'relaxed_order', true),
            set_config('hnsw.ef_search', p_ef_search::text, true);
    SELECT q.id, q.members, 1 - (q.centroid <=> p_vector) AS similarity INTO v_nearest
    FROM question_clusters q
    WHERE q.tenant_id = p_tenant_id AND q.bot_id = p_bot_id AND q.embedding_space = p_space
    ORDER BY q.centroid <=> p_vector
    LIMIT 1
    FOR UPDATE;
    IF v_nearest.id IS NULL OR v_nearest.similarity < p_join_similarity THEN
        clustered_into := gen_random_uuid();
        opened_cluster := true;
        INSERT INTO question_clusters
            (id, tenant_id, bot_id, embedding_space, centroid, members,
             representative_message_id)
        VALUES (clustered_into, p_tenant_id, p_bot_id, p_space, p_vector, 1, p_message_id);
    ELSE
        clustered_into := v_nearest.id;
        opened_cluster := false;
        -- The running mean: centroid + (vector - centroid) / (members + 1).
        UPDATE question_clusters q
        SET centroid = q.centroid + (p_vector - q.centroid) * CAST(array_fill(
                CAST(1.0 / (greatest(q.members, 0) + 1) AS real),
                ARRAY[vector_dims(p_vector)]) AS vector),
            members = q.members + 1
        WHERE q.tenant_id = p_tenant_id AND q.id = v_nearest.id;
    END IF;
    INSERT INTO question_assignments
        (message_id, tenant_id, cluster_id, bot_id, asked_at, answered)
    VALUES (p_message_id, p_tenant_id, clustered_into, p_bot_id, v_asked_at, p_answered);
    INSERT INTO question_cluster_days AS d (tenant_id, cluster_id, day, bot_id, asked, answered)
    VALUES (p_tenant_id, clustered_into, (v_asked_at AT TIME ZONE 'UTC')::date, p_bot_id, 1,
            CAST(p_answered AS integer))
    ON CONFLICT (tenant_id, cluster_id, day)
    DO UPDATE SET asked = d.asked + 1, answered = d.answered + excluded.answered;
    RETURN NEXT;
-- OTHERS leaves out a cancelled statement (a statement timeout): named, it is undone
-- alone too, as the savepoint undid it.
EXCEPTION WHEN query_canceled OR OTHERS THEN
    clustered_into := NULL;
    opened_cluster := NULL;
    failure := SQLSTATE;
    RETURN NEXT;
END $$
"""


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    op.execute(CLUSTER_QUESTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {_quote_ident(get_settings().app_db_role)}"
    )


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
