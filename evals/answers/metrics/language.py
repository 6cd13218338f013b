"""language_match: is the reply in the language the turn expects?

The reply's language is detected with py3langid (a bundled naive-Bayes model, no
download), restricted to the six languages the suites use: en, es, fr, de, it, pt.
Product titles are cut out first: they are often English whatever the reply's language
("La **Nordkap Cast Iron Skillet** cuesta 142,99 $" is Spanish). So is quoted text: an
answer quotes the merchant's own words (a policy, a description sentence) as written, in
the store's language, and puts its own sentences around them ('Nuestra política de
devoluciones dice: "Unworn items can be returned within 30 days."' is Spanish). A reply
that is nothing but titles and quotes is judged whole. 1 when the detected language is
expect.language, else 0; absent when expect.language is unset.

Blind spots: a reply of a few words (a bare price, "Sí.") is a coin toss for any detector;
a reply mixing two languages counts as the dominant one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from evals.answers.metrics.text import without_titles
from evals.answers.records import Catalogue

LANGUAGES = ("en", "es", "fr", "de", "it", "pt")
# A quotation on one line, in the quotation marks of the six languages.
_QUOTED_RE = re.compile(r'"[^"\n]+"|“[^”\n]+”|„[^“”\n]+[“”]|«[^»\n]+»')


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    language, _confidence = _identifier().classify(text)
    return str(language)


def language_match(answer: str, expected: str, catalogue: Catalogue) -> float:
    text = _QUOTED_RE.sub(" ", without_titles(answer, catalogue))
    # A reply that is nothing but titles and quotes has nothing else to judge it by.
    if not any(c.isalpha() for c in text):
        text = answer
    return 1.0 if detect_language(text) == expected else 0.0
