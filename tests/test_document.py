"""Loading formats, segmenting, and mapping offsets back to the file."""
from __future__ import annotations

import pytest

from tqcheck.core.errors import InputError
from tqcheck.core.results import Options
from tqcheck.formats import load_path, load_text
from tqcheck.pipeline import check_document

from .conftest import SEED


def test_seed_sentences():
    doc = load_path(str(SEED))
    sentences = [doc.text[s.start:s.end] for s in doc.sentences]
    assert sentences[0] == "In India, Putin and Modi reaffirm their military pact"
    assert "India is the friend of Europe, the United States… and Russia." in sentences
    assert "You have 49.93% of this article to read." in sentences
    assert all("\n" not in s for s in sentences)


def test_sentences_keep_abbreviations_and_decimals():
    doc = load_text("t", "Mr. Smith paid $5.5 billion to the U.S. government. Then he left.", "txt")
    assert [doc.text[s.start:s.end] for s in doc.sentences] == [
        "Mr. Smith paid $5.5 billion to the U.S. government.", "Then he left."]


def test_html_offsets_map_to_file():
    html = "<html><body><p>The 21e summit &amp; the <b>Poutin</b> visit.</p><script>21e</script></body></html>"
    result = check_document(load_text("a.html", html), Options(target_lang="en"))
    texts = {f.text for f in result.findings}
    assert "21e" in texts
    for f in result.findings:
        assert html[f.start:f.end] == f.text
        assert "<" not in f.text
    assert sum(f.text == "21e" for f in result.findings) == 1  # not in <script>


def test_html_entities_decode_for_checks():
    doc = load_text("a.html", "<p>Caf&eacute; &#233;t&eacute; &amp; more</p>")
    assert "Café été & more" in doc.text
    start = doc.text.index("été")
    assert doc.content[slice(*doc.source_span(start, start + 3))] == "&#233;t&eacute;"


def test_markdown_markup_is_not_checked():
    md = "# The 21e summit\n\nRun `21e` and see [the 2e link](http://x.org/21e).\n\n```\n21e\n```\n"
    result = check_document(load_text("a.md", md), Options(target_lang="en"))
    spans = sorted((f.line, f.text) for f in result.findings if f.rule == "fr-en/ordinal")
    assert spans == [(1, "21e"), (3, "2e")]
    for f in result.findings:
        assert md[f.start:f.end] == f.text


def test_markdown_reads_line_markup_and_inline_elements_line_by_line():
    """The reader passes over a stretch of lines at once: each line still loses its opening
    markup (the first after a comment too), and no element reaches into the next line (a link
    title split over two lines is text)."""
    md = '- one `x` and [a link](u "t")\n  > 2. two\n<!-- c --> - three\n[not](u "a\nb") *e*\n'
    doc = load_text("a.md", md)
    assert doc.text == 'one x and a link\ntwo\n\n\nthree\n[not](u "a\nb") e\n'
    assert doc.ignored == [(4, 5)]
    for word in ("one", "two", "three", "[not]", "e\n"):
        start = doc.text.index(word)
        assert md[doc.source_span(start, start + len(word))[0]:][:len(word)] == word


def test_line_and_column_are_one_based():
    result = check_document(load_text("t", "First line.\nThe 21e one.", "txt"), Options(target_lang="en"))
    f = next(f for f in result.findings if f.rule == "fr-en/ordinal")
    assert (f.line, f.column) == (2, 5)


@pytest.mark.parametrize(("data", "problem"), [
    (b"\x00\x01binary", "binary"),
    (b"caf\xe9 latin-1", "not UTF-8"),
    (b"   \n\n ", "empty"),
])
def test_bad_input_is_refused(tmp_path, data, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=problem):
        load_path(str(path))


def test_bom_is_not_content(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffThe 21e summit.".encode())
    doc = load_path(str(path))
    assert doc.bom and doc.content.startswith("The")
