"""Configuration: where it is found, what it may say, and that command-line flags win."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tqcheck.cli import build_parser, main
from tqcheck.config import find_config, resolve

from .conftest import ROOT

ARTICLE = "The 21e summit opened. Vladimir Putin came, then Vladimir Poutin left. He paid $ 5 billion.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with an article in docs/, as the current directory."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def settings(*argv: str):
    return resolve(build_parser().parse_args(["scan", *argv, "docs"]))


def rules_found(capsys, *argv: str) -> list[str]:
    main(["scan", "--no-model", "--format", "json", *argv, "docs"])
    return [f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]


def test_pyproject_table_is_found_from_a_subfolder(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.tqcheck]\nfail-on = "critical"\n')
    sub = project / "docs"
    assert find_config(sub) == project / "pyproject.toml"
    s = settings()
    assert s["fail-on"] == "critical" and s.origins["fail-on"] == str(project / "pyproject.toml")


def test_nearest_wins_and_tqcheck_toml_before_pyproject(project):
    (project / "pyproject.toml").write_text('[tool.tqcheck]\nfail-on = "critical"\n')
    (project / "docs" / "pyproject.toml").write_text('[project]\nname = "no tqcheck table"\n')
    assert find_config(project / "docs") == project / "pyproject.toml"  # skips a pyproject without the table
    (project / ".tqcheck.toml").write_text('fail-on = "minor"\n')
    assert find_config(project / "docs") == project / ".tqcheck.toml"


def test_flags_win_over_the_file(project):
    (project / ".tqcheck.toml").write_text(
        'fail-on = "critical"\nmin-score = 10\nsource-lang = "fr"\n'
        'severity = {"fr-en/ordinal" = "minor", "tq/name-variant" = "critical"}\n')
    s = settings("--fail-on", "minor", "--severity", "fr-en/ordinal=critical")
    assert (s["fail-on"], s.origins["fail-on"]) == ("minor", "--fail-on")
    assert (s["min-score"], s.origins["min-score"]) == (10.0, str(project / ".tqcheck.toml"))
    assert s["severity"] == {"fr-en/ordinal": "critical", "tq/name-variant": "critical"}
    assert s.origins["severity"] == f"{project / '.tqcheck.toml'} + --severity"
    assert s.origins["target-lang"] == "default"


def test_config_drives_the_scan(project, capsys):
    assert set(rules_found(capsys)) >= {"fr-en/ordinal", "fr-en/currency-space"}
    (project / ".tqcheck.toml").write_text('disable = ["fr-en/currency-space"]\nfail-on = "never"\n'
                                           'severity = {"fr-en" = "critical"}\n')
    found = rules_found(capsys)
    assert "fr-en/currency-space" not in found and "fr-en/ordinal" in found
    main(["scan", "--no-model", "--format", "json", "docs"])
    data = json.loads(capsys.readouterr().out)
    ordinal = next(f for f in data["files"][0]["findings"] if f["rule"] == "fr-en/ordinal")
    assert ordinal["severity"] == "critical" and data["summary"]["fail_on"] == "never"
    assert main(["scan", "--no-model", "docs"]) == 0
    assert main(["scan", "--no-model", "--fail-on", "critical", "docs"]) == 1
    capsys.readouterr()
    assert "fr-en/currency-space" in rules_found(capsys, "--disable", "fr-en/ordinal")  # the flag replaces


def test_enable_keeps_only_the_named_rules(project, capsys):
    assert set(rules_found(capsys, "--enable", "fr-en/ordinal")) == {"fr-en/ordinal"}
    assert rules_found(capsys, "--enable", "fr-en", "--disable", "fr-en/ordinal") and \
        "fr-en/ordinal" not in rules_found(capsys, "--enable", "fr-en", "--disable", "fr-en/ordinal")


def test_ignore_globs(project, capsys):
    (project / "docs" / "draft.txt").write_text(ARTICLE, encoding="utf-8")
    (project / ".tqcheck.toml").write_text('ignore = ["docs/draft*"]\n')
    main(["scan", "--no-model", "--format", "json", "docs"])
    assert [f["path"] for f in json.loads(capsys.readouterr().out)["files"]] == ["docs/a.txt"]


def test_paths_in_the_file_are_relative_to_it(project, monkeypatch):
    (project / "terms.csv").write_text("source_term,target_term,forbidden\nsommet,summit,summet\n")
    (project / ".tqcheck.toml").write_text('termbase = "terms.csv"\n')
    deep = project / "docs" / "deep"
    deep.mkdir()
    monkeypatch.chdir(deep)
    assert (deep / settings()["termbase"]).resolve() == project / "terms.csv"


def test_config_command_shows_values_and_origins(project, capsys):
    (project / "pyproject.toml").write_text('[tool.tqcheck]\nsource-lang = "fr"\nignore = ["x/*"]\n')
    assert main(["config", "--target-lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"configuration file: {project / 'pyproject.toml'}"
    line = {row.split()[0]: row for row in out[1:]}
    assert line["source-lang"].split()[1:] == ["fr", str(project / "pyproject.toml")]
    assert line["target-lang"].split()[1:] == ["en", "--target-lang"]
    assert line["fail-on"].split()[1:] == ["major", "default"]


@pytest.mark.parametrize(("text", "problem"), [
    ('fail-on = "sometimes"\n', "fail-on must be one of"),
    ('colour = "red"\n', "unknown setting 'colour'"),
    ('min-score = 120\n', "min-score must be a number from 0 to 100"),
    ('disable = "fr-en/ordinal"\nsource-lang = [1]\n', "source-lang"),
    ('fail-on = \n', "bad configuration file"),
    ('disable = ["no/such-rule"]\n', "unknown rule or pack 'no/such-rule'"),
])
def test_bad_configuration_is_one_line_exit_2(tmp_path, text, problem):
    (tmp_path / ".tqcheck.toml").write_text(text)
    (tmp_path / "a.txt").write_text(ARTICLE)
    proc = subprocess.run([sys.executable, "-m", "tqcheck", "scan", "--no-model", "a.txt"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and problem in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_explicit_config_file(project, capsys):
    other = project / "ci.toml"
    other.write_text('fail-on = "never"\n')
    assert main(["scan", "--no-model", "--config", str(other), "docs"]) == 0
    assert main(["scan", "--no-model", "--config", str(project / "missing.toml"), "docs"]) == 2
    assert "missing.toml: configuration file not found" in capsys.readouterr().err
