"""Sentences as spans of the original text, so edits keep everything between them.

One splitter serves the guardrails and the answer stream (engine.streaming): the stream
shows a sentence only once it is complete and checks it as the guardrails see it inside
the whole answer, so both must agree on where a sentence ends. With `final=False` the
splitter reports only the ends that no further text can move: "$19." may become "$19.99",
"costs $5." may still take a "[1]" after it, "e.g." waits for the next word.

An end is: a line break; "。！？" (no space follows in CJK text); or ". ! ? …" followed
by whitespace, with closing quotes, brackets or Markdown emphasis kept with the sentence,
and "[n]" citation markers after it kept too. A full stop is no end after a list number at
the start of a line ("1. "), a known abbreviation ("e.g.", "Mr.", "approx."), an initial
("J. Crew"), when the next word starts in lower case ("approx. three"), and after a digit
unless the next word starts a sentence ("$19. The" ends, "size 10. 5 colours" does not).
"""

from __future__ import annotations

import re

_CANDIDATE_RE = re.compile(r"\n|[。！？]+|[.!?…]+")
_CLOSERS = "\"')]*_”’»」』）"
_SPACES = " \t"
_CITATION_AT_RE = re.compile(r"\[\s*\d{1,2}(?:\s*,\s*\d{1,2})*\s*\]")
# What a citation marker looks like while it is still arriving: "[", "[1", "[1, 2".
_CITATION_OPENING_RE = re.compile(r"\[\s*(?:\d{1,2}(?:\s*,\s*\d{0,2})*)?\s*")
# Never the end of a sentence, whatever follows.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt vs approx appx incl e.g i.e eg ie cf ca esp resp".split()
)
# Not an end when a number follows ("No. 5", "vol. 2").
_BEFORE_NUMBERS = frozenset("no nos vol fig p pp art ch sec nr".split())
_LIST_MARKER_RE = re.compile(r"(?:^|\n)[ \t]*(?:\d{1,3}|[A-Za-z])$")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")
_SENTENCE_STARTERS = "\"'(*[“‘"


def sentence_ends(text: str, *, final: bool = True, start: int = 0) -> list[int]:
    """Offsets just past each sentence end in `text` from `start` (the text before `start`
    is still read for context). `final=False`: only the ends more text cannot move; the
    end of the text is never one of them."""
    ends: list[int] = []
    position = start
    while True:
        match = _CANDIDATE_RE.search(text, position)
        if match is None:
            return ends
        end = _end_at(text, match, final)
        if isinstance(end, _Undecided):
            return ends
        if end is not None:
            if end < len(text) or not final:
                ends.append(end)
            position = end
        else:
            position = match.end()


def is_abbreviation(word: str) -> bool:
    """Whether a full stop after `word` is never a sentence end ("e.g", "Mr", "approx")."""
    return word.lower() in _ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in [*sentence_ends(text), len(text)]:
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    return spans


def tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _Undecided:
    pass


_UNDECIDED = _Undecided()


def _end_at(text: str, match: re.Match[str], final: bool) -> int | None | _Undecided:
    """Where the sentence whose end `match` may be ends; None: not an end here."""
    mark = match.group(0)
    if mark == "\n":
        return match.end()
    end = match.end()
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    if mark[0] in "。！？":
        return _with_citations(text, end, final)
    if end == len(text):
        return end if final else _UNDECIDED
    if text[end] not in _SPACES + "\n":
        return None  # "19.99", "e.g.,", "example.com"
    if "!" not in mark and "?" not in mark and not _full_stop_ends(text, match.start(), end, final):
        return None
    if _full_stop_undecided(text, match.start(), end, final, mark):
        return _UNDECIDED
    return _with_citations(text, end, final)


def _next_char(text: str, end: int) -> str | None:
    """The first character after the spaces at `end` ("\n" counts), or None at the end."""
    stripped = text[end:].lstrip(_SPACES)
    return stripped[0] if stripped else None


def _full_stop_undecided(text: str, dot: int, end: int, final: bool, mark: str) -> bool:
    # A full stop whose verdict reads the next word must wait for it.
    return not final and "!" not in mark and "?" not in mark and _next_char(text, end) is None


def _full_stop_ends(text: str, dot: int, end: int, final: bool) -> bool:
    before = text[:dot]
    if _LIST_MARKER_RE.search(before):
        return False  # "1. Answer only…", "a. the first option"
    word = _WORD_BEFORE_RE.search(before)
    token = word.group(1).lower() if word else ""
    if token in _ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha() and word is not None and word.group(1).isupper():
        return False  # an initial: "J. Crew", "the U.S. store"
    following = _next_char(text, end)
    if following is None:
        return True  # at the end of the text (undecided while streaming, see the caller)
    if following == "\n":
        return True
    if following.islower():
        return False  # "approx. three", "etc. and more"
    if following.isdigit() and token.rstrip(".") in _BEFORE_NUMBERS:
        return False  # "No. 5"
    if before[-1:].isdigit():
        # "costs $19. The next" ends; "size 10. 5 colours" does not.
        return following.isupper() or following in _SENTENCE_STARTERS
    return True


def _with_citations(text: str, end: int, final: bool) -> int | _Undecided:
    """`end` moved past any "[n]" markers that follow it on the same line (they belong to
    the sentence before them), with their closers."""
    while True:
        at = end
        while at < len(text) and text[at] in _SPACES:
            at += 1
        if at == len(text):
            return end if final else _UNDECIDED
        if text[at] != "[":
            return end
        marker = _CITATION_AT_RE.match(text, at)
        if marker is None:
            opening = _CITATION_OPENING_RE.match(text, at)
            if not final and opening is not None and opening.end() == len(text):
                return _UNDECIDED  # "[1" may still become "[1]"
            return end
        if marker.end() == len(text):
            return marker.end() if final else _UNDECIDED
        if text[marker.end()] == "(":
            return end  # a Markdown link's text, "[2](https://…)"
        end = marker.end()
        while end < len(text) and text[end] in _CLOSERS and text[end] != "[":
            end += 1
