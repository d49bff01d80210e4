"""Sentences left untranslated: langdetect reads consecutive ones together (issue 9: its cost was
one call per sentence, 0.08 MB/s on a French page repeated)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.checks import untranslated
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document

FRENCH = [
    "Les deux dirigeants ont signé un accord sur la défense commune.",
    "Le gouvernement a annoncé de nouvelles mesures pour les petites entreprises.",
    "Les ministres ne sont pas d'accord sur le budget de la défense.",
    "La présidence a indiqué que le sommet serait reporté à mardi prochain.",
]
TEXT = "The summit ended on Monday. " + " ".join(FRENCH) + " The leaders then went home."
FR_EN = Options(source_lang="fr", target_lang="en")


def _sentences(text: str) -> list[str]:
    found = check_document(load_text("page.txt", text, "txt"), FR_EN).findings
    return [f.text for f in found if f.rule == "tq/untranslated-sentence"]


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """The texts the check hands to langdetect."""
    seen: list[str] = []
    real = untranslated.detect

    def counting(text: str) -> tuple[str, float]:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(untranslated, "detect", counting)
    return seen


def test_a_run_of_untranslated_sentences_costs_one_call(calls):
    assert _sentences(TEXT) == FRENCH
    assert len(calls) == 1  # the run, not one call per sentence


def test_sentences_apart_are_read_alone(calls):
    text = f"{FRENCH[0]} The summit ended on Monday with an agreement. {FRENCH[1]}"
    assert _sentences(text) == FRENCH[:2]
    assert calls == FRENCH[:2]


def test_a_run_langdetect_cannot_place_is_read_sentence_by_sentence(monkeypatch):
    """Where the run together reads as the target (or no language for sure), each sentence is
    judged alone, as a lone one is: a run never hides a sentence."""
    monkeypatch.setattr(untranslated, "detect", lambda text: ("en", 0.99) if "\n" in text else ("fr", 0.95))
    assert _sentences(TEXT) == FRENCH


def test_a_long_run_is_read_in_bounded_pieces(calls):
    page = " ".join(FRENCH * 40)  # about 10,000 characters, one paragraph
    assert len(_sentences(page)) == 160
    assert len(calls) <= len(page) // untranslated.RUN_CHARS + 1
    assert all(len(text) <= untranslated.RUN_SAMPLE + untranslated._RUN_SLICES for text in calls)


def test_a_repeated_sentence_is_read_once(calls):
    """Boilerplate repeated between translated sentences: one call for all its copies."""
    line = "Lire aussi : les ministres ne sont pas d'accord sur le budget de la défense."
    text = " ".join([f"{line} The summit ended on Monday with an agreement."] * 5)
    assert _sentences(text) == [line] * 5
    assert calls == [line]


def _words(text: str) -> list[tuple[int, int, str]]:
    found = check_document(load_text("page.txt", text, "txt"), FR_EN).findings
    return [(f.start, f.end, f.text) for f in found if f.rule == "tq/untranslated-word"]


def test_a_repeated_line_is_judged_once_at_each_place(monkeypatch):
    """Scraped boilerplate repeated line after line: its words are weighed once,
    and each copy is still reported where it stands."""
    judged: list[str] = []
    real = untranslated._suspect

    def counting(doc, sentence, *args):
        judged.append(doc.text[sentence.start:sentence.end])
        return real(doc, sentence, *args)

    monkeypatch.setattr(untranslated, "_suspect", counting)
    text = "We met demain at noon.\n" * 3
    assert [(s, e) for s, e, _ in _words(text)] == [(7, 13), (30, 36), (53, 59)]
    assert judged == ["We met demain at noon."]


def test_a_repeated_line_is_judged_in_its_context():
    """The same words glued to code before them (``io.mais``) are kept; elsewhere they are not."""
    text = "They left, mais the rain went on.\nSee io.mais the rain went on."
    assert [word for _, _, word in _words(text)] == ["mais"]


def test_a_glossed_quotation_is_kept_beside_foreign_words_outside_it():
    """Only the words inside the glossed quotation are kept: those before and after it are not
    (the sentence's quotes are found once, not counted again for each word)."""
    text = ('Severe weather came, mais the crowd sang "nous sommes toujours ici", translated as '
            'we are still here, mais the rain went on.')
    assert [word for _, _, word in _words(text)] == ["mais", "mais"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aBéÉǅϒ's .\n", max_size=40))
def test_names_in_sentences_skips_only_sentences_without_a_capital_after_the_first_word(text):
    """The shortcut for sentences with no capital after their first word finds what reading every
    word finds."""
    doc = load_text("t.txt", "Text. " + text, "txt")
    expected = set()
    for sentence in doc.sentences:
        tokens = list(untranslated.TOKEN.finditer(doc.text, sentence.start, sentence.end))[1:]
        expected |= {untranslated._POSSESSIVE.sub("", m.group()) for m in tokens if m.group()[:1].isupper()}
    assert untranslated.names_in_sentences(doc) == expected
