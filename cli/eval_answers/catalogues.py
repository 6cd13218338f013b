"""The stores a suite's `catalogue` names, as WooCommerce emulators the real sync reads.

"demo": the bundled 300-product store of `shopbot demo` (cli/demo/catalogue.json.gz, with
its policies and support address); "hetpqa": evals/suites/catalogues/hetpqa.json.gz, a
catalogue file in the same layout.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cli.asgi import REPOSITORY_ROOT
from cli.demo.setup import RETURNS_POLICY, SHIPPING_POLICY
from cli.demo.store import (
    CATALOGUE_FILE,
    DEMO_CONSUMER_KEY,
    DEMO_CONSUMER_SECRET,
    load_catalogue,
)
from core.errors import ConfigurationError
from emulators.catalog import Catalog
from emulators.woocommerce import FakeWooStore

HETPQA_CATALOGUE_FILE = REPOSITORY_ROOT / "evals" / "suites" / "catalogues" / "hetpqa.json.gz"


@dataclass(frozen=True, slots=True)
class StorePolicies:
    """What the business tells the bot (the tenant's profile)."""

    website: str | None = None
    support_email: str | None = None
    shipping_policy: str | None = None
    returns_policy: str | None = None


@dataclass(frozen=True, slots=True)
class EvalCatalogue:
    name: str
    path: Path
    policies: StorePolicies

    @property
    def fingerprint(self) -> str:
        """sha256 of the catalogue file: a changed catalogue is a new eval tenant."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def load(self) -> Catalog:
        if self.name == "demo":
            return load_catalogue()  # in dollars, as the demo storefront shows it
        return Catalog.from_json(json.loads(gzip.decompress(self.path.read_bytes())))

    def store(self) -> FakeWooStore:
        """The store emulator (not started), with the demo's key pair."""
        return FakeWooStore(
            self.load(), consumer_key=DEMO_CONSUMER_KEY, consumer_secret=DEMO_CONSUMER_SECRET
        )


CATALOGUES = {
    "demo": EvalCatalogue(
        "demo",
        CATALOGUE_FILE,
        StorePolicies(
            website="https://demo-outfitters.example.com",
            support_email="help@demo-outfitters.example.com",
            shipping_policy=SHIPPING_POLICY,
            returns_policy=RETURNS_POLICY,
        ),
    ),
    "hetpqa": EvalCatalogue("hetpqa", HETPQA_CATALOGUE_FILE, StorePolicies()),
}


def eval_catalogue(name: str) -> EvalCatalogue:
    found = CATALOGUES.get(name)
    if found is None:
        raise ConfigurationError(
            f"unknown catalogue {name!r}; available: {', '.join(sorted(CATALOGUES))}"
        )
    if not found.path.is_file():
        raise ConfigurationError(f"the {name} catalogue file {found.path} is missing")
    return found
