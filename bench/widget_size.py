#!/usr/bin/env python3
"""Size of the built shopper widget (api/static/widget.js) over the wire.

Prints raw, gzip and (if the `brotli` package happens to be installed) brotli
sizes, each as a ratio of the 12 KB gzip goal and of Dify's embed loader
(web/public/embed.min.js, ~8 KB raw; that file only opens an iframe, whose
chat app is downloaded on top of it, while ours is the whole widget).

Usage: python -m bench.widget_size [path/to/widget.js]
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

GOAL_BYTES = 12 * 1024
DIFY_LOADER_BYTES = 8 * 1024
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "api" / "static" / "widget.js"


def sizes(data: bytes) -> list[tuple[str, int]]:
    rows = [("raw", len(data)), ("gzip -9", len(gzip.compress(data, compresslevel=9, mtime=0)))]
    try:
        import brotli  # type: ignore[import-not-found]  # optional, not stdlib
    except ImportError:
        pass
    else:
        rows.append(("brotli q11", len(brotli.compress(data, quality=11))))
    return rows


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    if not path.is_file():
        print(f"{path} not found: run `cd widget && npm ci && npm run build`", file=sys.stderr)
        return 1
    rows = sizes(path.read_bytes())
    print(f"{path.name}")
    print(f"{'encoding':<12}{'bytes':>8}{'KiB':>8}{'vs 12 KB goal':>15}{'vs Dify ~8 KB':>15}")
    for name, n in rows:
        print(
            f"{name:<12}{n:>8}{n / 1024:>8.2f}"
            f"{n / GOAL_BYTES:>14.0%} {n / DIFY_LOADER_BYTES:>14.0%}"
        )
    if not any(name.startswith("brotli") for name, _ in rows):
        print("(brotli: `pip install brotli` to include it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
