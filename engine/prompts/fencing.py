"""Fencing untrusted text (shopper messages, catalogue and document text) as data.

Everything a shopper or a product description says is wrapped in <data>…</data>; the system
prompt tells the model that fenced text is data, never instructions. That only holds if the
fenced text cannot close the fence itself, so any fence tag inside it is neutralised, as are
chat-template control tokens that some OpenAI-compatible servers would interpret.
"""

from __future__ import annotations

import re

FENCE_OPEN = "<data>"
FENCE_CLOSE = "</data>"

# "<data>", "</ data >", "&lt;/data&gt;", "<DATA attr>"... anything a model could read as our tag.
_FENCE_TAG_RE = re.compile(r"(?:<|&lt;|＜)\s*/?\s*data\b[^>]*?(?:>|&gt;|＞)", re.IGNORECASE)
# ChatML / Llama control tokens: inert for OpenAI, but not for every compatible server.
_CONTROL_TOKEN_RE = re.compile(r"<\|[^|<>]{1,40}\|>|\[/?INST\]|<</?SYS>>")
# Zero-width and bidi characters can hide a fence tag from the regex above ("<\u200b/data>").
_INVISIBLE_RE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)


def _defang_fence_tag(match: re.Match[str]) -> str:
    inner = re.sub(r"^(?:<|&lt;|＜)|(?:>|&gt;|＞)$", "", match.group(0), flags=re.IGNORECASE)
    return f"‹{inner}›"


_CONTROL_LOOKALIKES = str.maketrans({"|": "¦", "[": "(", "]": ")", "<": "‹", ">": "›"})


def _defang_control_token(match: re.Match[str]) -> str:
    return match.group(0).translate(_CONTROL_LOOKALIKES)


def neutralise(text: str) -> str:
    """Make text safe to place inside a fence (idempotent)."""
    text = _INVISIBLE_RE.sub("", text)
    text = _FENCE_TAG_RE.sub(_defang_fence_tag, text)
    return _CONTROL_TOKEN_RE.sub(_defang_control_token, text)


def fence(text: str) -> str:
    return f"{FENCE_OPEN}\n{neutralise(text)}\n{FENCE_CLOSE}"
