"""The sources an answer shows are the ones it refers to, renumbered as it cites them
(engine.citations), and through the answer service with the real `openai` client."""

from __future__ import annotations

import uuid
from decimal import Decimal

from engine.answer import AnswerService
from engine.citations import cite
from engine.embeddings import shared_local_embedder
from engine.types import DocumentHit, ProductHit
from tests.engine.test_answer import _question, _use_openai, shop  # noqa: F401 - the shop fixture
from tests.fakes.openai import FakeOpenAI, fake_openai, fake_openai_server  # noqa: F401 - fixtures


def _product(title: str) -> ProductHit:
    return ProductHit(
        product_id=uuid.uuid4(), external_id=title[:3], title=title, price=Decimal("10.00"),
        currency="USD", in_stock=True, stock_status="instock",
    )


JACKET, BEANIE, SKILLET = _product("Alpine Rain Jacket"), _product("Merino Wool Beanie"), _product("Cast Iron Skillet")
RETURNS = DocumentHit(document_id=uuid.uuid4(), title="Returns policy")
NUMBERED = (JACKET, BEANIE, SKILLET, RETURNS)  # [1] [2] [3] [4]


def test_only_the_sources_the_answer_cites_are_kept_in_the_order_it_cites_them() -> None:
    cited = cite("The skillet [3] is $10.00, and so is the beanie [2].", NUMBERED)
    assert cited.sources == (SKILLET, BEANIE)
    assert cited.text == "The skillet [1] is $10.00, and so is the beanie [2]."


def test_a_product_named_without_a_citation_counts_too() -> None:
    cited = cite("The **Merino Wool Beanie** is warm; the jacket [1] keeps you dry.", NUMBERED)
    assert cited.sources == (BEANIE, JACKET)
    assert cited.text == "The **Merino Wool Beanie** is warm; the jacket [2] keeps you dry."


def test_documents_follow_the_products_and_are_renumbered_after_them() -> None:
    cited = cite("Per our Returns policy [4] you can send the Cast Iron Skillet back [3].", NUMBERED)
    assert cited.sources == (SKILLET, RETURNS)
    assert cited.text == "Per our Returns policy [2] you can send the Cast Iron Skillet back [1]."


def test_a_marker_that_points_at_no_source_is_dropped() -> None:
    cited = cite("The jacket [1] is in stock [9]. Grouped [1, 7] too.", NUMBERED)
    assert cited.sources == (JACKET,)
    assert cited.text == "The jacket [1] is in stock. Grouped [1] too."


def test_an_answer_that_refers_to_no_source_keeps_them_all() -> None:
    cited = cite("Which colour would you like? [8]", NUMBERED)
    assert cited.sources == NUMBERED
    assert cited.text == "Which colour would you like?"


def test_a_phrase_two_titles_share_names_neither() -> None:
    other_jacket = _product("Summit Rain Jacket")
    cited = cite("A rain jacket is a good idea.", (JACKET, other_jacket))
    assert cited.sources == (JACKET, other_jacket)  # refers to none: all kept


async def test_the_answer_service_sends_the_cited_products_renumbered(db, shop, fake_openai: FakeOpenAI) -> None:  # noqa: F811
    tenant, _ = shop
    await _use_openai(db, tenant)
    # The model answers about one product, citing it by its number in the prompt.
    def reply(messages: list[dict]) -> str:
        prompt = messages[-1]["content"]
        number = next(n for n in range(1, 10) if f"[{n}] Product: Merino Wool Beanie" in prompt)
        return f"Try the beanie [{number}]: warm and soft."

    fake_openai.reply_fn(reply)
    service = AnswerService(db, shared_local_embedder(), openai_api_key=fake_openai.api_key,
                            openai_base_url=fake_openai.base_url)
    result = await service.answer(_question(tenant, "something warm for my head in winter"))
    assert [s["title"] for s in result.sources] == ["Merino Wool Beanie"]
    assert result.answer == "Try the beanie [1]: warm and soft."
