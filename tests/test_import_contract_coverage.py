"""The import-linter contracts that are lists of packages cover every package they mean to.

A forbidden contract names modules one by one, so a package added later (engine.offline,
web) is silently outside it. These tests derive the lists the contracts should hold from
the tree and from `root_packages`, and fail when a contract falls behind.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# What ingestion may use from the engine (embedding and model I/O plumbing only).
INGESTION_MAY_USE = {"engine.embeddings", "engine.model_io"}


def _import_linter() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    section: dict[str, Any] = config["tool"]["importlinter"]
    return section


def _contract(starting: str) -> dict[str, Any]:
    contracts: list[dict[str, Any]] = _import_linter()["contracts"]
    return next(c for c in contracts if c["name"].startswith(starting))


def _engine_modules() -> set[str]:
    engine = ROOT / "engine"
    packages = {f"engine.{p.name}" for p in engine.iterdir() if (p / "__init__.py").is_file()}
    modules = {f"engine.{p.stem}" for p in engine.glob("*.py") if p.stem != "__init__"}
    return packages | modules


def test_ingestion_is_kept_from_every_engine_module_but_embeddings_and_model_io() -> None:
    contract = _contract("Ingestion uses only engine.embeddings and engine.model_io")
    assert contract["source_modules"] == ["ingestion"]
    missing = _engine_modules() - INGESTION_MAY_USE - set(contract["forbidden_modules"])
    assert not missing, f"add to the contract's forbidden_modules: {sorted(missing)}"


def test_the_emulators_import_no_product_package() -> None:
    products = set(_import_linter()["root_packages"]) - {"emulators"}
    contract = _contract("The emulators stand in for outside services")
    assert contract["source_modules"] == ["emulators"]
    missing = products - set(contract["forbidden_modules"])
    assert not missing, f"add to the contract's forbidden_modules: {sorted(missing)}"


def test_no_product_package_but_cli_imports_the_emulators() -> None:
    products = set(_import_linter()["root_packages"]) - {"emulators", "cli"}
    contract = _contract("Among the product packages only cli (the demo) uses the emulators")
    assert contract["forbidden_modules"] == ["emulators"]
    missing = products - set(contract["source_modules"])
    assert not missing, f"add to the contract's source_modules: {sorted(missing)}"
