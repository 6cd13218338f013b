"""Build the hetPQA answer suite and its store from hetPQA's answer-generation dev split.

    python tools/build_hetpqa_suite.py [--data DIR] [--out DIR]

writes `<out>/hetpqa.jsonl` and `<out>/catalogues/hetpqa.json.gz` (default `--out`:
evals/suites), the same bytes on every run: nothing random, no clock, gzip without a
timestamp. `--data` defaults to tests/fixtures/hetpqa (the dev files copied verbatim from
../shared/data/hetpqa, so a fresh clone can rebuild and check the committed files).

What is built, and every liberty taken (hetPQA: CDLA-Sharing-1.0, see
evals/suites/hetpqa-ATTRIBUTION.txt):

- **Conversations.** One single-turn conversation per distinct (ASIN, question) of
  answer_generation/dev.csv, all of it (395 questions from 398 rows; a question on two rows
  has two references and two evidence spans), in file order: ids hetpqa-001 .. hetpqa-395.
  Tag `page_question`, asked on its product's page. `expect.references`: hetPQA's
  human-written answers; `expect.evidence`: the candidate each answer was written from,
  whole when it is at most 120 characters, else the window of whole words (within one
  sentence, so chunking does not cut it) that shares the most words with the answer;
  `expect.language`: "en". Nothing else is judged: hetPQA has no prices, stock or variants.
- **Split.** Conversations ranked by a hash of their id; the first half is "train", the
  rest "test" (the sweep chooses on one and reports on the other).
- **Products.** One published simple product per ASIN, ids from 100 in ASIN order. Its
  description holds every distinct candidate text of that ASIN in answer_generation/dev.csv
  and evidence_ranking/dev.csv (a page shows all of a product's content, so finding the
  evidence among the rest is part of the test), one HTML paragraph or list item per piece,
  grouped by hetPQA source under headings (bullets, description, on-site publication,
  attributes, community answers, reviews). Reviews and community answers are put in the
  description rather than in WooCommerce reviews: the sync keeps only three review
  excerpts of 220 characters, which would drop evidence. Attributes are rendered as
  evals/datasets/hetpqa.py does ("item weight: 13 pounds"); all text is otherwise verbatim
  (hetPQA lower-cases it). Category "Toys & Games" (hetPQA's only category); no price,
  stock "instock", no images, no reviews.
- **Titles** are "Product <ASIN>", the retrieval evals' default. The "derived" titles of
  evals/datasets/hetpqa.py repeat the first words of one bullet in every chunk of the
  product, which would put that bullet's words into every prompt and flatter
  `evidence_in_prompt` whenever that bullet is the evidence.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

# A plain script, not a package: the checkout it lives in provides the renderers, not
# whatever copy of the project happens to be installed.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.datasets.hetpqa import KIND_BY_SOURCE, render_piece  # noqa: E402 - after the path
from ingestion.rendering.html_text import html_to_text  # noqa: E402 - after the path
from ingestion.rendering.prices import PRICE_PLACEHOLDER, scrub_prices  # noqa: E402 - same

DEFAULT_DATA = ROOT / "tests" / "fixtures" / "hetpqa"
DEFAULT_OUT = ROOT / "evals" / "suites"
ANSWERS_FILE = Path("answer_generation") / "dev.csv"
RANKING_FILE = Path("evidence_ranking") / "dev.csv"
NAME = "hetpqa"
SUITE_FILE = f"{NAME}.jsonl"
CATALOGUE_FILE = Path("catalogues") / f"{NAME}.json.gz"

SPAN_CHARS = 120
# A span shorter than this is only chosen when it alone shares the most words with the
# answer: short phrases ("great.") are found in many prompts by chance.
SHORT_SPAN_CHARS = 30
FIRST_PRODUCT_ID = 100
SITE_URL = "http://hetpqa-store.invalid"
CREATED = "2026-01-01T00:00:00"  # fixed: the files must not change from run to run
CATEGORY = {"id": 15, "name": "Toys & Games", "slug": "toys-games"}
SETTINGS = {
    "currency": "USD",
    "currency_symbol": "&#36;",
    "gmt_offset_hours": 0,
    "site_name": "hetPQA Toys & Games",
    "wc_version": "9.4.2",
    "wp_version": "6.7.1",
}
# (evals/datasets/hetpqa.py kind, heading, rendered as a list rather than paragraphs)
SECTIONS = (
    ("bullet", "Features", True),
    ("description", "Description", False),
    ("editorial", "From the manufacturer", False),
    ("attribute", "Specifications", True),
    ("community_qa", "Answers from other shoppers", True),
    ("review", "What customers say", True),
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_WORD = re.compile(r"\w+")
_STOP_WORDS = frozenset(
    "a an the and or but if of to in on at by for with from as into about than then so very"
    " too also just is are was were be been being it its this that these those there their"
    " they them he she you your we our my i me do does did can could will would should may"
    " have has had not no yes".split()
)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def one_line(text: str) -> str:
    return " ".join(text.split())


def indexed_text(piece: str) -> str:
    """A piece as the index holds it: one HTML paragraph through the sync's own renderer."""
    return scrub_prices(html_to_text(f"<p>{escape(piece, quote=False)}</p>"))


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS}


def candidate_spans(text: str) -> Iterator[tuple[int, str]]:
    """(position, span): from every word of every sentence, as many whole words of that
    sentence as fit in SPAN_CHARS."""
    position = 0
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        for start in range(len(words)):
            span = words[start]
            for word in words[start + 1 :]:
                if len(span) + 1 + len(word) > SPAN_CHARS:
                    break
                span += " " + word
            if len(span) <= SPAN_CHARS:
                yield position, span
            position += 1


def evidence_span(text: str, answer: str) -> str:
    """The part of an evidence piece a prompt must contain (see the module docstring)."""
    if len(text) <= SPAN_CHARS:
        return text
    wanted = content_words(answer)

    def rank(candidate: tuple[int, str]) -> tuple[bool, int, bool, int]:
        position, span = candidate
        shared = len(content_words(span) & wanted)
        return PRICE_PLACEHOLDER not in span, shared, len(span) >= SHORT_SPAN_CHARS, -position

    return max(candidate_spans(text), key=rank, default=(0, text[:SPAN_CHARS]))[1]


def product_pieces(data: Path, asins: set[str]) -> dict[str, list[tuple[str, str]]]:
    """ASIN -> distinct (kind, rendered text) pieces, in the order the files first give them."""
    pieces: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for path in (data / ANSWERS_FILE, data / RANKING_FILE):
        for row in read_tsv(path):
            asin, source = row["ASIN"].strip(), row["source"].strip()
            text = render_piece(row["candidate"], source)
            if asin not in asins or not text or (asin, text) in seen:
                continue
            seen.add((asin, text))
            pieces[asin].append((KIND_BY_SOURCE.get(source, "description"), text))
    return pieces


def description_html(pieces: list[tuple[str, str]]) -> str:
    """Sections of paragraphs or list items (block elements: the renderer puts each on its
    own line, and the chunker never joins two into one sentence)."""
    blocks = []
    for kind, heading, as_list in SECTIONS:
        texts = [escape(text, quote=False) for k, text in pieces if k == kind]
        if not texts:
            continue
        blocks.append(f"<h3>{heading}</h3>")
        if as_list:
            blocks.append("<ul>" + "".join(f"<li>{t}</li>" for t in texts) + "</ul>")
        else:
            blocks.extend(f"<p>{t}</p>" for t in texts)
    return "\n".join(blocks) + "\n"


def product_json(product_id: int, asin: str, description: str) -> dict[str, Any]:
    """A published simple product with the key set of the demo catalogue's simple products."""
    slug = f"product-{asin.lower()}"
    api = f"{SITE_URL}/wp-json/wc/v3/products"
    unset: dict[str, Any] = {
        f"date_on_sale_{end}{zone}": None for end in ("from", "to") for zone in ("", "_gmt")
    }
    created = {
        f"date_{what}{zone}": CREATED for what in ("created", "modified") for zone in ("", "_gmt")
    }
    return {
        "_links": {"collection": [{"href": api}], "self": [{"href": f"{api}/{product_id}"}]},
        "attributes": [],
        "average_rating": "0.00",
        "backordered": False,
        "backorders": "no",
        "backorders_allowed": False,
        "brands": [],
        "button_text": "",
        "catalog_visibility": "visible",
        "categories": [CATEGORY],
        "cross_sell_ids": [],
        **created,
        **unset,
        "default_attributes": [],
        "description": description,
        "dimensions": {"height": "", "length": "", "width": ""},
        "download_expiry": -1,
        "download_limit": -1,
        "downloadable": False,
        "downloads": [],
        "external_url": "",
        "featured": False,
        "global_unique_id": "",
        "grouped_products": [],
        "has_options": False,
        "id": product_id,
        "images": [],
        "low_stock_amount": None,
        "manage_stock": False,
        "menu_order": 0,
        "meta_data": [],
        "name": f"Product {asin}",
        "on_sale": False,
        "parent_id": 0,
        "permalink": f"{SITE_URL}/product/{slug}/",
        "post_password": "",
        "price": "",
        "price_html": "",
        "purchasable": False,  # WooCommerce: a product without a price cannot be bought
        "purchase_note": "",
        "rating_count": 0,
        "regular_price": "",
        "related_ids": [],
        "reviews_allowed": False,
        "sale_price": "",
        "shipping_class": "",
        "shipping_class_id": 0,
        "shipping_required": True,
        "shipping_taxable": True,
        "short_description": "",
        "sku": asin,
        "slug": slug,
        "sold_individually": False,
        "status": "publish",
        "stock_quantity": None,
        "stock_status": "instock",
        "tags": [],
        "tax_class": "",
        "tax_status": "taxable",
        "total_sales": 0,
        "type": "simple",
        "upsell_ids": [],
        "variations": [],
        "virtual": False,
        "weight": "",
    }


def category_json() -> dict[str, Any]:
    api = f"{SITE_URL}/wp-json/wc/v3/products/categories"
    return {
        "_links": {"collection": [{"href": api}], "self": [{"href": f"{api}/{CATEGORY['id']}"}]},
        **CATEGORY,
        "count": 0,  # set once the products are known
        "description": "",
        "display": "default",
        "image": None,
        "menu_order": 0,
        "parent": 0,
    }


def questions(data: Path) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(ASIN, question) -> its rows' (candidate, source, answer), in file order."""
    grouped: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for row in read_tsv(data / ANSWERS_FILE):
        key = (row["ASIN"].strip(), one_line(row["question"]))
        grouped[key].append((row["candidate"], row["source"].strip(), one_line(row["answer"])))
    return grouped


def splits(ids: list[str]) -> dict[str, str]:
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{NAME}-split:{i}".encode()).hexdigest())
    half = (len(ranked) + 1) // 2
    return {i: "train" if n < half else "test" for n, i in enumerate(ranked)}


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def build(data: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The suite's conversations and the catalogue JSON."""
    asked = questions(data)
    asins = sorted({asin for asin, _ in asked})
    store_id = {asin: str(FIRST_PRODUCT_ID + n) for n, asin in enumerate(asins)}
    pieces = product_pieces(data, set(asins))
    descriptions = {asin: description_html(pieces[asin]) for asin in asins}
    ids = [f"{NAME}-{n:03d}" for n in range(1, len(asked) + 1)]
    split_of = splits(ids)
    conversations = []
    for conversation_id, ((asin, question), rows) in zip(ids, asked.items(), strict=True):
        page_text = one_line(scrub_prices(html_to_text(descriptions[asin])).lower())
        evidence = []
        for candidate, source, answer in rows:
            span = evidence_span(indexed_text(render_piece(candidate, source)), answer)
            if one_line(span.lower()) not in page_text:
                raise SystemExit(f"{conversation_id}: evidence not on its page: {span!r}")
            evidence.append(span)
        expect = {
            "evidence": unique(evidence),
            "language": "en",
            "references": unique([answer for _, _, answer in rows]),
        }
        turn = {
            "message": question,
            "tags": ["page_question"],
            "page": {"product_id": store_id[asin]},
            "expect": expect,
        }
        conversations.append(
            {
                "id": conversation_id,
                "catalogue": NAME,
                "split": split_of[conversation_id],
                "turns": [turn],
            }
        )
    products = [product_json(int(store_id[a]), a, descriptions[a]) for a in asins]
    category = category_json() | {"count": len(products)}
    catalogue = {
        "categories": [category],
        "products": products,
        "reviews": [],
        "settings": SETTINGS,
        "site_url": SITE_URL,
        "variations": {},
    }
    return conversations, catalogue


def write(out: Path, conversations: list[dict[str, Any]], catalogue: dict[str, Any]) -> None:
    lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in conversations]
    (out / SUITE_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / CATALOGUE_FILE).parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(catalogue, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (out / CATALOGUE_FILE).write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="hetPQA's folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write")
    args = parser.parse_args(argv)
    conversations, catalogue = build(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out, conversations, catalogue)
    print(
        f"{len(conversations)} conversations, {len(catalogue['products'])} products"
        f" -> {args.out / SUITE_FILE}, {args.out / CATALOGUE_FILE}"
    )


if __name__ == "__main__":
    main()
