"""Building eval products and items from the copied hetPQA files (no database)."""

from __future__ import annotations

from evals.datasets.hetpqa import default_data_dir, derive_title, load_hetpqa, render_attribute


def test_the_copied_data_carries_its_licence_and_attribution() -> None:
    folder = default_data_dir()
    assert "CDLA-Sharing-1.0" in (folder / "LICENSE").read_text()
    assert "amazon-science/contextual-product-qa" in (folder / "README.md").read_text()


def test_products_and_items_from_the_ranking_file() -> None:
    data = load_hetpqa()
    judged = [p for p in data.products if not p.distractor]
    assert len(judged) == 298  # distinct ASINs of evidence_ranking/dev.csv
    assert len(data.products) - len(judged) == 138  # answer_generation ASINs not in it
    assert len(data.items) == 386  # questions with at least one positive candidate
    for item in data.items:
        page = {piece.key for piece in data.product(item.asin).pieces}
        assert item.relevant and item.relevant <= item.judged <= page
    kinds = {piece.kind for p in data.products for piece in p.pieces}
    assert kinds == {"attribute", "bullet", "description", "editorial", "review", "community_qa"}


def test_titles_are_placeholders_unless_derived() -> None:
    data = load_hetpqa()
    assert all(p.title == f"Product {p.asin}" for p in data.products)
    derived = load_hetpqa(title_mode="derived")
    assert derived.fingerprint != data.fingerprint
    assert (
        sum(not p.title.startswith("Product ") for p in derived.products) == 259
    )  # the rest have no text piece
    assert all(len(p.title) <= 120 for p in derived.products)


def test_derived_title_prefers_brand_and_a_bullet() -> None:
    data = load_hetpqa()
    product = next(
        p
        for p in data.products
        if any(x.raw.startswith("brand:") for x in p.pieces)
        and any(x.kind == "bullet" for x in p.pieces)
    )
    title = derive_title(product.asin, product.pieces, "derived")
    brand = next(
        x.text.split(":", 1)[1].strip() for x in product.pieces if x.raw.startswith("brand:")
    )
    assert brand.lower() in title.lower()
    assert len(title.split()) <= 8 + len(brand.split())


def test_attributes_render_as_a_store_page_shows_them() -> None:
    assert render_attribute("batteries_required:  { value:true }") == "batteries required: yes"
    assert (
        render_attribute(
            "item_weight:  { unit:pounds, normalized_value:{ unit:pounds, value:13. }, value:13. }"
        )
        == "item weight: 13 pounds"
    )
    assert render_attribute(
        'compatible_devices:  { value:"apple ipad 3" }; { value:"apple ipad" }'
    ) == ("compatible devices: apple ipad 3; apple ipad")
    assert (
        render_attribute("num_batteries:  { quantity:4, type:c }")
        == "num batteries: quantity 4, type c"
    )


def test_samples_are_whole_products_and_deterministic() -> None:
    data = load_hetpqa()
    first, again = data.sample(100), data.sample(100)
    assert first.fingerprint == again.fingerprint != data.fingerprint
    assert [i.item_id for i in first.items] == [i.item_id for i in again.items]
    assert 100 <= len(first.items) < 110
    asins = {p.asin for p in first.products}
    assert {i.asin for i in first.items} == asins  # no distractors, no product without questions
    assert data.sample(10_000) is data
