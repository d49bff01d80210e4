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
    """Tests never read or write the user's cache, except the model cache (slow to rebuild): its
    ``models`` folder is linked into the private one, so the model is converted once per machine."""
    import os

    from tqcheck.cache import cache_dir

    if "TQCHECK_CACHE" in os.environ:
        return
    private = tmp_path_factory.mktemp("cache")
    try:
        (cache_dir() / "models").mkdir(parents=True, exist_ok=True)
        (private / "models").symlink_to(cache_dir() / "models", target_is_directory=True)
    except OSError:
        pass  # no writable user cache: the model is converted into the private one
    os.environ["TQCHECK_CACHE"] = str(private)
