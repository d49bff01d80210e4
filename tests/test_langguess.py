"""Guessing the source language when --source-lang is not given, and reporting the guess."""
from __future__ import annotations

import json

from tqcheck.cli import main
from tqcheck.core.results import Options
from tqcheck.formats import load_path, load_text
from tqcheck.langguess import LangGuess
from tqcheck.pipeline import check_document
from tqcheck.report import text as terminal

from .conftest import SEED


def test_seed_is_guessed_french():
    result = check_document(load_path(str(SEED)), Options())
    guess = result.source_guess
    assert result.source_lang is None
    assert guess.lang == "fr" and guess.basis == "artifacts"
    assert guess.confidence >= 0.9


def test_clean_english_has_no_source_language():
    text = ("The weather was fine and the children played in the garden all afternoon. "
            "Later they walked home along the river and had dinner with their grandparents.")
    guess = check_document(load_text("clean.txt", text, "txt"), Options()).source_guess
    assert guess.lang is None and guess.confidence < 0.5


def test_weak_evidence_stays_below_strong():
    one = check_document(load_text("a.txt", "The 21e summit opened today in Delhi.", "txt"), Options())
    many = check_document(load_text("b.txt", "The 21e summit opened. Vladimir Poutin came to the 3e "
                                    "round, reserved for our subscribers.", "txt"), Options())
    assert many.source_guess.confidence > one.source_guess.confidence


def test_given_source_language_means_no_guess():
    assert check_document(load_path(str(SEED)), Options(source_lang="fr")).source_guess is None


def test_bilingual_source_text_is_read_directly():
    doc = load_text("pairs.tsv",
                    "Le sommet a été reporté à mardi prochain.\tThe summit was postponed to next Tuesday.\n")
    guess = check_document(doc, Options()).source_guess
    assert (guess.lang, guess.basis) == ("fr", "source") and guess.confidence > 0.9


def test_guess_in_json_and_terminal(capsys):
    assert main(["scan", "--format", "json", "--fail-on", "never", str(SEED)]) == 0
    entry = json.loads(capsys.readouterr().out)["files"][0]
    assert entry["source_lang"] is None
    assert entry["source_lang_guess"]["lang"] == "fr"
    assert 0.9 <= entry["source_lang_guess"]["confidence"] <= 1.0
    result = check_document(load_path(str(SEED)), Options())
    assert "fr (guessed, " in terminal.file_line(result)
    assert LangGuess(None, 0.2).to_dict() == {"lang": None, "confidence": 0.2, "basis": "artifacts"}


def test_long_article_does_not_overflow_the_guess():
    """Evidence grows with the text: a long article once overflowed math.exp."""
    text = "It was the 21e annual summit with Vladimir Poutin.\n\n" * 800
    guess = check_document(load_text("long.txt", text, "txt"), Options()).source_guess
    assert guess is not None and guess.lang == "fr" and 0.99 <= guess.confidence <= 1.0
