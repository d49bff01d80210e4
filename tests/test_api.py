"""The Python API (docs/api.md): typed frozen results, the same from a text and from a report,
a light ``import tqcheck``, and the page's examples run as a doctest."""
from __future__ import annotations

import dataclasses
import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest

import tqcheck
from tqcheck.cli import main
from tqcheck.core.errors import InputError

from .conftest import ROOT

TEXT = "😀 Vladimir Poutin arrived on the 21e of May .\n"


def test_docs_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the page writes news.txt and report.json
    failures, tried = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False,
                                       optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 10 and failures == 0


def test_check_returns_typed_frozen_findings_at_text_offsets() -> None:
    result = tqcheck.check(TEXT, source_lang="fr", target_lang="en")
    assert isinstance(result, tqcheck.CheckResult) and result.fluency is None
    assert {f.rule for f in result.findings} >= {"fr-en/exonym-person", "fr-en/ordinal"}
    for f in result.findings:
        assert isinstance(f, tqcheck.Finding) and isinstance(f.severity, tqcheck.Severity)
        assert TEXT[f.start:f.end] == f.text and isinstance(f.suggestions, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings[0].start = 0  # type: ignore[misc]


def test_bad_arguments_and_empty_text() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        tqcheck.check("Hello.", format="docx")
    with pytest.raises(ValueError, match="unknown language"):
        tqcheck.check("Hello.", target_lang="klingon")
    with pytest.raises(InputError, match="no prose"):
        tqcheck.check("   \n")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_load_results_reads_what_scan_writes(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "news.txt"
    doc.write_text(TEXT, encoding="utf-8")
    assert main(["scan", str(doc), "--no-model", "-s", "fr", "-t", "en", "--format", fmt]) == 1
    report = tmp_path / f"out.{fmt}"
    report.write_text(capsys.readouterr().out, encoding="utf-8")
    (loaded,) = tqcheck.load_results(report)
    checked = tqcheck.check(TEXT, source_lang="fr", target_lang="en", path=str(doc))
    assert loaded == checked


def test_load_results_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such results file"):
        tqcheck.load_results(tmp_path / "missing.json")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    with pytest.raises(InputError, match="neither"):
        tqcheck.load_results(other)
    future = tmp_path / "v2.json"
    future.write_text(json.dumps({"version": 2, "files": []}), encoding="utf-8")
    with pytest.raises(InputError, match="version 2"):
        tqcheck.load_results(future)


def test_import_is_light() -> None:
    """``import tqcheck`` loads no pipeline; a rules-only check loads no torch."""
    code = ("import sys, tqcheck; assert 'tqcheck.pipeline' not in sys.modules; "
            "tqcheck.check('Vladimir Poutin spoke.', target_lang='en'); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_results_carry_their_score_signature(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A checked text and a report read back carry the signature the JSON report states; the run's
    is the union of its files'."""
    fr = tqcheck.check("Vladimir Poutin arrived.", source_lang="fr", target_lang="en")
    assert fr.signature is not None and "|packs:en#" in fr.signature and ",fr-en#" in fr.signature
    (tmp_path / "a.txt").write_text("Vladimir Poutin arrived.\n", encoding="utf-8")
    main(["scan", "--no-model", "-t", "en", "--format", "json", str(tmp_path / "a.txt")])
    report = json.loads(capsys.readouterr().out)
    (tmp_path / "r.json").write_text(json.dumps(report), encoding="utf-8")
    (read,) = tqcheck.load_results(tmp_path / "r.json")
    assert read.signature == report["signature"]
    assert tqcheck.run_signature([fr, read]) == report["signature"]  # every pack of the run
    assert tqcheck.run_signature([]) is None
