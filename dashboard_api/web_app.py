"""The merchant web app at `/app/`: the static export of `dashboard_web/` served by the
product itself, on the same origin as the `/v1` API it calls (so its cookies can be
`SameSite=Strict` and its `connect-src` can be `'self'`).

The export is built with `basePath: "/app"` and `trailingSlash: true`: every page is
`<route>/index.html`. So `/app/<route>` redirects to `/app/<route>/` with its query string
(emailed links are `/app/verify-email?token=...`), `/app/<route>/` is that page, a file is
that file, and anything else is the export's `404.html` with status 404. Paths with `..`,
`.`, empty segments or backslashes never reach the file system.

Not a `StaticFiles` mount: its redirects are absolute URLs built from the request's Host
header (links here are never built from it), and the headers below go on every response.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import get_route_path
from starlette.types import Receive, Scope, Send

PREFIX = "/app"
BUILD_COMMAND = "npm --prefix dashboard_web ci && npm --prefix dashboard_web run build"
# Next's static export inlines its bootstrap scripts and styles (no nonces without a
# server), hence 'unsafe-inline' for scripts and styles; everything else is same-origin only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self'; frame-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
NO_CACHE = "no-cache"
# Next puts a content hash in every name under _next/static: a name never changes content.
IMMUTABLE = "public, max-age=31536000, immutable"
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".txt": "text/plain"}

NOT_BUILT_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>This server has no web app export to serve. Build it from the repository root:</p>
<pre><code>{BUILD_COMMAND}</code></pre>
<p>then reload this page (no restart needed). The merchant API under <code>/v1</code>
works without it.</p></body></html>
"""
FALLBACK_404 = "<!doctype html><title>Not found</title><h1>Page not found</h1>\n"


def _media_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _html_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


class WebAppFiles:
    """The ASGI app mounted at `/app` (it sees paths below the mount)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"  # Starlette mounts hand a Mount only http here
        response = self._respond(Request(scope))
        response.headers.update(SECURITY_HEADERS)
        await response(scope, receive, send)

    def _respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response(status_code=405, headers={"Allow": "GET, HEAD"})
        if not (self.directory / "index.html").is_file():
            return HTMLResponse(NOT_BUILT_PAGE, status_code=503, headers={"Retry-After": "60"})
        # Below the mount; `root_path` ends with the mount's "/app" (after any proxy prefix).
        relative = get_route_path(request.scope)
        full_path = request.scope.get("root_path", "") + relative
        segments = relative.strip("/").split("/") if relative.strip("/") else []
        if any(s in ("", ".", "..") or "\\" in s or "\x00" in s for s in segments):
            return self._not_found()
        target = self.directory.joinpath(*segments)
        if not self._inside(target):
            return self._not_found()
        if relative.endswith("/") or not segments:
            return self._file(target / "index.html") or self._not_found()
        if target.is_file():
            return self._file(target) or self._not_found()
        if (target / "index.html").is_file():
            return self._redirect_to_slash(full_path, request.url.query)
        return self._not_found()

    def _inside(self, target: Path) -> bool:
        # Symlinks in the export must not lead out of it either.
        root = os.path.realpath(self.directory)
        return os.path.commonpath([root, os.path.realpath(target)]) == root

    def _file(self, path: Path) -> Response | None:
        if not path.is_file() or not self._inside(path):
            return None
        media_type = _media_type(path)
        under_static = path.is_relative_to(self.directory / "_next" / "static")
        return FileResponse(
            path,
            media_type=_html_type(media_type),
            headers={"Cache-Control": IMMUTABLE if under_static else NO_CACHE},
        )

    def _not_found(self) -> Response:
        page = self.directory / "404.html"
        headers = {"Cache-Control": NO_CACHE}
        if page.is_file() and self._inside(page):
            return FileResponse(
                page, status_code=404, media_type="text/html; charset=utf-8", headers=headers
            )
        return HTMLResponse(FALLBACK_404, status_code=404, headers=headers)

    @staticmethod
    def _redirect_to_slash(path: str, query: str) -> Response:
        # A path-absolute Location (never from the Host header); the query string is kept.
        location = quote(path, safe="/-._~!$&'()*+,;=:@") + "/"
        if query:
            location += f"?{query}"
        return RedirectResponse(location, status_code=308)


def include_web_app(app: FastAPI, directory: Path) -> None:
    """Serve the export in `directory` under `/app/` (`/app` itself redirects there)."""
    files = WebAppFiles(directory)

    async def to_app_root(request: Request) -> Response:
        location = request.scope.get("root_path", "") + f"{PREFIX}/"
        if request.url.query:
            location += f"?{request.url.query}"
        response = RedirectResponse(location, status_code=308)
        response.headers.update(SECURITY_HEADERS)
        return response

    app.router.add_route(PREFIX, to_app_root, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount(PREFIX, files, name="web_app")
