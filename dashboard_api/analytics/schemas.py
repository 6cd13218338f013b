from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, Field


class AnalyticsSummary(BaseModel):
    from_: dt.datetime = Field(serialization_alias="from", validation_alias="from_")
    to: dt.datetime
    bot_id: uuid.UUID | None = None
    conversations: int
    messages: int = Field(description="Shopper messages")
    answers: int = Field(description="Assistant messages")
    answered: int = Field(description="Answers with status `ok` that cite a source")
    no_answer: int = Field(description="Unanswered: answers citing no source that did not fail")
    errors: int
    answer_rate: float | None = Field(description="answered / (answered + no_answer)")
    thumbs_up: int
    thumbs_down: int
    product_clicks: int
    added_to_cart: int = Field(description="Add-to-cart clicks on product cards in the widget")


class DayWindow(BaseModel):
    """Calendar days in the business's time zone: `from` inclusive, `to` exclusive."""

    from_: dt.date = Field(serialization_alias="from", validation_alias="from_")
    to: dt.date
    timezone: str = Field(description="The business's time zone the days are counted in")
    bot_id: uuid.UUID | None = None


class DailyCounts(BaseModel):
    """One calendar day, counted as the summary counts (a day without activity is zeros)."""

    date: dt.date
    conversations: int
    messages: int = Field(description="Shopper messages")
    answered: int
    no_answer: int
    thumbs_up: int
    thumbs_down: int


class AnalyticsDaily(DayWindow):
    days: list[DailyCounts]


class TopProduct(BaseModel):
    product_id: uuid.UUID
    name: str | None = Field(description="The catalogue's name, else the answer card's title")
    permalink: str | None = Field(description="The catalogue's link, else the card's")
    shown: int = Field(description="Answers that showed the product's card")
    clicks: int = Field(description="Clicks on its card (`product_click` widget events)")
    added_to_cart: int = Field(description="Adds to cart from its card (`add_to_cart` events)")


class TopProducts(DayWindow):
    products: list[TopProduct]


class SeriesTotals(BaseModel):
    """Counts by when they happened: a conversation by its start, a message, answer, rating
    or click by its own time."""

    conversations: int
    messages: int = Field(description="Shopper messages")
    answers: int = Field(description="Assistant messages: answered + unanswered + errors")
    answered: int = Field(description="Answers with status `ok` that cite a source")
    unanswered: int = Field(
        description="Other answers that did not fail: `no_answer` (no relevant source), or "
        "`ok` citing nothing (a redirect, a fallback)"
    )
    errors: int = Field(description="Answers that failed (status `error`)")
    thumbs_up: int
    thumbs_down: int
    product_clicks: int
    added_to_cart: int
    latency_p50_ms: int | None = Field(
        description="Median answer latency (nearest rank, from a log histogram: within 4.5 %"
        " + 0.5 ms of the exact value); null without answers. Errors are not answers here."
    )
    latency_p95_ms: int | None = Field(description="95th percentile, as the median")
    prompt_tokens: int
    completion_tokens: int
    cost_micro_usd: int = Field(
        description="Model cost in millionths of a US dollar, from the price table"
    )


class SeriesPoint(SeriesTotals):
    start: dt.datetime = Field(
        description="The local day's or hour's start in the business's time zone, with its "
        "UTC offset (over a DST change the repeated hour appears twice, one offset each)"
    )


class AnalyticsSeries(DayWindow):
    interval: Literal["day", "hour"]
    points: list[SeriesPoint] = Field(description="Every day or hour of the window, in order")
    totals: SeriesTotals = Field(
        description="The whole window: the points' counts, tokens and cost add up to it; "
        "its percentiles are over all of its answers"
    )
