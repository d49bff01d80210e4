"""What linter users look for in a CLI (issue 13): --quiet, --statistics, --output-file,
--stdin-filename, rule selectors, "did you mean", a bare command, the exit codes in --help,
completion, and one-line errors with the prefix once."""
from __future__ import annotations

import io
import json
import stat
import subprocess

import pytest

from tqcheck import formats
from tqcheck.cli import main

from .conftest import DATA, SEED

FR = ["--no-model", "-s", "fr"]


@pytest.fixture(autouse=True)
def _stdin_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """--stdin-filename sets a module setting; each test starts from the default."""
    monkeypatch.setattr(formats, "stdin_name", "<stdin>")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_quiet_prints_only_failing_findings_and_the_gate(capsys):
    main(["scan", *FR, str(SEED)])
    assert " minor " in capsys.readouterr().out  # the seed has findings below the gate too
    code = main(["scan", *FR, "--quiet", str(SEED)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1 and lines
    assert all(" major " in line or " critical " in line or line.startswith("gate: ") for line in lines)
    assert any(line.startswith("gate: ") for line in lines)
    assert not any("findings in" in line or ("score" in line and "/100" in line) for line in lines)


def test_statistics_counts_per_rule(capsys):
    main(["scan", *FR, "--format", "json", str(SEED)])
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]
    main(["scan", *FR, "--statistics", str(SEED)])
    counts = {line.split("\t")[1]: int(line.split("\t")[0]) for line in capsys.readouterr().out.splitlines()
              if not line.startswith(("gate: ", "signature: "))}
    assert counts == {rule: rules.count(rule) for rule in rules}


def test_statistics_end_with_the_score_signature(capsys):
    """The counts say what produced them, as JSON's ``signature`` does."""
    main(["scan", *FR, "--format", "json", str(SEED)])
    signature = json.loads(capsys.readouterr().out)["signature"]
    main(["scan", *FR, "--statistics", str(SEED)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == f"signature: {signature}" and lines[-1].startswith("gate: ")


def test_quiet_refuses_other_formats(capsys):
    assert main(["scan", *FR, "--quiet", "--format", "json", str(SEED)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "jsonl", "md"])
def test_output_file_for_every_format(tmp_path, capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    code = main(["scan", *FR, "--format", fmt, "--output-file", str(out), str(SEED)])
    assert code == 1 and capsys.readouterr().out == ""
    main(["scan", *FR, "--format", fmt, str(SEED)])
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) & 0o044  # an ordinary file, readable by others (umask 022)


def test_output_file_that_is_an_input_is_refused(tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text("He is the 21e of his class.\n", encoding="utf-8")
    assert main(["scan", *FR, "--output-file", str(text), str(tmp_path)]) == 2
    assert "is one of the files to check" in capsys.readouterr().err
    assert text.read_text(encoding="utf-8") == "He is the 21e of his class.\n"


def test_stdin_filename_gives_format_and_name(monkeypatch, capsys):
    _stdin(monkeypatch, (DATA / "bilingual.po").read_bytes())
    main(["scan", *FR, "--stdin-filename", "locale/fr.po", "-"])
    out = capsys.readouterr().out
    assert "locale/fr.po:" in out and "<stdin>" not in out
    main(["scan", *FR, "--format", "json", str(DATA / "bilingual.po")])
    expected = len(json.loads(capsys.readouterr().out)["files"][0]["findings"])
    assert "locale/fr.po: fr→en, " in out and f" {expected} finding" in out


def test_stdin_filename_needs_stdin(capsys):
    assert main(["scan", *FR, "--stdin-filename", "a.po", str(SEED)]) == 2


@pytest.mark.parametrize("selector, expected", [
    ("fr-en/ff", lambda r: r.startswith("fr-en/ff-")),
    ("en/boilerplate", lambda r: r.startswith("en/boilerplate-")),
])
def test_selectors_by_prefix_and_family(selector, expected):
    from tqcheck.config import known_rule_ids
    from tqcheck.rules.selectors import expand

    known = known_rule_ids(None)
    chosen = expand([selector], known, "--enable")
    assert chosen and all(expected(r) for r in chosen)
    assert not expand(["fr"], known, "--enable") & {r for r in known if r.startswith("fr-en/")}


def test_family_selects_rules_of_one_yaml_file():
    from tqcheck.rules.packs import load_pack
    from tqcheck.rules.selectors import selects

    for rule in load_pack("fr-en"):
        assert selects(f"fr-en/{rule.source.stem}", rule.id)
        assert not selects(f"en/{rule.source.stem}", rule.id)


def test_disable_by_family_on_the_command_line(capsys):
    main(["scan", *FR, "--format", "json", "--disable", "fr-en/ordinals", str(SEED)])
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]}
    assert rules and "fr-en/ordinal" not in rules


@pytest.mark.parametrize("argv, hint", [
    (["scna", "x"], "did you mean 'scan'?"),
    (["scan", "--qiuet", "x"], "did you mean '--quiet'?"),
    (["scan", "--no-model", "--disable", "fr-en/ordinall", "x"], "did you mean 'fr-en/ordinal'?"),
    (["explain", "fr-en/ordinall"], "did you mean 'fr-en/ordinal'?"),
    (["rules", "--pack", "fr_en"], "did you mean 'fr-en'?"),
])
def test_did_you_mean(capsys, argv, hint):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and hint in err


def test_no_abbreviated_flags(capsys):
    assert main(["scan", "--no-mod", str(SEED)]) == 2


def test_parser_error_has_the_prefix_once(capsys):
    main(["scan", "--fail-on"])
    err = capsys.readouterr().err
    assert err.startswith("tqcheck: error: ") and err.count("tqcheck") == 1


def test_unknown_pack_is_an_error(capsys):
    assert main(["rules", "--pack", "xx-yy"]) == 2
    assert capsys.readouterr().out == ""


def test_bare_command_prints_usage(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("usage: tqcheck")


def test_help_lists_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "internal error" in out and "usage or input error" in out


def test_bash_completion_defines_a_function_with_the_subcommands(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert "complete -o default -F _tqcheck tqcheck" in script
    for command in ("scan", "report", "fix", "explain", "completion"):
        assert command in script
    result = subprocess.run(["bash", "-c", script + "\nCOMP_WORDS=(tqcheck sc); COMP_CWORD=1; _tqcheck; "
                             "echo ${COMPREPLY[@]}"], capture_output=True, text=True, timeout=30)
    assert result.stdout.split() == ["scan", "score"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_shells(capsys, shell):
    assert main(["completion", shell]) == 0
    assert "scan" in capsys.readouterr().out


def test_plurals(tmp_path, capsys):
    one = tmp_path / "one.txt"
    one.write_text("He finished 21e in the race today, which was very good for him.\n", encoding="utf-8")
    main(["scan", *FR, "--enable", "fr-en/ordinal", str(one)])
    out = capsys.readouterr().out
    assert "1 finding in 1 file " in out and "1 finding (" in out and "1 finding at or above" in out


LINE = "He finished 21e in the race in Londres today, which was very good for him.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project whose configuration ignores sub/*.txt and overrides rules under docs/legal/."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tqcheck]\nsource-lang = "fr"\nignore = ["sub/*.txt"]\n'
        '[tool.tqcheck.per-path."docs/legal/**"]\ndisable = ["fr-en/ordinals"]\n'
        'severity = {"fr-en/exonyms" = "critical"}\n', encoding="utf-8")
    for name in ("a.txt", "docs/legal/b.txt", "sub/c.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(LINE, encoding="utf-8")
    return tmp_path


def _findings(capsys, argv) -> dict[str, list[tuple[str, str]]]:
    main(["scan", "--no-model", "--format", "json", *argv])
    files = json.loads(capsys.readouterr().out)["files"]
    return {f["path"].replace("\\", "/").rsplit("/", 1)[-1]: [(x["rule"], x["severity"]) for x in f["findings"]]
            for f in files}


def test_per_path_overrides_and_ignore_relative_to_the_config_file(project, monkeypatch, capsys):
    for cwd in (project, project / "docs"):  # the same whatever the current folder
        monkeypatch.chdir(cwd)
        found = _findings(capsys, ["--config", str(project / "pyproject.toml"), str(project)])
        assert set(found) == {"a.txt", "b.txt"}  # sub/c.txt ignored
        assert ("fr-en/ordinal", "major") in found["a.txt"] and ("fr-en/exonym-city", "major") in found["a.txt"]
        assert found["b.txt"] == [("fr-en/exonym-city", "critical")]


def test_per_path_unknown_rule_is_an_error(project, monkeypatch, capsys):
    config = project / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("fr-en/ordinals", "fr-en/ordinalz"),
                      encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["scan", "--no-model", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "per-path.docs/legal/**.disable" in err and "did you mean" in err


# -- inline suppressions in plain text, PO and XLIFF ------------------------------------------------
def _rules_found(capsys, path, *extra: str) -> list[str]:
    code = main(["scan", *FR, "--format", "json", *extra, str(path)])
    assert code in (0, 1), capsys.readouterr().err
    return [f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]


def test_txt_directive_line(tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text(LINE + "tqcheck-disable-next-line fr-en/ordinal\n" + LINE, encoding="utf-8")
    rules = _rules_found(capsys, text)
    assert rules.count("fr-en/ordinal") == 1 and rules.count("fr-en/exonym-city") == 2
    text.write_text("tqcheck-disable fr-en/exonyms\n" + LINE + "tqcheck-enable\n" + LINE, encoding="utf-8")
    rules = _rules_found(capsys, text)
    assert rules.count("fr-en/ordinal") == 2 and rules.count("fr-en/exonym-city") == 1


def test_po_translator_comment_silences_its_entry(tmp_path, capsys):
    po = (DATA / "bilingual.po").read_text(encoding="utf-8")
    assert "fr-en/ordinal" in _rules_found(capsys, DATA / "bilingual.po")
    marked = tmp_path / "fr.po"
    marked.write_text(po.replace("#: app.c:10\n", "#: app.c:10\n# tqcheck-disable fr-en/ordinal\n"), encoding="utf-8")
    rules = _rules_found(capsys, marked)
    assert "fr-en/ordinal" not in rules and "tq/source-number" in rules  # only that rule, only there


@pytest.mark.parametrize("name, before, after", [
    ("bilingual-1.2.xlf", "</target>\n      </trans-unit>",
     "</target>\n<note>tqcheck-disable fr-en/ordinal</note>\n      </trans-unit>"),
    ("bilingual-2.0.xlf", '<unit id="u1">', '<unit id="u1"><notes><note>tqcheck-disable fr-en/ordinal</note></notes>'),
])
def test_xliff_note_silences_its_unit(tmp_path, capsys, name, before, after):
    original = (DATA / name).read_text(encoding="utf-8")
    assert "fr-en/ordinal" in _rules_found(capsys, DATA / name)
    marked = tmp_path / name
    marked.write_text(original.replace(before, after, 1), encoding="utf-8")
    rules = _rules_found(capsys, marked)
    assert "fr-en/ordinal" not in rules and rules


@pytest.mark.parametrize("name, directive", [
    ("a.txt", "tqcheck-disable-next-line fr-en/ordinall\n"),
    ("a.md", "<!-- tqcheck-disable fr-en/ordinall -->\n"),
])
def test_unknown_rule_in_a_suppression_is_an_error(tmp_path, capsys, name, directive):
    path = tmp_path / name
    path.write_text(directive + LINE, encoding="utf-8")
    assert main(["scan", *FR, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 1:" in err and "did you mean 'fr-en/ordinal'?" in err


def test_select_is_enable_with_selectors(capsys):
    rules = set(_rules_found(capsys, SEED, "--select", "fr-en/ff,fr-en/ordinals"))
    assert rules and all(r.startswith("fr-en/ff-") or r == "fr-en/ordinal" for r in rules)


def test_named_model_not_installed_is_an_error(monkeypatch, capsys):
    import dataclasses

    from tqcheck.fluency.packaged import PACKAGED

    missing = dataclasses.replace(PACKAGED["gemma3"], package="tqcheck_no_such_model_package")
    monkeypatch.setitem(PACKAGED, "gemma3", missing)
    assert main(["scan", "-s", "fr", "--model", "gemma3", str(SEED)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "gemma3" in captured.err and "tqcheck[multilingual]" in captured.err


def test_empty_file_in_a_folder_is_a_warning_named_one_an_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(LINE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bare.html").write_text("<html><body></body></html>", encoding="utf-8")
    assert main(["scan", *FR, str(tmp_path)]) == 1  # the findings of a.txt, not exit 2
    err = capsys.readouterr().err
    assert err.count("tqcheck: warning: ") == 2 and "error" not in err
    assert main(["scan", *FR, str(tmp_path / "empty.txt"), str(tmp_path / "a.txt")]) == 2
    assert "tqcheck: error: " in capsys.readouterr().err
    assert main(["scan", *FR, "--format", "jsonl", str(tmp_path)]) == 1
    assert main(["fix", *FR, "--diff", str(tmp_path)]) == 1


def test_message_names_the_reranked_first_suggestion():
    """The model's first pick is the message's word: never "English writes “Poutine”" above
    ``→ Putin | Poutine``."""
    from types import SimpleNamespace

    from tqcheck.core.findings import Finding, Severity, Span
    from tqcheck.fluency import rerank
    from tqcheck.formats import load_text

    class Prefers:  # a model that finds the sentence with "Putin" likeliest
        def score(self, texts):
            return [SimpleNamespace(total=1.0 if "Putin" in t else 5.0) for t in texts]

    text = "The Russian President Vladimir Poutin met the press in Moscow."
    start = text.index("Poutin")
    finding = Finding("fr-en/exonym-person", "locale-conventions/name-format", Severity.MAJOR,
                      "French spelling “Poutin”: English writes “Poutine”", Span(start, start + 6, "Poutin"),
                      suggestions=("Poutine", "Putin"))
    (finding,) = rerank.rank(Prefers(), [rerank.job(load_text("t", text, "txt"), finding, finding.suggestions)])
    assert finding.suggestions == ("Putin", "Poutine")
    assert finding.message == "French spelling “Poutin”: English writes “Putin”"


def test_fix_honours_ignore_and_per_path_of_the_config_file(project, monkeypatch, capsys):
    monkeypatch.chdir(project / "docs")
    assert main(["fix", "--no-model", "--config", str(project / "pyproject.toml"), str(project)]) in (0, 1)
    assert (project / "sub" / "c.txt").read_text(encoding="utf-8") == LINE  # ignored
    legal = (project / "docs" / "legal" / "b.txt").read_text(encoding="utf-8")
    assert "21e" in legal and "London" in legal  # ordinals off there; exonyms still fixed
    assert "21st" in (project / "a.txt").read_text(encoding="utf-8")


def test_ignore_naming_rules_turns_them_off_as_ruff_does(capsys):
    """``--ignore en/boilerplate`` names a family and no file: its rules are off; globs still work."""
    main(["scan", *FR, "--no-model", "--format", "json", str(SEED)])
    before = {f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]}
    assert any(r.startswith("en/boilerplate") for r in before)
    main(["scan", *FR, "--no-model", "--format", "json", "--ignore", "en/boilerplate", str(SEED)])
    after = {f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]}
    assert after == {r for r in before if not r.startswith("en/boilerplate")}
    assert main(["scan", *FR, "--no-model", "--ignore", "*.txt", str(SEED)]) == 0  # a glob: the file is skipped
