"""Follow-up questions become standalone search queries (LLM when there is one, else a
heuristic)."""

from __future__ import annotations

from emulators.openai import FakeOpenAI, Fault
from engine.llm import OpenAIChatProvider
from engine.offline import OfflineGroundedAnswerer
from engine.query_rewrite import heuristic_rewrite, is_follow_up, rewrite_query
from engine.types import LLMSettings, Turn

ONE_PRODUCT = (
    Turn("user", "Do you have rain jackets?"),
    Turn("assistant", "Yes! The **Blue Rain Jacket** [1] is $49.99 and in stock."),
)
TWO_PRODUCTS = (
    Turn("user", "Do you have rain jackets?"),
    Turn(
        "assistant",
        "Here's what I found:\n- **Blue Rain Jacket** — $49.99\n- **Yellow Rain Jacket** — $39.99",
    ),
)
SETTINGS = LLMSettings(provider="openai", model="gpt-4o-mini", timeout_s=5)


def test_standalone_questions_are_left_alone() -> None:
    assert not is_follow_up("and in blue?", ())
    assert not is_follow_up("What boots do you have for winter hiking in the snow?", ONE_PRODUCT)
    assert is_follow_up("and in blue?", ONE_PRODUCT)
    assert is_follow_up("Does it have a hood that folds into the collar?", ONE_PRODUCT)


def test_heuristic_merges_the_subject_with_the_new_constraint() -> None:
    assert heuristic_rewrite("and in blue?", TWO_PRODUCTS) == "rain jackets blue"
    assert heuristic_rewrite("what about size M?", TWO_PRODUCTS) == "rain jackets size m"
    assert heuristic_rewrite("is it cheaper than the other one?", TWO_PRODUCTS) == (
        "rain jackets cheaper"
    )


def test_heuristic_uses_the_one_product_the_assistant_named_for_it() -> None:
    assert heuristic_rewrite("is it waterproof?", ONE_PRODUCT) == "blue rain jacket waterproof"


def test_heuristic_skips_earlier_follow_ups_to_find_the_subject() -> None:
    history = (
        *TWO_PRODUCTS,
        Turn("user", "and in red?"),
        Turn("assistant", "Sorry, none in red."),
    )
    assert heuristic_rewrite("what about green?", history) == "rain jackets green"


async def test_offline_provider_means_the_heuristic() -> None:
    rewritten = await rewrite_query(
        "and in blue?", TWO_PRODUCTS, llm=OfflineGroundedAnswerer(), settings=SETTINGS
    )
    assert (rewritten.text, rewritten.method) == ("rain jackets blue", "heuristic")
    unchanged = await rewrite_query("Do you sell hiking boots?", ())
    assert (unchanged.text, unchanged.method) == ("Do you sell hiking boots?", "unchanged")


async def test_a_configured_llm_rewrites_with_a_short_prompt(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply_with('Query: "blue rain jacket waterproof rating"\n')
    llm = OpenAIChatProvider(api_key=fake_openai.api_key, base_url=fake_openai.base_url)
    rewritten = await rewrite_query("is it waterproof?", ONE_PRODUCT, llm=llm, settings=SETTINGS)
    assert (rewritten.text, rewritten.method) == ("blue rain jacket waterproof rating", "llm")
    [request] = fake_openai.requests_to("/v1/chat/completions")
    system, user = request.messages
    assert system["role"] == "system" and "standalone product search query" in system["content"]
    assert "Shopper: Do you have rain jackets?" in user["content"]
    assert user["content"].endswith("<data>\nis it waterproof?\n</data>")
    assert request.body["temperature"] == 0.0 and request.body["max_tokens"] == 48


async def test_an_llm_failure_falls_back_to_the_heuristic(fake_openai: FakeOpenAI) -> None:
    fake_openai.inject(*[Fault("status", status=500)] * 2)
    llm = OpenAIChatProvider(
        api_key=fake_openai.api_key, base_url=fake_openai.base_url, retry_base_delay_s=0.01
    )
    rewritten = await rewrite_query("and in blue?", TWO_PRODUCTS, llm=llm, settings=SETTINGS)
    assert (rewritten.text, rewritten.method) == ("rain jackets blue", "heuristic")
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 2  # one bounded retry
