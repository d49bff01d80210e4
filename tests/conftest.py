"""Shared fixtures: paths to the seed and the vendored evaluation data (tests/data: no test reads
../shared, which a user's clone does not have)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e6414ae541a6d4fd.txt"
DATA = ROOT / "tests" / "data"
#: DEMETR French→English development pairs (MIT, tests/data/DEMETR-LICENSE.txt).
DEMETR = DATA / "demetr-fr-en-dev.jsonl"
#: The official SARIF 2.1.0 JSON schema (OASIS).
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="session")
def demetr_rows() -> list[dict]:
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


#: Fixtures that load a fluency model: a test that asks for one is marked ``model``.
MODEL_FIXTURES = {"lm", "gemma"}
#: What a test's ``skipif`` reason names when it needs the model packages or Chromium.
MODEL_REASONS = ("model packages", "tqcheck[multilingual]")
BROWSER_REASONS = ("chromium",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests ``model``, ``browser`` and ``slow`` (pyproject) from what they declare, so that
    ``-m 'not slow'`` runs the quick core anywhere without a list of files to keep up to date: a
    test needs the model when it uses a model fixture or skips without the model packages, Chromium
    when it skips without it; loading either takes seconds, so both are ``slow`` too."""
    for item in items:
        reasons = " ".join(str(mark.kwargs.get("reason", "")) for mark in item.iter_markers("skipif")).lower()
        needs_model = bool(set(getattr(item, "fixturenames", ())) & MODEL_FIXTURES) or any(
            r in reasons for r in MODEL_REASONS)
        needs_browser = any(r in reasons for r in BROWSER_REASONS)
        if needs_model:
            item.add_marker(pytest.mark.model)
        if needs_browser:
            item.add_marker(pytest.mark.browser)
        if needs_model or needs_browser:
            item.add_marker(pytest.mark.slow)
