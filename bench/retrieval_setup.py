"""The retrieval bench's database: an embedded PostgreSQL (pgvector) with tenants, stores,
products and one chunk per product, bulk-loaded with binary COPY as the table owner (a
superuser, which row-level security does not apply to), then indexed and ANALYZEd.

Every tenant gets the pool's products in its own order and prices, with small Gaussian
noise on the vectors (re-normalised): the same texts in every tenant is the hard case for
one global, tenant-filtered HNSW index.

With `--data-dir` the built database is kept and the next run with the same parameters
reuses it (building 100 tenants x 2,000 products takes about two minutes).

`--embedding-storage main` is a what-if: pgvector declares its type STORAGE EXTERNAL, and
before migration 0003 a chunk row past ~2 kB (a 384-d vector is 1.5 kB) had its vector
moved out of line into TOAST, so every distance an exact scan computed first fetched it
from there. MAIN keeps the vector in the row but then moves the tsvector out instead
(measured: the text ranker lost more than the vector ranker gained). Migration 0003 sets
the table's toast_tuple_target to 8160, so a chunk row stays whole below a page.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import psycopg
from pgvector import HalfVector
from pgvector.psycopg import register_vector
from psycopg.types.json import Jsonb
from sqlalchemy import create_engine, text

from bench.retrieval_catalogue import PoolProduct, make_pool
from core import search_vocabulary
from core.db.embedded import start_embedded_server
from core.db.urls import with_psycopg_driver

APP_ROLE = "shopbot_app"
SPACE = "minilm-l6-v2"
MARKER = "retrieval-bench.json"
# The b-trees a tenant's exact scan uses; the forced-HNSW config drops them for a while,
# so a reused database gets them back in case a run was interrupted in between.
TENANT_BTREES = (
    "CREATE INDEX IF NOT EXISTS ix_chunks_tenant_id ON chunks (tenant_id)",
    "CREATE INDEX IF NOT EXISTS ix_chunks_product_id ON chunks (product_id)",
)


@dataclass
class Loaded:
    tenants: list[tuple[uuid.UUID, uuid.UUID]]  # (tenant id, store id)
    products_by_tenant: dict[uuid.UUID, list[int]]  # pool index per product position
    rows: int
    note: str  # how the database came to be, for the log


def parameters(args) -> dict:
    return {
        "tenants": args.tenants,
        "products": args.products,
        "big_tenant_products": args.big_tenant_products,
        "pool": min(args.pool, args.products),
        "noise": args.noise,
        "seed": args.seed,
        "embedding_storage": args.embedding_storage,
        "global_hnsw": args.global_hnsw,
    }


def add_kept_database_arguments(parser: argparse.ArgumentParser, *, big_required: bool) -> None:
    """The options a bench on a kept database (`bench.retrieval --data-dir`) finds it by:
    the parameters it was built with (`parameters`), bench.retrieval's defaults."""
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--big-tenant-products", type=int, required=big_required, default=0)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--embedding-storage", default="external")
    parser.add_argument("--global-hnsw", action="store_true")


@dataclass(frozen=True)
class KeptDatabase:
    owner_uri: str
    rng: random.Random  # seeded as the build's, so the questions asked are the same
    pool: list[PoolProduct]
    loaded: Loaded


def open_kept_database(args: argparse.Namespace) -> KeptDatabase:
    """Starts the embedded server on a database `build` kept in `args.data_dir` and reads
    its tenants back (the caller stops the server: stop_embedded_servers)."""
    data_dir = Path(args.data_dir)
    if not reusable(data_dir, args):
        raise SystemExit(f"{data_dir} holds no complete bench database: build it first")
    owner_uri = start_embedded_server(data_dir)
    rng = random.Random(args.seed)
    pool = make_pool(min(args.pool, args.products), rng)
    return KeptDatabase(owner_uri, rng, pool, reuse(owner_uri, pool, data_dir))


def reusable(data_dir: Path, args) -> bool:
    marker = data_dir / MARKER
    if not marker.exists():
        return False
    built = json.loads(marker.read_text())
    built.pop("costs", None)
    if built != parameters(args):
        raise SystemExit(
            f"{data_dir} holds a bench database built with {built}; "
            f"remove it or pass the same parameters"
        )
    return True


def remember(data_dir: Path, args, note: str) -> None:
    """Marks the database complete, with how long it took to build (the reused run reports it)."""
    (data_dir / MARKER).write_text(json.dumps({**parameters(args), "costs": note}))


def remembered_costs(data_dir: Path) -> str:
    return str(json.loads((data_dir / MARKER).read_text()).get("costs", ""))


# Binary COPY needs each column's type: (column, type) in the order the rows carry them.
PRODUCT_COPY = (
    ("id", "uuid"),
    ("tenant_id", "uuid"),
    ("store_id", "uuid"),
    ("external_id", "varchar"),
    ("name", "varchar"),
    ("permalink", "varchar"),
    ("price", "numeric"),
    ("regular_price", "numeric"),
    ("currency", "varchar"),
    ("stock_status", "varchar"),
    ("categories", "text[]"),
    ("attributes", "jsonb"),
    ("content_hash", "varchar"),
)
CHUNK_COPY = (
    ("id", "uuid"),
    ("tenant_id", "uuid"),
    ("product_id", "uuid"),
    ("ordinal", "int4"),
    ("title", "text"),
    ("attributes_text", "text"),
    ("body", "text"),
    ("token_count", "int4"),
    ("embedding_space", "varchar"),
)
VECTOR_COPY = (
    ("id", "uuid"),
    ("tenant_id", "uuid"),
    ("product_id", "uuid"),
    ("embedding_space", "varchar"),
    ("embedding", "halfvec"),
)


def _copy(
    cursor: psycopg.Cursor, table: str, columns: tuple[tuple[str, str], ...], rows: list
) -> None:
    names = ", ".join(name for name, _ in columns)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.set_types([kind for _, kind in columns])
        for row in rows:
            copy.write_row(row)


@dataclass(frozen=True)
class _Shop:
    number: int
    tenant_id: uuid.UUID
    store_id: uuid.UUID


def _shop_rows(
    shop: _Shop,
    pool: list[PoolProduct],
    picks: list[int],
    noisy: np.ndarray,
    rng: random.Random,
) -> tuple[list[list], list[list], list[list]]:
    """The shop's product rows, their one chunk each and its vector, in COPY column order."""
    product_rows, chunk_rows, vector_rows = [], [], []
    for position, (index, vector) in enumerate(zip(picks, noisy, strict=True)):
        item = pool[index]
        product_id = uuid.uuid4()
        price = Decimal(rng.randint(500, 25000)) / 100
        product_rows.append(
            [
                product_id,
                shop.tenant_id,
                shop.store_id,
                str(10_000 + position),
                item.name,
                f"https://shop{shop.number}.bench.invalid/p/{position}",
                price,
                price,
                "USD",
                "instock" if rng.random() > 0.1 else "outofstock",
                [item.category],
                Jsonb({"Color": [item.colour.capitalize()]}),
                "bench",
            ]
        )
        chunk_id = uuid.uuid4()
        chunk_rows.append(
            [
                chunk_id,
                shop.tenant_id,
                product_id,
                0,
                item.name,
                f"Color: {item.colour}",
                item.body,
                len(item.body.split()),
                SPACE,
            ]
        )
        vector_rows.append([chunk_id, shop.tenant_id, product_id, SPACE, HalfVector(vector)])
    return product_rows, chunk_rows, vector_rows


def _load_shop(
    cur: psycopg.Cursor,
    number: int,
    pool: list[PoolProduct],
    vectors: np.ndarray,
    products: int,
    noise: float,
    rngs: tuple[np.random.Generator, random.Random],
) -> tuple[_Shop, list[int]]:
    """One tenant with its store, products and chunks; returns it and its pool picks."""
    nprng, rng = rngs
    shop = _Shop(number, uuid.uuid4(), uuid.uuid4())
    cur.execute(
        "INSERT INTO tenants (id, name) VALUES (%s, %s)", (shop.tenant_id, f"Bench shop {number}")
    )
    cur.execute(
        "INSERT INTO store_connections"
        " (id, tenant_id, base_url, credentials_ciphertext, status)"
        " VALUES (%s, %s, %s, %s, 'disconnected')",
        (shop.store_id, shop.tenant_id, f"https://shop{number}.bench.invalid", b""),
    )
    picks = (
        nprng.permutation(len(pool))[:products].tolist()
        if products <= len(pool)
        else [i % len(pool) for i in range(products)]
    )
    noisy = vectors[picks] + nprng.normal(0.0, noise, size=(len(picks), vectors.shape[1])).astype(
        np.float32
    )
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    product_rows, chunk_rows, vector_rows = _shop_rows(shop, pool, picks, noisy, rng)
    _copy(cur, "products", PRODUCT_COPY, product_rows)
    _copy(cur, "chunks", CHUNK_COPY, chunk_rows)
    _copy(cur, "chunk_vectors", VECTOR_COPY, vector_rows)
    return shop, picks


GLOBAL_HNSW = (
    "CREATE INDEX ix_chunk_vectors_hnsw ON chunk_vectors"
    " USING hnsw (embedding halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)"
)


def _index(conn: psycopg.Connection, global_hnsw: bool) -> tuple[float, float]:
    """The GIN index (and, as a what-if, the global HNSW index migration 0013 dropped),
    built once the rows are in; returns their build seconds. The per-tenant HNSW indexes
    are the retrieval plan's, built by the product's own code afterwards (bench.retrieval)."""
    conn.execute("SET maintenance_work_mem = '1GB'")
    mark = time.perf_counter()
    conn.execute("CREATE INDEX ix_chunks_search_vector ON chunks USING gin (search_vector)")
    gin_s = time.perf_counter() - mark
    mark = time.perf_counter()
    if global_hnsw:
        conn.execute(GLOBAL_HNSW)
    hnsw_s = time.perf_counter() - mark
    conn.execute("ANALYZE")
    return gin_s, hnsw_s


def build(
    owner_uri: str,
    pool: list[PoolProduct],
    vectors: np.ndarray,
    tenants: int,
    products: int,
    noise: float,
    rng: random.Random,
    embedding_storage: str = "external",
    big_products: int = 0,
    global_hnsw: bool = False,
) -> Loaded:
    nprng = np.random.default_rng(rng.randint(0, 2**31))
    started = time.perf_counter()
    ids: list[tuple[uuid.UUID, uuid.UUID]] = []
    order: dict[uuid.UUID, list[int]] = {}
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        register_vector(conn)
        conn.execute("DROP INDEX IF EXISTS ix_chunk_vectors_hnsw")
        conn.execute("DROP INDEX IF EXISTS ix_chunks_search_vector")
        conn.execute(
            "ALTER TABLE chunk_vectors ALTER COLUMN embedding"
            f" SET STORAGE {embedding_storage.upper()}"
        )
        with conn.cursor() as cur:
            # The big tenant (if any) is the last one: "Bench shop <tenants>".
            sizes = [products] * tenants + ([big_products] if big_products else [])
            for t, size in enumerate(sizes):
                shop, picks = _load_shop(cur, t, pool, vectors, size, noise, (nprng, rng))
                ids.append((shop.tenant_id, shop.store_id))
                order[shop.tenant_id] = picks
                if (t + 1) % max(1, tenants // 10) == 0 or size != products:
                    print(
                        f"  loaded {t + 1}/{len(sizes)} tenants "
                        f"({time.perf_counter() - started:.0f} s)",
                        flush=True,
                    )
        load_s = time.perf_counter() - started
        gin_s, hnsw_s = _index(conn, global_hnsw)
    rows = tenants * products + big_products
    note = (
        f"Loaded {rows:,} products and chunks (embedding storage {embedding_storage}) with "
        f"binary COPY as the table owner in {load_s:.0f} s; GIN index {gin_s:.0f} s"
        + (f", global HNSW index {hnsw_s:.0f} s" if global_hnsw else "")
    )
    return Loaded(ids, order, rows, note)


def reuse(owner_uri: str, pool: list[PoolProduct], data_dir: Path) -> Loaded:
    """The tenants and their products' pool indexes, read back from a database `build` made
    (tenants in creation order, products in position order, as `build` returns them)."""
    by_name = {item.name: index for index, item in enumerate(pool)}
    order: dict[uuid.UUID, list[int]] = {}
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        for statement in TENANT_BTREES:
            conn.execute(statement)
        tenants = conn.execute(
            "SELECT t.id, s.id FROM tenants t JOIN store_connections s ON s.tenant_id = t.id "
            "WHERE t.name LIKE 'Bench shop %' ORDER BY substr(t.name, 12)::int"
        ).fetchall()
        for tenant_id, name in conn.execute(
            "SELECT tenant_id, name FROM products ORDER BY tenant_id, external_id::int"
        ):
            order.setdefault(tenant_id, []).append(by_name[name])
    rows = sum(len(v) for v in order.values())
    return Loaded(
        [(t, s) for t, s in tenants],
        order,
        rows,
        f"Reused the bench database in {data_dir}, built earlier: {remembered_costs(data_dir)}",
    )


def count_terms(owner_uri: str) -> int:
    """Count the document frequencies of every tenant that has none, one tenant at a time,
    as ingestion's recompute does at the end of a sync run; how many were counted."""
    engine = create_engine(with_psycopg_driver(owner_uri))
    try:
        with engine.begin() as conn:
            tenants = conn.scalars(
                text("SELECT tenant_id FROM search_vocabularies WHERE term_totals IS NULL")
            ).all()
        for tenant_id in tenants:
            with engine.begin() as conn:
                conn.execute(text(search_vocabulary.COUNT_TERMS_SQL), {"tenant_id": tenant_id})
        return len(tenants)
    finally:
        engine.dispose()
