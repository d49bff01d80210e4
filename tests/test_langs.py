"""Languages as data (issue 10): one file per language, found on a search path, and a generic
language for a code with no file."""
from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.cli import main
from tqcheck.core.segments import split_sentences
from tqcheck.fluency.calibration import calibration, languages
from tqcheck.langs import GENERIC, LanguageFileError, combined, known_codes, language, language_name
from tqcheck.langs.language import PACKAGED, PATH_VARIABLE
from tqcheck.langs.quantities import extract, keys_of

#: A made-up language, so that nothing packaged answers for it.
TOY = """\
name: Toyish
letters: abcdefghijklmnopqrstuvwxyzþ
abbreviations: [zq]
name_particles: [vo]
numbers:
  cardinal: {yon: 1, tvo: 2, trix: 3}
  scale: {tusen: 1000}
  connectors: [og]
months: {frosti: 1}
loan_phrases: [à la toy]
calibration:
  toymodel: {center: 11.0, excess_weight: 0.4, zipf_weight: -0.2, bias: -3.5}
"""


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "xq.yaml").write_text(TOY, encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    return tmp_path


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]


def test_every_packaged_language_is_one_file() -> None:
    codes = {p.stem for p in PACKAGED.glob("*.yaml")}
    assert set(known_codes()) == codes >= {"en", "fr", "de", "es", "it", "pt", "nl", "ca", "ro", "pl", "sv", "da"}
    assert language_name("fr") == "French" and language("de").calendar_capitalised


def test_a_new_language_file_on_the_search_path_is_picked_up(toy: Path) -> None:
    toyish = language("xq")
    assert "xq" in known_codes() and language_name("xq") == "Toyish"
    assert toyish.numbers["tvo"] == ("cardinal", 2.0) and toyish.months == {"frosti": 1}
    assert "zq" in combined("abbreviations") and "mr" in combined("abbreviations")
    assert keys_of(extract("tvo tusen og trix", "xq")) == {("n", 2003.0)}
    assert _sentences("Ask zq. Smith today. Then go.") == ["Ask zq. Smith today.", "Then go."]
    assert "xq" in languages("toymodel") and calibration("toymodel", "xq").center == 11.0


def test_without_the_file_the_abbreviation_ends_the_sentence() -> None:
    assert _sentences("Ask zq. Smith today.") == ["Ask zq.", "Smith today."]


def test_a_file_on_the_search_path_overrides_the_packaged_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "fr.yaml").write_text("name: Français\n", encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    assert language_name("fr") == "Français" and not language("fr").numbers


def test_an_unknown_code_falls_back_to_the_generic_language() -> None:
    unknown = language("xx")
    assert unknown.code == "xx" and unknown.name == "xx" == language_name("xx")
    assert unknown.letters == GENERIC.letters and not (unknown.numbers or unknown.abbreviations or unknown.calibration)
    assert extract("two thousand and 12", "xx")[0].keys == frozenset({("n", 12.0)})  # no number words
    assert language(None) is GENERIC
    assert calibration("smollm2", "xx") == calibration("smollm2", "en")  # the fallback constants


@pytest.mark.parametrize("content, problem", [
    ("name: [unclosed\n", "not a readable language file"),
    ("- a list\n", "a mapping with at least a name"),
    ("name: Broken\nnumbers: {cardinal: {one: many}}\n", "a field of the wrong shape"),
])
def test_a_broken_language_file_is_one_line_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      content: str, problem: str) -> None:
    (tmp_path / "zz.yaml").write_text(content, encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    with pytest.raises(LanguageFileError) as error:
        language("zz")
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'zz.yaml'}: ") and problem in message and "\n" not in message


def test_the_cli_reports_a_broken_language_file_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "zz.yaml").write_text("- a list\n", encoding="utf-8")
    # A full stop inside the text: the splitter asks every language's abbreviations whether it ends
    # a sentence, whatever earlier tests left in the caches of this process.
    (tmp_path / "a.txt").write_text("Mr. Smith opened the summit. It ended today.\n", encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    assert main(["scan", "--no-model", str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"tqcheck: error: {tmp_path / 'zz.yaml'}: a language file is a mapping with at least a name"


# -- pair data in the packs: declared by a rule field, not found by its id ---------------------------
def test_every_rule_has_the_family_of_its_yaml_file() -> None:
    from tqcheck.rules.packs import load_pack

    exonyms = [rule for rule in load_pack("fr-en") if rule.family == "fr-en/exonyms"]
    assert exonyms and all(rule.source.name == "exonyms.yaml" for rule in exonyms)
    assert all(rule.source_names for rule in exonyms)


def test_the_name_check_reads_the_tables_a_rule_declares_whatever_its_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from tqcheck.checks import source_names
    from tqcheck.rules import packs
    from tqcheck.rules.schema import parse_rule

    raw = {"id": "fr-en/lieux", "type": "substitution", "category": "accuracy/untranslated", "literal": True,
           "message": "“{match}”: “{suggestion}”", "swap": {"Zembla": "Nova Zembla"}, "source_names": True,
           "examples": {"flag": ["[[Zembla]]"], "pass": ["Nova Zembla"]}}
    rule = parse_rule(raw, "fr-en", Path("lieux.yaml"))
    monkeypatch.setattr(packs, "load_pack", lambda name: (rule,))
    source_names._exonyms.cache_clear()
    try:
        assert source_names._exonyms("fr", "en")[1]["Zembla"] == ["Nova Zembla"]
    finally:
        source_names._exonyms.cache_clear()


def test_source_names_needs_a_literal_substitution() -> None:
    from tqcheck.core.errors import RuleError
    from tqcheck.rules.schema import parse_rule

    raw = {"id": "fr-en/x", "type": "existence", "category": "accuracy/untranslated", "message": "m",
           "patterns": ["Zembla"], "source_names": True, "examples": {"flag": ["[[Zembla]]"], "pass": ["x"]}}
    with pytest.raises(RuleError, match="source_names needs a literal substitution"):
        parse_rule(raw, "fr-en", Path("x.yaml"))


def test_a_word_yaml_reads_as_another_value_is_an_error_not_lost(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Unquoted ``null`` (German zero) or ``no`` are read by YAML as None and False: refused."""
    assert language("de").numbers["null"] == ("cardinal", 0.0)
    (tmp_path / "xx.yaml").write_text("name: Toy\nnumbers:\n  cardinal: {null: 0, zwei: 2}\n", encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    with pytest.raises(LanguageFileError, match=r"xx.yaml: .*None is not a word: quote it, e.g. 'null'"):
        language("xx")
