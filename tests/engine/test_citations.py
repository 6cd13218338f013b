"""The sources an answer shows are the ones it refers to, renumbered as it cites them
(engine.citations), and through the answer service with the real `openai` client."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from sqlalchemy import update

from core.models import Tenant
from emulators.openai import FakeOpenAI
from engine.answer import AnswerService
from engine.citations import cite
from engine.embeddings import shared_local_embedder
from engine.types import DocumentHit, PageContext, ProductHit
from tests.engine.support import question as _question
from tests.engine.support import use_openai as _use_openai


def _product(title: str) -> ProductHit:
    return ProductHit(
        product_id=uuid.uuid4(),
        external_id=title[:3],
        title=title,
        price=Decimal("10.00"),
        currency="USD",
        in_stock=True,
        stock_status="instock",
    )


JACKET, BEANIE, SKILLET = (
    _product("Alpine Rain Jacket"),
    _product("Merino Wool Beanie"),
    _product("Cast Iron Skillet"),
)
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
    cited = cite(
        "Per our Returns policy [4] you can send the Cast Iron Skillet back [3].", NUMBERED
    )
    assert cited.sources == (SKILLET, RETURNS)
    assert cited.text == "Per our Returns policy [2] you can send the Cast Iron Skillet back [1]."


def test_a_bracketed_number_that_points_at_no_source_is_left_as_written() -> None:
    cited = cite("The jacket [1] comes in sizes [10, 12]. Grouped [1, 7] too.", NUMBERED)
    assert cited.sources == (JACKET,)
    assert cited.text == "The jacket [1] comes in sizes [10, 12]. Grouped [1, 7] too."


def test_groups_spaced_markers_and_a_document_cited_by_number_alone() -> None:
    cited = cite("[ 4 ] says you may return the skillet and the beanie [3, 2].", NUMBERED)
    assert cited.sources == (SKILLET, BEANIE, RETURNS)
    assert cited.text == "[3] says you may return the skillet and the beanie [1, 2]."


def test_a_one_word_document_title_is_not_a_mention_but_a_link_text_is_not_a_citation() -> None:
    shipping = DocumentHit(document_id=uuid.uuid4(), title="Shipping")
    cited = cite(
        "Free shipping on the jacket [1]. See [2](https://shop.test/faq).", (JACKET, shipping)
    )
    assert cited.sources == (JACKET,)
    assert cited.text == "Free shipping on the jacket [1]. See [2](https://shop.test/faq)."


def test_an_answer_that_refers_to_no_source_shows_none() -> None:
    cited = cite("You can return anything within 30 days.", NUMBERED)
    assert cited.sources == ()
    assert cited.text == "You can return anything within 30 days."


def test_on_a_product_page_an_answer_that_names_nothing_is_about_that_product() -> None:
    assert cite("Yes, it is.", NUMBERED, implied=BEANIE).sources == (BEANIE,)
    assert cite("Yes, the skillet [3] is.", NUMBERED, implied=BEANIE).sources == (SKILLET,)
    assert cite("Yes, it is.", (JACKET,), implied=BEANIE).sources == ()  # not a source: not shown


def test_a_title_inside_a_longer_title_is_still_named_by_itself() -> None:
    press, press_max = _product("Kyoto French Press"), _product("Kyoto French Press Max")
    listed = "- **Kyoto French Press Max**: $10.00\n- **Kyoto French Press**: $10.00"
    assert cite(listed, (press, press_max)).sources == (press_max, press)
    assert cite("The Kyoto French Press Max is great.", (press, press_max)).sources == (press_max,)


def test_a_phrase_two_titles_share_names_neither() -> None:
    other_jacket = _product("Summit Rain Jacket")
    assert cite("A rain jacket is a good idea.", (JACKET, other_jacket)).sources == ()
    assert cite("The Alpine rain jacket is.", (JACKET, other_jacket)).sources == (JACKET,)


async def test_the_answer_service_sends_the_cited_products_renumbered(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    # The model answers about the last product in its prompt, by number only.
    cited: list[str] = []

    def reply(messages: list[dict]) -> str:
        products = re.findall(r"^\[(\d+)\] Product: (.+)$", messages[-1]["content"], re.M)
        number, title = products[-1]
        cited.append(title)
        assert int(number) > 1, "the test needs a product that is renumbered"
        return f"This one should suit you [{number}]."

    fake_openai.reply_fn(reply)
    service = AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )
    result = await service.answer(_question(tenant, "something warm for winter"))
    assert [s["title"] for s in result.sources] == cited
    assert result.answer == "This one should suit you [1]."


async def test_a_returns_question_gets_the_policy_and_no_product_cards(db, shop) -> None:
    tenant, _ = shop
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Tenant)
            .where(Tenant.id == tenant.tenant_id)
            .values(returns_policy="Unworn items can be returned within 30 days.")
        )
    service = AnswerService(db, shared_local_embedder())
    result = await service.answer(_question(tenant, "what is your return policy for jackets?"))
    assert result.answer == (
        "You have 30 days to return an item. "
        'Our returns policy: "Unworn items can be returned within 30 days."'
    )
    assert result.sources == []


async def test_on_a_product_page_the_page_product_is_the_source(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    result = await service.answer(
        _question(
            tenant, "what is the outsole like?", page=PageContext(url=None, product_id="1001")
        )
    )
    assert [s["external_id"] for s in result.sources] == ["1001"]
