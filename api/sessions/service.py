"""Opening a widget session: the bot's public face plus a signed, origin-bound token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from api.errors import OriginNotAllowed
from api.rate_limit import RateLimiter, limits_for_bot
from api.sessions import repository
from api.sessions.auth import WidgetKeyGrant
from api.sessions.preview import as_preview_visitor
from api.sessions.schemas import PublicBot, SessionCreated, WidgetTheme
from api.sessions.tokens import SessionTokens, new_visitor_id
from core.db.database import Database
from core.privacy.consent import consent_text

# Colours are drawn by the widget, which parses them again; this only keeps markup and
# url(...) tricks out of what we hand to the page.
_SAFE_COLOUR = re.compile(r"^[#a-zA-Z0-9(),.%\s-]{1,64}$")
# How long after expiry a token may still hand its visitor id to a new session.
RENEWAL_WINDOW = timedelta(hours=24)


def public_theme(theme: dict[str, Any]) -> WidgetTheme:
    """Only the four keys the widget reads, each checked: the theme JSON may hold more."""
    colour = theme.get("primary_color")
    title = theme.get("title")
    avatar = theme.get("avatar_url")
    return WidgetTheme(
        primary_color=colour if isinstance(colour, str) and _SAFE_COLOUR.match(colour) else None,
        position="left" if theme.get("position") == "left" else "right",
        title=title.strip()[:120] if isinstance(title, str) and title.strip() else None,
        avatar_url=avatar
        if isinstance(avatar, str)
        and avatar.startswith(("https://", "http://"))
        and len(avatar) <= 1000
        else None,
    )


def renewed_visitor(
    tokens: SessionTokens, grant: WidgetKeyGrant, previous_token: str | None
) -> str | None:
    """The visitor id of an authentic earlier session of the same bot and origin."""
    if not previous_token:
        return None
    claims = tokens.verify_ignoring_expiry(previous_token)
    if (
        claims is None
        or (claims.tenant_id, claims.bot_id, claims.origin)
        != (grant.tenant_id, grant.bot_id, grant.origin)
        or datetime.now(UTC) - claims.expires_at > RENEWAL_WINDOW
    ):
        return None
    return claims.visitor_id


async def open_session(
    db: Database,
    tokens: SessionTokens,
    limiter: RateLimiter,
    grant: WidgetKeyGrant,
    client_address: str,
    previous_token: str | None = None,
) -> SessionCreated:
    """Takes the Database, not a session: the bot is read in its own short transaction, which
    ends before the rate limiter's Redis round trip; nothing is written."""
    async with db.tenant_session(grant.tenant_id) as session:
        bot = await repository.get_public_bot(session, grant.tenant_id, grant.bot_id)
    if bot is None:  # deactivated between the lookup and now
        raise OriginNotAllowed("This widget is not enabled for this site.")
    limits = limits_for_bot(bot.rate_limits, ceiling=bot.rate_ceiling, label=f"bot {grant.bot_id}")
    await limiter.enforce(
        "session_create", f"{grant.bot_id}:{client_address}", limits["session_create"]
    )
    visitor_id = renewed_visitor(tokens, grant, previous_token)
    if grant.preview:  # kept out of analytics and the conversation list, like /try
        visitor_id = as_preview_visitor(visitor_id or new_visitor_id())
    token, claims = tokens.issue(
        tenant_id=grant.tenant_id,
        bot_id=grant.bot_id,
        origin=grant.origin,
        visitor_id=visitor_id,
    )
    return SessionCreated(
        session_token=token,
        expires_at=claims.expires_at,
        bot=PublicBot(
            name=bot.name,
            greeting=bot.greeting,
            theme=public_theme(bot.theme),
            consent_required=bot.consent_required,
            consent_text=consent_text(
                consent_required=bot.consent_required, configured=bot.consent_text
            ),
        ),
    )
