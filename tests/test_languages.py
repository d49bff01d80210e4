"""Languages: which pack speaks for a guessed source, which codes exist, which language a text is
expected in (tq/wrong-language), and where short texts take their language from."""
from __future__ import annotations

import pytest

from tqcheck.cli import main
from tqcheck.document import load_text
from tqcheck.langs import KNOWN_CODES
from tqcheck.pipeline import Options, check_document

FRENCH_ARTIFACTS = "Vladimir Poutin met the minister at the 21e summit in Pékin.\n\n"


def _rules(text: str, **options) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in check_document(load_text("t.txt", text, "txt"), Options(**options)).findings]


# -- the guessed source language's pack wins a shared span ------------------------------------------
def test_guessed_french_gets_the_french_rule_on_a_span_german_also_flags():
    result = check_document(load_text("t.txt", FRENCH_ARTIFACTS + "They discussed the leak of sensible data.\n",
                                      "txt"), Options())
    assert result.source_guess.lang == "fr"
    sensible = [f for f in result.findings if f.text == "sensible"]
    assert [f.rule for f in sensible] == ["fr-en/ff-sensible"]
    assert "French" in sensible[0].message and "German" not in sensible[0].message


def test_guessed_source_keeps_other_packs_findings_elsewhere():
    """A German false friend with no French rule is still evidence of an error."""
    rules = _rules(FRENCH_ARTIFACTS + "Suddenly his handy rang.\n")
    assert "de-en/false-friend-handy" in rules and "fr-en/ordinal" in rules


def test_guessed_source_gives_the_same_findings_as_the_given_one():
    text = FRENCH_ARTIFACTS + "They discussed the leak of sensible data.\n"
    assert sorted(_rules(text)) == sorted(_rules(text, source_lang="fr"))


# -- language codes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("flag", ["-s", "-t", "--source-lang", "--target-lang"])
def test_unknown_language_code_is_a_usage_error(flag, capsys, tmp_path):
    file = tmp_path / "a.txt"
    file.write_text("The summit opened today.\n", encoding="utf-8")
    assert main(["scan", "--no-model", flag, "xx", str(file)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "'xx'" in err and "known: " + ", ".join(KNOWN_CODES) in err


def test_unknown_language_code_in_the_configuration_is_an_input_error(capsys, tmp_path):
    (tmp_path / ".tqcheck.toml").write_text('source-lang = "frr"\n', encoding="utf-8")
    file = tmp_path / "a.txt"
    file.write_text("The summit opened today.\n", encoding="utf-8")
    assert main(["scan", "--no-model", "--config", str(tmp_path / ".tqcheck.toml"), str(file)]) == 2
    assert "source-lang: unknown language code 'frr'" in capsys.readouterr().err


def test_known_codes_are_accepted_in_any_case(tmp_path):
    file = tmp_path / "a.txt"
    file.write_text("The summit opened today.\n", encoding="utf-8")
    assert main(["scan", "--no-model", "-s", "FR", "-t", "en", str(file)]) == 0
