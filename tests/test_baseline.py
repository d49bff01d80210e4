"""The baseline: known findings stop failing CI, new ones still fail, across edits of the file."""
from __future__ import annotations

import json

import pytest

from tqcheck.baseline import DEFAULT_PATH
from tqcheck.cli import main

from .conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    """docs/seed.txt with a baseline of its findings in .tqcheck-baseline.json (current directory)."""
    (tmp_path / ".tqcheck.toml").write_text('source-lang = "fr"\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "--no-model", "docs"]) == 1
    assert main(["baseline", "create", "--no-model", "docs"]) == 0
    assert "baseline of" in capsys.readouterr().out
    return tmp_path


def new_findings(capsys, *argv: str) -> tuple[int, list[dict]]:
    code = main(["scan", "--no-model", "--format", "json", "--baseline", DEFAULT_PATH, *argv, "docs"])
    return code, [f for file in json.loads(capsys.readouterr().out)["files"] for f in file["findings"]]


def edit(project, old: str, new: str) -> None:
    path = project / "docs" / "seed.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_baseline_file_is_versioned_and_readable(project):
    data = json.loads((project / DEFAULT_PATH).read_text(encoding="utf-8"))
    assert data["version"] == 1 and list(data["files"]) == ["docs/seed.txt"]
    entry = next(e for e in data["files"]["docs/seed.txt"] if e["rule"] == "fr-en/ordinal")
    assert entry == {"rule": "fr-en/ordinal", "text": "21e",
                     "context": "the occasion of the … annual india-russia summit an", "count": 1}


def test_known_findings_pass(project, capsys):
    assert new_findings(capsys) == (0, [])


def test_survives_line_shifts_and_unrelated_edits(project, capsys):
    edit(project, "In India,", "Updated on Tuesday.\n\nA new paragraph at the top.\n\nIn India,")
    edit(project, "the region is subject to considerable", "the whole region faces considerable")
    assert new_findings(capsys) == (0, [])


def test_new_findings_fail(project, capsys):
    edit(project, "In July, he traveled", "In July, for the 3e time, he traveled")
    code, found = new_findings(capsys)
    assert code == 1 and [(f["rule"], f["text"]) for f in found] == [("fr-en/ordinal", "3e")]


def test_a_finding_whose_context_changed_is_new(project, capsys):
    edit(project, "on the occasion of the 21e annual", "for the 21e annual")
    code, found = new_findings(capsys)
    assert code == 1 and [f["text"] for f in found] == ["21e"]


def test_counts_let_duplicates_through_only_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    line = "Then the 21e summit began.\n"  # the middle copies have the same words around them
    (tmp_path / "docs" / "a.txt").write_text(line * 4, encoding="utf-8")
    main(["baseline", "create", "--no-model", "--source-lang", "fr", "docs"])
    capsys.readouterr()
    entries = json.loads((tmp_path / DEFAULT_PATH).read_text())["files"]["docs/a.txt"]
    assert sorted(e["count"] for e in entries) == [1, 1, 2]
    (tmp_path / "docs" / "a.txt").write_text(line * 5, encoding="utf-8")
    code, found = new_findings(capsys, "--source-lang", "fr")
    assert code == 1 and len(found) == 1


def test_paths_are_relative_to_the_baseline_file(project, capsys, monkeypatch):
    monkeypatch.chdir(project / "docs")
    assert main(["scan", "--no-model", "--baseline", f"../{DEFAULT_PATH}", "seed.txt"]) == 0


def test_baseline_from_configuration_and_create_ignores_the_old_one(project, capsys):
    (project / ".tqcheck.toml").write_text(f'baseline = "{DEFAULT_PATH}"\nsource-lang = "fr"\n')
    assert main(["scan", "--no-model", "docs"]) == 0
    edit(project, "In July, he traveled", "In July, for the 3e time, he traveled")
    assert main(["scan", "--no-model", "docs"]) == 1
    assert main(["baseline", "create", "--no-model", "docs"]) == 0  # rewrites the configured file, with the new one
    assert f"{DEFAULT_PATH}: baseline of" in capsys.readouterr().out
    assert main(["scan", "--no-model", "docs"]) == 0


@pytest.mark.parametrize(("content", "problem"), [
    ("{", "not a baseline file"),
    ('{"version": 9, "files": {}}', "not a version 1 tqcheck baseline"),
    ('{"version": 1, "files": {"a": [{"rule": "x"}]}}', "malformed baseline entry"),
])
def test_bad_baseline_exit_2(project, capsys, content, problem):
    (project / "bad.json").write_text(content)
    assert main(["scan", "--no-model", "--baseline", "bad.json", "docs"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.json: " + problem in err


def test_create_refuses_when_an_input_is_bad(project, capsys):
    before = (project / DEFAULT_PATH).read_text()
    assert main(["baseline", "create", "--no-model", "docs", "missing.txt"]) == 2
    assert (project / DEFAULT_PATH).read_text() == before
    assert "baseline not written" in capsys.readouterr().err
