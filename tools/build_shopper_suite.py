"""Writes the shopper suites over the demo catalogue (issue 17): evals/suites/shopper.jsonl
and its CI subset evals/suites/smoke.jsonl.

    python tools/build_shopper_suite.py [--out DIR]

Deterministic: the same catalogue gives the same bytes (seeded RNGs, no clock, no set
order), so the committed files can be checked against a fresh run. Every expectation is
computed from the demo store's data as its emulator serves it (tools/shopper_catalogue.py);
none is typed by hand. A plan says how many turns of each kind a suite gets.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# A plain script: make the repository importable when run as `python tools/...`.
sys.path.insert(0, str(ROOT))

import shopper_conversations as chats  # noqa: E402
import shopper_filters as filters  # noqa: E402
import shopper_languages as languages  # noqa: E402
import shopper_products as products  # noqa: E402
import shopper_store as store  # noqa: E402
from shopper_catalogue import DemoFacts, Item, load_demo_facts  # noqa: E402
from shopper_turn import Turn  # noqa: E402

LANGS = tuple(languages.LANGUAGES)
DEMO_ORDERS: list[dict[str, Any]] = store.demo_orders()
# (rng, facts, n): n counts the suite's conversations so far (languages take turns by it).
Builder = Callable[[random.Random, DemoFacts, int], list[Turn] | None]


def _pick(rng: random.Random, facts: DemoFacts, keep: Callable[[Item], bool]) -> Item:
    """A product passing `keep`, its category drawn first so every category gets its turn."""
    pool = [item for item in facts.items if keep(item)]
    category = rng.choice(sorted({item.category for item in pool}))
    return rng.choice([item for item in pool if item.category == category])


def _any(item: Item) -> bool:
    return True


def _fixed(item: Item) -> bool:
    return item.fixed_price


def _variable(item: Item) -> bool:
    return item.kind == "variable" and bool(item.variations)


def _pair(rng: random.Random, facts: DemoFacts) -> tuple[Item, Item]:
    """Two products a shopper would weigh up: the same kind of thing, else the same category."""
    first = _pick(rng, facts, _fixed)
    same_kind = [i for i in facts.by_noun()[first.noun] if i.fixed_price and i.id != first.id]
    same_category = [i for i in facts.in_category(first.category) if i.fixed_price and i != first]
    return first, rng.choice(same_kind or same_category)


def _noun(rng: random.Random, facts: DemoFacts) -> str:
    return rng.choice(sorted(facts.by_noun()))


def _category(rng: random.Random, facts: DemoFacts) -> str:
    return rng.choice(facts.categories())


def _lang(n: int) -> str:
    return LANGS[n % len(LANGS)]


def _deal(texts: tuple[str, ...], n: int) -> str:
    """Fixed texts dealt in turn, so a suite repeats none before it has used them all."""
    return texts[n % len(texts)]


def _search_in(rng: random.Random, facts: DemoFacts, lang: str) -> Turn:
    item = _pick(rng, facts, _fixed)
    return languages.search(rng, lang, item, products.close_matches(facts, item))


def _one(turn: Turn | None) -> list[Turn] | None:
    return [turn] if turn is not None else None


BUILDERS: dict[str, Builder] = {
    "page": lambda r, f, n: [products.page_question(r, _pick(r, f, _any))],
    "page_variant": lambda r, f, n: [products.page_question(r, _pick(r, f, _variable), "options")],
    "search_name": lambda r, f, n: [products.search_by_name(r, f, _pick(r, f, _any))],
    "search_need": lambda r, f, n: [products.search_by_need(r, f, _noun(r, f))],
    "search_unlisted": lambda r, f, n: [products.search_for_unlisted(r, f, r.choice(f.unlisted))],
    "cheapest": lambda r, f, n: _one(filters.cheapest_in_stock(r, f, _category(r, f))),
    "under": lambda r, f, n: _one(filters.under_price(r, f, _category(r, f))),
    "on_sale": lambda r, f, n: _one(filters.on_sale(r, f, _category(r, f))),
    "in_stock": lambda r, f, n: _one(filters.in_stock_kind(r, f, _noun(r, f))),
    "comparison": lambda r, f, n: _one(products.comparison(r, *_pair(r, f))),
    "variant_options": lambda r, f, n: [products.variant_options(r, _pick(r, f, _variable))],
    "variant_detail": lambda r, f, n: [products.variant_price_or_stock(r, _pick(r, f, _variable))],
    "shipping": lambda r, f, n: [store.shipping(r)],
    "returns": lambda r, f, n: [store.returns(r)],
    "contact": lambda r, f, n: [store.contact(r)],
    "order": lambda r, f, n: [store.order_status(r)],
    "out_of_scope": lambda r, f, n: [store.out_of_scope(_deal(store.OUT_OF_SCOPE, n))],
    "injection": lambda r, f, n: [store.injection(_deal(store.INJECTIONS, n))],
    "embedded": lambda r, f, n: [store.embedded_injection(r, f, _pick(r, f, _fixed))],
    "ml_search": lambda r, f, n: [_search_in(r, f, _lang(n))],
    "ml_page": lambda r, f, n: [languages.page(r, _lang(n), _pick(r, f, _any))],
    "ml_policy": lambda r, f, n: [languages.policy(r, _lang(n))],
    "ml_variant": lambda r, f, n: [languages.variant(r, _lang(n), _pick(r, f, _variable))],
    "chat_search": lambda r, f, n: chats.search_then_ask(r, f, _pick(r, f, _fixed)),
    "chat_variant": lambda r, f, n: chats.variant_chat(r, f, _pick(r, f, _variable)),
    "chat_comparison": lambda r, f, n: chats.comparison_chat(r, *_pair(r, f)),
    "chat_filter": lambda r, f, n: chats.filter_chat(r, f, _category(r, f)),
    "chat_policy": lambda r, f, n: chats.policy_chat(r),
    "chat_order": lambda r, f, n: chats.order_chat(r),
    "chat_page": lambda r, f, n: chats.page_chat(r, _pick(r, f, _fixed)),
    "chat_language": lambda r, f, n: chats.language_chat(r, f, _lang(n), _pick(r, f, _fixed)),
    "chat_off_topic": lambda r, f, n: chats.off_topic_then_shop(r, f, _pick(r, f, _fixed)),
    "chat_injection": lambda r, f, n: chats.injection_after_search(r, f, _pick(r, f, _fixed)),
    "chat_order_lookup": lambda r, f, n: chats.order_lookup_chat(r, DEMO_ORDERS),
}

# How many conversations of each kind a suite gets, in the order they are written.
SHOPPER_PLAN = {
    "page": 24, "page_variant": 6, "search_name": 16, "search_need": 8, "search_unlisted": 6,
    "cheapest": 6, "under": 8, "on_sale": 5, "in_stock": 6, "comparison": 16,
    "variant_options": 10, "variant_detail": 10, "shipping": 8, "returns": 7, "contact": 3,
    "order": 10, "out_of_scope": 16, "injection": 14, "embedded": 8, "ml_search": 10,
    "ml_page": 10, "ml_policy": 6, "ml_variant": 6, "chat_search": 8, "chat_variant": 8,
    "chat_comparison": 6, "chat_filter": 5, "chat_policy": 5, "chat_order": 4, "chat_page": 5,
    "chat_language": 6, "chat_off_topic": 2, "chat_injection": 2, "chat_order_lookup": 6,
}  # fmt: skip
SMOKE_PLAN = {
    "page": 4, "page_variant": 1, "search_name": 3, "search_unlisted": 1, "cheapest": 2,
    "under": 2, "comparison": 3, "variant_options": 2, "variant_detail": 2, "shipping": 2,
    "returns": 2, "order": 3, "out_of_scope": 4, "injection": 3, "embedded": 2, "ml_search": 2,
    "ml_page": 2, "ml_policy": 1, "ml_variant": 1, "chat_search": 2, "chat_variant": 2,
    "chat_comparison": 1, "chat_order": 1, "chat_language": 1, "chat_policy": 1,
}  # fmt: skip
SUITES = (("shopper", "shop", SHOPPER_PLAN, 2026_17), ("smoke", "smoke", SMOKE_PLAN, 2026_1717))
MAX_DRAWS = 200


def build_suite(facts: DemoFacts, prefix: str, plan: dict[str, int], seed: int) -> list[Any]:
    rng = random.Random(seed)
    conversations: list[Any] = []
    for kind, count in plan.items():
        for _ in range(count):
            n = len(conversations)
            draws = (BUILDERS[kind](rng, facts, n) for _ in range(MAX_DRAWS))
            turns = next((t for t in draws if t), None)
            if turns is None:
                raise RuntimeError(f"no fair {kind} conversation in {MAX_DRAWS} draws")
            conversations.append(
                {
                    "id": f"{prefix}-{len(conversations) + 1:03d}",
                    "catalogue": "demo",
                    "split": None,
                    "turns": turns,
                }
            )
    return conversations


def write_suites(out: Path) -> list[Path]:
    facts = load_demo_facts()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, prefix, plan, seed in SUITES:
        lines = [json.dumps(c, ensure_ascii=False) for c in build_suite(facts, prefix, plan, seed)]
        path = out / f"{name}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "evals" / "suites")
    for path in write_suites(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
