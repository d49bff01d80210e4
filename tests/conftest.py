"""Shared fixtures: paths to the seed and the shared evaluation data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e6414ae541a6d4fd.txt"
SHARED = ROOT.parent / "shared"
DEMETR = SHARED / "data" / "demetr-fr-en-dev.jsonl"


@pytest.fixture(scope="session")
def demetr_rows() -> list[dict]:
    if not DEMETR.exists():
        pytest.skip("../shared/data is not beside this checkout")
    return [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's cache, except the model cache (slow to rebuild)."""
    import os

    os.environ.setdefault("TQCHECK_CACHE", str(tmp_path_factory.mktemp("cache")))
