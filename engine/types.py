"""Value types shared across the engine.

Retrieval produces `ProductHit`/`DocumentHit`; prompts, LLM providers, guardrails and the
answer service consume them. Everything here is a frozen dataclass so a hit read from the
database can be passed around (and cached) without anyone mutating live facts on the way.

Per-bot configuration (`BotConfig`, `LLMSettings`) is passed in as arguments; the engine has
no module-level LLM or embedding settings.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from annotated_types import Interval

Role = Literal["user", "assistant"]
# "platform": the platform's model, resolved when a question is answered (OpenAI through the
# platform's endpoint when OPENAI_API_KEY is configured, the offline answerer otherwise), so
# a platform that gets a key later upgrades every bot that never chose. The default.
# "openai": an OpenAI-compatible model chosen by the merchant (the platform's endpoint, or
# their own `base_url` with their own key; see engine.llm.endpoints).
LLMProviderName = Literal["platform", "offline", "openai"]
# "match_shopper": answer in the language the shopper wrote in (the default, see DESIGN.md:
# shoppers complain about bots that answer in English). "business_language": always answer in
# BusinessProfile.language.
LanguagePolicy = Literal["match_shopper", "business_language"]

SNIPPET_MAX_CHARS = 300


@dataclass(frozen=True, slots=True, kw_only=True)
class VariationFact:
    """One published variation of a variable product, with its own live facts: "in stock in
    sky blue, size XS?" is answered from this, never from the parent's price and stock."""

    external_id: str  # the store's variation id
    options: dict[str, str]  # attribute name → chosen option ("Colour" → "Sky Blue")
    sku: str | None = None
    price: Decimal | None = None
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    on_sale: bool = False
    in_stock: bool
    stock_status: str  # as ProductHit.stock_status
    stock_quantity: int | None = None
    image_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductHit:
    """One retrieved product with its live facts (price and stock come from the product row,
    never from the embedded text, so they are current even when the chunk is stale)."""

    product_id: uuid.UUID
    external_id: str  # the store's own product id (WooCommerce id)
    sku: str | None = None
    title: str
    url: str | None = None
    price: Decimal | None = None  # the price the shopper pays now (the sale price when on sale)
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    currency: str
    on_sale: bool = False
    in_stock: bool
    stock_status: str  # WooCommerce: "instock" | "outofstock" | "onbackorder"
    stock_quantity: int | None = None
    image_url: str | None = None
    # WooCommerce's `?add-to-cart=` link on the store, for a purchasable simple product in
    # stock (engine.retrieval.cart_link decides); None when a shopper must choose on the page.
    add_to_cart_url: str | None = None
    categories: tuple[str, ...] = ()
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    snippets: tuple[str, ...] = ()
    score: float = 0.0
    # Published variations (empty for a simple product), in the store's order.
    variations: tuple[VariationFact, ...] = ()
    # Shipping facts as the store lists them (WooCommerce strings, in its weight and
    # dimension units); None or empty when the store does not say.
    weight: str | None = None
    dimensions: dict[str, str] = field(default_factory=dict)  # length/width/height
    average_rating: Decimal | None = None  # reviews: mean stars, None with no reviews
    rating_count: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentHit:
    """One retrieved knowledge document (FAQ, policy page...)."""

    document_id: uuid.UUID
    title: str
    snippets: tuple[str, ...] = ()
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Turn:
    role: Role
    content: str
    # An assistant turn's products in the order it showed them (the store's product ids):
    # what "the second one", "any under 50?" and "compare them" act on.
    products: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessProfile:
    name: str
    website: str | None = None
    currency: str = "USD"
    language: str = "en"
    support_email: str | None = None
    shipping_policy: str = ""
    returns_policy: str = ""

    @property
    def policies_text(self) -> str:
        """The merchant's own promises: the only text an answer may quote offers from."""
        return "\n".join(p for p in (self.shipping_policy, self.returns_policy) if p)


@dataclass(frozen=True, slots=True, kw_only=True)
class LLMSettings:
    """A bot's model settings. The bounds are what a merchant may set (the merchant API
    takes them from here, see dashboard_api.bots.schemas)."""

    provider: LLMProviderName = "platform"
    model: str = "gpt-4o-mini"
    temperature: Annotated[float, Interval(ge=0, le=2)] = 0.2
    max_tokens: Annotated[int, Interval(ge=1, le=8192)] = 600
    # The merchant's own OpenAI-compatible endpoint; honoured only with the bot's own API
    # key (which is never part of these settings). None: the platform's endpoint.
    base_url: str | None = None
    timeout_s: Annotated[float, Interval(ge=1, le=120)] = 30.0
    # Retries happen only before the first token: once text reached the shopper a retry
    # would repeat it.
    max_retries: int = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class BotConfig:
    name: str
    persona: str = "a friendly shopping assistant"
    tone: str = "friendly and concise"
    greeting: str = "Hi! How can I help you today?"
    language_policy: LanguagePolicy = "match_shopper"
    custom_instructions: str = ""
    llm: LLMSettings = field(default_factory=LLMSettings)
    max_prompt_tokens: int = 3000
    top_k: int = 5


@dataclass(frozen=True, slots=True)
class PageContext:
    """The storefront page the widget is open on. `product_id` is what the page knows: the
    store's own product id (`ProductHit.external_id`), not our uuid."""

    url: str | None = None
    product_id: str | None = None


# How a follow-up acted on the products an earlier answer showed (engine.follow_ups):
# "pick" one by position ("the second one"), "cheapest"/"priciest" of them, keep those
# "under"/"over" a price, "on_sale" or "in_stock", the "named" one ("the Trailhead one"),
# "compare" them, or "all" of them ("which of them…"). "compare" is also a question naming
# two or more products side by side.
FocusOperation = Literal[
    "pick",
    "cheapest",
    "priciest",
    "under",
    "over",
    "on_sale",
    "in_stock",
    "named",
    "compare",
    "all",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Focus:
    """The products a question is about when they are not a search's result: those of an
    earlier answer a follow-up selects, or the products a comparison names."""

    operation: FocusOperation
    products: tuple[str, ...]  # the selected products' store ids (ProductHit.external_id)
    # The set the follow-up acted on, in the order it was shown (for "none of the 4 I
    # showed…"); for a comparison of named products, the same as `products`.
    shown: tuple[str, ...] = ()
    index: int | None = None  # "pick": the position asked for, -1 the last
    limit: Decimal | None = None  # "under"/"over": the bound


@dataclass(frozen=True, slots=True, kw_only=True)
class Grounding:
    """The retrieved facts an answer must stay within. Model-based providers get these as
    prompt text; the offline answerer composes its answer from them directly."""

    question: str
    hits: tuple[ProductHit, ...] = ()
    doc_hits: tuple[DocumentHit, ...] = ()
    page: PageContext | None = None
    currency: str = "USD"
    profile: BusinessProfile | None = None  # the store's name, contact and policies
    # The language the shopper wrote in (ISO 639-1): the offline answerer replies in it
    # (engine.offline.phrases), a model follows the bot's language policy.
    language: str = "en"
    # Set when the question acts on products chosen before retrieval (a follow-up on an
    # earlier answer's products, a comparison of named products); `hits` are then those.
    focus: Focus | None = None


def format_price(amount: Decimal | None) -> str | None:
    """Prices on the wire are strings with exactly two decimals (no float rounding)."""
    if amount is None:
        return None
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def shorten(text: str, limit: int = SNIPPET_MAX_CHARS) -> str:
    """Cut at a word boundary so a snippet never ends mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def product_source(hit: ProductHit) -> dict[str, Any]:
    """A product source as the widget contract shows it (DESIGN.md, `POST /widget/v1/chat`)."""
    return {
        "product_id": str(hit.product_id),
        "external_id": hit.external_id,
        "sku": hit.sku,
        "title": hit.title,
        "url": hit.url,
        "price": format_price(hit.price),
        "currency": hit.currency,
        "in_stock": hit.in_stock,
        "snippet": shorten(hit.snippets[0]) if hit.snippets else "",
        "image_url": hit.image_url,
        "add_to_cart_url": hit.add_to_cart_url,
    }


def document_source(hit: DocumentHit) -> dict[str, Any]:
    return {
        "document_id": str(hit.document_id),
        "title": hit.title,
        "snippet": shorten(hit.snippets[0]) if hit.snippets else "",
    }


def build_sources(
    hits: tuple[ProductHit, ...] | list[ProductHit],
    doc_hits: tuple[DocumentHit, ...] | list[DocumentHit] = (),
) -> list[dict[str, Any]]:
    """Products first, then documents: the same order as the numbered prompt sources."""
    return [product_source(h) for h in hits] + [document_source(d) for d in doc_hits]
