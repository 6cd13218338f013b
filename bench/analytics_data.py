"""The analytics bench's data: a busy store's year, generated inside PostgreSQL.

One tenant's conversations are written by a handful of `INSERT ... SELECT` statements over
`generate_series` (no row crosses the wire), as the schema owner, in one transaction whose
`app.tenant_id` is the tenant's: with row-level security FORCED, the owner's statements pass
the same policy the application's do (a superuser, like the embedded server's, bypasses it
anyway). Rows go in in time order, as a live store writes them, so the heap's order follows
`created_at`.

What a tenant gets (`LoadSpec`): a store with `products` products (skewed popularity: a few
are cited in many answers), `days` calendar days ending with `last_day` in its time zone, and
every day `per_day` conversations spread over a daily curve (quiet nights, a lunch peak, a
larger evening peak). Each conversation has 2-4 turns: a shopper question from the bank of
paraphrases (bench/analytics_questions.py) and the answer, with the status the question's
family makes likely (`ok` / `no_answer` / `error`), a latency, tokens and model, and for `ok`
answers 1-3 product cards in `messages.sources` shaped as the chat stores them
(`engine.types.product_source`). About 5% of answers get a thumbs up or down, ~10% of those
with cards a `product_click` event and ~2% an `add_to_cart` event; 0.5% of conversations are
dashboard previews (`preview:` visitors), which the analytics leave out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bench import analytics_hooks
from bench.analytics_hooks import as_tenant
from bench.analytics_questions import FAMILIES, bank

HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 12, 12, 10, 9, 9, 10, 12, 14, 14, 11, 6, 3)
ORIGIN = "https://shop.bench.test"


@dataclass(frozen=True)
class LoadSpec:
    tenant_id: Any
    bots: list[tuple[Any, float]]  # (bot id, share of conversations); shares add up to 1
    days: int
    per_day: int
    last_day: date  # the last calendar day with data, in `timezone`
    timezone: str
    products: int = 2000
    seed: float = 0.42

    @property
    def first_day(self) -> date:
        return self.last_day - timedelta(days=self.days - 1)


@dataclass
class Loaded:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # the after-load hooks' findings

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _picks(weights: list[float], slots: int) -> list[int]:
    """An array whose uniformly drawn element follows `weights` (index i in proportion to
    weights[i]): what the SQL draws from with `random()`."""
    total = sum(weights)
    picks: list[int] = []
    for index, weight in enumerate(weights):
        picks.extend([index] * max(1, round(slots * weight / total)))
    return picks


def question_picks() -> list[int]:
    """Bank rows drawn Zipf-like by family (1/rank), each family's wordings uniformly."""
    rows = bank()
    weights = [1.0 / (family + 1) / len(FAMILIES[family].wordings) for family, _, _ in rows]
    return [index + 1 for index in _picks(weights, 4000)]  # 1-based, as the bank table


def hour_picks() -> list[int]:
    return _picks([float(w) for w in HOUR_WEIGHTS], 400)


_STAGES: tuple[tuple[str, str], ...] = (
    (
        "store and catalogue",
        """
        WITH store AS (
            INSERT INTO store_connections (id, tenant_id, base_url, credentials_ciphertext)
            VALUES (gen_random_uuid(), :tenant, 'https://shop.bench.test', '\\x00')
            RETURNING id
        )
        INSERT INTO products (id, tenant_id, store_id, external_id, name, slug, permalink,
                              sku, price, currency, stock_status, image_url, categories,
                              content_hash, created_at, updated_at)
        SELECT gen_random_uuid(), :tenant, store.id, n::text, names.name,
               'product-' || n, 'https://shop.bench.test/product/product-' || n,
               'SKU-' || lpad(n::text, 5, '0'), 5 + (n * 37 % 290) + 0.99, 'EUR',
               CASE WHEN n % 11 = 0 THEN 'outofstock' ELSE 'instock' END,
               'https://shop.bench.test/img/' || n || '.jpg', ARRAY['Outdoor'], md5(n::text),
               :first_at, :first_at
        FROM store, generate_series(1, :products) AS n,
             LATERAL (SELECT (ARRAY['Alpine','Summit','Ridge','Canyon','Glacier','Forest',
                                    'Fjord','Tundra'])[1 + n % 8] || ' ' ||
                             (ARRAY['Rain Jacket','Fleece','Down Vest','Trail Shoe',
                                    'Hiking Boot','Beanie','Hiking Sock','Water Bottle',
                                    'Headlamp','Sleeping Bag','Tent','Camp Stove','Skillet',
                                    'Mug','Trekking Pole','Daypack','Sun Hat'])[1 + n / 8 % 17]
                             || ' ' || n AS name) AS names
        """,
    ),
    (
        "working tables",
        """
        CREATE TEMPORARY TABLE bench_cards ON COMMIT DROP AS
        SELECT external_id::int AS idx, id, permalink, jsonb_build_object(
                   'product_id', id::text, 'external_id', external_id, 'sku', sku,
                   'title', name, 'url', permalink, 'price', to_char(price, 'FM999990.00'),
                   'currency', currency, 'in_stock', stock_status = 'instock',
                   'snippet', name || ': a favourite of our customers.',
                   'image_url', image_url) AS card
        FROM products WHERE tenant_id = :tenant;
        CREATE UNIQUE INDEX ON bench_cards (idx);
        CREATE TEMPORARY TABLE bench_conversations ON COMMIT DROP AS
        SELECT n, gen_random_uuid() AS id,
               CASE WHEN random() < :first_bot_share THEN :bot_a ELSE :bot_b END AS bot_id,
               CASE WHEN random() < 0.005 THEN 'preview:' || md5(n::text)
                    ELSE 'v-' || (n::bigint * 7919 % greatest(1, :conversations * 4 / 5)) END
                   AS visitor_id,
               2 + floor(random() * 3)::int AS turns,
               (((:first_day)::date + ((n - 1) / :per_day)::int)::timestamp
                 + (CAST(:hours AS int[]))[1 + floor(random() * :hour_slots)::int]
                   * interval '1 hour'
                 + random() * interval '3599 seconds') AT TIME ZONE :zone AS created_at
        FROM generate_series(1, :conversations) AS n;
        CREATE TEMPORARY TABLE bench_turns ON COMMIT DROP AS
        WITH drawn AS (
            SELECT c.id AS conversation_id, c.bot_id, c.visitor_id, t,
                   (CAST(:questions AS int[]))[1 + floor(random() * :question_slots)::int] AS q,
                   random() AS fate,
                   c.created_at + (t - 1) * interval '50 seconds'
                     + random() * interval '20 seconds' AS asked_at,
                   300 + floor(random() ^ 3 * 6000)::int AS latency_ms,
                   1 + floor(random() * 3)::int AS card_count,
                   ARRAY[1 + floor(:products * random() ^ 2.5)::int,
                         1 + floor(:products * random() ^ 2.5)::int,
                         1 + floor(:products * random() ^ 2.5)::int] AS drawn_cards,
                   random() AS model_fate
            FROM bench_conversations c, generate_series(1, c.turns) AS t
        )
        SELECT d.*, gen_random_uuid() AS question_id, gen_random_uuid() AS answer_id,
               b.wording,
               CASE WHEN d.fate >= 0.98 THEN 'error'
                    WHEN (b.answerable AND d.fate < 0.93) OR d.fate < 0.18 THEN 'ok'
                    ELSE 'no_answer' END AS status,
               d.asked_at + d.latency_ms * interval '1 millisecond' AS answered_at
        FROM drawn d JOIN bench_bank b ON b.idx = d.q;
        ALTER TABLE bench_turns ADD COLUMN cards int[];
        UPDATE bench_turns SET cards = CASE WHEN status = 'ok'
                                            THEN drawn_cards[1:card_count] ELSE '{}' END;
        ANALYZE bench_turns
        """,
    ),
    (
        "conversations",
        """
        INSERT INTO conversations (id, tenant_id, bot_id, visitor_id, page_url, created_at,
                                   last_message_at, message_count)
        SELECT id, :tenant, bot_id, visitor_id, 'https://shop.bench.test/', created_at,
               created_at + turns * interval '55 seconds', turns * 2
        FROM bench_conversations ORDER BY created_at
        """,
    ),
    (
        "messages",
        """
        INSERT INTO messages (id, tenant_id, conversation_id, role, content, sources, status,
                              model, latency_ms, first_token_ms, prompt_tokens,
                              completion_tokens, created_at)
        SELECT * FROM (
            SELECT question_id, :tenant, conversation_id, 'user', wording, '[]'::jsonb, 'ok',
                   NULL, NULL::int, NULL::int, NULL::int, NULL::int, asked_at
            FROM bench_turns
            UNION ALL
            SELECT answer_id, :tenant, conversation_id, 'assistant',
                   CASE status WHEN 'ok' THEN 'Here is what I found for you: '
                                   || coalesce((SELECT string_agg(c.card->>'title', ', ')
                                                FROM bench_cards c
                                                WHERE c.idx = ANY (t.cards)), '')
                               WHEN 'no_answer' THEN 'Sorry, I could not find that in the '
                                   || 'shop. Please contact the store team.'
                               ELSE 'Something went wrong, please try again.' END,
                   coalesce((SELECT jsonb_agg(c.card ORDER BY k.position)
                             FROM unnest(t.cards) WITH ORDINALITY AS k(idx, position)
                             JOIN bench_cards c ON c.idx = k.idx), '[]'::jsonb),
                   status,
                   CASE WHEN model_fate < 0.85 THEN 'gpt-4o-mini' ELSE 'offline' END,
                   latency_ms, latency_ms / 3,
                   CASE WHEN model_fate < 0.85 THEN 800 + (latency_ms * 7) % 1700 END,
                   CASE WHEN model_fate < 0.85 THEN 40 + latency_ms % 260 END,
                   answered_at
            FROM bench_turns t
        ) AS rows ORDER BY 13
        """,
    ),
    (
        "feedback",
        """
        INSERT INTO feedback (id, tenant_id, message_id, rating, created_at)
        SELECT gen_random_uuid(), :tenant, answer_id,
               CASE WHEN random() < CASE status WHEN 'ok' THEN 0.82 ELSE 0.3 END
                    THEN 'up' ELSE 'down' END,
               answered_at + interval '30 seconds' + random() * interval '2 minutes'
        FROM bench_turns WHERE status <> 'error' AND random() < 0.05
        ORDER BY answered_at
        """,
    ),
    (
        "widget events",
        """
        INSERT INTO widget_events (id, tenant_id, bot_id, conversation_id, message_id, type,
                                   product_id, url, payload, created_at)
        SELECT gen_random_uuid(), :tenant, t.bot_id, t.conversation_id, t.answer_id, t.type,
               c.id, c.permalink,
               jsonb_build_object('visitor_id', t.visitor_id, 'origin', CAST(:origin AS text)),
               t.at
        FROM (
            -- random() in each branch's WHERE: drawn per row (in a joined subquery the
            -- planner would evaluate it once, as a one-time filter, for every row)
            SELECT *, 'product_click' AS type, answered_at + interval '20 seconds' AS at
            FROM bench_turns WHERE cardinality(cards) > 0 AND random() < 0.10
            UNION ALL
            SELECT *, 'add_to_cart', answered_at + interval '40 seconds'
            FROM bench_turns WHERE cardinality(cards) > 0 AND random() < 0.02
        ) AS t
        JOIN bench_cards c ON c.idx = t.cards[1]
        ORDER BY 10
        """,
    ),
)


def _bank_table(connection: Connection) -> None:
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE bench_bank ON COMMIT DROP AS "
            "SELECT idx::int, wording, answerable FROM unnest(CAST(:wordings AS text[]), "
            "CAST(:answerable AS boolean[])) WITH ORDINALITY AS b(wording, answerable, idx)"
        ),
        {
            "wordings": [wording for _, wording, _ in bank()],
            "answerable": [answerable for _, _, answerable in bank()],
        },
    )


def _parameters(spec: LoadSpec) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from dashboard_api.analytics.days import day_range

    window = day_range(spec.first_day, spec.last_day + timedelta(days=1), spec.timezone)
    assert window.timezone == ZoneInfo(spec.timezone).key
    bots = spec.bots if len(spec.bots) > 1 else [*spec.bots, (spec.bots[0][0], 0.0)]
    hours, questions = hour_picks(), question_picks()
    return {
        "tenant": spec.tenant_id,
        "bot_a": bots[0][0],
        "bot_b": bots[1][0],
        "first_bot_share": bots[0][1],
        "conversations": spec.days * spec.per_day,
        "per_day": spec.per_day,
        "first_day": spec.first_day,
        "first_at": window.start_at,
        "zone": spec.timezone,
        "products": spec.products,
        "hours": hours,
        "hour_slots": len(hours),
        "questions": questions,
        "question_slots": len(questions),
        "origin": ORIGIN,
    }


def load_tenant(connection: Connection, spec: LoadSpec) -> Loaded:
    """Writes the tenant's year in the caller's transaction (on the owner's connection) and
    returns rows and seconds per stage. The hooks (bench/analytics_hooks.py) run around it."""
    parameters = _parameters(spec)
    loaded = Loaded()
    as_tenant(connection, spec.tenant_id)
    connection.execute(text("SET LOCAL work_mem = '256MB'"))
    connection.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))  # one seed
    connection.execute(text("SELECT setseed(:seed)"), {"seed": spec.seed})
    _bank_table(connection)
    with analytics_hooks.bulk_load(connection):
        for stage, sql in _STAGES:
            began = time.perf_counter()
            rows = 0
            for statement in sql.split(";\n"):
                result = connection.execute(text(statement), parameters)
                if statement.lstrip().startswith(("INSERT", "WITH")):
                    rows += max(0, result.rowcount)
            loaded.seconds[stage] = time.perf_counter() - began
            loaded.rows[stage] = rows
        hook_seconds, hook_rows, notes = analytics_hooks.after_bulk_load(
            connection, spec.tenant_id, {wording: family for family, wording, _ in bank()}
        )
        loaded.seconds.update(hook_seconds)
        loaded.rows.update(hook_rows)
        loaded.notes.extend(notes)
    return loaded
