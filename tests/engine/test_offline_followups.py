"""The offline answerer on a focus: comparisons side by side and follow-ups on the products
an earlier answer showed (engine.offline.comparisons, engine.offline.followups)."""

from __future__ import annotations

from decimal import Decimal

from engine.guardrails import check_answer
from engine.offline import compose_grounded_answer
from engine.types import Focus, FocusOperation, Grounding, ProductHit
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, WOOL_SOCKS

SHOWN = (RAIN_JACKET, HIKING_BOOTS, WOOL_SOCKS)
SHOWN_IDS = tuple(h.external_id for h in SHOWN)


def on_focus(
    question: str,
    operation: FocusOperation,
    selected: tuple[ProductHit, ...],
    *,
    limit: str | None = None,
) -> str:
    """As the answer service grounds it: the selected products, or the whole set shown
    when none qualified."""
    focus = Focus(
        operation=operation,
        products=tuple(h.external_id for h in selected),
        shown=SHOWN_IDS,
        limit=Decimal(limit) if limit else None,
    )
    hits = selected or SHOWN
    return compose_grounded_answer(Grounding(question=question, hits=hits, focus=focus))


def test_a_comparison_lists_each_product_with_its_facts_and_says_which_is_cheaper() -> None:
    pair = (RAIN_JACKET, HIKING_BOOTS)
    text = on_focus("Blue Rain Jacket vs Trail Hiking Boots: which should I get?", "compare", pair)
    lines = text.splitlines()
    assert lines[0] == "Here's how these 2 compare:"
    assert lines[1].startswith(
        "- **Blue Rain Jacket**: $49.99 (on sale, was $59.99), in stock (only 3 left)."
    )
    assert "Color: Blue, Red" in lines[1]
    # No sentence shares a word with the question: the description's first plain one.
    assert '"The Blue Rain Jacket keeps you dry on wet commutes."' in lines[1]
    assert lines[2].startswith("- **Trail Hiking Boots**: $129.00, out of stock.")
    assert lines[3] == ("**Blue Rain Jacket** is the cheaper of the two. The difference is $79.01.")
    # Every price and stock fact it states is the catalogue's.
    assert check_answer(text, pair, currency="USD").text == text


def test_the_quote_is_the_sentence_closest_to_the_question() -> None:
    text = on_focus("compare them: which one keeps my feet dry?", "compare", SHOWN)
    boots_line = next(line for line in text.splitlines() if "Trail Hiking Boots" in line)
    assert '"Waterproof membrane keeps feet dry."' in boots_line
    assert "is the cheapest of them" in text


def test_the_cheaper_one_is_named_with_its_price_and_stock() -> None:
    text = on_focus("is the cheaper one in stock?", "cheapest", (WOOL_SOCKS,))
    assert text == "Of those, **Merino Wool Socks** is the cheapest: $15.00, in stock."


def test_a_bound_lists_the_products_within_it() -> None:
    text = on_focus("any under 50?", "under", (RAIN_JACKET, WOOL_SOCKS), limit="50")
    assert text.splitlines() == [
        "Of the 3 I showed you, these are under $50.00:",
        "- **Blue Rain Jacket** — $49.99 (on sale, was $59.99), in stock (only 3 left)",
        "- **Merino Wool Socks** — $15.00, in stock",
    ]


def test_when_none_qualifies_it_says_so_and_shows_the_set_again() -> None:
    text = on_focus("anything under $10?", "under", (), limit="10")
    assert text.startswith("None of the 3 I showed you is under $10.00. Here they are again:")
    assert "- **Trail Hiking Boots** — $129.00, out of stock" in text


def test_one_picked_product_is_answered_as_a_single_product() -> None:
    text = on_focus("how much is the second one?", "pick", (HIKING_BOOTS,))
    assert text == "**Trail Hiking Boots** is $129.00 and out of stock."


def test_tell_me_more_describes_the_picked_product_from_its_facts() -> None:
    text = on_focus("tell me more about the first one", "pick", (RAIN_JACKET,))
    assert text.splitlines() == [
        "Here's more about **Blue Rain Jacket**:",
        "- $49.99 (on sale, was $59.99), in stock (only 3 left).",
        "- Color: Blue, Red; Size: S, M, L.",
        '- "The Blue Rain Jacket keeps you dry on wet commutes."',
        '- "It is fully waterproof with taped seams and a 10,000 mm rating."',
        '- "The hood folds into the collar."',
    ]
