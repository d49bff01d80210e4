"""What a scan builds at start is kept in the cache, and what it reads back is what it would build:
the case table of the rule guards, langdetect's profile tables, the word-frequency table's key.
A rules-only scan imports nothing it does not use (importlib.metadata)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tqcheck.langs import frequency, identify
from tqcheck.rules import prefilter

from .conftest import ROOT, SEED


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TQCHECK_CACHE", str(tmp_path))
    prefilter._upper_cases.cache_clear()
    identify._factory.cache_clear()
    yield tmp_path
    prefilter._upper_cases.cache_clear()
    identify._factory.cache_clear()


def test_upper_case_table_is_cached_and_read_back_the_same(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    built = prefilter._upper_cases()
    assert built[ord("k")] == [ord("K"), 0x212A]  # the Kelvin sign lower-cases to k too
    assert len(list(own_cache.glob("uppercases-*.marshal"))) == 1
    prefilter._upper_cases.cache_clear()
    monkeypatch.setattr(prefilter, "_all_upper_cases", lambda: pytest.fail("built again"))
    assert prefilter._upper_cases() == built


def test_langdetect_tables_are_cached_and_detect_the_same(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    from langdetect.detector_factory import DetectorFactory

    text = SEED.read_text(encoding="utf-8")[:2000]
    first = identify.detect(text)
    built = identify._factory(identify.known_codes())
    assert len(list(own_cache.glob("langdetect-*.marshal"))) == 1
    identify._factory.cache_clear()
    monkeypatch.setattr(DetectorFactory, "load_json_profile", lambda *a: pytest.fail("parsed again"))
    read = identify._factory(identify.known_codes())
    assert (read.word_lang_prob_map, read.langlist, read.seed) == (built.word_lang_prob_map, built.langlist, 0)
    assert identify.detect(text) == first and first[0] == "en"


def test_word_table_key_follows_the_installed_wordfreq(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import importlib.util

    stamp = frequency._wordfreq_stamp()
    assert stamp == frequency._wordfreq_stamp()
    fake = tmp_path / "wordfreq" / "__init__.py"
    fake.parent.mkdir()
    fake.write_text("# another wordfreq\n")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: importlib.util.spec_from_file_location(name, fake))
    assert frequency._wordfreq_stamp() != stamp


def test_rules_only_scan_does_not_import_importlib_metadata():
    """importlib.metadata costs 0.04 s of CPU to import, a tenth of a rules-only scan."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "tqcheck", "scan", "--no-model", str(SEED)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert proc.returncode == 1 and "tqcheck.pipeline" in imported
    assert "importlib.metadata" not in imported


def test_words_read_ahead_are_read_in_one_go_with_the_same_frequencies():
    """A document's words announced to a language's table are read at its next lookup, all at
    once, and give the frequencies a word-by-word read gives (0.0 for a word the list lacks)."""
    from tqcheck.langs import frequency

    words = ["the", "minister", "sortie", "xqzvw", "année"]
    one_by_one = {w: frequency._zipf_lookup("fr")(w) for w in words}
    held = frequency._held["fr"]
    for w in [*words[1:], "de"]:  # as if never read, whatever other tests read before
        held.pop(w, None)
    frequency.read_ahead(words[1:], "fr")
    frequency._zipf_lookup("fr")("de")  # the next lookup that reaches the table reads them all
    assert set(words[1:]) <= set(held)
    assert {w: frequency._zipf_lookup("fr")(w) for w in words} == one_by_one
    assert one_by_one["xqzvw"] == 0.0 and one_by_one["année"] > 3


def test_patterns_compiled_alone_are_kept_between_runs_and_match_the_same(own_cache: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """A rule's keys and context conditions are compiled from the programs a run before stored
    (Python's regex compiler on the keys an article reaches is a tenth of its scan)."""
    from tqcheck.rules import compiled

    patterns = [r"(?<![\w])(?:colou?r)(?![\w])", r"(?i:the (?:council|summit))", r"x+y"]
    first = compiled._Programs()
    built = [first.compile(p) for p in patterns]
    first.save()
    monkeypatch.setattr(compiled, "_parse", lambda *a: pytest.fail("compiled again"))
    again = compiled._Programs()
    for pattern, before in zip(patterns, built):
        after = again.compile(pattern)
        for text in ("a colour", "colorful", "The Summit", "x" * 3000 + "y"):
            assert [m.span() for m in after.finditer(text)] == [m.span() for m in before.finditer(text)]
    capped = again.compile(r"x+y").search("x" * 3000 + "y")  # the caps hold: a leading run in pieces
    assert capped is not None and capped.span() == (3000 - compiled.MAX_LEADING, 3001)


def test_a_damaged_program_store_is_compiled_again(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    from tqcheck.cache import write_marshal
    from tqcheck.rules import compiled

    write_marshal(compiled._STORE, {"colou?r": (0, b"\x01\x02", 0, {}, ())})
    monkeypatch.setattr(compiled, "_PROGRAMS", compiled._Programs())
    assert compiled.compile_stored("colou?r").search("a color").span() == (2, 7)


def test_the_program_store_keeps_the_most_recently_added(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    from tqcheck.cache import read_marshal
    from tqcheck.rules import compiled

    monkeypatch.setattr(compiled, "MAX_STORED", 3)
    programs = compiled._Programs()
    for n in range(5):
        programs.compile(f"word{n}")
    programs.save()
    assert list(read_marshal(compiled._STORE)) == ["word2", "word3", "word4"]
