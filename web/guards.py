"""The request guards every route of the process has, whichever app it belongs to."""

from __future__ import annotations

from fastapi import FastAPI

from web.body_limit import BodySizeLimitMiddleware
from web.errors import UnhandledErrorMiddleware
from web.text_input import TextInputGuardMiddleware


def install_request_guards(app: FastAPI) -> None:
    """Innermost first: the catch-all 503/500, the NUL/surrogate check, the body limit
    (which hands the check a bounded body)."""
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(TextInputGuardMiddleware)
    app.add_middleware(BodySizeLimitMiddleware)
