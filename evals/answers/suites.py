"""Answer-eval suites: find, check and parse `evals/suites/<name>.jsonl`.

The format is documented by `suite.schema.json` next to this file (JSON Schema of one line).
Loading checks every line against it, then checks the file as a whole for what a schema of
one line cannot express (see `_file_problems`). Nothing half-valid is ever returned: every
problem found is reported at once, each as "<file>:<line>: <path>: <message>" with a JSON
path into the line (`$.turns[1].expect.facts[0].value`), so a broken line is found without
reading the file, and a `ValidationFailed` carries them all.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from core.errors import NotFound, ValidationFailed
from evals.answers.records import (
    Conversation,
    Expectation,
    ExpectedFact,
    FactKind,
    Suite,
    Tag,
    Turn,
)

SUITES_DIR = Path(__file__).resolve().parents[1] / "suites"
# The catalogue files a suite's `catalogue` may name besides the bundled demo store.
CATALOGUES_DIR = SUITES_DIR / "catalogues"
SCHEMA_FILE = Path(__file__).with_name("suite.schema.json")
SUITE_SUFFIX = ".jsonl"
# Enough to see a pattern in a badly broken file without burying the first problem.
MAX_REPORTED = 50

Problem = tuple[int, str, str]  # line number (1-based), JSON path in the line, message
Line = tuple[int, dict[str, Any]]
Parsed = tuple[int, Any, bool]  # line number, the JSON value, whether it matches the schema


@functools.cache
def suite_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(suite_schema())


def list_suites() -> list[str]:
    """The names of the suites in the repository (`evals/suites/*.jsonl`), sorted."""
    return sorted(path.stem for path in SUITES_DIR.glob(f"*{SUITE_SUFFIX}"))


def suite_path(name_or_path: str | Path) -> Path:
    """A bare name ("hetpqa") is a suite in `SUITES_DIR`; anything else is a file path."""
    if isinstance(name_or_path, str) and "/" not in name_or_path and "\\" not in name_or_path:
        if not name_or_path.endswith(SUITE_SUFFIX):
            return SUITES_DIR / f"{name_or_path}{SUITE_SUFFIX}"
    return Path(name_or_path)


def load_suite(name_or_path: str | Path) -> Suite:
    """The suite, parsed; `NotFound` when there is no such file, `ValidationFailed` (listing
    every problem as "<file>:<line>: <path>: <message>") when any line is wrong."""
    path = suite_path(name_or_path)
    if not path.is_file():
        known = ", ".join(list_suites()) or "none"
        raise NotFound(f"no suite file {path} (suites in {SUITES_DIR}: {known})")
    data = path.read_bytes()
    parsed, problems = _read_lines(data)
    if not parsed and not problems:
        problems.append((1, "$", "the file has no conversations (one JSON object per line)"))
    problems += _file_problems(parsed)
    lines = [(number, raw) for number, raw, valid in parsed if valid]
    if problems:
        problems.sort(key=lambda problem: problem[0])
        messages = [f"{path}:{line}: {where}: {message}" for line, where, message in problems]
        shown = messages[:MAX_REPORTED]
        if len(messages) > MAX_REPORTED:
            shown.append(f"{path}: ... and {len(messages) - MAX_REPORTED} more problems")
        raise ValidationFailed("\n".join(shown), problems=shown)
    return Suite(
        name=path.stem.removesuffix(SUITE_SUFFIX),
        catalogue=lines[0][1]["catalogue"],
        conversations=[_conversation(raw) for _, raw in lines],
        fingerprint=hashlib.sha256(data).hexdigest(),
    )


def _read_lines(data: bytes) -> tuple[list[Parsed], list[Problem]]:
    """Every non-blank line that is JSON, parsed and checked against the schema."""
    lines: list[Parsed] = []
    problems: list[Problem] = []
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        try:
            value = json.loads(raw_line.decode("utf-8"), object_pairs_hook=_unique_keys)
        except UnicodeDecodeError as error:
            problems.append((number, "$", f"not UTF-8 ({error.reason} at byte {error.start})"))
            continue
        except ValueError as error:  # json.JSONDecodeError, or a duplicated key
            problems.append((number, "$", f"not valid JSON: {error}"))
            continue
        errors = sorted(
            _validator().iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]
        )
        problems += [(number, json_path(e.absolute_path), e.message) for e in errors]
        lines.append((number, value, not errors))
    return lines, problems


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads keeps the last of two equal keys without a word; a suite line never means
    that (it is a copy-and-paste slip that silently drops an expectation)."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def json_path(parts: Any) -> str:
    """`["turns", 1, "expect"]` -> `$.turns[1].expect`."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _file_problems(parsed: list[Parsed]) -> list[Problem]:
    """What one line's schema cannot express: ids unique within the file and one catalogue
    per file (checked on every line whose id or catalogue is readable, so a line broken
    elsewhere is still compared), and per conversation the rules of `_turn_problems`."""
    problems: list[Problem] = []
    first_line_of: dict[str, int] = {}
    catalogue_line: tuple[int, str] | None = None
    for number, raw, valid in parsed:
        if not isinstance(raw, dict):
            continue
        if isinstance(raw.get("id"), str):
            earlier = first_line_of.setdefault(raw["id"], number)
            if earlier != number:
                message = f"{raw['id']!r} is already the id of line {earlier}"
                problems.append((number, "$.id", message))
        catalogue = raw.get("catalogue")
        if isinstance(catalogue, str) and catalogue_line is None:
            catalogue_line = (number, catalogue)
        elif isinstance(catalogue, str) and catalogue_line and catalogue != catalogue_line[1]:
            message = (
                f"{catalogue!r} differs from {catalogue_line[1]!r} on line {catalogue_line[0]}:"
                " every conversation of a suite uses the same catalogue"
            )
            problems.append((number, "$.catalogue", message))
        if valid:
            problems += [
                (number, where, message) for where, message in _turn_problems(raw["turns"])
            ]
    return problems


def _turn_problems(turns: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Rules within one conversation, all of them things a metric would otherwise silently
    misjudge: a follow-up with nothing before it, a page question without its page,
    contradictory product lists, a fact about a product the conversation never named."""
    listed: set[str] = set()  # products named by this turn's and earlier turns' expectations
    for index, turn in enumerate(turns):
        at = f"$.turns[{index}]"
        tags = turn["tags"]
        page = turn.get("page")
        expect = turn.get("expect") or {}
        if index == 0 and Tag.FOLLOW_UP in tags:
            yield f"{at}.tags", "follow_up on a conversation's first turn (nothing to follow up)"
        if Tag.PAGE_QUESTION in tags and not page:
            yield f"{at}.page", "a page_question turn needs the page it is asked on"
        must = expect.get("products_must") or []
        must_not = expect.get("products_must_not") or []
        relevance = expect.get("relevance") or {}
        for product in must_not:
            if product in must:
                yield f"{at}.expect.products_must_not", f"{product!r} is also in products_must"
            if product in relevance:
                yield (
                    f"{at}.expect.relevance",
                    f"{product!r} is in products_must_not but has a gain",
                )
        if relevance:
            for product in must:
                if product not in relevance:
                    yield (
                        f"{at}.expect.relevance",
                        f"products_must {product!r} has no gain (grade every products_must id,"
                        " or leave relevance out)",
                    )
        listed.update(must, relevance)
        if page:
            listed.add(page["product_id"])
        for number, fact in enumerate(expect.get("facts") or []):
            if fact["product"] not in listed:
                yield (
                    f"{at}.expect.facts[{number}].product",
                    f"{fact['product']!r} is not listed (products_must, relevance or page) in"
                    " this turn or an earlier one of the conversation",
                )


def _conversation(raw: dict[str, Any]) -> Conversation:
    return Conversation(
        id=raw["id"], turns=[_turn(turn) for turn in raw["turns"]], split=raw.get("split")
    )


def _turn(raw: dict[str, Any]) -> Turn:
    page = raw.get("page") or {}
    return Turn(
        message=raw["message"],
        tags=[Tag(tag) for tag in raw["tags"]],
        expect=_expectation(raw.get("expect") or {}),
        page_product=page.get("product_id"),
        page_url=page.get("url"),
    )


def _expectation(raw: dict[str, Any]) -> Expectation:
    return Expectation(
        products_must=list(raw.get("products_must") or []),
        products_must_not=list(raw.get("products_must_not") or []),
        relevance=dict(raw.get("relevance") or {}),
        evidence=list(raw.get("evidence") or []),
        facts=[
            ExpectedFact(kind=FactKind(fact["kind"]), product=fact["product"], value=fact["value"])
            for fact in raw.get("facts") or []
        ],
        refuse=raw.get("refuse"),
        handoff=raw.get("handoff"),
        language=raw.get("language"),
        references=list(raw.get("references") or []),
    )
