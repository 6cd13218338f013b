"""Cheap heuristics for off-topic requests and prompt injection."""

from __future__ import annotations

import re

_OFF_TOPIC_RE = re.compile(
    r"\b(write|generate|debug|fix|explain)\b.{0,40}\b(code|script|function|program|python|"
    r"javascript|sql|regex|essay|poem|song|story|cover letter|resume)\b"
    r"|\bhomework\b|\bassignment\b|\bsolve (this|the|my|for)\b|\bderivative\b|\bintegral of\b"
    r"|\b(politic\w*|election\w*|vote for|democrats?|republicans?|president|prime minister|"
    r"parliament|abortion|religion)\b"
    r"|\bwho (won|is winning)\b|\bcapital of\b|\bweather (today|tomorrow|forecast)\b"
    r"|\b(stock market|crypto\w*|bitcoin|lottery)\b"
    r"|\btranslate (this|the following)\b|\bmedical advice\b|\blegal advice\b",
    re.IGNORECASE,
)
# Shopping words make an otherwise odd question a store question ("python books in stock?").
_SHOPPING_RE = re.compile(
    r"\b(buy|order|orders|price|prices|cost|ship\w*|deliver\w*|return\w*|refund\w*|stock|size|"
    r"sizes|product\w*|cart|checkout|discount|sale|gift|sell|store|shop)\b",
    re.IGNORECASE,
)


def is_out_of_scope(question: str) -> bool:
    """True for requests clearly unrelated to shopping; cheap and conservative (a false
    "in scope" costs one LLM call, a false "out of scope" turns away a customer)."""
    return bool(_OFF_TOPIC_RE.search(question)) and not _SHOPPING_RE.search(question)


def out_of_scope_reply(store_name: str) -> str:
    return (
        f"I'm here to help with {store_name}'s products, orders and policies, so I can't help "
        "with that one. Is there anything in the store I can help you find?"
    )


# -- prompt injection -----------------------------------------------------------------------

_INJECTION_RE = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(previous|prior|above|earlier|all|"
    r"your|these|the)\b.{0,20}\b(instructions?|rules?|prompts?|directions?|guidelines?)\b"
    r"|\b(reveal|show|print|repeat|tell me|what (is|are))\b.{0,30}\b(system prompt|your "
    r"(instructions|rules|prompt)|hidden (instructions|prompt))\b"
    r"|\byou are now\b|\bfrom now on,? you\b|\bact as (a|an|if)\b|\bpretend (to be|you)\b"
    r"|\b(developer|god|jailbreak|dan) mode\b|\bjailbreak\b|\bnew instructions?\s*:"
    r"|<\|im_(start|end)\|>|\[/?INST\]|<</?SYS>>|</?\s*data\s*>|^\s*(system|assistant)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


def detect_prompt_injection(text: str) -> bool:
    """Flags text that tries to steer the model. Fencing is the defence; this is for
    logging and for refusing obvious attempts early."""
    return bool(_INJECTION_RE.search(text))
