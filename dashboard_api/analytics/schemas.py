from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class AnalyticsSummary(BaseModel):
    from_: datetime = Field(serialization_alias="from", validation_alias="from_")
    to: datetime
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
