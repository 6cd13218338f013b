"""Only checked text reaches a shopper: the model's deltas become `token` events one checked
sentence at a time.

The model's text is held until a sentence ends, as the guardrails' own splitter sees it
(engine.guardrails.spans, which waits for the next word before it calls "$19." or "e.g."
an end); then everything up to there is checked (`show`: guardrails and citations, the
same facts as the final check) and what the check adds to what was already shown becomes
one `token`. Checking the whole prefix, not the sentence alone, keeps the context a check
reads from earlier sentences (the product named before "It costs $10.").

A model that sends the space after a full stop with it ("today. ") has finished that word:
the sentence is checked and shown then, without waiting for the next word to confirm the end
(not after a number, an abbreviation or "etc.", where the next word decides), if it is
`settled` (below): a word the splitter does not know as an abbreviation ("Inc.", "lbs.") may
still be one, and the rest of the sentence could then attribute its price to another
product. Should the next word show that the sentence went on, its text is checked again
with the rest.

A long sentence is shown clause by clause, but only clauses that the rest of the sentence
cannot change (`settled`: no price, stock, promise or prompt words in them). Text that is
mostly prompt words is held (`prompt_like`) until the text after it outweighs it, or the end:
the final check may refuse the whole answer over it.

When a later sentence changes what was already shown (a leak found across sentences turns
the answer into a refusal; a document cited before a product is renumbered), the stream
carries a `replace` with the full checked text, and after that only the end of the answer
is shown, so it never flickers back and forth.

`run_model` feeds a model's stream (or, when the model fails before its first word, the
offline answerer's) through a `CheckedStream`, collecting what the stream leaves besides
the events shown in a `ModelRun`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from core.errors import AppError
from engine.answer_events import AnswerEvent, ReplaceEvent, TokenEvent
from engine.answer_stages import mark_stage
from engine.bot_config import LoadedBot
from engine.guardrails.spans import is_abbreviation, sentence_ends
from engine.llm.base import LLMProvider, StreamFailure, StreamUsage, TextDelta
from engine.offline import OfflineGroundedAnswerer
from engine.prompts import PromptBundle
from engine.types import Grounding

log = logging.getLogger(__name__)

# Past this many characters without a sentence end, a settled clause may be shown.
LONG_SENTENCE_CHARS = 120
_CLAUSE_END_RE = re.compile(r"[,;:](?=[ \t]+\S)|[ \t][—–](?=[ \t]+\S)|[，；、：](?=\S)")
# The text so far ends with a finished sentence: a word of letters (or "!", "?") and its
# punctuation, then the space the model sent after it; or CJK end punctuation.
_FINISHED_RE = re.compile(
    r"(?:(?<![\w.])(?P<word>[^\W\d_]{3,})\.+|[!?]+)[\"')\]*_”’»]*(?=[ \t]+$)"
    r"|[。！？]+[」』）\"”’]*$"
)
_WAIT_FOR_THE_NEXT_WORD = frozenset({"etc", "misc", "approx"})

StreamedText = TokenEvent | ReplaceEvent


class CheckedStream:
    def __init__(
        self,
        show: Callable[[str], str],
        *,
        settled: Callable[[str], bool],
        prompt_like: Callable[[str], bool],
    ) -> None:
        """`show(raw)`: the checked text of a prefix of the model's text, stripped."""
        self._show = show
        self._settled = settled
        self._prompt_like = prompt_like
        self._raw = ""
        self._cut = 0  # the model's text up to here has been checked
        self._shown = ""
        self._took_back = False

    @property
    def shown(self) -> str:
        """What the events so far show."""
        return self._shown

    def feed(self, delta: str) -> list[StreamedText]:
        self._raw += delta
        cut = self._unit_end()
        if cut is None:
            return []
        self._cut = cut
        return self._offer(self._show(self._raw[:cut]), final=False)

    def restart(self) -> None:
        """Another model answers instead (a fallback): its text starts afresh. What was shown
        stays until `finish` shows the final answer."""
        self._raw = ""
        self._cut = 0

    def finish(self, answer: str) -> list[StreamedText]:
        """`answer`: the checked whole answer, which `done` carries."""
        return self._offer(answer, final=True)

    def _unit_end(self) -> int | None:
        ends = sentence_ends(self._raw, final=False, start=self._cut)
        start = ends[-1] if ends else self._cut
        finished = _FINISHED_RE.search(self._raw, start)
        # The next word may still prove the sentence unfinished ("costs $12.00 at Foo Inc. and
        # the socks [3]…" gives the price to the socks): shown early only when `settled`.
        if (
            finished is not None
            and not _waits(finished.group("word"))
            and self._settled(self._raw[start : finished.end()])
        ):
            return finished.end()
        if ends:
            return ends[-1]
        if len(self._raw) - self._cut < LONG_SENTENCE_CHARS:
            return None
        for clause in reversed(list(_CLAUSE_END_RE.finditer(self._raw, self._cut))):
            if self._settled(self._raw[self._cut : clause.end()]):
                return clause.end()
        return None

    def _offer(self, text: str, *, final: bool) -> list[StreamedText]:
        if text.startswith(self._shown):
            delta = text[len(self._shown) :]
            if not delta or (not final and (self._took_back or self._prompt_like(delta))):
                return []
            self._shown = text
            return [TokenEvent(delta)]
        self._shown = text
        self._took_back = True
        return [ReplaceEvent(text)]


def _waits(word: str | None) -> bool:
    return word is not None and (is_abbreviation(word) or word.lower() in _WAIT_FOR_THE_NEXT_WORD)


@dataclass(slots=True)
class ModelRun:
    """What a model's stream leaves besides the events shown: its text, usage, failure."""

    model: str
    pieces: list[str] = field(default_factory=list)
    usage: StreamUsage | None = None
    failure: StreamFailure | None = None


async def run_model(
    provider: LLMProvider,
    bot: LoadedBot,
    bundle: PromptBundle,
    grounding: Grounding,
    shown: CheckedStream,
    run: ModelRun,
) -> AsyncIterator[AnswerEvent]:
    """The events `shown` makes of the model's text; the text, usage and failure go to `run`."""
    mark_stage("prompt")
    try:
        async for delta in provider.stream(bundle.messages, bot.config.llm, grounding=grounding):
            if isinstance(delta, TextDelta):
                mark_stage("model")
                run.pieces.append(delta.text)
                for event in shown.feed(delta.text):
                    yield event
            elif isinstance(delta, StreamUsage):
                run.usage = delta
            elif isinstance(delta, StreamFailure):
                run.failure = delta
    except AppError as exc:
        # No text came (providers raise only before the first delta): answer from the
        # facts instead, and log for the merchant. The shopper still gets a grounded
        # answer, never a 500.
        log.error("LLM provider %s failed for bot %s: %s", provider.name, bot.bot_id, exc.code)
        run.pieces.clear()
        shown.restart()
        async for delta in OfflineGroundedAnswerer().stream(
            bundle.messages, bot.config.llm, grounding=grounding
        ):
            if isinstance(delta, TextDelta):
                run.pieces.append(delta.text)
                for event in shown.feed(delta.text):
                    yield event
