"""Consent before storage: a bot may ask the shopper before anything of a conversation is
kept. Without a `true` consent the answer is still given, and nothing is stored: no
conversation, no messages, so no feedback or events can refer to it either.

The widget shows the bot's `consent_text` (or the default below) with Allow / No thanks and
sends the shopper's choice as `consent` with every chat request; `None` (not asked, or an
older widget) counts as no consent.
"""

from __future__ import annotations

CONSENT_TEXT_MAX_CHARS = 500
DEFAULT_CONSENT_TEXT = (
    "May we keep this conversation? It helps us answer better and lets the shop follow up. "
    "If you say no, you still get answers, and nothing you write is stored."
)


def stores_conversation(*, consent_required: bool, consent: bool | None) -> bool:
    """Whether this turn may be stored: always when the bot does not ask, else only with
    the shopper's explicit yes."""
    return not consent_required or consent is True


def consent_text(*, consent_required: bool, configured: str | None) -> str | None:
    """The text the widget shows: the bot's own, else the default; None when the bot does
    not ask for consent."""
    if not consent_required:
        return None
    return configured.strip() if configured and configured.strip() else DEFAULT_CONSENT_TEXT
