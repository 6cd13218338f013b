"""Benchmarks, run from the repository root as modules: `python -m bench.retrieval`,
`python -m bench.widget`, `python -m bench.ingest` (each module's docstring says what it
measures). They drive the product through its own packages and the `emulators` (the
WooCommerce store, the paced OpenAI model); they never import the tests.

Importing this package first keeps every bench offline: the bundled MiniLM weights are read
from disk, and no model hub is asked, before any bench module imports the engine.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
