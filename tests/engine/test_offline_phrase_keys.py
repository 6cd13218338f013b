"""Every sentence key the offline answerer says exists in the English reference table (a
missing key would fail at answer time, in front of a shopper)."""

from __future__ import annotations

import re
from pathlib import Path

from engine.offline.phrases import en

OFFLINE = Path(__file__).resolve().parents[2] / "engine" / "offline"
_SAID_RE = re.compile(r"\bsay\(\s*[\w.]+,\s*\"(?P<key>[a-z_]+)\"")
_KEY_ARGUMENT_RE = re.compile(r"\b(?:key|[a-z]+_key)\s*=\s*\"(?P<key>[a-z_]+)\"")


def _said_keys() -> set[str]:
    keys: set[str] = set()
    for module in OFFLINE.glob("*.py"):
        text = module.read_text()
        keys |= {m.group("key") for m in _SAID_RE.finditer(text)}
        keys |= {m.group("key") for m in _KEY_ARGUMENT_RE.finditer(text)}
    return keys


def test_every_key_said_is_in_the_english_table() -> None:
    said = _said_keys()
    assert len(said) > 20  # the scan finds the answerer's sentences
    assert not said - set(en.PHRASES), sorted(said - set(en.PHRASES))


def test_the_dimension_labels_are_in_the_english_table() -> None:
    for part in ("length", "width", "height"):
        assert f"dimension_{part}" in en.PHRASES
