"""The widget bench's world: a generated outfitter catalogue, an embedded PostgreSQL,
two seeded tenants, and `shopbot serve` in a subprocess (see bench/widget.py).

The catalogue goes straight into the index (products and one embedded chunk each, written
as the application role under RLS, by `evals.seeded_index`), not through a sync: the bench
measures the chat path, and both tenants share one embedding pass."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from evals.seeded_index import SeedProduct, index_products

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "https://shop.bench.test"
HIGH_LIMIT = {"per_minute": 1_000_000, "burst": 100_000}
# The benches measure the serving path, not a plan's ceilings: their throwaway database
# gets a plan of its own (`install_bench_plan`) whose quotas and rate ceilings are out of
# reach, where Scale's per-IP ceiling would turn a load test from one address into 429s.
BENCH_PLAN = "bench"
BENCH_RATE_LIMITS = {
    scope: HIGH_LIMIT for scope in ("session", "ip", "bot", "session_create", "interaction")
}

# --- the catalogue and the questions --------------------------------------------------------

_ITEMS = [
    (
        "rain jacket",
        "Jackets",
        "a waterproof breathable shell with taped seams and a packable hood",
    ),
    ("fleece pullover", "Jackets", "a cosy fleece layer for chilly hikes and camp evenings"),
    ("down vest", "Jackets", "a light 700-fill down vest that packs into its own pocket"),
    ("trail running shoe", "Shoes", "a lightweight shoe with a grippy outsole and a rock plate"),
    ("hiking boot", "Shoes", "a waterproof leather boot with ankle support for rough trails"),
    ("camp sandal", "Shoes", "a quick-drying sandal for river crossings and camp"),
    ("wool beanie", "Accessories", "a soft merino wool hat for cold winter mornings"),
    (
        "hiking sock",
        "Accessories",
        "a cushioned merino sock that wicks moisture and prevents blisters",
    ),
    (
        "water bottle",
        "Accessories",
        "a double-walled steel bottle that keeps drinks cold for 24 hours",
    ),
    ("headlamp", "Camping", "a rechargeable LED headlamp with a red night mode"),
    ("sleeping bag", "Camping", "a warm down sleeping bag rated to minus ten degrees"),
    ("tent", "Camping", "a two-person ultralight tent that sets up in minutes"),
    ("camp stove", "Camping", "a compact gas stove that boils a litre in three minutes"),
    ("cast iron skillet", "Kitchen", "a pre-seasoned pan for searing, baking and campfire cooking"),
    ("enamel mug", "Kitchen", "a speckled enamel mug for campfire coffee"),
    ("trekking pole", "Hiking", "a collapsible carbon pole with cork grips"),
    ("daypack", "Hiking", "a 24-litre pack with a rain cover and a hydration sleeve"),
    ("rain pants", "Jackets", "waterproof over-trousers with full-length side zips"),
    ("sun hat", "Accessories", "a wide-brimmed hat with UPF 50 sun protection"),
    ("insulated jacket", "Jackets", "a synthetic insulated jacket that stays warm when wet"),
]
_VARIANTS = [
    ("Alpine", "Red"),
    ("Summit", "Blue"),
    ("Ridge", "Green"),
    ("Canyon", "Black"),
    ("Glacier", "Grey"),
    ("Forest", "Olive"),
]


def catalogue() -> list[SeedProduct]:
    products = []
    for i, (item, category, body) in enumerate(_ITEMS):
        for j, (line, colour) in enumerate(_VARIANTS):
            price = f"{9 + (i * 37 + j * 23) % 290}.{(i + j) % 10}9"
            products.append(
                SeedProduct(
                    name=f"{line} {item.title()}",
                    price=price,
                    body=f"{body.capitalize()}. Colour: {colour}.",
                    categories=[category],
                    attributes={"Color": [colour]},
                    stock_status="outofstock" if (i + j) % 7 == 0 else "instock",
                    external_id=str(1000 + i * 10 + j),
                )
            )
    return products


def distinct_questions(n: int) -> list[str]:
    openers = [
        "do you have a",
        "I'm looking for a",
        "can you recommend a",
        "what is a good",
        "is there a",
    ]
    extras = ["", " under $100", " for winter", " in blue", " for kids", " that is light"]
    combos = [f"{o} {item}{e}?" for e in extras for o in openers for item, _, _ in _ITEMS]
    if n > len(combos):
        raise ValueError(f"at most {len(combos)} distinct questions")
    return combos[:n]


# --- infrastructure --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_database(data_dir: Path) -> Iterator[tuple[Any, Any]]:
    from core.db import migrate
    from core.db.embedded import start_embedded_server, stop_embedded_servers
    from core.db.urls import app_role_url, with_psycopg_driver

    try:
        owner = with_psycopg_driver(start_embedded_server(data_dir))
        migrate.upgrade(owner, app_role="shopbot_app", app_password=None)
        install_bench_plan(owner)
        yield owner, app_role_url(owner, "shopbot_app", None)
    finally:
        stop_embedded_servers()


def install_bench_plan(owner_url: Any) -> None:
    """Scale's limits with every count and rate ceiling out of reach, as plan `bench`
    (written as the owner: plans are read-only to the application role)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO plans (id, code, version, name, monthly_price_cents, limits) "
                    "SELECT gen_random_uuid(), :code, 1, 'Bench', 0, limits "
                    "|| jsonb_build_object('messages_per_month', 1000000000, "
                    "'model_tokens_per_month', 1000000000000, 'rate_limit_ceiling', "
                    "CAST(:ceiling AS jsonb)) FROM plans WHERE code = 'scale' "
                    "ORDER BY version DESC LIMIT 1"
                ),
                {"code": BENCH_PLAN, "ceiling": json.dumps(BENCH_RATE_LIMITS)},
            )
    finally:
        engine.dispose()


@contextlib.contextmanager
def shopbot_serve(
    owner_url: Any, data_dir: Path, openai_key: str, openai_base_url: str
) -> Iterator[str]:
    """`shopbot serve` in a subprocess; yields its base URL; always stopped."""
    from core.crypto import generate_key

    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "SHOPBOT_REDIS_URL", "SENTRY_DSN"}
    }
    env.update(
        {
            "DATABASE_URL": owner_url.render_as_string(hide_password=False),
            "SHOPBOT_DATA_DIR": str(data_dir / "app"),
            "SHOPBOT_SECRET_KEY": secrets.token_urlsafe(48),
            "SHOPBOT_ENCRYPTION_KEYS": generate_key(),
            "OPENAI_API_KEY": openai_key,
            "SHOPBOT_OPENAI_BASE_URL": openai_base_url,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
    )
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cli.main import run; run()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def exited() -> str:
        log.flush()
        tail = (data_dir / "serve.log").read_text()[-3000:]
        return f"shopbot serve exited ({process.returncode}):\n{tail}"

    with healthy(process, f"http://127.0.0.1:{port}", log, exited=exited) as base:
        yield base


@contextlib.contextmanager
def healthy(
    process: subprocess.Popen[bytes], base: str, log: IO[bytes], *, exited: Callable[[], str]
) -> Iterator[str]:
    """Yields `base` once its `/healthz` answers (within 120 s); always stops the process and
    closes its log. `exited` says what went wrong when the process ends before that."""
    import httpx

    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(exited())
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{base} did not become healthy in 120 s; see {log.name}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def seed(app_url: Any) -> dict[str, Any]:
    from sqlalchemy import update

    from core.billing.plan_changes import set_plan_manually
    from core.billing.plans import offered_plan
    from core.db.database import Database
    from core.models import Bot
    from core.provisioning import provision_tenant
    from engine.embeddings import shared_local_embedder

    db = Database.connect(app_url, pool_size=2)
    embedder = shared_local_embedder()
    products = catalogue()
    # Both tenants get the same catalogue: it is embedded once.
    vectors = await embedder.embed_documents([p.text for p in products])
    shops = {}
    try:
        for kind, llm in (
            ("offline", {"provider": "offline"}),
            (
                "openai",
                {"provider": "openai", "model": "gpt-4o-mini", "max_retries": 0, "timeout_s": 10},
            ),
        ):
            tenant = await provision_tenant(
                db, name=f"Bench {kind} outfitters", allowed_origins=[ORIGIN]
            )
            await index_products(db, tenant.tenant_id, products, vectors, embedder.space.name)
            async with db.tenant_session(tenant.tenant_id) as session:
                await session.execute(
                    update(Bot)
                    .where(Bot.id == tenant.bot_id)
                    .values(llm_settings=llm, rate_limits=BENCH_RATE_LIMITS)
                )
                # Shopper messages count against the plan: Free's 500 a month would end
                # the load test with 402s long before its 15 s are up.
                await set_plan_manually(
                    session, tenant.tenant_id, await offered_plan(session, BENCH_PLAN)
                )
            shops[kind] = tenant
    finally:
        await db.dispose()
    return {"shops": shops, "products": len(products)}
