"""Which language a shopper's message is written in.

Two signals, because shop questions are short and full of product names:
- function words ("el", "vous", "ist", "questo", "vocês", "the"...), which product titles
  rarely contain: "Busco el Ærø Noise-Cancelling Headphones, ¿lo venden?" is Spanish by
  "busco", "el", "lo" and "venden", whatever its English title says;
- py3langid (a bundled naive-Bayes model, no download) for longer text the word lists miss.

Product titles the caller knows (the retrieved products) are cut out first. A message with
too little of either signal ("ok", "XS?", a bare product name) is not guessed: the caller
falls back to the conversation's previous language, then the store's own language.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from engine.language.words import FUNCTION_WORDS, SUPPORTED_LANGUAGES

OTHER = "other"  # written in a language we have no templates for
# py3langid's probability (over every language it knows) above which a message no function
# word decides is taken to be in its language.
_CONFIDENT = 0.9
# Fewer letters than this, without a function word, decides nothing ("ok", "XS").
_MIN_LETTERS = 12
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _identifier() -> LanguageIdentifier:
    # One load (about 2 s: the model covers 97 languages) whoever asks first.
    with _LOADING:
        return _load()


def warm_up() -> None:
    """Loads the model in a background thread, so the first message the function words do
    not decide does not wait for it on the event loop (AnswerService calls this once)."""
    threading.Thread(target=_identifier, name="language-model-load", daemon=True).start()


# An email address or a link is no language ("It's under ines.brown14@example.com" was read
# as Portuguese); an order number or a price is left to _MIN_LETTERS.
_ADDRESS_RE = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)


def _without_titles(text: str, titles: tuple[str, ...]) -> str:
    text = _ADDRESS_RE.sub(" ", text)
    for title in sorted(titles, key=len, reverse=True):
        if title.strip():
            text = re.sub(re.escape(title.strip()), " ", text, flags=re.IGNORECASE)
    return text


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in _WORD_RE.findall(text.lower().replace("’", "'")):
        # "l'avete", "qu'il", "c'est": the elided article is a function word of its own.
        words.extend(part for part in re.split(r"(?<=')", word) if part)
    return words


def _function_word_votes(text: str) -> dict[str, int]:
    words = _words(text)
    votes = {language: 0 for language in SUPPORTED_LANGUAGES}
    for word in words:
        for language, vocabulary in FUNCTION_WORDS.items():
            if word in vocabulary:
                votes[language] += 1
    if "¿" in text or "¡" in text:
        votes["es"] += 2
    return votes


def detect_language(text: str, titles: tuple[str, ...] = ()) -> str | None:
    """The message's language (one of SUPPORTED_LANGUAGES, or OTHER), or None when the
    message does not say (too short, only names or numbers)."""
    text = _without_titles(text, titles)
    votes = _function_word_votes(text)
    ranked = sorted(votes.items(), key=lambda item: item[1], reverse=True)
    (best, best_votes), (_, runner_up) = ranked[0], ranked[1]
    # Two clear function words, or one where no other language has any.
    if best_votes >= 2 and best_votes > runner_up or (best_votes == 1 and runner_up == 0):
        return best
    letters = sum(c.isalpha() for c in text)
    if letters < _MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(text)
    if confidence < _CONFIDENT:
        # Unsure: a tie of function words is settled by the model among the tied languages.
        tied = [lang for lang, count in ranked if count == best_votes and count > 0]
        if tied:
            return max(tied, key=lambda lang: _restricted_probability(text, lang))
        return None
    return str(language) if language in SUPPORTED_LANGUAGES else OTHER


def _restricted_probability(text: str, language: str) -> float:
    ranks = dict(_identifier().rank(text))
    return float(ranks.get(language, 0.0))
