"""Bilingual readers (XLIFF 1.2 and 2.0, PO, TSV) and ``--source``: units, sources, and findings
that point at the exact characters of the original file."""
from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.cli import main
from tqcheck.core.bilingual import attach_source, sentence_pairs
from tqcheck.core.errors import InputError, UsageError
from tqcheck.core.results import Options
from tqcheck.formats import load_path, load_text
from tqcheck.inputs import expand
from tqcheck.pipeline import check_document

DATA = Path(__file__).parent / "data"


def _units(doc):
    return [(u.id, u.source, doc.text[u.target.start:u.target.end]) for u in doc.bilingual.units]


def _assert_offsets(result) -> None:
    """Every finding's text is the file's own characters at its span, and lines/columns agree."""
    content = result.doc.content
    for f in result.findings:
        assert content[f.start:f.end] == f.text
        line_start = content.rfind("\n", 0, f.start) + 1
        assert (f.line, f.column) == (content.count("\n", 0, f.start) + 1, f.start - line_start + 1)


def _by_rule(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f.text)
    return out


# -- XLIFF --------------------------------------------------------------------------------------
def test_xliff12_units_and_languages():
    doc = load_path(str(DATA / "bilingual-1.2.xlf"))
    assert doc.format == "xliff"
    assert (doc.bilingual.source_lang, doc.bilingual.target_lang) == ("fr", "en")
    ids = [u.id for u in doc.bilingual.units]
    assert ids == ["title", "p1", "p2"]  # p3 has no target, p4 an empty one
    title = doc.bilingual.units[0]
    assert title.source == "Le 21e sommet & la visite de Poutine"
    assert doc.text[title.target.start:title.target.end] == "The 21e summit & the visit of Poutin"
    assert title.source_codes == title.target_codes == ("g#1",)
    # A line break and its indentation read as one space; <ph> native code is not text: the
    # element reads as one placeholder character.
    p1 = doc.bilingual.units[1]
    assert doc.text[p1.target.start:p1.target.end] == \
        "The vehicle was removed around 2100 GMT the same day, été \ufffcnoted."


def test_xliff12_entities_map_to_their_raw_form():
    doc = load_path(str(DATA / "bilingual-1.2.xlf"))
    amp = doc.text.index("&")
    assert doc.content[slice(*doc.source_span(amp, amp + 1))] == "&amp;"
    ete = doc.text.index("été")
    assert doc.content[slice(*doc.source_span(ete, ete + 3))] == "&#233;t&#xE9;"
    # A span across the multi-line break maps to the file's characters, newline and all.
    start = doc.text.index("removed around")
    assert doc.content[slice(*doc.source_span(start, start + len("removed around")))] == \
        "removed\n          around"


def test_xliff12_findings_point_into_the_file():
    result = check_document(load_path(str(DATA / "bilingual-1.2.xlf")), Options())
    _assert_offsets(result)
    found = _by_rule(result)
    assert found["fr-en/ordinal"] == ["21e"]
    assert found["fr-en/exonym-person"] == ["Poutin"]
    assert found["tq/source-number"] == ["2100"]
    assert found["tq/source-name-changed"] == ["Corona"]
    assert "tq/source-tags" in found  # <ph id="2"> is in the target only
    assert result.source_lang == "fr"  # declared by the file


def test_xliff20_segments_codes_and_code_points():
    doc = load_path(str(DATA / "bilingual-2.0.xlf"))
    assert _units(doc) == [
        ("s1", "Le 21e sommet & la visite.", "The 21e summit & the visit."),
        ("s2", "Près de 20 000 maisons\ufffc ont été détruites.", "Nearly 25,000 houses were destroyed\u00a0today."),
    ]  # the source's <ph id="2"/> reads as a placeholder, as it would in the target
    nbsp = doc.text.index("\u00a0")
    assert doc.content[slice(*doc.source_span(nbsp, nbsp + 1))] == '<cp hex="00A0"/>'
    result = check_document(doc, Options())
    _assert_offsets(result)
    found = _by_rule(result)
    assert found["tq/source-number"] == ["25,000"]
    assert "tq/source-tags" in found  # <ph id="2"/> of the source is missing


def test_minified_xliff_units_are_found_in_order():
    units = "".join(f'<trans-unit id="{i}"><source>Le {i}e jour</source><target>The {i}e day</target></trans-unit>'
                    for i in (2, 3, 4))
    content = ('<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
               f'<file source-language="fr" target-language="en" datatype="plaintext" original="x"><body>{units}'
               '</body></file></xliff>')
    result = check_document(load_text("one-line.xlf", content), Options())
    assert [f.text for f in result.findings if f.rule == "fr-en/ordinal"] == ["2e", "3e", "4e"]
    _assert_offsets(result)
    assert [f.column for f in result.findings if f.rule == "fr-en/ordinal"] == \
        [content.index(f"The {i}e") + 5 for i in (2, 3, 4)]


def test_invalid_xliff_is_one_line_error():
    with pytest.raises(InputError, match=r"broken\.xlf: not valid XLIFF"):
        load_text("broken.xlf", '<xliff version="1.2"><file><body><trans-unit>')


# -- PO -----------------------------------------------------------------------------------------
def test_po_entries_plurals_and_escapes():
    doc = load_path(str(DATA / "bilingual.po"))
    assert doc.format == "po" and doc.bilingual.target_lang == "en"
    assert _units(doc) == [
        ("Le 21e sommet a réuni 7 400 personnes.", "Le 21e sommet a réuni 7 400 personnes.",
         "The 21e summit brought together 7,950 people."),
        ("files::Un fichier supprimé[0]", "Un fichier supprimé", 'One file "deleted"'),
        ("files::Un fichier supprimé[1]", "%d fichiers supprimés", "Files deleted"),
    ]  # the header, the untranslated and the obsolete entries are not units
    quote = doc.text.index('"deleted"')
    assert doc.content[slice(*doc.source_span(quote, quote + 9))] == '\\"deleted\\"'


def test_po_findings_point_into_the_file():
    result = check_document(load_path(str(DATA / "bilingual.po")), Options())
    _assert_offsets(result)
    found = _by_rule(result)
    assert found["fr-en/ordinal"] == ["21e"]
    assert found["tq/source-number"] == ["7,950"]
    assert len(found["tq/source-tags"]) == 1  # %d of msgid_plural is missing from msgstr[1]
    assert "Old" not in result.doc.text


def test_bad_po_is_one_line_error():
    with pytest.raises(InputError, match=r"bad\.po: not a valid PO file"):
        load_text("bad.po", 'msgid "a"\nmsgstr "b\nmsgid\n')


# -- TSV ----------------------------------------------------------------------------------------
def test_tsv_with_header_and_crlf():
    doc = load_path(str(DATA / "bilingual.tsv"))
    assert _units(doc) == [
        ("1", "Le 21e sommet.", "The 21e summit."),
        ("2", "Après sept jours, Bush a parlé.", "After six days, Corona spoke."),
        ("3", "« Une seule »", '"Just one'),
    ]
    result = check_document(doc, Options())
    _assert_offsets(result)
    found = _by_rule(result)
    assert found["tq/source-number"] == ["six"]
    assert found["tq/source-name-changed"] == ["Corona"]
    assert found["tq/source-brackets"] == ['"']


def test_tsv_without_header_and_bad_line():
    doc = load_text("pairs.tsv", "Bonjour.\tHello.\nAu revoir.\tGoodbye.\n")
    assert _units(doc) == [("1", "Bonjour.", "Hello."), ("2", "Au revoir.", "Goodbye.")]
    with pytest.raises(InputError, match=r"pairs\.tsv: line 2: expected source and target"):
        load_text("pairs.tsv", "Bonjour.\tHello.\nno tab here\n")


def test_folders_include_bilingual_files():
    files, errors = expand([str(DATA)])
    suffixes = {Path(f).suffix for f in files}
    assert {".xlf", ".po", ".tsv"} <= suffixes and not errors


# -- --source -----------------------------------------------------------------------------------
def test_source_file_aligns_paragraphs_and_finds_the_dropped_one():
    doc = load_path(str(DATA / "target-en.txt"))
    attach_source(doc, load_path(str(DATA / "source-fr.txt")))
    units = doc.bilingual.units
    assert [u.source[:10] for u in units] == ["Le véhicul", "Après sept", "Les négoci"]
    assert units[2].target.start == units[2].target.end  # no translation
    pairs = sentence_pairs(doc)
    assert [doc.text[p.target.start:p.target.end][:9] for p in pairs] == ["The vehic", "After sev", ""]
    result = check_document(load_path(str(DATA / "target-en.txt")), Options(source=str(DATA / "source-fr.txt")))
    found = _by_rule(result)
    assert found["tq/source-name-changed"] == ["Corona"]
    assert found["tq/source-sentence-missing"][0].startswith("After seven days")
    assert "tq/source-number" not in found  # 1200 GMT is 12 h 00 GMT; seven is sept
    assert result.source_guess.lang == "fr" and result.source_guess.basis == "source"


def test_source_option_on_the_command_line(capsys):
    code = main(["scan", str(DATA / "target-en.txt"), "--source", str(DATA / "source-fr.txt"), "--format", "json"])
    assert code == 1
    out = capsys.readouterr().out
    assert '"tq/source-name-changed"' in out and '"source_lang_guess"' in out


def test_source_option_errors(capsys):
    assert main(["scan", str(DATA / "target-en.txt"), str(DATA / "bilingual.tsv"),
                 "--source", str(DATA / "source-fr.txt")]) == 2
    assert "give exactly one translation" in capsys.readouterr().err
    assert main(["scan", str(DATA / "target-en.txt"), "--source", str(DATA / "missing.txt")]) == 2
    assert "missing.txt: no such file" in capsys.readouterr().err
    with pytest.raises(UsageError, match="holds its own source"):
        attach_source(load_path(str(DATA / "bilingual.tsv")), load_path(str(DATA / "source-fr.txt")))


def test_xliff_on_standard_input_is_recognised():
    content = (DATA / "bilingual-2.0.xlf").read_text(encoding="utf-8")
    doc = load_text("<stdin>", content)
    assert doc.format == "xliff" and len(doc.bilingual.units) == 2
