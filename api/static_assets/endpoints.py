from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.dependencies import RuntimeDep
from api.errors import WidgetUnavailable
from api.static_assets.asset_cache import IDENTITY, WidgetAsset, if_none_match
from core.errors import NotFound

router = APIRouter(tags=["widget"])

SHORT_CACHE = "public, max-age=300"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
JS_MEDIA_TYPE = "text/javascript; charset=utf-8"


def _current(runtime: RuntimeDep) -> WidgetAsset:
    asset = runtime.widget_asset.load()
    if asset is None:
        raise WidgetUnavailable("The widget script has not been built yet.")
    return asset


def _serve(request: Request, asset: WidgetAsset, cache_control: str) -> Response:
    variant = asset.choose(request.headers.get("accept-encoding"))
    headers = {
        "ETag": variant.etag,
        "Cache-Control": cache_control,
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
        # Stores that isolate themselves (COEP) may still load the script from us.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if if_none_match(request.headers.get("if-none-match"), variant.etag):
        return Response(status_code=304, headers=headers)
    if variant.encoding != IDENTITY:
        headers["Content-Encoding"] = variant.encoding
    body = b"" if request.method == "HEAD" else variant.body
    response = Response(content=body, media_type=JS_MEDIA_TYPE, headers=headers)
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(variant.body))
    return response


@router.api_route("/widget.js", methods=["GET", "HEAD"], include_in_schema=False)
async def widget_js(request: Request, runtime: RuntimeDep) -> Response:
    """Public: the embeddable widget (short cache: the snippet's URL never changes)."""
    return _serve(request, _current(runtime), SHORT_CACHE)


@router.api_route("/widget/{digest}.js", methods=["GET", "HEAD"], include_in_schema=False)
async def widget_js_versioned(digest: str, request: Request, runtime: RuntimeDep) -> Response:
    """Public: the widget at a content-addressed URL, cached forever."""
    asset = _current(runtime)
    if digest != asset.digest:
        raise NotFound("No widget script with this version.")
    return _serve(request, asset, IMMUTABLE_CACHE)
