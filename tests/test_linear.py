"""Linear time and bounded work on adversarial text: what the engine, the sentence splitter, the
TSV reader and ``tqcheck score`` do to stay linear, and the results they give.

Speed itself is measured by ``benchmarks/bench_adversarial.py`` (MB/s of each pattern at a size and
twice that size), not by timed tests.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tqcheck import metrics
from tqcheck.cli import main
from tqcheck.core.errors import InputError
from tqcheck.core.results import Options
from tqcheck.core.segments import split_sentences
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document
from tqcheck.rules.compiled import MAX_GROUPS, MAX_LEADING, compile_bounded
from tqcheck.rules.matching import CONTEXT, RuleSet
from tqcheck.rules.schema import parse_rule


def _rule(**fields) -> RuleSet:
    raw = {"id": "t/rule", "type": "substitution", "category": "linguistic-conventions/punctuation",
           "message": "m", "examples": {"flag": ["x"], "pass": ["y"]}, **fields}
    return RuleSet([parse_rule(raw, "t", Path("t.yaml"))])


# -- bounded patterns -----------------------------------------------------------------------------
def test_a_leading_repeat_is_capped_so_a_run_is_not_rescanned_from_each_position():
    pattern = compile_bounded(r"[ \t]*”")
    text = "x" + " " * 1000 + "”"
    m = pattern.search(text)
    assert m.end() == len(text) and m.start() == len(text) - 1 - MAX_LEADING
    assert pattern.fullmatch("  ”") and re.fullmatch(r"[ \t]*”", "  ”")


def test_a_negative_lookahead_keeps_its_unbounded_repeat():
    """Capping inside ``(?!…)`` would let it succeed where the pattern as written fails."""
    assert compile_bounded(r"a(?!b*c)").match("a" + "b" * 5000 + "c") is None


def test_a_run_of_digit_groups_is_matched_in_pieces_that_make_one_finding():
    """The pieces (``MAX_GROUPS`` groups at most) have a space between them: one run, one finding
    whose fix is each piece's; "000 000" inside the numbers is no repeated word."""
    text = " ".join(["600 000 000"] * 200)
    found = check_document(load_text("n.txt", text, "txt"), Options("fr", "en")).findings
    assert [(f.rule, f.start, f.end) for f in found] == [("fr-en/space-thousands", 0, len(text))]
    pieces = found[0].suggestions[0].split(" ")
    assert len(pieces) > 1 and all(p.count(",") <= MAX_GROUPS for p in pieces)
    assert found[0].suggestions[0].replace(",", " ") == text


def test_touching_matches_of_one_key_merge_into_one_finding_with_one_fix():
    findings = _rule(boundary=False, swap={"ab": "x"}).run(load_text("t.txt", "zababab z", "txt"))
    assert [(f.start, f.end, f.suggestions) for f in findings] == [(1, 7, ("xxx",))]


# -- every rule at a position ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "word"), [
    ("Talks in Moscou resumed.", "Moscou"),  # a pack's exonym rule matches there too
    ("The dialog went on, the dialog ended, then the dialogue resumed.", "dialogue"),  # and spelling consistency
])
def test_a_critical_termbase_entry_is_not_shadowed_by_a_pack_rule(tmp_path, text, word):
    terms = tmp_path / "terms.csv"
    terms.write_text("source_term,target_term,forbidden,note,severity\n"
                     "Moscou,Moscow,Moscou,,critical\ndialogue,dialog,dialogue,,critical\n", encoding="utf-8")
    result = check_document(load_text("t.txt", text, "txt"), Options("fr", "en", termbase=str(terms)))
    hit = [f for f in result.findings if f.text == word]
    assert [f.rule.split("/")[0] for f in hit] == ["termbase"] and hit[0].severity.label == "critical"


# -- bounded context and sentences ----------------------------------------------------------------
def test_context_conditions_read_a_window_around_the_hit():
    """``when: council`` 2,000 characters away in a sentence without full stops is out of reach."""
    near = "the reunion of the council"
    far = "the reunion " + "and more words " * (2 * CONTEXT // 15) + "of the council"
    rules = {f.rule for f in check_document(load_text("t.txt", near, "txt"), Options("fr", "en")).findings}
    assert "fr-en/ff-reunion" in rules
    rules = {f.rule for f in check_document(load_text("t.txt", far, "txt"), Options("fr", "en")).findings}
    assert "fr-en/ff-reunion" not in rules


@pytest.mark.parametrize(("text", "sentences"), [
    ("Mr. " * 5000 + "Smith left.", 1),
    ("It ended.  \nThen word   \nNext one, " + " " * 5000 + "\nOn.", 4),
    ("x. \n1 more", 2),
])
def test_sentence_splitting_of_long_runs(text, sentences):
    assert len(split_sentences(text, 0, len(text))) == sentences


def test_the_sentence_end_pattern_opens_with_one_character_class_so_the_search_skips_prose():
    """Python's matcher skips, in C, to the next character of a pattern's opening class; a pattern
    that opens with lookbehinds is tried at every character (a tenth of a rules-only scan)."""
    from re import _constants, _parser  # type: ignore[attr-defined]

    from tqcheck.core import segments

    first, _ = _parser.parse(segments._SENTENCE_END.pattern)[0]
    assert first is _constants.IN
    text = "Yes. He left! Dr. Who came… Then 好。他说「はい。」と\nNew line: done.\nx"
    assert [text[s.start:s.end] for s in split_sentences(text, 0, len(text))] == [
        "Yes.", "He left!", "Dr. Who came…", "Then 好。", "他说「はい。」と", "New line: done.", "x"]


def test_a_finding_is_checked_against_the_ignored_spans_by_bisection():
    """A Markdown page with a code span and a finding on every line: each finding was compared
    with every ignored span (272 KB took 15 s); the spans are now read once, into an index."""

    class Counted(list):
        reads = 0

        def __iter__(self):
            Counted.reads += 1
            return super().__iter__()

    doc = load_text("a.md", "`x` the the, ok\n\n" * 300, "md")
    doc.ignored = Counted(doc.ignored)
    found = check_document(doc, Options("fr", "en")).findings
    assert sum(f.rule == "tq/repeated-word" for f in found) == 300
    assert Counted.reads <= 2
    assert doc.is_ignored(0, 1) and not doc.is_ignored(1, 15) and doc.is_ignored(14, 16)


# -- TSV ------------------------------------------------------------------------------------------
def test_tsv_field_longer_than_the_csv_module_allows_is_read():
    target = "word " * 40_000  # 200,000 characters: csv's default limit is 131,072
    doc = load_text("long.tsv", f"mot\t{target}\n", "tsv")
    assert doc.text == target.strip() or doc.text == target


def test_tsv_third_column_without_header_is_an_error():
    with pytest.raises(InputError, match=r"line 2: 3 fields.*header"):
        load_text("x.tsv", "a\tb\nc\td\te\n", "tsv")


def test_tsv_header_may_name_columns_that_are_not_checked():
    doc = load_text("x.tsv", "id\tsource\ttarget\tnote\n7\tLe chat.\tThe cat.\tok\n", "tsv")
    assert doc.text == "The cat." and doc.bilingual.units[0].id == "7"
    with pytest.raises(InputError, match=r"line 3: 3 fields where the header has 4"):
        load_text("x.tsv", "id\tsource\ttarget\tnote\n7\tLe chat.\tThe cat.\tok\n8\tUn.\tOne.\n", "tsv")


# -- tqcheck score --------------------------------------------------------------------------------
def test_score_cuts_long_sentences_and_aligns_unequal_counts():
    doc = load_text("a.txt", "word " * 100, "txt")
    assert [len(s.split()) for s in metrics.sentences(doc)] == [metrics.MAX_WORDS] * 2 + [100 - 2 * metrics.MAX_WORDS]
    hyp, refs = metrics.segment_pairs(["A b.", "C d."], [["A b.", "extra", "C d."], ["A b. C d."]])
    assert hyp == ["A b. C d."] and refs == [["A b. extra C d."], ["A b. C d."]]


def test_score_refuses_a_file_over_the_cap(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_text("word " * (metrics.MAX_CHARS // 5 + 10), encoding="utf-8")
    assert main(["score", str(big), "--ref", str(big)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tqcheck score takes at most" in err


# -- name variants ---------------------------------------------------------------------------------
def test_a_long_run_of_capitalised_words_gives_each_name_only_its_near_words():
    """A name's neighbours come from a window of its run, not the whole run: a headline-long or
    repeated run of capitalised words costs linear work, and far words are no evidence."""
    from tqcheck.checks.name_variants import NAME_WINDOW, Names

    text = " ".join(f"Name{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(2000))
    names: Names[tuple[int, int]] = Names()
    names.add(text, lambda start, end: (start, end))
    assert len(names.counts) == len(set(text.split()))
    assert max(len(words) for words in names.neighbours.values()) == 2 * NAME_WINDOW
    short: Names[tuple[int, int]] = Names()
    short.add("Vladimir Putin met Modi", lambda start, end: (start, end))
    assert short.neighbours["Putin"] == {"Vladimir"}


def test_a_repeated_run_of_names_is_read_once_and_counted_at_every_place(monkeypatch):
    """A page repeats its capitalised words (a byline, a menu line): each text of a run is read
    once per document, and every occurrence still counts, at its own place."""
    from tqcheck.checks import name_variants

    read = []
    monkeypatch.setattr(name_variants, "_names_in_run",
                        lambda run, alone=name_variants._names_in_run: read.append(run) or alone(run))
    names: name_variants.Names[int] = name_variants.Names()
    line = "By Jean-Pierre Raffarin. Publicité\n"
    names.add(line * 50 + "Vladimir Poutin", lambda start, end: start)
    assert sorted(read) == ["By Jean-Pierre Raffarin", "Publicité", "Vladimir Poutin"]
    assert names.counts["Raffarin"] == 50 and names.places["Poutin"] == [50 * len(line) + len("Vladimir ")]
    assert names.neighbours["Raffarin"] == {"By", "Jean-Pierre"}


def test_name_counts_keep_the_places_of_rare_spellings_only():
    """Past MAX_RARE a spelling can never be the rare one: its places are dropped, so memory grows
    with the names, not with the text (a file checked in chunks adds every chunk)."""
    from tqcheck.checks.name_variants import MAX_RARE, Names

    names: Names[int] = Names()
    for _ in range(100):
        names.add("Vladimir Putin met Vladimir Poutin.", lambda start, end: start)
    assert names.counts["Putin"] == 100 and "Putin" not in names.places
    once: Names[int] = Names()
    once.add("Vladimir Putin met Modi. " * MAX_RARE, lambda start, end: start)
    assert len(once.places["Putin"]) == MAX_RARE


# -- suppressions ----------------------------------------------------------------------------------
def test_a_suppression_in_every_paragraph_is_read_in_linear_time(monkeypatch):
    """Each finding was compared with every region, and each directive's rule names with every
    rule (296 KB with a directive per paragraph took 4 s): a selector is checked once, and a
    finding asks the regions of its rule's selectors by bisection."""
    from tqcheck import suppressions

    calls = []
    selects = suppressions.selects
    monkeypatch.setattr(suppressions, "selects", lambda *a: calls.append(a) or selects(*a))
    paragraph = "<!-- tqcheck-disable-next-line tq/repeated-word -->\nthe the ok\n\nthe the.\n\n"
    found = check_document(load_text("a.md", paragraph * 200, "md"), Options("fr", "en")).findings
    assert [f.line for f in found if f.rule == "tq/repeated-word"] == [5 * n + 4 for n in range(200)]
    assert len(calls) < 2 * len(suppressions._known())  # the name checked once, the finding's rule once


@pytest.mark.parametrize(("name", "unit"), [
    ("a.xlf", '<trans-unit id="{n}"><source>Le chat</source><target>The the cat</target>'
              '<note>tqcheck-disable tq/repeated-word</note></trans-unit>\n'),
    ("a.po", '# tqcheck-disable tq/repeated-word\nmsgid "Le chat {n}"\nmsgstr "The the cat {n}"\n\n'),
])
def test_a_directive_in_every_unit_finds_its_unit_without_rereading_the_file(name, unit, monkeypatch):
    """Each directive's unit was found by reading the file from its start (or on to the unit's
    end): the units' starts and ends are read once."""
    from tqcheck import suppressions

    reads = []
    for attribute in ("_XLIFF_UNIT", "_XLIFF_UNIT_END", "_PO_ENTRY_END"):
        pattern = getattr(suppressions, attribute)

        class Counted:
            def __init__(self, pattern):
                self.pattern = pattern

            def finditer(self, *a):
                reads.append(a)
                return self.pattern.finditer(*a)

            def search(self, *a):
                reads.append(a)
                return self.pattern.search(*a)

        monkeypatch.setattr(suppressions, attribute, Counted(pattern))
    head = '<xliff version="1.2"><file source-language="fr" target-language="en"><body>\n' if name == "a.xlf" else ""
    tail = "</body></file></xliff>\n" if name == "a.xlf" else ""
    text = head + "".join(unit.format(n=n) for n in range(300)) + tail
    found = check_document(load_text(name, text, "xliff" if name == "a.xlf" else "po"), Options("fr", "en")).findings
    assert not [f for f in found if f.rule == "tq/repeated-word"]
    assert len(reads) <= 2
