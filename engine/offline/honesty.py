"""Honesty about what the store does not sell: "do you sell kayaks?", "have you got the Nike
Air Max?" are answered "we don't sell …" BEFORE any alternative, and an alternative is
offered only when it is really close (the same kind of product under another name).

The verdict comes from the retrieved products' evidence, since retrieval searched the
whole catalogue for the words asked:
- a thing with a proper name ("the Ærø Plush Fox", "Nike Air Max") is sold when one
  product's title holds all its words; the close ones share its last two words ("Plush
  Fox": another brand's);
- a kind of thing ("kayaks", "a waterproof jacket for hiking") is sold when a product's
  title, categories or attributes hold at least half its words ("tote bags": the Canvas
  Tote), or its text holds them all ("anything waterproof"); the close ones share its
  last word ("jacket"). Qualifiers ("for kids", "under $50") are left to the search.
- no products retrieved is no evidence either way: nothing is said not to be sold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.offline.subject import GENERIC_STEMS, name_stems
from engine.prompts.text import content_stems, fold, stem, words
from engine.types import ProductHit

_ASKED_RE = re.compile(
    r"\b(?:do you (?:still )?(?:have|sell|carry|stock|do)|have you got|can i (?:buy|get)"
    r"|i'?m (?:looking for|after)|looking for|i need|i want|tienen|venden|busco"
    r"|vendez|avez-vous|je cherche|haben sie|f[uü]hren sie|ich suche|vendete|cerco"
    r"|voc[eê]s (?:vendem|t[eê]m)|estou procurando)\s+(?P<thing>[^?.!,;]+)",
    re.IGNORECASE,
)
_CARRIED_RE = re.compile(
    r"\bis (?P<thing>[^?.!,;]+?) something you (?:carry|sell|stock|have)", re.IGNORECASE
)
# Where the thing asked for ends: "the X and what does it cost", "the X something you carry".
_THING_END_RE = re.compile(
    r"\s+(?:and (?:what|how)|something you|here\b|at all|in stock|right now|anymore"
    r"|any more|please|do you|you have|available)\b.*$",
    re.IGNORECASE,
)
_LEADING_RE = re.compile(
    r"^(?:(?:the|a|an|any|some|your|el|la|los|las|le|les|l'|il|lo|un|une|uno|una|den|die"
    r"|das|der|o|um|uma|artikel|articolo|l'articolo|produto|produit|art[ií]culo)\s+)+",
    re.IGNORECASE,
)
# "for kids", "under $50", "as a gift": what follows the kind of thing asked for.
_QUALIFIER_RE = re.compile(
    r"\s+(?:for|with|as|under|below|in|that|to|from|by|on|which|who|less|cheaper|but)\b.*$",
    re.IGNORECASE,
)
_CLOSE_LIMIT = 3
# A thing that starts with these is no product: "can I get it right away?", "what can I
# get in Outdoor for less than $20?", "¿lo tienen en stock?".
_NOT_A_THING = frozenset(
    "it this that them these those one ones in on for under below at with from to en em "
    "lo la le il es right away more something anything everything".split()
)
_ENGLISH_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NotSold:
    thing: str  # as the shopper wrote it ("kayaks", "the Nike Air Max")
    closest: tuple[ProductHit, ...]


def asked_thing(question: str) -> tuple[str, str] | None:
    """The thing the question asks the store for: (as the answer names it, its core words),
    or None. "Do you have the Kyōto Kettle in Sand?" → ("the Kyōto Kettle", "Kyōto Kettle")."""
    match = _CARRIED_RE.search(question) or _ASKED_RE.search(question)
    if match is None:
        return None
    thing = _THING_END_RE.sub("", match.group("thing")).strip()
    article = _ENGLISH_ARTICLE_RE.match(thing)
    core = _QUALIFIER_RE.sub("", _LEADING_RE.sub("", thing).strip()).strip()
    first = core.split()[0].lower() if core else ""
    if not core or first in _NOT_A_THING or not content_stems(core) - GENERIC_STEMS:
        return None
    return (f"{article.group(0)}{core}" if article else core), core


def _is_named(core: str) -> bool:
    return any(w[:1].isupper() for w in core.split())


def _title_words(hit: ProductHit) -> set[str]:
    return {stem(w) for w in words(fold(hit.title))}


def _named_verdict(core: str, hits: tuple[ProductHit, ...]) -> tuple[bool, list[ProductHit]]:
    wanted = [stem(w) for w in words(fold(core))]
    if any(set(wanted) <= _title_words(h) for h in hits):
        return True, []
    tail = set(wanted[-2:])
    return False, [h for h in hits if len(wanted) > 2 and tail <= _title_words(h)]


def _kind_verdict(core: str, hits: tuple[ProductHit, ...]) -> tuple[bool, list[ProductHit]]:
    wanted = [stem(w) for w in words(core) if stem(w) in content_stems(core) - GENERIC_STEMS]
    if not wanted:
        return True, []
    head = wanted[-1]
    for hit in hits:
        named = set(wanted) & name_stems(hit)
        if len(named) * 2 >= len(wanted):  # "tote bags": the Canvas Tote
            return True, []
        if set(wanted) <= named | content_stems(" ".join(hit.snippets)):
            return True, []  # "anything waterproof": a description says it
    return False, [h for h in hits if head in name_stems(h)]


def not_sold(question: str, hits: tuple[ProductHit, ...]) -> NotSold | None:
    """The verdict that the store does not sell what the question asks for, or None (it
    does, or the question asks for no particular thing)."""
    asked = asked_thing(question)
    if asked is None:
        return None
    thing, core = asked
    sold, close = _named_verdict(core, hits) if _is_named(core) else _kind_verdict(core, hits)
    if sold:
        return None
    return NotSold(thing, tuple(close[:_CLOSE_LIMIT]))
