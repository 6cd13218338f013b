"""Test harness: the process environment every test runs in (real Redis, no real model
keys), then the shared fixtures as plugins: the database (`tests/support/database.py`), the
OpenAI and Stripe emulators and the WooCommerce sync set-up. Test modules never import fixtures."""

from __future__ import annotations

import os
import warnings

# The process environment for every test, set before any project module reads settings.
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SHOPBOT_SECRET_KEY", "test-signing-key-" + "x" * 32)
os.environ.setdefault("SHOPBOT_ENCRYPTION_KEYS", "kDqHXzvIlP1vc1ZB0cfM9I-2sWHQTaNLjI0gLtu3ZuQ=")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.pop("OPENAI_API_KEY", None)
warnings.filterwarnings("ignore", module="platformdirs")

# Loaded after the environment above is set, so no project module reads settings earlier.
pytest_plugins = [
    "tests.support.database",
    "tests.support.fake_openai",
    "tests.support.fake_stripe",
    "tests.support.sync",
]
