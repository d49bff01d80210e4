"""The command line end to end: outputs, exit codes, and one-line errors for bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tqcheck.cli import main

from .conftest import ROOT, SEED


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tqcheck", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=120)


def test_scan_seed_text_output():
    proc = run("scan", str(SEED))
    out = proc.stdout.decode()
    assert proc.returncode == 1  # the seed has major findings; default --fail-on major
    assert "000_e6414ae541a6d4fd.txt:3:" in out and "fr-en/ordinal" in out and "→ 21st" in out
    assert "\033[" not in out  # no colour in a pipe
    assert proc.stderr == b""


def test_scan_json_schema(capsys):
    code = main(["scan", "--no-model", "--format", "json", str(SEED)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["version"] == 1 and data["tool"]["name"] == "tqcheck"
    (file,) = data["files"]
    assert set(file) >= {"path", "source_lang", "target_lang", "words", "penalty", "score", "findings"}
    assert file["target_lang"] == "en"
    content = SEED.read_text(encoding="utf-8")
    for f in file["findings"]:
        assert set(f) >= {"rule", "category", "severity", "message", "start", "end", "line", "column",
                          "text", "suggestions", "confidence", "origin"}
        assert content[f["start"]:f["end"]] == f["text"]
        assert f["severity"] in ("minor", "major", "critical")
    assert data["summary"]["findings"] == len(file["findings"])
    assert data["summary"]["failed"] is True


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("critical", 0), ("major", 1), ("minor", 1)])
def test_fail_on(fail_on, code, capsys):
    assert main(["scan", "--no-model", "--fail-on", fail_on, str(SEED)]) == code


def test_clean_text_exits_zero(tmp_path, capsys):
    path = tmp_path / "clean.txt"
    path.write_text("Russian Foreign Minister Sergei Lavrov said the talks went well.\n", encoding="utf-8")
    assert main(["scan", "--no-model", str(path)]) == 0
    assert "0 findings" in capsys.readouterr().out


def test_stdin():
    proc = run("scan", "--no-model", "--format", "json", "-", stdin=b"The 21e annual summit opened.")
    data = json.loads(proc.stdout)
    assert data["files"][0]["path"] == "<stdin>"
    assert any(f["rule"] == "fr-en/ordinal" for f in data["files"][0]["findings"])


def test_folder_and_glob(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("The 21e summit.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# The 2e round", encoding="utf-8")
    (tmp_path / "sub" / "c.bin").write_bytes(b"\x00")
    main(["scan", "--no-model", "--format", "json", str(tmp_path)])
    paths = [f["path"] for f in json.loads(capsys.readouterr().out)["files"]]
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["a.txt", "b.md"]
    main(["scan", "--no-model", "--format", "json", str(tmp_path / "**" / "*.md")])
    assert len(json.loads(capsys.readouterr().out)["files"]) == 1


@pytest.mark.parametrize(("setup", "problem"), [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: (d / "bin.txt").write_bytes(b"\x00\x00") and d / "bin.txt", "binary"),
    (lambda d: (d / "latin.txt").write_bytes(b"\xe9t\xe9") and d / "latin.txt", "not UTF-8"),
    (lambda d: (d / "empty.txt").write_bytes(b"") is not None and d / "empty.txt", "empty"),
    (lambda d: (d / "nothing").mkdir() or d / "nothing", "no text files"),
])
def test_bad_input_one_line_exit_2(tmp_path, setup, problem):
    path = setup(tmp_path)
    proc = run("scan", "--no-model", str(path))
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.count("\n") == 1 and str(path) in err and problem in err
    assert "Traceback" not in err


def test_usage_error_exit_2():
    proc = run("scan", "--fail-on", "sometimes", str(SEED))
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1


def test_one_bad_file_does_not_hide_the_others(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("The 21e summit.", encoding="utf-8")
    assert main(["scan", "--no-model", str(good), str(tmp_path / "missing.txt")]) == 2
    captured = capsys.readouterr()
    assert "fr-en/ordinal" in captured.out and "missing.txt: no such file" in captured.err


def test_rules_and_explain(capsys):
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "fr-en/ordinal" in listing and "tq/untranslated-word" in listing
    assert main(["explain", "fr-en/ordinal"]) == 0
    text = capsys.readouterr().out
    assert "21e" in text and "Not flagged" in text
    assert main(["explain", "no/such-rule"]) == 2
