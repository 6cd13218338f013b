"""What one answer is built from, in the answer's language: the refusal of a message that
is only an injection attempt or out of scope, else the model's prompt and the offline
answerer's grounding (engine.answer calls these; engine.language decides the language)."""

from __future__ import annotations

from engine.answer_events import Question
from engine.bot_config import LoadedBot
from engine.guardrails import injection_refusal, out_of_scope_reply
from engine.language import LanguageChoice, answer_language
from engine.prompts import PromptBundle, build_messages
from engine.retrieval.search import RetrievalResult
from engine.types import Grounding, Turn


def refusal_for(bot: LoadedBot, message: str, asked: str, history: list[Turn]) -> str:
    """An injection attempt with nothing else asked, or an out-of-scope request, refused
    in the shopper's language."""
    language = answer_language_for(bot, asked or message, history).reply
    refusal = injection_refusal if not asked else out_of_scope_reply
    return refusal(bot.profile.name, language)


def prompt_and_grounding(
    bot: LoadedBot,
    question: Question,
    asked: str,
    retrieval: RetrievalResult,
    history: list[Turn],
) -> tuple[PromptBundle, Grounding]:
    """The model's prompt and the offline answerer's facts, in the answer's language."""
    titles = tuple(hit.title for hit in retrieval.hits)
    language = answer_language_for(bot, asked, history, titles)
    bundle = build_messages(
        bot.profile,
        bot.config,
        asked,
        retrieval.hits,
        retrieval.doc_hits,
        question.page,
        history,
        model=bot.config.llm.model,
        max_prompt_tokens=bot.config.max_prompt_tokens,
        language=language.instruction_language,
    )
    grounding = Grounding(
        question=asked,
        hits=tuple(retrieval.hits),
        doc_hits=tuple(retrieval.doc_hits),
        page=question.page,
        currency=bot.profile.currency,
        profile=bot.profile,
        language=language.reply,
    )
    return bundle, grounding


def answer_language_for(
    bot: LoadedBot, message: str, history: list[Turn], titles: tuple[str, ...] = ()
) -> LanguageChoice:
    """The language of this answer: the bot's policy over the shopper's language, with
    the retrieved products' titles left out of the detection (an English title does not
    make a Spanish question English)."""
    return answer_language(
        message,
        history,
        policy=bot.config.language_policy,
        business_language=bot.profile.language,
        titles=titles,
    )
