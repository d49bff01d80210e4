"""The CI gate: exit codes of scan for --fail-on and --min-score, inline suppressions, the termbase."""
from __future__ import annotations

import json

import pytest

from tqcheck.cli import main
from tqcheck.core.errors import InputError
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document
from tqcheck.suppressions import regions
from tqcheck.termbase import load_rules

from .conftest import SEED

MINOR_ONLY = "He paid $ 5 billion for the system, which works well.\n"  # fr-en/currency-space: minor


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("argv", "code"), [
    ([], 0),                                   # default fail-on major: a minor finding passes
    (["--fail-on", "minor"], 1),
    (["--fail-on", "never"], 0),
    (["--min-score", "30"], 0),                # one minor error in 10 words: penalty 100, score 33.4
    (["--min-score", "100"], 1),
    (["--fail-on", "never", "--min-score", "100"], 1),
])
def test_exit_codes_minor_finding(tmp_path, capsys, argv, code):
    assert main(["scan", "--no-model", *argv, write(tmp_path, "a.txt", MINOR_ONLY)]) == code


@pytest.mark.parametrize(("argv", "code"), [
    ([], 1), (["--fail-on", "critical"], 0), (["--fail-on", "critical", "--min-score", "30"], 0),
    (["--fail-on", "critical", "--min-score", "90"], 1),
])
def test_exit_codes_seed(capsys, argv, code):
    assert main(["scan", "--no-model", *argv, str(SEED)]) == code


def test_min_score_reason_is_printed_and_in_json(tmp_path, capsys):
    path = write(tmp_path, "a.txt", MINOR_ONLY)
    assert main(["scan", "--no-model", "--min-score", "100", path]) == 1
    assert f"gate: {path}: score " in capsys.readouterr().out
    main(["scan", "--no-model", "--format", "json", "--min-score", "100", path])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["min_score"] == 100 and summary["failed"] is True


def test_input_error_wins_over_findings(tmp_path, capsys):
    assert main(["scan", "--no-model", str(SEED), str(tmp_path / "missing.txt")]) == 2


def test_clean_file_passes_every_gate(tmp_path, capsys):
    path = write(tmp_path, "a.txt", "The summit went well and both leaders spoke to the press.\n")
    assert main(["scan", "--no-model", "--fail-on", "minor", "--min-score", "100", path]) == 0


# -- suppressions ---------------------------------------------------------------------------------
def rules_in(path: str, fmt: str | None = None, text: str | None = None) -> list[tuple[str, int]]:
    doc = load_text(path, text, fmt)
    return [(f.rule, f.line) for f in check_document(doc, Options(source_lang="fr", target_lang="en")).findings]


def test_disable_enable_block_in_markdown():
    text = ("The 21e summit.\n\n<!-- tqcheck-disable fr-en/ordinal -->\nThe 22e summit and $ 5 paid.\n"
            "<!-- tqcheck-enable -->\n\nThe 23e summit.\n")
    assert rules_in("a.md", "md", text) == [("fr-en/ordinal", 1), ("fr-en/currency-space", 4),
                                            ("fr-en/ordinal", 7)]


def test_disable_all_and_pack_names_and_end_of_file():
    text = "<p>The 21e summit.</p>\n<!-- tqcheck-disable -->\n<p>The 22e summit, $ 5.</p>\n"
    assert rules_in("a.html", "html", text) == [("fr-en/ordinal", 1)]
    text = "The 21e summit.\n<!-- tqcheck-disable fr-en -->\nThe 22e summit, $ 5.\n"
    assert rules_in("a.md", "md", text) == [("fr-en/ordinal", 1)]


def test_disable_next_line_only():
    text = ("<!-- tqcheck-disable-next-line fr-en/ordinal, fr-en/currency-space -->\nThe 21e summit, $ 5.\n"
            "The 22e summit.\n")
    assert rules_in("a.md", "md", text) == [("fr-en/ordinal", 3)]


def test_enable_one_rule_reopens_only_that_rule():
    text = ("<!-- tqcheck-disable fr-en/ordinal fr-en/currency-space -->\nThe 21e, $ 5.\n"
            "<!-- tqcheck-enable fr-en/ordinal -->\nThe 22e, $ 6.\n")
    assert rules_in("a.md", "md", text) == [("fr-en/ordinal", 4)]


def test_other_comments_and_plain_text_are_not_directives():
    text = "<!-- a note about tqcheck-disable -->\nThe 21e summit.\n"
    assert rules_in("a.md", "md", text) == [("fr-en/ordinal", 2)]
    assert not regions(load_text("a.txt", "<!-- tqcheck-disable -->\nThe 21e summit.\n", "txt"))


# -- termbase -------------------------------------------------------------------------------------
TERMS = ("source_term,target_term,forbidden,note,severity\n"
         "Premier ministre,Prime Minister,First Minister|Premier Minister,,critical\n"
         "courriel,email,e-mail;electronic mail,house style,minor\n"
         "# comment row,,,,\n"
         "sommet,summit,,,\n")


def test_termbase_rules_find_forbidden_forms(tmp_path, capsys):
    terms = write(tmp_path, "terms.csv", TERMS)
    article = write(tmp_path, "a.txt", "The First Minister sent an E-mail. The Prime Minister read the email.\n")
    assert main(["scan", "--no-model", "--format", "json", "--termbase", terms, "--fail-on", "critical", article]) == 1
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    got = {(f["rule"], f["text"], f["severity"], tuple(f["suggestions"])) for f in findings}
    assert got == {("termbase/prime-minister", "First Minister", "critical", ("Prime Minister",)),
                   ("termbase/email", "E-mail", "minor", ("Email",))}
    assert next(f for f in findings if f["rule"] == "termbase/prime-minister")["message"] == \
        "Termbase: write “Prime Minister”, not “First Minister” (for “Premier ministre”)"
    assert main(["scan", "--no-model", "--termbase", terms, "--disable", "termbase/prime-minister", article]) == 0


def test_termbase_rules_carry_passing_examples(tmp_path):
    from tqcheck.rules.examples import example_text
    from tqcheck.rules.matching import RuleSet

    for rule in load_rules(write(tmp_path, "terms.csv", TERMS)):
        for kind in ("flag", "pass"):
            for example in rule.examples[kind]:
                text, spans = example_text(example["text"])
                found = [(f.start, f.end) for f in RuleSet([rule]).run(load_text("x", text, "txt"))]
                assert found == spans


@pytest.mark.parametrize(("csv", "problem"), [
    ("source,target\nx,y\n", "lacks column(s) source_term, target_term, forbidden"),
    ("source_term,target_term,forbidden\nx,,y\n", "line 2: no target_term"),
    ("source_term,target_term,forbidden,severity\nx,y,z,huge\n", "line 2: unknown severity"),
    ("source_term,target_term,forbidden\nx,European Union,Union\n", "line 2: a forbidden form occurs"),
    ("source_term,target_term,forbidden\nx,{0},y\n", "line 2: braces"),
])
def test_bad_termbase_is_an_input_error(tmp_path, csv, problem):
    with pytest.raises(InputError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_rules(write(tmp_path, "terms.csv", csv))


def test_missing_termbase_exit_2(tmp_path, capsys):
    assert main(["scan", "--no-model", "--termbase", str(tmp_path / "none.csv"), str(SEED)]) == 2
    assert "none.csv: termbase not found" in capsys.readouterr().err


# -- CI integration files -------------------------------------------------------------------------
def test_pre_commit_hook_and_workflow_example_use_real_commands():
    import shlex

    import yaml

    from tqcheck.cli import build_parser

    from .conftest import ROOT

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "tqcheck" and hook["language"] == "python"
    commands = [shlex.split(hook["entry"]) + ["file.md"]]
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text(encoding="utf-8"))
    for step in workflow["jobs"]["tqcheck"]["steps"]:
        if step.get("run", "").startswith("tqcheck "):
            commands.append(shlex.split(step["run"].split(">>")[0]))
    assert len(commands) == 5
    for argv in commands:
        assert argv[0] == "tqcheck"
        build_parser().parse_args(argv[1:])  # raises UsageError on an unknown flag or value
