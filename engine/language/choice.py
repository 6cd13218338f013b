"""Which language one answer is given in, from the message, the conversation and the bot.

The bot's `LanguagePolicy` decides: "business_language" always answers in the store's own
language; "match_shopper" (the default) answers in the language of the shopper's message.
A message that does not show its language ("ok", "XS?", a product name) keeps the
conversation's language (the last earlier message of the shopper's that showed one), else
the store's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.language.detect import OTHER, detect_language
from engine.language.words import SUPPORTED_LANGUAGES
from engine.types import LanguagePolicy, Turn

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
}


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """`shopper`: what the shopper writes in (a supported language or OTHER). `reply`: the
    language to answer in, always one we have templates for (the offline answerer's);
    `instruction_language` is what a model is told (None: "the shopper's language", for a
    language we have no templates for but a model may well speak)."""

    shopper: str
    reply: str
    instruction_language: str | None


def _supported(language: str) -> str:
    return language if language in SUPPORTED_LANGUAGES else "en"


def shopper_language(
    message: str, history: Sequence[Turn], fallback: str, titles: tuple[str, ...] = ()
) -> str:
    detected = detect_language(message, titles)
    if detected is not None:
        return detected
    for turn in reversed(history):
        if turn.role == "user" and (earlier := detect_language(turn.content, titles)):
            return earlier
    return fallback


def answer_language(
    message: str,
    history: Sequence[Turn],
    *,
    policy: LanguagePolicy,
    business_language: str,
    titles: tuple[str, ...] = (),
) -> LanguageChoice:
    business = business_language.split("-")[0].lower() or "en"
    shopper = shopper_language(message, history, business, titles)
    if policy == "business_language":
        return LanguageChoice(shopper, _supported(business), business)
    if shopper == OTHER:
        return LanguageChoice(shopper, _supported(business), None)
    return LanguageChoice(shopper, shopper, shopper)
