"""Where shared test code lives: fixtures reach tests through conftest.py and the root
conftest's `pytest_plugins`, helpers through support modules. No test module imports another
test module, a conftest or a fixture function, and the benches and emulators never import the
tests (the demo ships the emulators; the benches run without the test tree)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_MODULES = (
    "tests.support.database",
    "tests.support.fake_openai",
    "tests.support.fake_stripe",
    "tests.support.sync",
)


def _imported_modules(path: Path) -> Iterator[tuple[str, list[str]]]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            yield module, [alias.name for alias in node.names]


def _fixture_names(module: str) -> set[str]:
    path = ROOT / (module.replace(".", "/") + ".py")
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            "fixture" in ast.unparse(decorator) for decorator in node.decorator_list
        ):
            names.add(node.name)
    return names


def _is_test_module(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def test_no_test_module_imports_a_test_module_a_conftest_or_a_fixture() -> None:
    fixtures = set().union(*(_fixture_names(module) for module in FIXTURE_MODULES))
    offences = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        where = path.relative_to(ROOT)
        for module, names in _imported_modules(path):
            if module.startswith(".") or (module.startswith("tests.") and _is_test_module(module)):
                offences.append(f"{where} imports {module}")
            if module in FIXTURE_MODULES and fixtures & set(names):
                offences.append(f"{where} imports fixtures {sorted(fixtures & set(names))}")
    assert offences == []


def test_the_benches_and_emulators_never_import_the_tests() -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for folder in ("bench", "emulators")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for module, _ in _imported_modules(path)
        if module == "tests" or module.startswith("tests.")
    ]
    assert offences == []


def test_the_root_conftest_registers_the_fixture_modules() -> None:
    conftest = ast.parse((ROOT / "tests" / "conftest.py").read_text())
    plugins = next(
        node.value
        for node in conftest.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets)
    )
    assert tuple(ast.literal_eval(plugins)) == FIXTURE_MODULES
