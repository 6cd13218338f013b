"""HTML (as WooCommerce stores it) → clean plain text, with the standard library only.

Block elements become line breaks and list items "- " bullets, so the text keeps the
structure a sentence splitter needs. `<script>`, `<style>` and friends are dropped with
their contents (page builders paste tracking code into descriptions). Entities are decoded,
whitespace normalised, and page-builder shortcodes (`[caption]…[/caption]`, `[vc_row]`)
removed while their inner text is kept.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    }
)
DROP_CONTENT_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object", "head", "canvas"}
)
_SHORTCODE = re.compile(
    r"\[/?(?:caption|gallery|embed|video|audio|playlist|(?:vc|et_pb|fusion|su|av|wpb|elementor)_[a-z0-9_]+)"
    r"(?:\s[^\]]*)?/?\]",
    re.IGNORECASE,
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"), None)
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT_TAGS:
            self._dropping += 1  # a self-closing <svg/> goes to handle_startendtag instead
            return
        if self._dropping:
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in BLOCK_TAGS:
            self.parts.append(
                "\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table") else "\n"
            )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self._dropping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT_TAGS:
            self._dropping = max(0, self._dropping - 1)
            return
        if (
            not self._dropping and tag in BLOCK_TAGS and tag != "li"
        ):  # the next <li> starts its own line
            self.parts.append(
                "\n\n"
                if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol")
                else "\n"
            )

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(_SHORTCODE.sub(" ", html))
    extractor.close()
    return normalize_text("".join(extractor.parts))


def normalize_text(text: str) -> str:
    """NFC, no invisible characters, single spaces, at most one blank line between blocks."""
    text = (
        unicodedata.normalize("NFC", text)
        .translate(_INVISIBLE)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
    )
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str) -> str:
    return " ".join(text.split())
