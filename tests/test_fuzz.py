"""Property-based fuzzing (hypothesis): random and adversarial text through every reader and ``fix``.

The text is built from pieces that have broken tqcheck before or could: every rule's trigger (the
first flagged example of each YAML rule), long runs of one character, digit groups, abbreviations,
mixed scripts, control characters.  For every reader (txt, md, html, xliff, po, tsv):

- checking never raises anything but a one-line :class:`InputError` (a file a reader refuses);
- every finding's offsets are exact: ``text == content[start:end]``;
- ``fix`` (rules only) is idempotent, and leaves every byte outside the lines it edits as it was.

Examples are derandomized, so a run in CI sees the same inputs every time; set
``TQCHECK_FUZZ_EXAMPLES`` to explore more (and new) inputs locally.
"""
from __future__ import annotations

import html
import os
from xml.sax.saxutils import escape as xml_escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck import fix
from tqcheck.core.errors import InputError
from tqcheck.core.results import Options
from tqcheck.fix import fix_document
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document
from tqcheck.rules.examples import example_text
from tqcheck.rules.packs import all_rules

EXAMPLES = int(os.environ.get("TQCHECK_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=EXAMPLES or 12, deadline=None, derandomize=not EXAMPLES, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FORMATS = ("txt", "md", "html", "xlf", "po", "tsv")
TRIGGERS = sorted({example_text(rule.examples["flag"][0]["text"])[0] for rule in all_rules()})
#: Scripts, spaces and controls that text from the wild carries (some tokens are several characters).
ALPHABET = st.sampled_from(list("aZé ß,.;:!?'\"«»“”’()-–—/\\*_#`<>&\t\n\r\u00a0\u202f\u200b\x0b\x0c\x1b\x85\u2028")
                           + ["Мо", "北京", "القاهرة", "🙂", "e\u0301", "\ufeff"])

runs = st.builds(lambda ch, n: ch * n, st.sampled_from([" ", "\n", "a", "-", ".", '" ', "Mr. ", "600 000 ", "«", "\t"]),
                 st.integers(1, 600))
pieces = st.one_of(st.sampled_from(TRIGGERS), runs, st.lists(ALPHABET, max_size=30).map("".join))
texts = st.lists(pieces, min_size=1, max_size=8).flatmap(
    lambda parts: st.lists(st.sampled_from([" ", "\n", "\n\n", ""]), min_size=len(parts), max_size=len(parts))
    .map(lambda seps: "".join(p + s for p, s in zip(parts, seps))))


def as_file(fmt: str, text: str) -> str:
    """``text`` written as a file of format ``fmt``, paragraph by paragraph."""
    paras = [p for p in text.split("\n\n") if p.strip()] or ["x"]
    if fmt == "md":
        marks = ("# ", "- ", "> ", "", "1. ")
        return "\n\n".join(f"{marks[i % 5]}{p} `code` *em*" for i, p in enumerate(paras)) + "\n"
    if fmt == "html":
        return "<html><body>\n" + "\n".join(f"<p>{html.escape(p)} <code>f()</code> end</p>" for p in paras) \
            + "\n</body></html>\n"
    if fmt == "xlf":
        units = "\n".join(f'<trans-unit id="{i}"><source>Source {i}</source><target>{xml_escape(p)}</target>'
                          "</trans-unit>" for i, p in enumerate(paras))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file source-language="fr" target-language="en" '
                f'datatype="plaintext" original="x"><body>\n{units}\n</body></file></xliff>\n')
    if fmt == "po":
        def quote(s: str) -> str:
            return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")

        return 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n' + "".join(
            f'msgid "Source {i}"\nmsgstr "{quote(p)}"\n\n' for i, p in enumerate(paras))
    if fmt == "tsv":
        return "".join(f"Source {i}\t{' '.join(p.split())}\n" for i, p in enumerate(paras))
    return text


def checked(fmt: str, content: str, options: Options):  # type: ignore[no-untyped-def]
    """The result of checking ``content``, or None where the reader refuses it in one line."""
    try:
        return check_document(load_text(f"fuzz.{fmt}", content, fmt if fmt != "xlf" else "xliff"), options)
    except InputError as exc:
        assert "\n" not in str(exc)
        return None


OPTIONS = st.sampled_from([Options(source_lang="fr", target_lang="en"), Options(target_lang="en"),
                           Options(source_lang="en", target_lang="fr")])


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=texts, options=OPTIONS)
def test_offsets_are_exact_in_every_reader(fmt, text, options):
    content = as_file(fmt, text)
    result = checked(fmt, content, options)
    for f in result.findings if result else ():
        assert 0 <= f.start <= f.end <= len(content)
        assert f.text == content[f.start:f.end], f.rule


def _lines(content: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole lines, with the line break after them."""
    end = content.find("\n", max(end, start + 1) - 1)
    return content.rfind("\n", 0, start) + 1, len(content) if end < 0 else end + 1


def _kept_outside(content: str, fixed: str, spans: list[tuple[int, int]]) -> bool:
    """Whether ``fixed`` is ``content`` with only ``spans`` rewritten: the text between them comes
    back in order, the first piece as a prefix and the last as a suffix."""
    kept, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            kept.append(content[pos:start])
        pos = max(pos, end)
    tail = content[pos:]
    if not spans:
        return fixed == content
    at = 0
    for i, piece in enumerate(kept):
        found = fixed.find(piece, at)
        if found < 0 or (i == 0 and sorted(spans)[0][0] > 0 and found != 0):
            return False
        at = found + len(piece)
    return fixed.endswith(tail) and len(fixed) - len(tail) >= at


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(text=texts)
def test_fix_is_idempotent_and_keeps_bytes_outside_the_lines_it_edits(fmt, text):
    content = as_file(fmt, text)
    options = Options(source_lang="fr", target_lang="en")
    result = checked(fmt, content, options)
    if result is None:
        return
    kind = fmt if fmt != "xlf" else "xliff"
    edits = fix.plan(result, unsafe=False)
    fixed = fix.apply(content, edits, kind, result.doc)
    assert _kept_outside(content, fixed, [_lines(content, f.start, f.end) for f in edits])
    once = fix_document(f"fuzz.{fmt}", content, kind, options, unsafe=False).fixed
    assert fix_document(f"fuzz.{fmt}", once, kind, options, unsafe=False).fixed == once
    if fmt in ("xlf", "po", "tsv"):  # markup and sources are never edited
        assert once.count("Source ") == content.count("Source ")
    if fmt == "html":
        assert once.count("<code>f()</code>") == content.count("<code>f()</code>")
