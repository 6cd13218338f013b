"""hetPQA (Amazon product QA, CDLA-Sharing-1.0) as a Shopbot eval set.

What is built, and every liberty taken on the way:

- **Products.** One product per ASIN of `evidence_ranking/dev.csv`. Its evidence pieces are
  the distinct candidate texts of that ASIN across all its questions (a page shows all of
  a product's content, not just what was judged for one question). Kinds: `attribute`,
  `bullet`, `description` (hetPQA's `Desc`), `editorial` (`OSP`, on-site publications),
  `review`, `community_qa` (`CQA`, answers other shoppers wrote). hetPQA has no prices,
  stock or categories, so the products have none (no price/category filter can fire).
- **Distractors.** ASINs of `answer_generation/dev.csv` that are *not* in the ranking file
  become extra products built from their candidates. They only widen the catalogue for the
  catalogue-level run; they never add unjudged text to a judged page.
- **Titles.** hetPQA has no product titles. `derived` titles are made from the data: the
  brand attribute when there is one plus the first words of the product's first bullet
  (else description, else editorial text); products with none are "Product <ASIN>". They
  are a stand-in for a real title, with one known bias: that one piece's words appear in
  every chunk of its product. `asin` titles ("Product <ASIN>") avoid it.
- **Attributes** are Amazon's raw `name: { value:... }` strings; they are rendered as a
  store page would show them ("batteries required: yes", "item weight: 13 pounds").
  Everything else is used verbatim (hetPQA lower-cases its text).
- **Items.** Each question (`qid`) with at least one candidate labelled 1 is an item, asked
  on its product's page; relevant = its candidates labelled 1. Other pieces on the page
  that were judged for *other* questions count as not relevant for this one (they were
  never judged for it), so scores are a slight underestimate.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

TitleMode = Literal["derived", "asin"]

NAME = "hetpqa"
# Bump when the way products, pieces or items are built changes: the fingerprint (and so
# the eval tenant a CLI run reuses) changes with it.
BUILD_VERSION = 1
RANKING_FILE = Path("evidence_ranking") / "dev.csv"
ANSWERS_FILE = Path("answer_generation") / "dev.csv"

KIND_BY_SOURCE = {
    "attribute": "attribute",
    "bullet": "bullet",
    "Desc": "description",
    "OSP": "editorial",
    "review": "review",
    "CQA": "community_qa",
}
TITLE_KINDS = ("bullet", "description", "editorial")
TITLE_WORDS = 8

# The repository root: the data sits in tests/fixtures (installs are editable, as for the
# Alembic migrations).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    return PROJECT_ROOT / "tests" / "fixtures" / "hetpqa"


@dataclass(frozen=True, slots=True)
class EvidencePiece:
    key: str  # stable across runs: a hash of the ASIN and the raw candidate
    asin: str
    kind: str
    source: str  # hetPQA's own source name
    text: str  # as indexed
    raw: str  # as in the file


@dataclass(frozen=True, slots=True)
class EvalProduct:
    asin: str
    title: str
    pieces: tuple[EvidencePiece, ...]
    distractor: bool = False


@dataclass(frozen=True, slots=True)
class EvalItem:
    item_id: str  # hetPQA qid
    asin: str
    question: str
    relevant: frozenset[str]  # piece keys labelled 1
    judged: frozenset[str]  # every piece key judged for this question (0 or 1)
    relevant_kinds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HetPQADataset:
    products: tuple[EvalProduct, ...]
    items: tuple[EvalItem, ...]
    title_mode: TitleMode
    fingerprint: str  # what was read and how it was built: same fingerprint, same store
    subset: str = "all"
    name: str = NAME
    _by_asin: dict[str, EvalProduct] = field(default_factory=dict, repr=False, compare=False)

    def product(self, asin: str) -> EvalProduct:
        if not self._by_asin:
            self._by_asin.update({p.asin: p for p in self.products})
        return self._by_asin[asin]

    @property
    def piece_count(self) -> int:
        return sum(len(p.pieces) for p in self.products)

    def sample(self, max_items: int, *, keep_distractors: bool = False) -> HetPQADataset:
        """A deterministic random subset of whole products (so their pages stay whole):
        products in hash order until at least `max_items` questions are covered."""
        if max_items >= len(self.items):
            return self
        by_asin: dict[str, list[EvalItem]] = defaultdict(list)
        for item in self.items:
            by_asin[item.asin].append(item)
        chosen: set[str] = set()
        count = 0
        for asin in sorted(by_asin, key=_stable_hash):
            if count >= max_items:
                break
            chosen.add(asin)
            count += len(by_asin[asin])
        products = tuple(
            p for p in self.products if p.asin in chosen or (keep_distractors and p.distractor)
        )
        items = tuple(i for i in self.items if i.asin in chosen)
        subset = f"sample:{max_items}:{int(keep_distractors)}"
        return replace(
            self,
            products=products,
            items=items,
            subset=subset,
            fingerprint=_digest(self.fingerprint, subset),
            _by_asin={},
        )


def _stable_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def piece_key(asin: str, raw: str) -> str:
    return _digest(asin, raw)


_NORMALISED = re.compile(r"normalized_value:\s*\{[^{}]*\},?\s*")
_UNIT_VALUE = re.compile(r"\{\s*unit:\s*([\w ]+?),\s*value:\s*([^,{}]+?)\s*\}")
_VALUE_UNIT = re.compile(r"\{\s*value:\s*([^,{}]+?),\s*unit:\s*([\w ]+?)\s*\}")
_KEY = re.compile(r"\b([a-z_]+):\s*")
_TRAILING_DOT = re.compile(r"(\d)\.(?!\d)")


def render_attribute(raw: str) -> str:
    """An attribute line, readable: `item_weight:  { unit:pounds, normalized_value:{...},
    value:13. }` → `item weight: 13 pounds`."""
    name, _, rest = raw.partition(":")
    rest = _NORMALISED.sub("", rest)
    rest = _UNIT_VALUE.sub(r"\2 \1", rest)
    rest = _VALUE_UNIT.sub(r"\1 \2", rest)
    rest = rest.replace("value:", " ")
    rest = _KEY.sub(lambda m: m.group(1) + " ", rest)
    for ch in '{}[]"\\':
        rest = rest.replace(ch, " ")
    rest = re.sub(r"\btrue\b", "yes", rest)
    rest = re.sub(r"\bfalse\b", "no", rest)
    rest = _TRAILING_DOT.sub(r"\1", rest).replace("_", " ")
    rest = re.sub(r"\s+([,;])", r"\1", " ".join(rest.split())).strip(" ,;")
    return f"{name.strip().replace('_', ' ')}: {rest}"


def render_piece(raw: str, source: str) -> str:
    if source == "attribute":
        return render_attribute(raw)
    return " ".join(raw.split())


def derive_title(asin: str, pieces: Iterable[EvidencePiece], mode: TitleMode) -> str:
    if mode == "asin":
        return f"Product {asin}"
    pieces = list(pieces)
    brand = next(
        (
            p.text.split(":", 1)[1].strip()
            for p in pieces
            if p.kind == "attribute" and p.raw.startswith("brand:")
        ),
        "",
    )
    for kind in TITLE_KINDS:
        piece = next((p for p in pieces if p.kind == kind and p.text.strip()), None)
        if piece is None:
            continue
        words = re.sub(r"[^\w\s'&-]", " ", piece.text).split()[:TITLE_WORDS]
        phrase = " ".join(words)
        if not phrase:
            continue
        if brand and brand.lower() not in phrase.lower():
            phrase = f"{brand.title()} {phrase}"
        return (phrase[:1].upper() + phrase[1:])[:120]
    return f"Product {asin}"


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


class _ProductBuilder:
    def __init__(self) -> None:
        self.pieces: dict[str, dict[str, EvidencePiece]] = defaultdict(dict)  # asin → key → piece

    def add(self, asin: str, raw: str, source: str) -> EvidencePiece:
        key = piece_key(asin, raw)
        existing = self.pieces[asin].get(key)
        if existing is not None:
            return existing
        piece = EvidencePiece(
            key=key,
            asin=asin,
            kind=KIND_BY_SOURCE.get(source, "description"),
            source=source,
            text=render_piece(raw, source),
            raw=raw,
        )
        self.pieces[asin][key] = piece
        return piece

    def products(
        self, asins: Iterable[str], mode: TitleMode, *, distractor: bool
    ) -> list[EvalProduct]:
        out = []
        for asin in asins:
            pieces = tuple(p for p in self.pieces[asin].values() if p.text.strip())
            if pieces:
                out.append(EvalProduct(asin, derive_title(asin, pieces, mode), pieces, distractor))
        return out


def load_hetpqa(
    data_dir: Path | None = None, *, title_mode: TitleMode = "asin", distractors: bool = True
) -> HetPQADataset:
    """Read the copied hetPQA files and build products and items (see the module docstring)."""
    root = data_dir or default_data_dir()
    ranking_path, answers_path = root / RANKING_FILE, root / ANSWERS_FILE
    if not ranking_path.is_file():
        raise FileNotFoundError(f"hetPQA evidence ranking file not found: {ranking_path}")
    builder = _ProductBuilder()
    ranking_asins: list[str] = []
    questions: dict[str, tuple[str, str]] = {}
    judged: dict[str, set[str]] = defaultdict(set)
    relevant: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _read_tsv(ranking_path):
        asin, qid = row["ASIN"].strip(), row["qid"].strip()
        if asin not in builder.pieces:
            ranking_asins.append(asin)
        piece = builder.add(asin, row["candidate"], row["source"].strip())
        questions.setdefault(qid, (asin, " ".join(row["question"].split())))
        judged[qid].add(piece.key)
        if row["label"].strip() == "1":
            relevant[qid][piece.key] = piece.kind

    products = builder.products(ranking_asins, title_mode, distractor=False)
    hashes = [hashlib.sha256(ranking_path.read_bytes()).hexdigest()]
    if distractors and answers_path.is_file():
        known = set(ranking_asins)
        extra: list[str] = []
        for row in _read_tsv(answers_path):
            asin = row["ASIN"].strip()
            if asin in known:
                continue  # never add unjudged text to a judged page
            if asin not in builder.pieces:
                extra.append(asin)
            builder.add(asin, row["candidate"], row["source"].strip())
        products += builder.products(extra, title_mode, distractor=True)
        hashes.append(hashlib.sha256(answers_path.read_bytes()).hexdigest())

    page_keys = {p.asin: {piece.key for piece in p.pieces} for p in products}
    items = []
    for qid, (asin, question) in questions.items():
        positives = {
            k: kind for k, kind in relevant.get(qid, {}).items() if k in page_keys.get(asin, ())
        }
        if not positives or not question:
            continue
        items.append(
            EvalItem(
                item_id=qid,
                asin=asin,
                question=question,
                relevant=frozenset(positives),
                judged=frozenset(judged[qid]),
                relevant_kinds=tuple(sorted(set(positives.values()))),
            )
        )
    fingerprint = _digest(NAME, str(BUILD_VERSION), title_mode, str(distractors), *hashes)
    return HetPQADataset(
        products=tuple(products), items=tuple(items), title_mode=title_mode, fingerprint=fingerprint
    )
