"""widget.js, read and compressed once: identity, gzip and (when the `brotli` package is
installed) br variants, each with its own strong ETag derived from the content hash.

If the file is not built yet the cache stays empty and is looked at again on the next
request, so a build that lands after start-up is served without a restart.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

try:  # optional: brotli is not a dependency of the project
    import brotli as _brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    _brotli = None

IDENTITY = "identity"
DIGEST_LENGTH = 16


@dataclass(frozen=True, slots=True)
class Variant:
    body: bytes
    etag: str
    encoding: str  # identity | gzip | br


@dataclass(frozen=True, slots=True)
class WidgetAsset:
    digest: str  # a prefix of the content's sha256, used in the immutable URL
    variants: dict[str, Variant]

    def choose(self, accept_encoding: str | None) -> Variant:
        return self.variants[choose_encoding(accept_encoding, self.variants)]


def build_asset(content: bytes) -> WidgetAsset:
    digest = hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]
    variants = {IDENTITY: Variant(content, f'"{digest}"', IDENTITY)}
    # mtime=0: the same input always yields the same bytes (and the same ETag).
    gz = gzip.compress(content, compresslevel=9, mtime=0)
    if len(gz) < len(content):
        variants["gzip"] = Variant(gz, f'"{digest}-gzip"', "gzip")
    if _brotli is not None:
        br = _brotli.compress(content)
        if len(br) < len(content):
            variants["br"] = Variant(br, f'"{digest}-br"', "br")
    return WidgetAsset(digest=digest, variants=variants)


def choose_encoding(accept_encoding: str | None, available: dict[str, Variant]) -> str:
    """The best coding the client accepts (br over gzip), identity otherwise."""
    weights: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name] = q
    for coding in ("br", "gzip"):
        if coding in available and weights.get(coding, weights.get("*", 0.0)) > 0:
            return coding
    return IDENTITY


def if_none_match(header: str | None, etag: str) -> bool:
    """Weak comparison, as RFC 9110 prescribes for If-None-Match."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


class WidgetAssetCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._asset: WidgetAsset | None = None

    def load(self) -> WidgetAsset | None:
        if self._asset is None:
            try:
                content = self.path.read_bytes()
            except OSError:
                return None
            self._asset = build_asset(content)
            logger.info("widget.js loaded from %s (%s)", self.path, self._asset.digest)
        return self._asset
