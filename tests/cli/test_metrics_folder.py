"""The folder `shopbot serve --workers N` counts its metrics into (cli.supervisor): made
for the run and removed after it, or the operator's, which is left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from api.metrics import MULTIPROCESS_DIR_ENV
from cli.supervisor import shared_metrics_folder


def test_a_run_gets_its_own_folder_removed_at_its_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MULTIPROCESS_DIR_ENV, raising=False)
    with shared_metrics_folder() as folder:
        assert os.environ[MULTIPROCESS_DIR_ENV] == folder  # what the workers inherit
        (Path(folder) / "counter_123.db").write_bytes(b"counts")
    assert not Path(folder).exists()
    assert MULTIPROCESS_DIR_ENV not in os.environ


def test_the_operators_folder_is_used_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(MULTIPROCESS_DIR_ENV, str(tmp_path))
    with shared_metrics_folder() as folder:
        assert folder == str(tmp_path)
    assert tmp_path.exists() and os.environ[MULTIPROCESS_DIR_ENV] == str(tmp_path)
