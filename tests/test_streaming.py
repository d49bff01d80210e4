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
    assert len(streaming.Plan(doc, CHUNK).starts) > 10  # many chunks
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


def test_a_small_file_or_a_run_with_the_model_is_not_chunked():
    doc = load_text("a.txt", "Some text.")
    assert not streaming.applies(doc, Options())
    big = load_text("a.txt", "Some text.\n\n" * (formats.STREAM_CHARS // 12 + 1))
    assert streaming.applies(big, Options())
    assert not streaming.applies(big, Options(model="auto"))
