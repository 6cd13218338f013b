"""The dashboard's live preview of the widget (`/app/widget-preview/`).

The dashboard is served by the API on its own public origin, which is not on a merchant's
allow-list (and should not have to be): a widget key may open a session from that one origin
for any bot. Such a session is a preview: its visitor id carries the same `preview:` prefix as
the merchant's `POST /v1/bots/{id}/try`, so its conversations stay out of analytics and, by
default, out of the conversation list (dashboard_api.conversations.repository.is_preview).

The widget key is public, so anyone can open a preview session from a page on the API's
origin; only the API's own pages are served there, so this grants a foreign site nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from api.origins import normalise_request_origin
from core.settings import Settings

# The same prefix as dashboard_api.bots.service.PREVIEW_VISITOR_PREFIX (api may not import
# dashboard_api; tests/api/test_session_preview.py checks they agree).
PREVIEW_VISITOR_PREFIX = "preview:"


def preview_origin(settings: Settings) -> str | None:
    """The origin of `settings.public_api_url` (its path dropped), or None when unset."""
    if not settings.public_api_url:
        return None
    parts = urlsplit(str(settings.public_api_url).strip())
    return normalise_request_origin(f"{parts.scheme}://{parts.netloc}")


def is_preview_origin(origin: str | None, settings: Settings) -> bool:
    return origin is not None and origin == preview_origin(settings)


def is_preview_visitor(visitor_id: str | None) -> bool:
    return bool(visitor_id) and str(visitor_id).startswith(PREVIEW_VISITOR_PREFIX)


def as_preview_visitor(visitor_id: str) -> str:
    return visitor_id if is_preview_visitor(visitor_id) else PREVIEW_VISITOR_PREFIX + visitor_id
