"""The store-sync fixtures (tests/support/sync.py) for every ingestion test. Bound here, not
imported into each test module, so a test's parameters do not shadow an import."""

from __future__ import annotations

from tests.support import sync as sync_support

secret_box = sync_support.secret_box
embedder = sync_support.embedder
fake_store = sync_support.fake_store
fake_store_allowed_by_settings = sync_support.fake_store_allowed_by_settings
