"""A large file checked a chunk at a time (tqcheck/streaming.py) gives the findings, offsets,
lines, columns, words, score and languages of the same file checked whole."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tqcheck import formats, pipeline, streaming
from tqcheck.core.results import Options
from tqcheck.formats import load_path, load_text

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parent.parent / "seeds" / "000_e6414ae541a6d4fd.txt"
CHUNK = 6_000


def _sentences() -> list[str]:
    """DEMETR's sentences: translations, translations with an error put in, French sources."""
    rows = [json.loads(line) for line in (DATA / "demetr-fr-en-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    out = []
    for row in rows:
        out.append(row["pert_sent"] if len(row["pert_sent"]) > 1 else row["mt_sent"])
        if row["id"] % 17 == 0:
            out.append(row["src_sent"].strip())  # left untranslated
    return out


def _paragraphs(rnd: random.Random, markdown: bool) -> list[str]:
    sentences = _sentences()
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, 600, 4)]
    paragraphs.insert(3, "Marek Kowalczyk met Modi. Marek Kowalczyk spoke, and Marek Kowalczyk left.")
    paragraphs.append("Later, Marek Kowalcyk said the the talks went well.")  # a name variant chunks away
    paragraphs[40:40] = SEED.read_text(encoding="utf-8").split("\n\n")
    if markdown:
        paragraphs[10:10] = ["# A heading", "```\ncode  ,  here\n\nstill code\n```", "---", "Text with `the the` code."]
        paragraphs[60:60] = ["<!-- tqcheck-disable -->", "Ignored the the words.", "<!-- tqcheck-enable -->"]
        paragraphs[80:80] = ["- a list item with a [link](http://example.com/a  b) and <!-- a\n\ncomment -->"]
    else:
        paragraphs[60:60] = ["tqcheck-disable-next-line tq/repeated-word", "Ignored the the words."]
    for i in range(len(paragraphs)):  # blank lines of every kind, and lines broken inside paragraphs
        if rnd.random() < 0.2:
            paragraphs[i] = paragraphs[i].replace(". ", ".\n", 1)
    seps = ["\n\n", "\n\n\n", "\n \n  ", "\r\n\r\n", "\n\t\n"]
    return [p + rnd.choice(seps) for p in paragraphs]


def _same(path: Path, options: Options, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = pipeline.check_document(load_path(str(path)), options)
    monkeypatch.setattr(formats, "STREAM_CHARS", 0)
    monkeypatch.setattr(streaming, "CHUNK_CHARS", CHUNK)
    doc = load_path(str(path), whole=False)
    streaming.Plan(doc, CHUNK)
    assert len(doc.bounds) > 10  # many chunks
    chunked = pipeline.check_document(doc, options)
    assert [(f.to_dict(), f.line, f.column) for f in chunked.findings] == \
           [(f.to_dict(), f.line, f.column) for f in whole.findings]
    assert {f.rule for f in whole.findings} >= {"tq/name-variant", "tq/repeated-word"}
    assert (chunked.words, chunked.score, chunked.target_lang, chunked.target_origin) == \
           (whole.words, whole.score, whole.target_lang, whole.target_origin)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_file_checked_in_chunks_gives_the_findings_of_the_whole_file(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"big{suffix}"
    path.write_bytes("".join(_paragraphs(random.Random(3), suffix == ".md")).encode("utf-8"))
    _same(path, Options(source_lang="fr"), monkeypatch)  # target language detected, on the sample


def test_a_file_in_the_wrong_language_is_one_finding_over_all_its_chunks(tmp_path, monkeypatch):
    rows = [json.loads(line) for line in (DATA / "demetr-fr-en-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    french = [r["src_sent"].strip() for r in rows[:400]]
    path = tmp_path / "fr.txt"
    path.write_text("\n\n".join(" ".join(french[i:i + 3]) for i in range(0, 400, 3)) + "\n", encoding="utf-8")
    options = Options(source_lang="fr", target_lang="en", disabled=frozenset({"tq/untranslated-sentence"}))
    whole = pipeline.check_document(load_path(str(path)), options)
    assert [f.rule for f in whole.findings].count("tq/wrong-language") == 1
    monkeypatch.setattr(formats, "STREAM_CHARS", 0)
    monkeypatch.setattr(streaming, "CHUNK_CHARS", CHUNK)
    chunked = pipeline.check_document(load_path(str(path), whole=False), options)
    assert [f.to_dict() for f in chunked.findings] == [f.to_dict() for f in whole.findings]


def test_chunks_start_after_a_blank_line_and_never_inside_a_markdown_block():
    content = "Intro.\n\n```\na\n\nb\n```\n\n---\n\nText.\n\n<!-- x\n\ny -->\n\nEnd.\n"
    starts = streaming.cuts(content, "md", 1)
    assert starts == [0, content.index("```"), content.index("Text."), content.index("<!--"), content.index("End.")]
    assert streaming.cuts("a\n\n  b\n\nc", "txt", 1) == [0, 3, 8]  # after the last line break: "  b" keeps its spaces


def test_a_small_file_or_a_run_with_the_model_is_not_chunked(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("Some text.", encoding="utf-8")
    assert not streaming.applies(load_path(str(small), whole=False), Options())
    big = tmp_path / "big.txt"
    big.write_text("Some text.\n\n" * (formats.STREAM_CHARS // 12 + 1), encoding="utf-8")
    doc = load_path(str(big), whole=False)
    assert streaming.applies(doc, Options())
    assert not streaming.applies(doc, Options(model="auto"))


@pytest.mark.parametrize("fmt", [["--format", "text"], ["--statistics"], ["--format", "jsonl"],
                                 ["--format", "github"], ["--format", "json"]])
def test_a_streamed_scan_prints_what_a_scan_of_the_file_read_whole_prints(tmp_path, monkeypatch, capsys, fmt):
    """Byte for byte, in every format: the chunks' findings, read back from disk, with the
    file's line, the totals and the gate (a suppression and a name variant across chunks too)."""
    from tqcheck import cli

    path = tmp_path / "big.md"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(_paragraphs(random.Random(5), True)).encode("utf-8"))
    argv = ["scan", "--no-model", "-s", "fr", "-t", "en", "--jobs", "1", *fmt, str(path)]
    printed = []
    for threshold in (10**12, 0):  # read whole, then in chunks
        monkeypatch.setattr(formats, "STREAM_CHARS", threshold)
        monkeypatch.setattr(streaming, "CHUNK_CHARS", CHUNK)
        code = cli.main(argv)
        printed.append((code, capsys.readouterr().out))
    assert printed[0] == printed[1]
    assert "tq/name-variant" in printed[0][1] and printed[0][0] == 1


def test_findings_spooled_to_disk_read_back_in_order_any_number_of_times():
    import pickle

    findings = [load_text("a.txt", "the the cat").text] * 10_000
    spool = streaming.Spool(findings)
    assert list(spool) == findings and list(spool) == findings and len(spool) == 10_000
    assert list(pickle.loads(pickle.dumps(spool))) == findings  # to and from a worker process


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_file_read_a_block_at_a_time_is_cut_where_the_whole_text_is(suffix):
    """A Markdown block that opens in one block read from disk and closes in a later one is never
    cut: more is read first."""
    content = "".join(_paragraphs(random.Random(7), suffix == ".md"))
    fmt = suffix.lstrip(".")
    whole = streaming.cuts(content, fmt, 500)
    for width in (7, 64, 1000):
        parts = [content[i:i + width] for i in range(0, len(content), width)]
        lengths = [len(piece) for piece in streaming.pieces(parts, fmt, 500)]
        assert [sum(lengths[:i]) for i in range(len(lengths))] == whole
    assert len(whole) > 20


def test_a_large_file_is_read_from_disk_a_chunk_at_a_time_never_whole(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes("".join(_paragraphs(random.Random(3), False)).encode("utf-8"))
    monkeypatch.setattr(formats, "STREAM_CHARS", 0)
    doc = load_path(str(path), whole=False)
    result = pipeline.check_document(doc, Options(source_lang="fr", target_lang="en"))
    assert doc._content is None and isinstance(result.findings, streaming.Findings) and len(result.findings) > 50
    assert doc.content == path.read_bytes().decode("utf-8")  # read whole only when asked


def test_a_large_file_that_is_not_utf8_past_its_first_block_is_named_as_any_file_is(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(("Some text.\n\n" * 200_000).encode("utf-8") + b"caf\xe9\n")
    monkeypatch.setattr(formats, "STREAM_CHARS", 0)
    with pytest.raises(formats.InputError) as whole:
        load_path(str(path))
    with pytest.raises(formats.InputError) as streamed:
        pipeline.check_document(load_path(str(path), whole=False), Options(target_lang="en"))
    assert str(streamed.value) == str(whole.value) and "offset 2400003" in str(whole.value)
