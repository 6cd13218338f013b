"""What one answer is built from, in the answer's language: the reply to a message answered
without a search (an injection attempt or out of scope: refused; a person asked for: the
hand-off offer), else the model's prompt and the offline answerer's grounding, and the
guard its text is checked with (engine.answer calls these; engine.language decides the
language)."""

from __future__ import annotations

from core.errors import AppError, UpstreamError
from engine import handoff
from engine.answer_events import ErrorEvent, Question
from engine.bot_config import LoadedBot
from engine.guardrails import (
    AnswerGuard,
    injection_refusal,
    is_out_of_scope,
    out_of_scope_reply,
)
from engine.language import LanguageChoice, answer_language
from engine.orders import asks_about_an_order
from engine.orders.intent import has_email
from engine.prompts import PromptBundle, build_messages
from engine.prompts.system_prompt import quotable_texts
from engine.query_rewrite import is_follow_up
from engine.retrieval.search import RetrievalResult
from engine.types import Focus, Grounding, Turn


def reply_without_search(
    bot: LoadedBot, message: str, asked: str, history: list[Turn]
) -> tuple[str, bool]:
    """The reply to a message answered without a search, in the shopper's language, and
    whether it offers a hand-off: a person asked for gets the offer (engine.handoff); an
    injection attempt with nothing else asked, or an out-of-scope request, is refused."""
    language = answer_language_for(bot, asked or message, history).reply
    if asked and handoff.asks_for_person(asked):
        return handoff.person_requested_reply(bot.profile, language), True
    refusal = injection_refusal if not asked else out_of_scope_reply
    return refusal(bot.profile.name, language), False


def prompt_and_grounding(
    bot: LoadedBot,
    question: Question,
    asked: str,
    retrieval: RetrievalResult,
    history: list[Turn],
    *,
    focus: Focus | None = None,
) -> tuple[PromptBundle, Grounding]:
    """The model's prompt and the offline answerer's facts, in the answer's language.
    `focus`: the products a follow-up or comparison picked (engine.focus), if any."""
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
        focus=focus,
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


def answer_guard(bundle: PromptBundle, bot: LoadedBot, question: str) -> AnswerGuard:
    return AnswerGuard(
        bundle.product_hits,
        currency=bot.profile.currency,
        policies_text=bot.profile.policies_text,
        question=question,
        system_prompt=bundle.system_prompt,
        public_text="\n".join(quotable_texts(bot.profile, bot.config)),
    )


# Any earlier shopper turn: a message that is no follow-up even after one is searched for
# as it stands, whatever the history says.
_AFTER_A_QUESTION = (Turn("user", ""),)


def is_searched(asked: str) -> bool:
    """Whether `asked` (the message without an injection attempt) is searched for: not when
    nothing is asked, it is out of scope or it asks for a person (`reply_without_search`)."""
    return bool(asked) and not is_out_of_scope(asked) and not handoff.asks_for_person(asked)


def embedded_early(question: Question, asked: str) -> bool:
    """Whether the query embedding can start before the conversation is read: a searched
    question the rewrite leaves as it is. An order question (or one with an email address)
    is not embedded at all: its text must not reach the query cache."""
    message = question.message.strip()
    maybe_order = asks_about_an_order(message) or has_email(message)
    return is_searched(asked) and not maybe_order and searched_as_asked(question, asked)


def searched_as_asked(question: Question, message: str) -> bool:
    """Whether `rewrite_query` returns the message unchanged, known before the history is
    read: a new conversation has none, and a message that does not read as a follow-up is
    not rewritten whatever came before."""
    return question.conversation_id is None or not is_follow_up(message, _AFTER_A_QUESTION)


def error_from_event(event: ErrorEvent) -> AppError:
    return UpstreamError(event.detail, answer_error=event.code)
