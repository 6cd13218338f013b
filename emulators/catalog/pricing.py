"""Prices, sale windows and stock the way a WooCommerce database ends up holding them."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal

from emulators.catalog.odds import pick_by_odds
from emulators.catalog.shapes import JsonDict, StoreSettings, date_pair, format_price, price_html

# Fixed far-off dates keep the catalogue identical whatever day the tests run (until 2030).
ACTIVE_SALE_FROM = datetime(2024, 5, 1)
ACTIVE_SALE_TO = datetime(2030, 12, 31, 23, 59, 59)
SCHEDULED_SALE_FROM = datetime(2031, 1, 1)
SCHEDULED_SALE_TO = datetime(2031, 1, 31, 23, 59, 59)

SALE_MODES = ("none", "plain", "active_window", "scheduled_window")


def realistic_price(rng: random.Random, low: int, high: int) -> Decimal:
    """Shop-like prices: 24.99, 129.00, 8.50 — skewed towards the cheap end of the range."""
    whole = int(low + (high - low) * (rng.random() ** 2))
    cents = rng.choice(
        (Decimal("0.99"), Decimal("0.99"), Decimal("0.00"), Decimal("0.50"), Decimal("0.95"))
    )
    return max(Decimal(low) - Decimal("0.01"), Decimal(whole) + cents)


def discounted(regular: Decimal, rng: random.Random) -> Decimal:
    factor = Decimal(rng.choice((70, 75, 80, 85, 90))) / 100
    return (regular * factor).quantize(Decimal("1")) - Decimal("0.01")


def pick_sale_mode(rng: random.Random) -> str:
    odds = [(0.06, "plain"), (0.12, "active_window"), (0.16, "scheduled_window")]
    return pick_by_odds(rng, odds, "none")


def apply_prices(
    item: JsonDict,
    regular: Decimal,
    sale: Decimal | None,
    sale_mode: str,
    settings: StoreSettings,
) -> None:
    """Fill price fields of a simple/external product or a variation.

    A sale scheduled in the future keeps `sale_price` set but `price` at the regular price
    and `on_sale` false; WooCommerce's cron flips them when the window opens.
    """
    item["regular_price"] = format_price(regular)
    if sale is None or sale_mode == "none":
        item["sale_price"] = ""
        item["price"] = format_price(regular)
        item["on_sale"] = False
    else:
        item["sale_price"] = format_price(sale)
        active = sale_mode in ("plain", "active_window")
        item["price"] = format_price(sale if active else regular)
        item["on_sale"] = active
        if sale_mode == "active_window":
            item.update(date_pair("date_on_sale_from", ACTIVE_SALE_FROM, settings))
            item.update(date_pair("date_on_sale_to", ACTIVE_SALE_TO, settings))
        elif sale_mode == "scheduled_window":
            item.update(date_pair("date_on_sale_from", SCHEDULED_SALE_FROM, settings))
            item.update(date_pair("date_on_sale_to", SCHEDULED_SALE_TO, settings))
    if "price_html" in item:
        item["price_html"] = price_html(regular, Decimal(item["price"]), settings)


def apply_stock(item: JsonDict, rng: random.Random, *, out_of_stock_rate: float = 0.08) -> None:
    roll = rng.random()
    managed = rng.random() < 0.5
    item["manage_stock"] = managed
    if roll < out_of_stock_rate:
        item["stock_status"] = "outofstock"
        item["stock_quantity"] = 0 if managed else None
    elif roll < out_of_stock_rate + 0.03:
        item["stock_status"] = "onbackorder"
        item["backorders"] = "notify"
        item["backorders_allowed"] = True
        item["stock_quantity"] = 0 if managed else None
    else:
        item["stock_status"] = "instock"
        item["stock_quantity"] = rng.randint(1, 250) if managed else None
