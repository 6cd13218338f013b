from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field


class AnalyticsSummary(BaseModel):
    from_: dt.datetime = Field(serialization_alias="from", validation_alias="from_")
    to: dt.datetime
    bot_id: uuid.UUID | None = None
    conversations: int
    messages: int = Field(description="Shopper messages")
    answers: int = Field(description="Assistant messages")
    answered: int
    no_answer: int
    errors: int
    answer_rate: float | None = Field(description="answered / (answered + no_answer)")
    thumbs_up: int
    thumbs_down: int
    product_clicks: int


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


class TopProducts(DayWindow):
    products: list[TopProduct]
