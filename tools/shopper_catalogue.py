"""The demo store's facts as a shopper meets them, read for the shopper suite's generator.

Everything here comes from the demo's own store (cli/demo/store.py) as the emulator serves
it: products from its catalogue, variations through the store's in-process reader (the
same list `/products/<id>/variations` returns). What the sync would skip (drafts, pending,
private, hidden, password-protected products; disabled variations) is kept apart, so no
expectation can ever point at it except as a product that must NOT be shown.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cli.demo.store import build_demo_store
from emulators.catalog.generator import NAME_SUFFIXES
from emulators.catalog.vocab import LINES

# Any home URL will do: the generator only reads the store, it never serves it.
DEMO_HOME_URL = "http://127.0.0.1:8800/demo-store"
STOCK_VALUES = {"instock": "in_stock", "outofstock": "out_of_stock", "onbackorder": "on_backorder"}
STOCK_WORDS = {
    "in_stock": "is in stock",
    "out_of_stock": "is out of stock",
    "on_backorder": "is available on backorder",
}
_TAG_RE = re.compile(r"<[^>]+>")
_INTRO_RE = re.compile(r"The (?P<name>.+?) is (?P<opener>[^,]+), made from (?P<material>[^.]+)\.")
_USES_RE = re.compile(r"Ideal for (?P<uses>[^.]+)\.")


@dataclass(frozen=True)
class Variation:
    options: tuple[tuple[str, str], ...]  # (attribute, option) in the product's axis order
    price: str
    stock: str

    def option(self, attribute: str) -> str | None:
        return dict(self.options).get(attribute)

    def label(self) -> str:
        """ "Sage", "Navy, size M": how a shopper names the variation."""
        return ", ".join(
            f"size {option}" if name == "Size" else option for name, option in self.options
        )


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    kind: str  # simple | variable | grouped | external
    price: str | None  # what the shopper pays now (a variable product's: its cheapest variation)
    regular_price: str | None
    on_sale: bool
    scheduled_sale: bool  # a sale price is set but its window has not opened: not on sale
    stock: str
    category: str  # the top-level category
    noun: str  # the kind of thing, e.g. "Cast Iron Skillet"
    material: str
    intro: str  # "<name> is <opener>, made from <material>": distinctive text of its page
    uses: str  # "Ideal for ...": what it is for, as its page says
    variations: tuple[Variation, ...] = ()
    # What its page lists to choose from (attribute -> options), buyable or not.
    listed_options: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def fixed_price(self) -> bool:
        """One price the shopper pays (not a range over variations or grouped children)."""
        return self.kind in ("simple", "external") and self.price is not None

    def axis(self, attribute: str) -> list[str]:
        """The options of `attribute` that some buyable variation offers, in axis order."""
        seen: list[str] = []
        for variation in self.variations:
            option = variation.option(attribute)
            if option is not None and option not in seen:
                seen.append(option)
        return seen

    def attributes(self) -> list[str]:
        return [name for name, _ in self.variations[0].options] if self.variations else []


@dataclass(frozen=True)
class DemoFacts:
    items: tuple[Item, ...]  # what a sync indexes, in store order
    unlisted: tuple[Item, ...]  # what it must never index

    def in_category(self, category: str) -> list[Item]:
        return [item for item in self.items if item.category == category]

    def by_noun(self) -> dict[str, list[Item]]:
        grouped: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            grouped[item.noun].append(item)
        return dict(grouped)

    def categories(self) -> list[str]:
        return sorted({item.category for item in self.items})

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)


def a_kind(noun: str) -> str:
    """ "a cast iron skillet", "an e-reader", "noise-cancelling headphones" (plural names take
    no article)."""
    # Acronyms and units ("SPF", "USB-C", "10 L") keep their capitals.
    low = " ".join(w if w.upper() == w else w.lower() for w in noun.split())
    if low.endswith("s") and not low.endswith("ss") and not any(c.isdigit() for c in low):
        return low
    return f"{'an' if low[0] in 'aeio' else 'a'} {low}"


def money(value: str) -> str:
    return f"${Decimal(value):.2f}"


def _noun(name: str) -> str:
    """The product's kind: its name without the brand line in front or a suffix behind."""
    line = next(
        (line for line in sorted(LINES, key=len, reverse=True) if name.startswith(line)), ""
    )
    noun = name[len(line) :].strip()
    for suffix in NAME_SUFFIXES:
        if noun.endswith(f" {suffix}"):
            noun = noun[: -len(suffix) - 1]
    return noun


def _page_text(description_html: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub(" ", description_html)).split())


def _listed(raw: dict[str, Any]) -> bool:
    return (
        raw["status"] == "publish"
        and raw["catalog_visibility"] != "hidden"
        and not raw["post_password"]
    )


def _variations(raw_variations: list[dict[str, Any]]) -> tuple[Variation, ...]:
    live = [v for v in raw_variations if v["status"] == "publish" and v["price"]]
    return tuple(
        Variation(
            options=tuple((a["name"], a["option"]) for a in v["attributes"]),
            price=f"{Decimal(v['price']):.2f}",
            stock=STOCK_VALUES[v["stock_status"]],
        )
        for v in sorted(live, key=lambda v: int(v["id"]))
    )


def _item(raw: dict[str, Any], raw_variations: list[dict[str, Any]]) -> Item:
    text = _page_text(raw["description"])
    intro = _INTRO_RE.search(text)
    uses = _USES_RE.search(text)
    if intro is None or uses is None:
        raise ValueError(f"product {raw['id']}: its description is not in the demo's layout")
    material = intro["material"]  # as the page's prose says it, not capitalised like the label
    price = f"{Decimal(raw['price']):.2f}" if raw["price"] else None
    regular = f"{Decimal(raw['regular_price']):.2f}" if raw["regular_price"] else None
    name = html.unescape(raw["name"])
    return Item(
        id=str(raw["id"]),
        name=name,
        kind=raw["type"],
        price=price,
        regular_price=regular,
        on_sale=bool(raw["on_sale"]),
        scheduled_sale=bool(raw["sale_price"]) and not raw["on_sale"],
        stock=STOCK_VALUES[raw["stock_status"]],
        category=html.unescape(raw["categories"][0]["name"]),
        noun=_noun(name),
        material=material,
        intro=f"{intro['name']} is {intro['opener']}, made from {intro['material']}",
        uses=f"Ideal for {uses['uses']}",
        variations=_variations(raw_variations),
        listed_options=tuple(
            (html.unescape(a["name"]), tuple(html.unescape(o) for o in a["options"]))
            for a in raw["attributes"]
            if a["variation"]
        ),
    )


def load_demo_facts() -> DemoFacts:
    """The demo catalogue, read from the demo's store exactly as it serves it."""
    store = build_demo_store(DEMO_HOME_URL)
    listed: list[Item] = []
    unlisted: list[Item] = []
    for raw in store.catalog.products:
        product = store.product(raw["id"])
        variations = store.variations(raw["id"]) if product["type"] == "variable" else []
        (listed if _listed(product) else unlisted).append(_item(product, variations))
    return DemoFacts(items=tuple(listed), unlisted=tuple(unlisted))
