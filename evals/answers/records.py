"""The shapes the answer evals pass between their parts, in one place.

    suite file (JSONL) --load--> Suite --runner asks each turn--> TurnResult
    TurnResult + Turn.expect + Catalogue --metrics--> per-turn scores --> estimates per tag
    everything --> results.json --> report.html

The suite file format is documented by `evals/answers/suite.schema.json` (JSON Schema); the
classes here are its parsed form. Everything is plain data (dataclasses of str, int, float,
bool, lists and dicts), so `results.json` is `dataclasses.asdict` of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from evals.metrics import Estimate


class Tag(StrEnum):
    """What a turn exercises; a turn has one or more. Metrics are reported per tag."""

    PAGE_QUESTION = "page_question"  # asked on a product's page (page context given)
    SEARCH = "search"  # find a product by need or name
    FILTER = "filter"  # constraints: price ceiling, category, in stock, on sale
    COMPARISON = "comparison"  # two or more named products side by side
    FOLLOW_UP = "follow_up"  # depends on an earlier turn of the same conversation
    VARIANT = "variant"  # colours, sizes, a variation's price or stock
    POLICY = "policy"  # shipping, returns (the store's policies / knowledge)
    ORDER_STATUS = "order_status"  # "where is my order": must hand off, never invent
    OUT_OF_SCOPE = "out_of_scope"  # not about the store: must refuse politely
    INJECTION = "injection"  # a hostile instruction: must refuse, leak nothing
    MULTILINGUAL = "multilingual"  # asked in es, fr, de, it or pt


class FactKind(StrEnum):
    PRICE = "price"  # value: the price with two decimals, e.g. "142.99"
    STOCK = "stock"  # value: "in_stock" | "out_of_stock" | "on_backorder"
    VARIANT = "variant"  # value: an attribute option that must be named, e.g. "Sage"


@dataclass(frozen=True, slots=True)
class ExpectedFact:
    """A fact the answer must state exactly, about one product (the store's id)."""

    kind: FactKind
    product: str  # the store's product id (WooCommerce id, as text)
    value: str


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a turn must (or must not) produce. Empty lists and None mean "not judged": a
    metric that has nothing to judge on a turn is left out of that turn's scores."""

    # Products (store ids) the cards must include / must not include.
    products_must: list[str] = field(default_factory=list)
    products_must_not: list[str] = field(default_factory=list)
    # Graded relevance for retrieval metrics (store id -> gain 1..3). When empty and
    # products_must is not, each products_must id has gain 1.
    relevance: dict[str, int] = field(default_factory=dict)
    # Texts the model's prompt must contain (evidence the answer must be built on), matched
    # case-insensitively after collapsing whitespace.
    evidence: list[str] = field(default_factory=list)
    facts: list[ExpectedFact] = field(default_factory=list)
    refuse: bool | None = None  # True: must refuse (out of scope, injection); False: must not
    handoff: bool | None = None  # True: must point to a human / the store's contact
    language: str | None = None  # ISO 639-1 of the reply it must be in ("en", "es", ...)
    references: list[str] = field(default_factory=list)  # reference answers (token-F1, ROUGE-L)


@dataclass(frozen=True, slots=True)
class Turn:
    message: str
    tags: list[Tag]
    expect: Expectation
    page_product: str | None = None  # asked on this product's page (store id)
    page_url: str | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str  # unique within the suite, e.g. "shop-042"
    turns: list[Turn]
    # "train" or "test" for `eval sweep`'s held-out split (None: the sweep assigns by a hash
    # of the id, half and half).
    split: str | None = None


@dataclass(frozen=True, slots=True)
class Suite:
    name: str  # the file's stem: evals/suites/<name>.jsonl
    catalogue: str  # "demo" (the bundled 300-product store) or "hetpqa" (evals/suites/catalogues)
    conversations: list[Conversation]
    fingerprint: str  # sha256 of the file's bytes: results say exactly what was asked


@dataclass(frozen=True, slots=True)
class CatalogueVariant:
    external_id: str
    options: dict[str, str]  # attribute name -> option, e.g. {"Colour": "Sage"}
    price: str | None  # two decimals
    stock: str  # "in_stock" | "out_of_stock" | "on_backorder"
    regular_price: str | None = None  # before a sale; None when not on sale or not known


@dataclass(frozen=True, slots=True)
class CatalogueProduct:
    """A product's live facts as the eval tenant holds them after the sync (what an answer
    is judged against)."""

    external_id: str
    title: str
    price: str | None  # two decimals, the price the shopper pays now
    regular_price: str | None
    stock: str  # "in_stock" | "out_of_stock" | "on_backorder"
    categories: list[str]
    attributes: dict[str, list[str]]  # name -> options
    variants: list[CatalogueVariant] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Catalogue:
    currency: str  # ISO 4217, e.g. "USD"
    products: dict[str, CatalogueProduct]  # by store id
    support_email: str | None = None  # where a hand-off sends the shopper


@dataclass(frozen=True, slots=True)
class RetrievedItem:
    """One piece of evidence retrieval returned for the turn, in rank order."""

    kind: str  # "product" | "document"
    ref: str  # the store's product id, or the document's title
    score: float
    text: str  # the chunk text the prompt received (may be shortened to 500 chars)


@dataclass(slots=True)
class TurnResult:
    """What the shopper received for one turn, and what the engine did to produce it."""

    conversation: str  # Conversation.id
    index: int  # 0-based turn index within the conversation
    message: str
    tags: list[str]
    answer: str
    cards: list[str]  # store ids of the product cards, in order
    documents: list[str]  # titles of the document cards, in order
    status: str  # the stored message's status: "ok" | "no_answer" | "error"; "http_<code>"
    latency_ms: float  # wall time of the widget chat request, as the shopper waits
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None
    model: str | None
    rewritten_query: str | None
    retrieved: list[RetrievedItem] = field(default_factory=list)
    prompt: list[dict[str, str]] = field(default_factory=list)  # [{"role", "content"}]
    scores: dict[str, float] = field(default_factory=dict)  # metric name -> 0..1 (per turn)
    judge: dict[str, Any] | None = None  # the LLM judge's verdict, when a judge ran


@dataclass(frozen=True, slots=True)
class Measured:
    """A metric's mean over the turns it applies to, with its 95 % percentile-bootstrap
    interval (`evals.metrics.bootstrap_means`: 1,000 resamples, fixed seed)."""

    estimate: Estimate
    n: int  # the turns the metric applied to


@dataclass(slots=True)
class MetricReport:
    overall: Measured
    by_tag: dict[str, Measured]
