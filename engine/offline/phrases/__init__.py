"""Everything the offline answerer says, by language: templates, never machine translation.

The offline answerer replies in the shopper's language (`Grounding.language`, an ISO 639-1
code decided once per answer). Each language is one module holding a `PHRASES` dict keyed
like `en.py`'s; catalogue text (titles, descriptions, policies) is quoted as the merchant
wrote it, only the sentences around it are ours. A key a language lacks falls back to
English, so adding a sentence never breaks an answer; a test checks that every language
has every key with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.offline.phrases import de, en, es, fr, it, pt

DEFAULT_LANGUAGE = "en"

# language code → its templates (engine.language.SUPPORTED_LANGUAGES lists the same codes).
_TABLES: dict[str, Mapping[str, str]] = {
    "en": en.PHRASES,
    "es": es.PHRASES,
    "fr": fr.PHRASES,
    "de": de.PHRASES,
    "it": it.PHRASES,
    "pt": pt.PHRASES,
}


def supported_languages() -> tuple[str, ...]:
    return tuple(_TABLES)


def phrases_for(language: str) -> Mapping[str, str]:
    return _TABLES.get(language, en.PHRASES)


def say(language: str, key: str, /, **values: object) -> str:
    """The template `key` in `language` (English when that language has no such key),
    filled with `values` by `str.format`."""
    template = _TABLES.get(language, en.PHRASES).get(key) or en.PHRASES[key]
    return template.format(**values)
