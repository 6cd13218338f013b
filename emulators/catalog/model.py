"""The in-memory catalogue a fake store serves: wc/v3 JSON dicts plus the id sequences."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from emulators.catalog.shapes import JsonDict, StoreSettings, category_shape


@dataclass
class Catalog:
    site_url: str
    settings: StoreSettings
    categories: list[JsonDict] = field(default_factory=list)
    tags: list[JsonDict] = field(default_factory=list)
    products: list[JsonDict] = field(default_factory=list)
    variations: dict[int, list[JsonDict]] = field(default_factory=dict)
    reviews: list[JsonDict] = field(default_factory=list)
    # WordPress gives products, variations and attachments ids from one posts sequence.
    next_post_id: int = 100
    next_term_id: int = 15
    next_review_id: int = 1

    @classmethod
    def from_json(cls, data: JsonDict) -> Catalog:
        """A catalogue saved as JSON ({site_url, settings, categories, products, variations
        keyed by parent id, reviews}), with the id sequences resumed after its largest ids."""
        variations = {int(parent): list(items) for parent, items in data["variations"].items()}
        tags = {t["id"]: t for p in data["products"] for t in p.get("tags", [])}
        post_ids = [p["id"] for p in data["products"]]
        post_ids += [v["id"] for items in variations.values() for v in items]
        term_ids = [c["id"] for c in data["categories"]] + list(tags)
        return cls(
            site_url=data["site_url"].rstrip("/"),
            settings=StoreSettings(**data["settings"]),
            categories=list(data["categories"]),
            tags=list(tags.values()),
            products=list(data["products"]),
            variations=variations,
            reviews=list(data["reviews"]),
            next_post_id=max(post_ids, default=99) + 1,
            next_term_id=max(term_ids, default=14) + 1,
            next_review_id=max((r["id"] for r in data["reviews"]), default=0) + 1,
        )

    def allocate_post_id(self) -> int:
        self.next_post_id += 1
        return self.next_post_id - 1

    def allocate_term_id(self) -> int:
        self.next_term_id += 1
        return self.next_term_id - 1

    def allocate_review_id(self) -> int:
        self.next_review_id += 1
        return self.next_review_id - 1

    def product(self, product_id: int) -> JsonDict | None:
        return next((p for p in self.products if p["id"] == product_id), None)

    def category_by_name(self, name: str) -> JsonDict | None:
        return next((c for c in self.categories if c["name"] == name), None)

    def ensure_category(self, name: str, parent: int = 0) -> JsonDict:
        found = self.category_by_name(name)
        if found is not None:
            return found
        category = category_shape(
            self.allocate_term_id(), name, slugify(name), parent, "", self.site_url
        )
        self.categories.append(category)
        return category

    def ensure_tag(self, name: str) -> JsonDict:
        found = next((t for t in self.tags if t["name"] == name), None)
        if found is None:
            found = {"id": self.allocate_term_id(), "name": name, "slug": slugify(name)}
            self.tags.append(found)
        return found

    def refresh_category_counts(self) -> None:
        """`count`: how many published products carry the term, as WooCommerce keeps it."""
        counts: Counter[int] = Counter(
            c["id"] for p in self.products if p["status"] == "publish" for c in p["categories"]
        )
        for category in self.categories:
            category["count"] = counts.get(category["id"], 0)

    def rebase(self, site_url: str) -> None:
        """Move every URL on the old site (permalinks, images, _links) onto `site_url`.

        The fake store only learns its port when it starts, and WooCommerce always reports
        links on its own home URL.
        """
        old = self.site_url.rstrip("/")
        new = site_url.rstrip("/")
        if old == new:
            return
        for collection in (self.categories, self.products, self.reviews):
            for item in collection:
                _replace_prefix(item, old, new)
        for variations in self.variations.values():
            for variation in variations:
                _replace_prefix(variation, old, new)
        self.site_url = new


def slugify(text: str) -> str:
    """Like WordPress's sanitize_title(): accents removed, lowercase words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in folded)
    return "-".join(part for part in cleaned.split("-") if part) or "item"


def _replace_prefix(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = _replace_prefix(value, old, new)
        return node
    if isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = _replace_prefix(value, old, new)
        return node
    if isinstance(node, str) and node.startswith(old):
        return new + node[len(old) :]
    return node
