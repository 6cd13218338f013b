"""Analytics rollups, kept by triggers: per 15 minutes, per business day, per product and day.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Why rollups: a year of a busy store (365k conversations, 2M messages) is too much to scan
per dashboard request; the analytics read these instead.

- `analytics_quarter_hours`: counts, tokens and an answer-latency histogram per tenant, bot,
  UTC 15-minute bucket and model. Zone independent: every current IANA offset is a multiple
  of 15 minutes (India +5:30, Nepal +5:45, Chatham +12:45), so every local hour and local
  day of every zone, across DST changes, is a whole number of these buckets. Hours would
  not do: a day in Kolkata starts at 18:30 UTC.
- `analytics_days`: the same per local calendar day in the business's time zone
  (`tenants.timezone`), so a year's series reads 365 rows per bot and model. It is derived:
  when the business changes its zone, a trigger recounts it from the quarter hours.
- `analytics_product_days`: per product and local day, answers that showed its card
  (`messages.sources`), `product_click` and `add_to_cart` widget events. Dated in the zone
  in force when they happened (a later zone change does not move them).
  `analytics_product_months` holds the same per local month: a busy store shows a thousand
  or more products a day, so a year's top products read twelve months of rows plus the
  days of the window's partial months, not 365 days of them.

Rows count what they count by `model` ('' for facts that are not an answer) so cost is
priced at read time by `core.billing.prices` (the price table lives in Python, not SQL).
The latency histogram is sparse jsonb `{bin: count}` over fixed log bins: bin 0 is under
1 ms, bin i >= 1 holds [2^((i-1)/8), 2^(i/8)) ms (8 bins per doubling; see
dashboard_api/analytics/histogram.py for the error bound). Answers with status `error` are
not in it (a failure's time is not an answer's latency).

Triggers (AFTER, FOR EACH ROW) catch every writer: the chat, feedback, events, imports.
- conversations: INSERT. messages: INSERT and UPDATE of the counted columns (the old row
  is taken out, the new one added). feedback: INSERT and UPDATE of the rating (a second
  thumb replaces the first). widget_events: INSERT of `product_click` / `add_to_cart`.
- DELETE never decrements: rollups are anonymous aggregates that SURVIVE the retention
  purge and a visitor's erasure of the raw rows. The foreign keys' SET NULL on widget
  events (a product or conversation deleted) is not counted either. `DELETE /v1/tenant`
  empties them (they have `tenant_id`, so they are in the erasure's catalogue walk).
- Dashboard previews (visitor `preview:...`, dashboard_api.conversations.repository's
  PREVIEW_PATTERN, frozen here) are counted nowhere.

`analytics_rebuild(tenant uuid)` recounts a tenant's rollups from its raw rows (for this
migration's backfill and bulk loads that disable the triggers). It forgets what a purge
removed: it is a backfill, not a repair to run after purges.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"
TABLES = (
    "analytics_quarter_hours",
    "analytics_days",
    "analytics_product_days",
    "analytics_product_months",
)
COUNTERS = (
    "conversations",
    "messages",
    "answers",
    "answered",
    "unanswered",
    "errors",
    "thumbs_up",
    "thumbs_down",
    "product_clicks",
    "added_to_cart",
)
TOKENS = ("prompt_tokens", "completion_tokens")

# The shared pieces: the bucket, the business's zone, the latency bin, the cards of an
# answer, and the merge of two sparse histograms (zeros dropped).
HELPERS = """
CREATE FUNCTION analytics_bucket(p_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_bin('15 minutes', p_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')
$$;

CREATE FUNCTION analytics_zone(p_tenant uuid) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT timezone FROM tenants WHERE id = p_tenant), 'UTC')
$$;

CREATE FUNCTION analytics_latency_bin(p_ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_ms IS NULL THEN NULL
                WHEN p_ms < 1 THEN 0
                ELSE least(1 + floor(8 * ln(p_ms::float8) / ln(2::float8))::integer, 200)
           END
$$;

CREATE FUNCTION analytics_cards(p_sources jsonb)
RETURNS TABLE (product_id uuid, title text, url text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT DISTINCT ON (lower(card->>'product_id'))
           lower(card->>'product_id')::uuid, card->>'title', card->>'url'
    FROM jsonb_array_elements(
        CASE WHEN jsonb_typeof(p_sources) = 'array' THEN p_sources ELSE '[]'::jsonb END
    ) AS card
    WHERE jsonb_typeof(card) = 'object'
      AND card->>'product_id' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
    ORDER BY lower(card->>'product_id')
$$;

CREATE FUNCTION analytics_merge_bins(p_a jsonb, p_b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(bin, n) FILTER (WHERE n <> 0), '{}'::jsonb)
    FROM (
        SELECT bin, sum(n::bigint) AS n
        FROM (SELECT * FROM jsonb_each_text(p_a) UNION ALL SELECT * FROM jsonb_each_text(p_b))
             AS e(bin, n)
        GROUP BY bin
    ) AS s
$$;
"""


def _add_function() -> str:
    """`analytics_add`: one fact (or its removal, with negative counts) into the quarter
    hour and the business day it falls in."""
    parameters = ",\n    ".join(f"p_{name} integer DEFAULT 0" for name in COUNTERS)
    tokens = ",\n    ".join(f"p_{name} bigint DEFAULT 0" for name in TOKENS)
    columns = ", ".join((*COUNTERS, *TOKENS))
    values = ", ".join(f"p_{name}" for name in (*COUNTERS, *TOKENS))
    sums = ",\n            ".join(
        f"{name} = r.{name} + EXCLUDED.{name}" for name in COUNTERS + TOKENS
    )
    upserts = [
        f"""
    INSERT INTO {table} AS r (tenant_id, bot_id, {key}, model, {columns}, latency_bins)
    VALUES (p_tenant, p_bot, {value}, p_model, {values}, v_bins)
    ON CONFLICT (tenant_id, {key}, bot_id, model) DO UPDATE SET
            {sums},
            latency_bins = analytics_merge_bins(r.latency_bins, EXCLUDED.latency_bins);"""
        for table, key, value in (
            ("analytics_quarter_hours", "bucket_start", "analytics_bucket(p_at)"),
            ("analytics_days", "day", "(p_at AT TIME ZONE analytics_zone(p_tenant))::date"),
        )
    ]
    return f"""
CREATE FUNCTION analytics_add(
    p_tenant uuid, p_bot uuid, p_at timestamptz, p_model text,
    {parameters},
    {tokens},
    p_latency_bin integer DEFAULT NULL, p_latency_count integer DEFAULT 0
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_bins jsonb := CASE WHEN p_latency_bin IS NULL OR p_latency_count = 0 THEN '{{}}'::jsonb
                         ELSE jsonb_build_object(p_latency_bin::text, p_latency_count) END;
BEGIN
    {"".join(upserts)}
END $$;
"""


ADD_PRODUCT = """
CREATE FUNCTION analytics_add_product(
    p_tenant uuid, p_bot uuid, p_product uuid, p_at timestamptz,
    p_shown integer DEFAULT 0, p_clicks integer DEFAULT 0, p_added_to_cart integer DEFAULT 0,
    p_title text DEFAULT NULL, p_url text DEFAULT NULL
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_day date := (p_at AT TIME ZONE analytics_zone(p_tenant))::date;
BEGIN
    INSERT INTO analytics_product_days AS r
        (tenant_id, bot_id, product_id, day, shown, clicks, added_to_cart, title, url)
    VALUES (p_tenant, p_bot, p_product, v_day, p_shown, p_clicks, p_added_to_cart, p_title,
            p_url)
    ON CONFLICT (tenant_id, day, bot_id, product_id) DO UPDATE SET
        shown = r.shown + EXCLUDED.shown,
        clicks = r.clicks + EXCLUDED.clicks,
        added_to_cart = r.added_to_cart + EXCLUDED.added_to_cart,
        -- The newest card's title and link (a product gone from the catalogue keeps a name).
        title = CASE WHEN EXCLUDED.shown > 0 THEN EXCLUDED.title ELSE r.title END,
        url = CASE WHEN EXCLUDED.shown > 0 THEN EXCLUDED.url ELSE r.url END;
    INSERT INTO analytics_product_months AS r
        (tenant_id, bot_id, product_id, month, shown, clicks, added_to_cart)
    VALUES (p_tenant, p_bot, p_product, date_trunc('month', v_day)::date, p_shown, p_clicks,
            p_added_to_cart)
    ON CONFLICT (tenant_id, month, bot_id, product_id) DO UPDATE SET
        shown = r.shown + EXCLUDED.shown,
        clicks = r.clicks + EXCLUDED.clicks,
        added_to_cart = r.added_to_cart + EXCLUDED.added_to_cart;
END $$;
"""

# A message's share of the rollups, taken in (+1) or out (-1).
COUNT_MESSAGE = """
CREATE FUNCTION analytics_count_message(m messages, p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_bot uuid;
    v_card record;
BEGIN
    SELECT c.bot_id INTO v_bot FROM conversations c
    WHERE c.id = m.conversation_id
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE 'preview:%');
    IF v_bot IS NULL THEN
        RETURN;
    END IF;
    IF m.role <> 'assistant' THEN
        PERFORM analytics_add(m.tenant_id, v_bot, m.created_at, '', p_messages => p_sign);
        RETURN;
    END IF;
    PERFORM analytics_add(
        m.tenant_id, v_bot, m.created_at, coalesce(m.model, ''),
        p_answers => p_sign,
        -- engine/analytics/answered.py: answered is `ok` citing a source; every other
        -- reply but a failure (`no_answer`, an `ok` that cites nothing) is unanswered.
        p_answered => p_sign * (m.status = 'ok' AND m.sources @> '[{}]')::integer,
        p_unanswered => p_sign
            * (m.status <> 'error' AND NOT (m.status = 'ok' AND m.sources @> '[{}]'))::integer,
        p_errors => p_sign * (m.status = 'error')::integer,
        p_prompt_tokens => p_sign * coalesce(m.prompt_tokens, 0)::bigint,
        p_completion_tokens => p_sign * coalesce(m.completion_tokens, 0)::bigint,
        p_latency_bin => CASE WHEN m.status <> 'error' THEN analytics_latency_bin(m.latency_ms) END,
        p_latency_count => p_sign
    );
    FOR v_card IN SELECT * FROM analytics_cards(m.sources) LOOP
        PERFORM analytics_add_product(
            m.tenant_id, v_bot, v_card.product_id, m.created_at,
            p_shown => p_sign, p_title => v_card.title, p_url => v_card.url
        );
    END LOOP;
END $$;

CREATE FUNCTION analytics_message_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM analytics_count_message(OLD, -1);
    END IF;
    PERFORM analytics_count_message(NEW, 1);
    RETURN NULL;
END $$;
"""

COUNT_FEEDBACK = """
CREATE FUNCTION analytics_count_feedback(f feedback, p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_bot uuid;
BEGIN
    SELECT c.bot_id INTO v_bot
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.id = f.message_id
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE 'preview:%');
    IF v_bot IS NOT NULL THEN
        PERFORM analytics_add(
            f.tenant_id, v_bot, f.created_at, '',
            p_thumbs_up => p_sign * (f.rating = 'up')::integer,
            p_thumbs_down => p_sign * (f.rating = 'down')::integer
        );
    END IF;
END $$;

CREATE FUNCTION analytics_feedback_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM analytics_count_feedback(OLD, -1);
    END IF;
    PERFORM analytics_count_feedback(NEW, 1);
    RETURN NULL;
END $$;
"""

COUNT_INSERTS = """
CREATE FUNCTION analytics_conversation_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.visitor_id IS NULL OR NEW.visitor_id NOT LIKE 'preview:%' THEN
        PERFORM analytics_add(NEW.tenant_id, NEW.bot_id, NEW.created_at, '',
                              p_conversations => 1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION analytics_widget_event_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_click integer := (NEW.type = 'product_click')::integer;
    v_cart integer := (NEW.type = 'add_to_cart')::integer;
BEGIN
    IF NEW.conversation_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM conversations c
        WHERE c.id = NEW.conversation_id AND c.visitor_id LIKE 'preview:%'
    ) THEN
        RETURN NULL;
    END IF;
    PERFORM analytics_add(NEW.tenant_id, NEW.bot_id, NEW.created_at, '',
                          p_product_clicks => v_click, p_added_to_cart => v_cart);
    IF NEW.product_id IS NOT NULL THEN
        PERFORM analytics_add_product(NEW.tenant_id, NEW.bot_id, NEW.product_id,
                                      NEW.created_at, p_clicks => v_click,
                                      p_added_to_cart => v_cart);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION analytics_timezone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_rebuild_days(NEW.id);
    RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER analytics_conversations AFTER INSERT ON conversations
    FOR EACH ROW EXECUTE FUNCTION analytics_conversation_added();
CREATE TRIGGER analytics_messages
    AFTER INSERT OR UPDATE OF conversation_id, role, status, model, sources, latency_ms,
        prompt_tokens, completion_tokens, created_at
    ON messages FOR EACH ROW EXECUTE FUNCTION analytics_message_written();
CREATE TRIGGER analytics_feedback
    AFTER INSERT OR UPDATE OF message_id, rating, created_at
    ON feedback FOR EACH ROW EXECUTE FUNCTION analytics_feedback_written();
CREATE TRIGGER analytics_widget_events AFTER INSERT ON widget_events
    FOR EACH ROW WHEN (NEW.type IN ('product_click', 'add_to_cart'))
    EXECUTE FUNCTION analytics_widget_event_added();
CREATE TRIGGER analytics_timezone AFTER UPDATE OF timezone ON tenants
    FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION analytics_timezone_changed();
"""


def _rebuild_days() -> str:
    """Business days from the quarter hours (exact: days are whole quarter hours)."""
    columns = ", ".join((*COUNTERS, *TOKENS))
    sums = ", ".join(f"sum(q.{name})" for name in (*COUNTERS, *TOKENS))
    return f"""
CREATE FUNCTION analytics_rebuild_days(p_tenant uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_zone text := analytics_zone(p_tenant);
BEGIN
    DELETE FROM analytics_days WHERE tenant_id = p_tenant;
    INSERT INTO analytics_days (tenant_id, bot_id, day, model, {columns}, latency_bins)
    WITH q AS MATERIALIZED (
        SELECT *, (bucket_start AT TIME ZONE v_zone)::date AS local_day
        FROM analytics_quarter_hours WHERE tenant_id = p_tenant
    ), bins AS (
        SELECT bot_id, local_day, model, jsonb_object_agg(bin, n) AS latency_bins
        FROM (
            SELECT q.bot_id, q.local_day, q.model, b.key AS bin, sum(b.value::bigint) AS n
            FROM q, jsonb_each_text(q.latency_bins) AS b
            GROUP BY 1, 2, 3, 4
        ) AS s
        WHERE n <> 0
        GROUP BY 1, 2, 3
    )
    SELECT p_tenant, q.bot_id, q.local_day, q.model, {sums},
           coalesce(min(bins.latency_bins::text)::jsonb, '{{}}'::jsonb)
    FROM q LEFT JOIN bins USING (bot_id, local_day, model)
    GROUP BY q.bot_id, q.local_day, q.model;
END $$;
"""


# Every counted fact of a tenant's raw rows, one row each, in the trigger's terms.
_FACTS = """
    real AS MATERIALIZED (
        SELECT id, bot_id FROM conversations
        WHERE tenant_id = p_tenant
          AND (visitor_id IS NULL OR visitor_id NOT LIKE 'preview:%')
    ), facts AS MATERIALIZED (
        SELECT r.bot_id, c.created_at AS at, ''::text AS model,
               1 AS conversations, 0 AS messages, 0 AS answers, 0 AS answered,
               0 AS unanswered, 0 AS errors, 0 AS thumbs_up, 0 AS thumbs_down,
               0 AS product_clicks, 0 AS added_to_cart,
               0::bigint AS prompt_tokens, 0::bigint AS completion_tokens,
               NULL::integer AS latency_bin
        FROM conversations c JOIN real r ON r.id = c.id
        UNION ALL
        SELECT r.bot_id, m.created_at,
               CASE WHEN m.role = 'assistant' THEN coalesce(m.model, '') ELSE '' END,
               0, (m.role <> 'assistant')::integer, (m.role = 'assistant')::integer,
               (m.role = 'assistant' AND m.status = 'ok' AND m.sources @> '[{}]')::integer,
               (m.role = 'assistant' AND m.status <> 'error'
                AND NOT (m.status = 'ok' AND m.sources @> '[{}]'))::integer,
               (m.role = 'assistant' AND m.status = 'error')::integer,
               0, 0, 0, 0,
               CASE WHEN m.role = 'assistant' THEN coalesce(m.prompt_tokens, 0) ELSE 0 END,
               CASE WHEN m.role = 'assistant' THEN coalesce(m.completion_tokens, 0) ELSE 0 END,
               CASE WHEN m.role = 'assistant' AND m.status <> 'error'
                    THEN analytics_latency_bin(m.latency_ms) END
        FROM messages m JOIN real r ON r.id = m.conversation_id
        WHERE m.tenant_id = p_tenant
        UNION ALL
        SELECT r.bot_id, f.created_at, '', 0, 0, 0, 0, 0, 0,
               (f.rating = 'up')::integer, (f.rating = 'down')::integer, 0, 0, 0, 0, NULL
        FROM feedback f
        JOIN messages m ON m.id = f.message_id
        JOIN real r ON r.id = m.conversation_id
        WHERE f.tenant_id = p_tenant
        UNION ALL
        SELECT e.bot_id, e.created_at, '', 0, 0, 0, 0, 0, 0, 0, 0,
               (e.type = 'product_click')::integer, (e.type = 'add_to_cart')::integer,
               0, 0, NULL
        FROM widget_events e
        LEFT JOIN conversations c ON c.id = e.conversation_id
        WHERE e.tenant_id = p_tenant AND e.type IN ('product_click', 'add_to_cart')
          AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE 'preview:%')
    )"""


def _rebuild_quarter_hours() -> str:
    columns = ", ".join((*COUNTERS, *TOKENS))
    sums = ", ".join(f"sum(f.{name})" for name in (*COUNTERS, *TOKENS))
    return f"""
CREATE FUNCTION analytics_rebuild_quarter_hours(p_tenant uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM analytics_quarter_hours WHERE tenant_id = p_tenant;
    INSERT INTO analytics_quarter_hours
        (tenant_id, bot_id, bucket_start, model, {columns}, latency_bins)
    WITH {_FACTS}, bucketed AS MATERIALIZED (
        SELECT *, analytics_bucket(at) AS bucket_start FROM facts
    ), bins AS (
        SELECT bot_id, bucket_start, model, jsonb_object_agg(latency_bin::text, n) AS latency_bins
        FROM (
            SELECT bot_id, bucket_start, model, latency_bin, count(*) AS n
            FROM bucketed WHERE latency_bin IS NOT NULL
            GROUP BY 1, 2, 3, 4
        ) AS s
        GROUP BY 1, 2, 3
    )
    SELECT p_tenant, f.bot_id, f.bucket_start, f.model, {sums},
           coalesce(min(bins.latency_bins::text)::jsonb, '{{}}'::jsonb)
    FROM bucketed f LEFT JOIN bins USING (bot_id, bucket_start, model)
    GROUP BY f.bot_id, f.bucket_start, f.model;
END $$;
"""


REBUILD_PRODUCTS = """
CREATE FUNCTION analytics_rebuild_product_days(p_tenant uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_zone text := analytics_zone(p_tenant);
BEGIN
    DELETE FROM analytics_product_days WHERE tenant_id = p_tenant;
    INSERT INTO analytics_product_days
        (tenant_id, bot_id, product_id, day, shown, clicks, added_to_cart, title, url)
    WITH real AS MATERIALIZED (
        SELECT id, bot_id FROM conversations
        WHERE tenant_id = p_tenant
          AND (visitor_id IS NULL OR visitor_id NOT LIKE 'preview:%')
    ), facts AS (
        SELECT r.bot_id, card.product_id, m.created_at AS at, m.id AS row_id,
               1 AS shown, 0 AS clicks, 0 AS added_to_cart, card.title, card.url
        FROM messages m
        JOIN real r ON r.id = m.conversation_id
        CROSS JOIN LATERAL analytics_cards(m.sources) AS card
        WHERE m.tenant_id = p_tenant AND m.role = 'assistant'
        UNION ALL
        SELECT e.bot_id, e.product_id, e.created_at, e.id, 0,
               (e.type = 'product_click')::integer, (e.type = 'add_to_cart')::integer,
               NULL, NULL
        FROM widget_events e
        LEFT JOIN conversations c ON c.id = e.conversation_id
        WHERE e.tenant_id = p_tenant AND e.product_id IS NOT NULL
          AND e.type IN ('product_click', 'add_to_cart')
          AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE 'preview:%')
    )
    SELECT p_tenant, bot_id, product_id, (at AT TIME ZONE v_zone)::date,
           sum(shown), sum(clicks), sum(added_to_cart),
           (array_agg(title ORDER BY at DESC, row_id DESC) FILTER (WHERE shown > 0))[1],
           (array_agg(url ORDER BY at DESC, row_id DESC) FILTER (WHERE shown > 0))[1]
    FROM facts
    GROUP BY bot_id, product_id, (at AT TIME ZONE v_zone)::date;
    DELETE FROM analytics_product_months WHERE tenant_id = p_tenant;
    INSERT INTO analytics_product_months
        (tenant_id, bot_id, product_id, month, shown, clicks, added_to_cart)
    SELECT p_tenant, bot_id, product_id, date_trunc('month', day)::date,
           sum(shown), sum(clicks), sum(added_to_cart)
    FROM analytics_product_days
    WHERE tenant_id = p_tenant
    GROUP BY bot_id, product_id, date_trunc('month', day)::date;
END $$;

CREATE FUNCTION analytics_rebuild(p_tenant uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_rebuild_quarter_hours(p_tenant);
    PERFORM analytics_rebuild_days(p_tenant);
    PERFORM analytics_rebuild_product_days(p_tenant);
END $$;
"""

FUNCTIONS = (
    "analytics_rebuild(uuid)",
    "analytics_rebuild_product_days(uuid)",
    "analytics_rebuild_quarter_hours(uuid)",
    "analytics_timezone_changed()",
    "analytics_rebuild_days(uuid)",
    "analytics_widget_event_added()",
    "analytics_conversation_added()",
    "analytics_feedback_written()",
    "analytics_count_feedback(feedback, integer)",
    "analytics_message_written()",
    "analytics_count_message(messages, integer)",
    "analytics_add_product(uuid, uuid, uuid, timestamptz, integer, integer, integer, text, text)",
    "analytics_add(uuid, uuid, timestamptz, text, "
    + ", ".join(["integer"] * len(COUNTERS) + ["bigint"] * len(TOKENS))
    + ", integer, integer)",
    "analytics_merge_bins(jsonb, jsonb)",
    "analytics_cards(jsonb)",
    "analytics_latency_bin(integer)",
    "analytics_zone(uuid)",
    "analytics_bucket(timestamptz)",
)


def _rollup_columns() -> list[sa.Column[object]]:
    counters = [
        sa.Column(name, sa.Integer(), server_default="0", nullable=False) for name in COUNTERS
    ]
    tokens = [
        sa.Column(name, sa.BigInteger(), server_default="0", nullable=False) for name in TOKENS
    ]
    bins = sa.Column(
        "latency_bins",
        postgresql.JSONB(astext_type=sa.Text()),
        server_default="{}",
        nullable=False,
    )
    return [*counters, *tokens, bins]


def _owner_columns(table: str) -> list[sa.Column[object] | sa.Constraint]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("bot_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=f"fk_{table}_tenant_id_tenants", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["bot_id"], ["bots.id"], name=f"fk_{table}_bot_id_bots", ondelete="CASCADE"
        ),
    ]


def _create_tables() -> None:
    op.create_table(
        "analytics_quarter_hours",
        *_owner_columns("analytics_quarter_hours"),
        sa.Column("bucket_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model", sa.String(100), server_default="", nullable=False),
        *_rollup_columns(),
        sa.PrimaryKeyConstraint(
            "tenant_id", "bucket_start", "bot_id", "model", name="pk_analytics_quarter_hours"
        ),
    )
    op.create_table(
        "analytics_days",
        *_owner_columns("analytics_days"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("model", sa.String(100), server_default="", nullable=False),
        *_rollup_columns(),
        sa.PrimaryKeyConstraint("tenant_id", "day", "bot_id", "model", name="pk_analytics_days"),
    )
    op.create_table(
        "analytics_product_days",
        *_owner_columns("analytics_product_days"),
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shown", sa.Integer(), server_default="0", nullable=False),
        sa.Column("clicks", sa.Integer(), server_default="0", nullable=False),
        sa.Column("added_to_cart", sa.Integer(), server_default="0", nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(
            "tenant_id", "day", "bot_id", "product_id", name="pk_analytics_product_days"
        ),
    )
    op.create_table(
        "analytics_product_months",
        *_owner_columns("analytics_product_months"),
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("shown", sa.Integer(), server_default="0", nullable=False),
        sa.Column("clicks", sa.Integer(), server_default="0", nullable=False),
        sa.Column("added_to_cart", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "month", "bot_id", "product_id", name="pk_analytics_product_months"
        ),
    )
    op.create_index(
        "ix_analytics_product_days_tenant_id_product_id_day",
        "analytics_product_days",
        ["tenant_id", "product_id", "day"],
    )


def upgrade() -> None:
    _create_tables()
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING (tenant_id = {CURRENT_TENANT}) "
            f"WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    for ddl in (
        HELPERS,
        _add_function(),
        ADD_PRODUCT,
        COUNT_MESSAGE,
        COUNT_FEEDBACK,
        _rebuild_days(),
        _rebuild_quarter_hours(),
        REBUILD_PRODUCTS,
        COUNT_INSERTS,
        TRIGGERS,
    ):
        op.execute(ddl)
    # The backfill: the schema owner reads every tenant (as 0002's lookups do).
    op.execute("SELECT analytics_rebuild(id) FROM tenants")


def downgrade() -> None:
    for trigger, table in (
        ("analytics_timezone", "tenants"),
        ("analytics_widget_events", "widget_events"),
        ("analytics_feedback", "feedback"),
        ("analytics_messages", "messages"),
        ("analytics_conversations", "conversations"),
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    for table in TABLES:
        op.drop_table(table)
