"""Merchant knowledge documents (shipping policy, FAQ, size guide) → plain text to embed."""

from __future__ import annotations

import re
from typing import Literal

from core.errors import BadRequest
from ingestion.rendering.html_text import html_to_text, normalize_text, one_line

ContentType = Literal["text", "markdown", "html"]
CONTENT_TYPES: tuple[ContentType, ...] = ("text", "markdown", "html")

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)[*+-]\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HORIZONTAL_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"
)
_STRIKE = re.compile(r"~~(.+?)~~")
_INLINE_CODE = re.compile(r"`([^`]+)`")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def render_knowledge(title: str, body: str, content_type: str) -> str:
    """Plain text starting with the title line (as a product body starts with its name)."""
    if content_type == "text":
        text = normalize_text(body)
    elif content_type == "markdown":
        text = markdown_to_text(body)
    elif content_type == "html":
        text = html_to_text(body)
    else:
        raise BadRequest(
            f"Unsupported content type {content_type!r}: use one of {', '.join(CONTENT_TYPES)}."
        )
    heading = one_line(title)
    if not heading or text.startswith(heading):
        return text
    return f"{heading}\n\n{text}" if text else heading


def markdown_to_text(markdown: str) -> str:
    """Markdown syntax removed, words and line structure kept; code blocks kept verbatim."""
    out: list[str] = []
    in_code = False
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            out.append(line)
            continue
        if _TABLE_RULE.match(line) or _HORIZONTAL_RULE.match(line) or _LINK_DEFINITION.match(line):
            continue
        if _SETEXT_UNDERLINE.match(line) and out and out[-1].strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            out.extend(["", heading.group(1), ""])
            continue
        line = _QUOTE.sub("", line)
        line = _BULLET.sub(r"\1- ", line)
        if line.strip().startswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        out.append(_inline(line))
    text = "\n".join(out)
    if _HTML_TAG.search(text):
        text = html_to_text(text.replace("\n", "<br>"))
    return normalize_text(text)


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REFERENCE_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _INLINE_CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)
    return _STRIKE.sub(r"\1", line)
