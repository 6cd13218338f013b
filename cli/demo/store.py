"""The demo's WooCommerce store: the bundled catalogue served over wc/v3 by the emulator.

`shopbot demo` mounts the store's ASGI app at `/demo-store` on its own server, so the first
sync goes through the real WooCommerce client and sync pipeline over HTTP, exactly as a
merchant's store would. The store is the same emulator the tests and benches use
(`emulators.woocommerce`), installed in the `/demo-store` folder, holding the demo's one key
pair; nothing changes its catalogue while the demo runs.

The catalogue is generated (emulators/catalog, seed 2026): 300 products over ten
categories, simple/variable/grouped/external, drafts that must not sync, on-sale and
out-of-stock items, reviews.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

from emulators.catalog import Catalog
from emulators.woocommerce import FakeWooStore

CATALOGUE_FILE = Path(__file__).with_name("catalogue.json.gz")
DEMO_CONSUMER_KEY = "ck_demo_shopbot_0000000000000000000000000"
DEMO_CONSUMER_SECRET = "cs_demo_shopbot_0000000000000000000000000"
# The storefront and the demo questions speak dollars.
DEMO_CURRENCY = "USD"
DEMO_CURRENCY_SYMBOL = "&#36;"  # WooCommerce's symbol for USD


def load_catalogue() -> Catalog:
    catalog = Catalog.from_json(json.loads(gzip.decompress(CATALOGUE_FILE.read_bytes())))
    catalog.settings = replace(
        catalog.settings, currency=DEMO_CURRENCY, currency_symbol=DEMO_CURRENCY_SYMBOL
    )
    return catalog


def build_demo_store(home_url: str) -> FakeWooStore:
    """The demo store at `home_url` (e.g. http://127.0.0.1:8800/demo-store); mount its
    `asgi_app` at that path. The key may also write, as the sync registers its webhooks."""
    return FakeWooStore(
        load_catalogue(),
        consumer_key=DEMO_CONSUMER_KEY,
        consumer_secret=DEMO_CONSUMER_SECRET,
        home_url=home_url,
    )
