"""Answer-eval suite files: the schema, the loader's checks and errors, and the hetPQA suite
with its store (built by tools/build_hetpqa_suite.py)."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from core.errors import NotFound, ValidationFailed
from emulators.catalog import Catalog
from evals.answers.records import Conversation, Expectation, ExpectedFact, FactKind, Tag, Turn
from evals.answers.suites import (
    CATALOGUES_DIR,
    SUITES_DIR,
    list_suites,
    load_suite,
    suite_schema,
)
from ingestion.rendering.products import render_product
from ingestion.woocommerce.mapping import map_product

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "build_hetpqa_suite.py"
DEMO_CATALOGUE = ROOT / "cli" / "demo" / "catalogue.json.gz"

LINE: dict[str, Any] = {
    "id": "shop-001",
    "catalogue": "demo",
    "split": None,
    "turns": [
        {
            "message": "Do you sell a cast iron skillet?",
            "tags": ["search"],
            "page": None,
            "expect": {
                "products_must": ["106"],
                "products_must_not": ["107"],
                "relevance": {"106": 2},
                "evidence": ["Cast Iron Skillet"],
                "facts": [{"kind": "price", "product": "106", "value": "142.99"}],
                "refuse": False,
                "handoff": None,
                "language": "en",
                "references": ["Yes: the Nordkap Cast Iron Skillet costs $142.99."],
            },
        },
        {
            "message": "Does it come in green?",
            "tags": ["follow_up", "variant"],
            "page": {"product_id": "106", "url": "http://store.example/p/106"},
            "expect": {"facts": [{"kind": "variant", "product": "106", "value": "Sage"}]},
        },
    ],
}


def _write(tmp_path: Path, *lines: dict[str, Any] | str) -> Path:
    path = tmp_path / "suite.jsonl"
    text = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def _line(conversation_id: str = "shop-002", **changes: Any) -> dict[str, Any]:
    line = copy.deepcopy(LINE)
    line["id"] = conversation_id
    line.update(changes)
    return line


def _load(path: Path) -> Catalog:
    return Catalog.from_json(json.loads(gzip.decompress(path.read_bytes())))


def _documented(node: Any, where: str = "$") -> list[str]:
    """Paths of declared schema properties without a description (the if/then pairs only
    refine properties declared elsewhere)."""
    missing: list[str] = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if "description" not in sub:
                missing.append(f"{where}.{name}")
        for key, sub in node.items():
            if key not in ("if", "then"):
                missing += _documented(sub, f"{where}.{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            missing += _documented(sub, f"{where}[{index}]")
    return missing


def test_the_schema_is_draft_2020_12_documented_and_matches_the_records() -> None:
    schema = suite_schema()
    Draft202012Validator.check_schema(schema)
    assert _documented(schema) == []
    turn = schema["$defs"]["turn"]
    assert turn["properties"]["tags"]["items"]["enum"] == [tag.value for tag in Tag]
    fact = schema["$defs"]["fact"]
    assert fact["properties"]["kind"]["enum"] == [kind.value for kind in FactKind]
    expect_keys = set(turn["properties"]["expect"]["properties"])
    assert expect_keys == set(Expectation.__dataclass_fields__)


@pytest.mark.parametrize("name", list_suites())
def test_every_committed_suite_is_valid(name: str) -> None:
    path = SUITES_DIR / f"{name}.jsonl"
    validator = Draft202012Validator(suite_schema())
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        errors = [e.message for e in validator.iter_errors(json.loads(line))]
        assert errors == [], f"{path}:{number}"
    suite = load_suite(name)
    assert suite.name == name
    assert len(suite.conversations) == len(lines)
    assert suite.fingerprint == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_line_parses_into_the_records(tmp_path: Path) -> None:
    path = _write(tmp_path, LINE, "", _line(split="test"))
    suite = load_suite(path)
    assert (suite.name, suite.catalogue) == ("suite", "demo")
    first, second = suite.conversations
    assert first == Conversation(
        id="shop-001",
        split=None,
        turns=[
            Turn(
                message="Do you sell a cast iron skillet?",
                tags=[Tag.SEARCH],
                expect=Expectation(
                    products_must=["106"],
                    products_must_not=["107"],
                    relevance={"106": 2},
                    evidence=["Cast Iron Skillet"],
                    facts=[ExpectedFact(FactKind.PRICE, "106", "142.99")],
                    refuse=False,
                    handoff=None,
                    language="en",
                    references=["Yes: the Nordkap Cast Iron Skillet costs $142.99."],
                ),
            ),
            Turn(
                message="Does it come in green?",
                tags=[Tag.FOLLOW_UP, Tag.VARIANT],
                expect=Expectation(facts=[ExpectedFact(FactKind.VARIANT, "106", "Sage")]),
                page_product="106",
                page_url="http://store.example/p/106",
            ),
        ],
    )
    assert second.split == "test"
    assert second.turns == first.turns


def test_a_bare_name_is_a_suite_of_the_repository_and_a_missing_one_is_not_found() -> None:
    assert "hetpqa" in list_suites()
    assert load_suite("hetpqa") == load_suite(SUITES_DIR / "hetpqa.jsonl")
    with pytest.raises(NotFound, match="no-such-suite"):
        load_suite("no-such-suite")


def _broken(key: str, value: Any, turn: int = 0) -> dict[str, Any]:
    line = _line()
    if key.startswith("expect."):
        line["turns"][turn]["expect"][key.removeprefix("expect.")] = value
    elif key.startswith("turn."):
        line["turns"][turn][key.removeprefix("turn.")] = value
    else:
        line[key] = value
    return line


BREAKAGES = [
    ("not JSON", '{"id": "shop-002", "turns": [', "$", "not valid JSON"),
    ("a key twice", '{"id": "a", "id": "b"}', "$", "the key 'id' appears twice"),
    ("unknown key", _broken("colour", "red"), "$", "'colour' was unexpected"),
    ("no turns", _broken("turns", []), "$.turns", "should be non-empty"),
    ("empty id", _broken("id", ""), "$.id", "should be non-empty"),
    ("unknown tag", _broken("turn.tags", ["gossip"]), "$.turns[0].tags[0]", "'gossip' is not one"),
    ("unknown split", _broken("split", "dev"), "$.split", "'dev' is not one of"),
    (
        "price format",
        _broken("expect.facts", [{"kind": "price", "product": "106", "value": "12.5"}]),
        "$.turns[0].expect.facts[0].value",
        "'12.5' does not match",
    ),
    (
        "stock value",
        _broken("expect.facts", [{"kind": "stock", "product": "106", "value": "plenty"}]),
        "$.turns[0].expect.facts[0].value",
        "'plenty' is not one of",
    ),
    ("language", _broken("expect.language", "eng"), "$.turns[0].expect.language", "'eng'"),
    ("gain", _broken("expect.relevance", {"106": 4}), "$.turns[0].expect.relevance.106", "4 is"),
    ("page id", _broken("turn.page", {"url": "x"}), "$.turns[0].page", "'product_id' is a req"),
    ("duplicate id", _line("shop-001"), "$.id", "'shop-001' is already the id of line 1"),
    ("catalogue", _line(catalogue="hetpqa"), "$.catalogue", "'hetpqa' differs from 'demo'"),
    (
        "follow-up first",
        _broken("turn.tags", ["follow_up"]),
        "$.turns[0].tags",
        "follow_up on a conversation's first turn",
    ),
    (
        "page question without a page",
        _broken("turn.tags", ["page_question"]),
        "$.turns[0].page",
        "a page_question turn needs the page",
    ),
    (
        "fact about an unlisted product",
        _broken("expect.facts", [{"kind": "stock", "product": "999", "value": "in_stock"}]),
        "$.turns[0].expect.facts[0].product",
        "'999' is not listed",
    ),
    (
        "must and must not",
        _broken("expect.products_must_not", ["106"]),
        "$.turns[0].expect.products_must_not",
        "'106' is also in products_must",
    ),
    (
        "must without a gain",
        _broken("expect.relevance", {"105": 3}),
        "$.turns[0].expect.relevance",
        "products_must '106' has no gain",
    ),
]


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [case[1:] for case in BREAKAGES],
    ids=[case[0] for case in BREAKAGES],
)
def test_a_broken_line_is_reported_with_file_line_and_path(
    tmp_path: Path, line: dict[str, Any] | str, where: str, message: str
) -> None:
    path = _write(tmp_path, LINE, line)
    with pytest.raises(ValidationFailed) as raised:
        load_suite(path)
    detail = raised.value.detail
    assert f"{path}:2: {where}: " in detail
    assert message in detail
    assert f"{path}:1:" not in detail  # the valid line is not blamed
    assert raised.value.extra["problems"] == detail.splitlines()


def test_every_broken_line_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _broken("split", "dev"), LINE, "[1, 2]", _broken("expect.language", "EN", 1)
    )
    with pytest.raises(ValidationFailed) as raised:
        load_suite(path)
    assert raised.value.detail.splitlines() == [
        f"{path}:1: $.split: 'dev' is not one of ['train', 'test', None]",
        f"{path}:3: $: [1, 2] is not of type 'object'",
        f"{path}:4: $.turns[1].expect.language: 'EN' does not match '^[a-z]{{2}}$'",
        # lines broken elsewhere are still compared with each other
        f"{path}:4: $.id: 'shop-002' is already the id of line 1",
    ]


def test_an_empty_file_is_not_a_suite(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    with pytest.raises(ValidationFailed, match="no conversations"):
        load_suite(path)


def test_the_tool_rebuilds_the_committed_hetpqa_files_byte_for_byte(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(TOOL), "--out", str(tmp_path)],
        cwd=tmp_path,  # the tool finds its checkout from its own path
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in ("hetpqa.jsonl", "catalogues/hetpqa.json.gz"):
        assert (tmp_path / name).read_bytes() == (SUITES_DIR / name).read_bytes(), name


def test_the_hetpqa_suite_asks_every_dev_question_on_its_page() -> None:
    suite = load_suite("hetpqa")
    assert suite.catalogue == "hetpqa"
    assert len(suite.conversations) == 395  # distinct (ASIN, question) of 398 rows
    splits = [c.split for c in suite.conversations]
    assert (splits.count("train"), splits.count("test")) == (198, 197)
    for conversation in suite.conversations:
        (turn,) = conversation.turns
        assert turn.tags == [Tag.PAGE_QUESTION] and turn.page_product
        assert turn.expect.references and turn.expect.language == "en"
        assert turn.expect.evidence and all(len(e) <= 120 for e in turn.expect.evidence)
    licence = (SUITES_DIR / "hetpqa-LICENSE.txt").read_text()
    assert "Community Data License Agreement" in licence and "Sharing" in licence
    attribution = (SUITES_DIR / "hetpqa-ATTRIBUTION.txt").read_text()
    assert "amazon-science/contextual-product-qa" in attribution


def test_the_hetpqa_store_loads_and_holds_every_evidence_span_as_the_sync_renders_it() -> None:
    catalog = _load(CATALOGUES_DIR / "hetpqa.json.gz")
    demo = _load(DEMO_CATALOGUE)
    demo_keys = {frozenset(p) for p in demo.products if p["type"] == "simple"}
    assert {frozenset(p) for p in catalog.products} == demo_keys
    assert len(catalog.products) == 258
    assert all(p["status"] == "publish" and p["type"] == "simple" for p in catalog.products)
    assert catalog.categories[0]["count"] == len(catalog.products)
    bodies = {
        str(p["id"]): " ".join(render_product(map_product(p, currency="USD")).body.split())
        for p in catalog.products
    }
    assert len(bodies) == len(catalog.products)
    for conversation in load_suite("hetpqa").conversations:
        turn = conversation.turns[0]
        assert turn.page_product is not None
        body = bodies[turn.page_product].lower()
        for evidence in turn.expect.evidence:
            assert " ".join(evidence.lower().split()) in body, (conversation.id, evidence)
