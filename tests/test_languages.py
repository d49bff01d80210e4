"""Languages: which pack speaks for a guessed source, which codes exist, which language a text is
expected in (tq/wrong-language), and where short texts take their language from."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tqcheck.cli import main
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.langs import known_codes
from tqcheck.langs.identify import MIN_WORDS, identify
from tqcheck.pipeline import check_document

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
    assert "'xx'" in err and "known: " + ", ".join(known_codes()) in err


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


# -- the expected target language and tq/wrong-language ---------------------------------------------
FRENCH = (
    "Le gouvernement a présenté mercredi son projet de budget pour l'année prochaine. Les dépenses de "
    "santé augmenteront légèrement, tandis que les crédits de la défense resteront stables. Plusieurs "
    "syndicats ont déjà annoncé une journée de grève pour protester contre la réforme des retraites.\n"
)
#: A French translation that shows where it came from: English words and names left in it.
FRENCH_TRANSLATION = (
    "Le président a effectué sa première visite officielle à l'étranger depuis son élection.\n\n"
    "Il a rencontré le premier ministre à London pour discuter du budget de la défense.\n\n"
    "La réunion a été reportée à la semaine prochaine because de la grève des transports publics.\n"
)
ENGLISH = (
    "The government presented its budget for next year on Wednesday. Health spending will rise "
    "slightly, while the defence budget will stay flat. Several unions have already called a day of "
    "strikes to protest against the pension reform.\n"
)


def _scan(capsys, *args: str) -> tuple[int, dict[str, dict]]:  # type: ignore[no-untyped-def]
    code = main(["scan", "--no-model", "--format", "json", *args])
    files = json.loads(capsys.readouterr().out)["files"]
    return code, {Path(f["path"]).name: f for f in files}


def _wrong(entry: dict) -> list[dict]:
    return [f for f in entry["findings"] if f["rule"] == "tq/wrong-language"]


def _write(folder: Path, **texts: str) -> list[str]:
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return [str(folder / f"{name}.txt") for name in texts]


def test_a_french_article_alone_is_not_the_english_expected(capsys, tmp_path):
    code, files = _scan(capsys, *_write(tmp_path, article=FRENCH))
    (wrong,) = _wrong(files["article.txt"])
    assert code == 1 and files["article.txt"]["target_lang"] == "en"
    assert wrong["severity"] == "critical" and wrong["category"] == "accuracy/untranslated"
    assert "French, not in English" in wrong["message"] and wrong["line"] == 1


def test_a_french_translation_alone_is_checked_as_french(capsys, tmp_path):
    """README's French example: English left in the text marks it as a translation into French."""
    _, files = _scan(capsys, "--fail-on", "never", *_write(tmp_path, article=FRENCH_TRANSLATION))
    assert files["article.txt"]["target_lang"] == "fr" and not _wrong(files["article.txt"])


def test_a_given_target_language_is_expected(capsys, tmp_path):
    paths = _write(tmp_path, article=FRENCH)
    assert not _wrong(_scan(capsys, "-t", "fr", *paths)[1]["article.txt"])
    code, files = _scan(capsys, "-t", "en", *paths)
    assert code == 1 and len(_wrong(files["article.txt"])) == 1


def test_the_configured_target_language_is_expected(capsys, tmp_path):
    (tmp_path / ".tqcheck.toml").write_text('target-lang = "en"\n', encoding="utf-8")
    paths = _write(tmp_path / "in", article=FRENCH_TRANSLATION)
    _, files = _scan(capsys, "--fail-on", "never", "--config", str(tmp_path / ".tqcheck.toml"), *paths)
    assert len(_wrong(files["article.txt"])) == 1


def test_the_run_expects_the_language_most_of_its_files_are_in(capsys, tmp_path):
    paths = _write(tmp_path, a=ENGLISH, b=ENGLISH.replace("Wednesday", "Thursday"), c=FRENCH_TRANSLATION)
    _, files = _scan(capsys, "--fail-on", "never", *paths)
    assert [len(_wrong(files[n])) for n in ("a.txt", "b.txt", "c.txt")] == [0, 0, 1]
    assert files["c.txt"]["target_lang"] == "en"


def test_a_run_of_french_files_is_french(capsys, tmp_path):
    paths = _write(tmp_path, a=FRENCH, b=FRENCH.replace("mercredi", "jeudi"), short="Merci à tous !\n")
    _, files = _scan(capsys, "--fail-on", "never", *paths)
    assert {n: (f["target_lang"], len(_wrong(f))) for n, f in files.items()} == {
        "a.txt": ("fr", 0), "b.txt": ("fr", 0), "short.txt": ("fr", 0)}


# -- short texts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Welcome on our site !", "Tack för att du kom", "The end."])
def test_a_short_text_alone_is_not_identified_by_langdetect(text):
    result = check_document(load_text("t.txt", text + "\n", "txt"), Options())
    assert (result.target_lang, result.target_origin) == ("en", "default")
    assert "tq/wrong-language" not in [f.rule for f in result.findings]


def test_a_line_from_stdin_gets_the_english_rules(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Vladimir Poutin arrived today\n")))
    code, files = _scan(capsys, "-")
    (entry,) = files.values()
    assert entry["target_lang"] == "en" and code == 1
    assert [f["rule"] for f in entry["findings"]] == ["fr-en/exonym-person"]


def test_langdetect_decides_alone_from_min_words():
    assert identify("Welcome on our site !") is None
    assert identify(ENGLISH)[0] == "en" and identify(FRENCH)[0] == "fr"
    assert len(FRENCH.split()) >= MIN_WORDS


def test_a_run_of_two_languages_without_a_majority_checks_each_in_its_own(capsys, tmp_path):
    _, files = _scan(capsys, "--fail-on", "never", *_write(tmp_path, en=ENGLISH, fr=FRENCH))
    assert {n: (f["target_lang"], len(_wrong(f))) for n, f in files.items()} == {
        "en.txt": ("en", 0), "fr.txt": ("fr", 0)}


def test_a_text_in_the_given_source_language_is_not_its_translation(capsys, tmp_path):
    paths = _write(tmp_path, article=FRENCH)
    assert len(_wrong(_scan(capsys, "-s", "fr", *paths)[1]["article.txt"])) == 1
    _, files = _scan(capsys, "-s", "en", "--fail-on", "never", *paths)
    assert files["article.txt"]["target_lang"] == "fr" and not _wrong(files["article.txt"])
