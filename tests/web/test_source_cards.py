"""Both HTTP apps return the same source card: the widget's chat and the merchant's preview."""

from __future__ import annotations

from typing import Any

from api.chat.schemas import ChatResponse
from dashboard_api.bots.schemas import TryResponse


def _card_refs(schema: dict[str, Any]) -> set[str]:
    items = schema["properties"]["sources"]["items"]
    return {option["$ref"].rsplit("/", 1)[-1] for option in items["anyOf"]}


def test_the_chat_and_the_bot_preview_describe_the_same_cards() -> None:
    chat = ChatResponse.model_json_schema()
    preview = TryResponse.model_json_schema()
    assert _card_refs(chat) == _card_refs(preview) == {"ProductSource", "DocumentSource"}
    assert chat["$defs"]["ProductSource"] == preview["$defs"]["ProductSource"]
    assert chat["$defs"]["DocumentSource"] == preview["$defs"]["DocumentSource"]


def test_a_preview_answer_keeps_the_engines_card_as_it_is() -> None:
    card = {
        "product_id": "0b9c4c8e-3f7a-4a59-9d3b-1f1f4f3f0a11",
        "external_id": "42",
        "sku": None,
        "title": "Trail Shoe",
        "url": "https://shop.example/p/42",
        "price": "49.99",
        "currency": "USD",
        "in_stock": True,
        "snippet": "",
        "image_url": None,
        "add_to_cart_url": "https://shop.example/?add-to-cart=42",
    }
    response = TryResponse(
        conversation_id="5d0e9f8a-2b1c-4d3e-8f7a-6b5c4d3e2f1a",
        message_id="7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
        answer="It costs $49.99 [1].",
        sources=[card],  # validated from the engine's dict, as the preview does
    )
    assert response.model_dump(mode="json")["sources"] == [card]
