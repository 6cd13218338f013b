"""Follow-ups on the products an answer showed, and comparisons by name, end to end: the
answer service on the real database with the seeded catalogue, the offline answerer, and the
real `openai` client against the fake OpenAI server for a model bot."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.ids import TenantId
from core.models import Message
from core.models.question_cluster import QuestionAssignment
from emulators.openai import FakeOpenAI
from engine import conversation
from engine.answer import AnswerService
from engine.answer_events import AnswerResult
from engine.embeddings import shared_local_embedder
from tests.engine.support import question as _question
from tests.engine.support import use_openai as _use_openai
from tests.support.index import set_price

CAMPING = "what camping gear do you have?"


def _ids(result: AnswerResult) -> list[str]:
    return [s["external_id"] for s in result.sources if "external_id" in s]


async def _ask(service: AnswerService, tenant, message: str, after: AnswerResult | None = None):
    conversation_id = after.conversation_id if after else None
    return await service.answer(_question(tenant, message, conversation_id=conversation_id))


async def test_history_carries_the_products_each_answer_showed(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await _ask(service, tenant, CAMPING)
    assert len(_ids(first)) > 1
    assert first.conversation_id is not None
    async with db.tenant_session(tenant.tenant_id) as session:
        turns = await conversation.history(
            session, tenant_id=TenantId(tenant.tenant_id), conversation_id=first.conversation_id
        )
    # (Both messages were written in the test's one transaction, at the same `now()`: their
    # order in the history is the ids', not the turns'.)
    by_role = {t.role: t for t in turns}
    assert sorted(by_role) == ["assistant", "user"]
    assert by_role["user"].products == ()
    assert list(by_role["assistant"].products) == _ids(first)


async def test_the_second_one_is_the_second_product_shown(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await _ask(service, tenant, CAMPING)
    second_shown = first.sources[1]
    follow_up = await _ask(service, tenant, "how much is the second one?", first)
    assert _ids(follow_up) == [second_shown["external_id"]]
    assert f"**{second_shown['title']}** is ${second_shown['price']}" in follow_up.answer


async def test_a_price_bound_acts_on_the_set_shown_not_the_catalogue(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await _ask(service, tenant, CAMPING)
    shown = {s["external_id"]: Decimal(s["price"]) for s in first.sources}
    narrowed = await _ask(service, tenant, "any under 100?", first)
    expected = [e for e, price in shown.items() if price <= 100]
    assert expected and _ids(narrowed) == expected
    assert narrowed.answer.startswith(f"Of the {len(shown)} I showed you, these are under $100.00")
    # The socks ($14) are under 100 too, but were not shown: not listed.
    assert "Wool Hiking Socks" not in narrowed.answer


async def test_the_cheapest_of_those_reads_the_live_price(db, shop) -> None:
    tenant, ids = shop
    service = AnswerService(db, shared_local_embedder())
    first = await _ask(service, tenant, CAMPING)
    most_expensive = max(first.sources, key=lambda s: Decimal(s["price"]))
    # Repriced since it was shown: the follow-up reads the product row, not the old answer.
    await set_price(db, tenant.tenant_id, ids[most_expensive["title"]], "1.00")
    cheapest = await _ask(service, tenant, "which of those is the cheapest?", first)
    assert _ids(cheapest) == [most_expensive["external_id"]]
    assert f"**{most_expensive['title']}** is the cheapest: $1.00" in cheapest.answer


async def test_compare_them_answers_side_by_side_with_every_product_cited(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await _ask(service, tenant, CAMPING)
    compared = await _ask(service, tenant, "compare them", first)
    assert _ids(compared) == _ids(first)
    lines = compared.answer.splitlines()
    assert lines[0] == f"Here's how these {len(_ids(first))} compare:"
    for source, line in zip(first.sources, lines[1:], strict=False):
        assert line.startswith(f"- **{source['title']}**: ${source['price']}")


async def test_two_named_products_are_compared_with_the_difference_in_price(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    result = await _ask(
        service, tenant, "Which is cheaper, the Alpine Rain Jacket or the Red Fleece Pullover?"
    )
    assert _ids(result) == ["1000", "1009"]
    assert "- **Alpine Rain Jacket**: $89.00, in stock." in result.answer
    assert "- **Red Fleece Pullover**: $59.00, in stock." in result.answer
    assert "**Red Fleece Pullover** is the cheaper of the two. The difference is $30.00." in (
        result.answer
    )


async def test_a_named_comparison_is_clustered_a_pick_by_position_is_not(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    compared = await _ask(service, tenant, "Alpine Rain Jacket vs Red Fleece Pullover?")
    picked = await _ask(service, tenant, "the first one?", compared)
    assert _ids(picked) == ["1000"]
    async with db.tenant_session(tenant.tenant_id) as session:
        assigned = (
            await session.execute(
                select(Message.content, QuestionAssignment.answered).join(
                    QuestionAssignment, QuestionAssignment.message_id == Message.id
                )
            )
        ).all()
    # The question a merchant would want among the top ones; "the first one?" says nothing.
    assert [tuple(row) for row in assigned] == [
        ("Alpine Rain Jacket vs Red Fleece Pullover?", True)
    ]


async def test_a_follow_up_naming_something_new_is_searched(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await _ask(service, tenant, CAMPING)
    assert "1007" not in _ids(first)
    socks = await _ask(service, tenant, "any socks under 20?", first)
    assert _ids(socks)[0] == "1007"


async def test_a_model_gets_the_compared_products_as_its_sources(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    service = AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )
    fake_openai.reply_with("You could take the Down Sleeping Bag [1] or the Ultralight Tent [2].")
    first = await service.answer(
        _question(tenant, "what do I need for a night in the mountains? a tent and a bag?")
    )
    shown = [s["title"] for s in first.sources]
    assert len(shown) == 2
    fake_openai.reply_with("The first one is the warmer choice [1].")
    await service.answer(_question(tenant, "compare them", conversation_id=first.conversation_id))
    prompt = fake_openai.requests_to("/v1/chat/completions")[-1].body["messages"][-1]["content"]
    sources = prompt.split("The shopper's message:")[0]
    assert [t for t in shown if f"Product: {t}" in sources] == shown
    assert sources.count("Product: ") == 2
