"""Every language the offline answerer speaks has every English sentence, with the same
placeholders (a missing or misspelt placeholder would raise KeyError mid-answer).

Only en.py's keys are checked: the other tables may already hold translations of sentences
other branches add to en.py."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from engine.language import SUPPORTED_LANGUAGES
from engine.offline.phrases import en, phrases_for, say, supported_languages


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def test_the_phrase_tables_are_the_supported_languages() -> None:
    assert set(supported_languages()) == set(SUPPORTED_LANGUAGES)


# Written the same in both languages ("{name} in {options}:": "in" is German and Italian too).
SAME_AS_ENGLISH = {("de", "variant_list_intro"), ("it", "variant_list_intro")}


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_each_language_has_every_english_key_with_the_same_placeholders(language: str) -> None:
    table = phrases_for(language)
    assert table is not en.PHRASES
    missing = sorted(set(en.PHRASES) - set(table))
    assert not missing, f"{language} lacks {missing}"
    for key, english in en.PHRASES.items():
        assert _placeholders(table[key]) == _placeholders(english), (language, key)
        # Translated, unless it has no words of its own ("- {name} — {price}, {stock}").
        own_words = any(c.isalpha() for c in re.sub(r"\{[^}]*\}", "", english))
        same = (language, key) in SAME_AS_ENGLISH
        assert table[key] != english or not own_words or same, (language, key)


def test_say_falls_back_to_english_for_a_language_without_templates() -> None:
    assert say("nl", "the_store") == "the store"
    assert say("de", "the_store") == "der Shop"
