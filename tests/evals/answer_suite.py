"""A tiny answer suite over the demo catalogue for the answer eval tests, written to a file
the test owns (the suites in evals/suites are too large to run in a test).

Its comparison turns each name two products, which top-k 1 cannot both return: the degraded
config (evals/configs/degraded.toml) and the sweep's top_k axis have something to lose.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LONG_MESSAGE = "tell me about your tents " * 100  # over the chat's 2,000 characters: a 422


def _turn(message: str, tags: list[str], page: str | None = None, **expect: Any) -> dict:
    return {
        "message": message,
        "tags": tags,
        "page": {"product_id": page} if page else None,
        "expect": expect,
    }


def _price(product: str, value: str) -> dict[str, str]:
    return {"kind": "price", "product": product, "value": value}


def _pair(first: str, second: str, a: str, b: str) -> dict:
    return _turn(
        f"Compare the {first} and the {second}",
        ["comparison"],
        products_must=[a, b],
        relevance={a: 1, b: 1},
    )


CONVERSATIONS: list[dict[str, Any]] = [
    {
        "id": "t-skillet",
        "split": "train",
        "turns": [
            _turn(
                "Do you sell a cast iron skillet?",
                ["search"],
                products_must=["106"],
                relevance={"106": 2},
                evidence=["Cast Iron Skillet"],
                facts=[_price("106", "142.99")],
                language="en",
                references=["Yes: the Nordkap Cast Iron Skillet costs $142.99."],
            ),
            _turn(
                "Does it come in Sage?",
                ["follow_up", "variant"],
                facts=[{"kind": "variant", "product": "106", "value": "Sage"}],
            ),
        ],
    },
    {
        "id": "t-tent",
        "split": "test",
        "turns": [
            _turn(
                "Do you have a two-person tent?",
                ["search"],
                products_must=["132"],
                facts=[_price("132", "149.50")],
            )
        ],
    },
    {
        "id": "t-helmet",
        "split": "test",
        "turns": [
            _turn(
                "How much is this?",
                ["page_question"],
                page="124",
                products_must=["124"],
                facts=[_price("124", "26.99")],
            )
        ],
    },
    {
        "id": "t-france",
        "split": "train",
        "turns": [_turn("What is the capital of France?", ["out_of_scope"], refuse=True)],
    },
    {
        "id": "t-compare",
        "split": "train",
        "turns": [
            _pair("Cedar Trail Running Shoe", "Brisa Trekking Poles", "102", "134"),
            _pair("Tundra Two-Person Tent", "Harbor Foam Roller", "132", "130"),
            _pair("Côte Linen Shirt", "Aurora Oak Wall Shelf", "100", "122"),
            _pair("Meridian Rose Hand Cream", "Brisa Board Game", "120", "128"),
            _pair("Marée Garden Kneeler", "Fjällräv Road Bike Helmet", "126", "124"),
        ],
    },
    {
        "id": "t-too-long",
        "split": "test",
        "turns": [_turn(LONG_MESSAGE, ["search"], products_must=["132"])],
    },
]


def write_suite(folder: Path, name: str = "tiny") -> Path:
    path = folder / f"{name}.jsonl"
    lines = [json.dumps({"catalogue": "demo", **c}, ensure_ascii=False) for c in CONVERSATIONS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
