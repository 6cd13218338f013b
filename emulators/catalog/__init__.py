"""Deterministic WooCommerce catalogues in the exact wc/v3 JSON shape, for fakes and tests.

- `generate_catalog(n, seed=…)`: a realistic seeded store across ten categories.
- `load_sample_csv(path)`: WooCommerce's own sample-data CSVs as the same JSON.
"""

from emulators.catalog.categories import CATEGORIES
from emulators.catalog.csv_loader import (
    SAMPLE_DIR,
    SAMPLE_FILES,
    load_all_samples,
    load_sample_csv,
)
from emulators.catalog.descriptions import SCRIPT_MARKER
from emulators.catalog.generator import DEFAULT_SITE_URL, generate_catalog
from emulators.catalog.model import Catalog, slugify
from emulators.catalog.shapes import JsonDict, StoreSettings

__all__ = [
    "CATEGORIES",
    "DEFAULT_SITE_URL",
    "SAMPLE_DIR",
    "SAMPLE_FILES",
    "SCRIPT_MARKER",
    "Catalog",
    "JsonDict",
    "StoreSettings",
    "generate_catalog",
    "load_all_samples",
    "load_sample_csv",
    "slugify",
]
