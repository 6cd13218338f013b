from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.chat.schemas import ExternalProductId

WidgetEventType = Literal["open", "close", "product_click", "add_to_cart", "source_click"]


class WidgetEventIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: WidgetEventType
    # Our product uuid, or the store's own product id (as the storefront knows it).
    product_id: ExternalProductId | None = None
    message_id: uuid.UUID | None = None
    url: str | None = Field(default=None, max_length=1000)
    # Sent by the widget of a bot that asks for consent: false until the shopper allows.
    # Without it the event still counts, but names no visitor and links no answer.
    consent: bool | None = None
