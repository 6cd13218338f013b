"""The shopper's language: which one a message is written in, and which one to answer in."""

from engine.language.choice import LANGUAGE_NAMES, LanguageChoice, answer_language
from engine.language.detect import OTHER, detect_language, warm_up
from engine.language.words import SUPPORTED_LANGUAGES

__all__ = [
    "LANGUAGE_NAMES",
    "OTHER",
    "SUPPORTED_LANGUAGES",
    "LanguageChoice",
    "answer_language",
    "detect_language",
    "warm_up",
]
