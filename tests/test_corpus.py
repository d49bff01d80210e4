"""Corpus files (JSONL, CSV, Parquet), JSONL results, --resume after a kill, report --from."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tqcheck import corpus
from tqcheck.cli import main
from tqcheck.report import jsonl

from .conftest import ROOT

SENTENCES = [
    "The Asian giant, who hosted the 21e summit, welcomed Vladimir Poutin on the occasion of his visit.",
    "The talks went well and the leaders agreed on several points about trade and security.",
    "Prices rose by 3 % in the second quarter, the statistics office said on Tuesday.",
    "The minister will travel to Geneva next week to meet her counterparts from the region.",
]


def articles(n: int, sentences: int = 4) -> list[dict]:
    """``n`` small articles, each a different mix of clean sentences and French artifacts."""
    return [{"id": f"art-{i}", "title": f"Article {i}",
             "body": " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(sentences))}
            for i in range(n)]


def write_jsonl(path: Path, rows: list, broken_after: int | None = None) -> Path:
    lines = [json.dumps(r) for r in rows]
    if broken_after is not None:
        lines.insert(broken_after, '{"id": "oops", "body": "unterminated')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["id", "title", "body"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def scan(*args: str) -> list[str]:
    return ["scan", "--no-model", "--text-field", "body", "--id-field", "id", *args]


# -- reading corpora ----------------------------------------------------------------------------
def test_jsonl_records_are_documents_named_by_id(tmp_path, capsys):
    path = write_jsonl(tmp_path / "c.jsonl", articles(3))
    code = main(scan(str(path)))
    out = capsys.readouterr().out
    assert code == 1  # major findings (ordinal, exonym)
    for i in range(3):
        assert f"{path}#art-{i}: " in out
    assert f"{path}#art-0:1:" in out and "fr-en/ordinal" in out


def test_malformed_record_is_one_error_and_the_rest_is_checked(tmp_path, capsys):
    path = write_jsonl(tmp_path / "c.jsonl", articles(4), broken_after=2)
    code = main(scan("--format", "json", str(path)))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.strip().splitlines() == [
        f"tqcheck: error: {path}: record 3 (line 3): not valid JSON: Unterminated string starting at (column 24)"]
    assert [f["path"] for f in json.loads(captured.out)["files"]] == [f"{path}#art-{i}" for i in range(4)]


def test_record_problems_name_the_record(tmp_path):
    rows = [{"id": "a", "body": "Fine text here."}, {"id": "b"}, {"id": "c", "body": 3}, [1, 2],
            {"id": "a", "body": "Same id again."}, {"body": "No id."}, {"id": "e", "body": "  "}]
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    got = [str(item) if isinstance(item, Exception) else item.path
           for item in corpus.records(str(path), corpus.Fields("body", "id"))]
    assert got == [f"{path}#a",
                   f"{path}: record 2 (line 2): no field 'body' (fields: id)",
                   f"{path}: record 3 (line 3): field 'body' is a number, not text",
                   f"{path}: record 4 (line 4): an array, not a JSON object",
                   f"{path}: record 5 (line 5): id 'a' repeats record 1",
                   f"{path}: record 6 (line 6): no usable 'id' (id field)",
                   f"{path}#e: empty text, nothing to check"]


def test_a_misnamed_field_is_one_error_for_the_file(tmp_path, capsys):
    """``--text-field`` or ``--id-field`` that no record has: one line, not one per record."""
    path = write_jsonl(tmp_path / "c.jsonl", articles(50), broken_after=3)
    assert main(["scan", "--no-model", "--text-field", "text", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"tqcheck: error: {path}: record 4 (line 4): not valid JSON: Unterminated string starting at (column 24)",
        f"tqcheck: error: {path}: none of the first {corpus.FIELD_PROBE} records has a field 'text' "
        "(fields: id, title, body); is --text-field right?"]
    assert main(scan("--id-field", "uid", str(path))) == 2
    assert "has a field 'uid' (fields: id, title, body); is --id-field right?" in capsys.readouterr().err
    few = write_jsonl(tmp_path / "few.jsonl", [{"id": 1, "title": "x"}, {"id": 2, "title": "y"}])
    assert main(scan(str(few))) == 2  # too few records to tell: each is its own error
    assert capsys.readouterr().err.count("no field 'body'") == 2


def test_records_without_id_field_are_numbered(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"text": "One."}, {"text": "Two."}])
    assert [d.path for d in corpus.records(str(path), corpus.Fields())] == [f"{path}#1", f"{path}#2"]


def test_html_records_are_read_as_html(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"text": "<p>The 21e summit.</p>"}])
    (doc,) = corpus.records(str(path), corpus.Fields(format="html"))
    assert doc.format == "html" and doc.text.strip() == "The 21e summit."


def test_csv_corpus_with_a_bad_row(tmp_path, capsys):
    path = write_csv(tmp_path / "c.csv", articles(3))
    with open(path, "a", encoding="utf-8") as f:
        f.write("art-x,only two fields\n")
        f.write('art-9,Title,"A body\nover two lines, as exports have them."\n')
    code = main(scan("--format", "json", str(path)))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"tqcheck: error: {path}: record 4 (line 5): 2 fields where the header has 3\n"
    assert [f["path"] for f in json.loads(captured.out)["files"]][-1] == f"{path}#art-9"


def test_missing_column_is_one_error_for_the_file(tmp_path, capsys):
    path = write_csv(tmp_path / "c.csv", articles(2))
    code = main(["scan", "--no-model", "--text-field", "content", str(path)])
    assert code == 2
    assert capsys.readouterr().err == f"tqcheck: error: {path}: no column 'content' (columns: id, title, body)\n"


def test_parquet_corpus(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = articles(3)
    bodies = [r["body"] for r in rows[:2]] + [None]
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": [r["id"] for r in rows], "body": bodies}), path)
    code = main(scan("--format", "json", str(path)))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"tqcheck: error: {path}: record 3: field 'body' is null, not text\n"
    assert [f["path"] for f in json.loads(captured.out)["files"]] == [f"{path}#art-0", f"{path}#art-1"]


def test_damaged_parquet_keeps_the_records_before_the_damage(tmp_path, capsys):
    """A damaged page: the records read so far are checked, then one line says where it stopped."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = articles(600)
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": [r["id"] for r in rows], "body": [r["body"] for r in rows]}), path,
                   row_group_size=100)
    data = bytearray(path.read_bytes())
    data[len(data) // 2:len(data) // 2 + 2000] = bytes(2000)
    path.write_bytes(bytes(data))
    assert main(scan("--format", "jsonl", str(path))) == 2
    captured = capsys.readouterr()
    checked = sum('"type": "file"' in line for line in captured.out.splitlines())
    assert 0 < checked < 600
    assert captured.err.startswith(f"tqcheck: error: {path}: records after {checked} not read: damaged (")
    assert captured.err.count("\n") == 1


def test_records_stream(tmp_path):
    """A record is yielded before the file's later lines are even parsed."""
    path = write_jsonl(tmp_path / "c.jsonl", articles(2))
    stream = corpus.records(str(path), corpus.Fields("body", "id"))
    assert next(stream).path == f"{path}#art-0"
    path.write_text("", encoding="utf-8")  # the open file keeps its data; nothing was read ahead of need
    assert next(stream).path == f"{path}#art-1"


# -- JSONL results, resume, report --from -------------------------------------------------------
def test_jsonl_format_round_trips_through_report_from(tmp_path, capsys):
    path = write_jsonl(tmp_path / "c.jsonl", articles(5), broken_after=1)
    main(scan("--format", "jsonl", str(path)))
    lines = capsys.readouterr().out.splitlines(keepends=True)
    records = [json.loads(line) for line in lines]
    assert [r["type"] for r in records] == ["file", "error"] + ["file"] * 4 + ["summary"]
    assert records[-1]["files"] == 5 and records[-1]["failed"] is True
    results = tmp_path / "results.jsonl"
    results.write_text("".join(lines), encoding="utf-8")

    assert main(scan("--format", "json", str(path))) == 2
    direct = json.loads(capsys.readouterr().out)
    assert main(["report", "--from", str(results), "-o", "-", "-f", "json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == direct  # the same report, built without the corpus
    assert "record 2 (line 2): not valid JSON" in captured.err
    assert main(["report", "--from", str(results), "-o", str(tmp_path / "r.html")]) == 2
    assert "art-3" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_records_are_counted_only_for_a_progress_line(tmp_path, capsys, monkeypatch):
    """Counting reads a corpus through once more: a run whose stderr is no terminal skips it."""
    def count(paths):
        raise AssertionError("counted")

    monkeypatch.setattr(corpus, "count", count)
    assert main(scan("--format", "jsonl", str(write_jsonl(tmp_path / "c.jsonl", articles(3))))) == 1
    assert capsys.readouterr().out.count("\n") == 4


def test_report_needs_paths_or_from(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path / "r.md")]) == 2
    assert "give the PATHs to check or --from RESULTS" in capsys.readouterr().err
    assert main(["report", "--from", str(tmp_path / "none.jsonl"), "-o", "-", "-f", "md"]) == 2
    assert capsys.readouterr().err == f"tqcheck: error: {tmp_path / 'none.jsonl'}: no such results file\n"


def test_resume_rewrites_a_cut_off_line_and_retries_errors(tmp_path, capsys):
    path = write_jsonl(tmp_path / "c.jsonl", articles(6))
    full = tmp_path / "full.jsonl"
    main(scan("--resume", str(full), str(path)))
    first = capsys.readouterr().out
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    error = json.dumps({"type": "error", "path": str(path), "problem": "was broken then"}) + "\n"
    partial.write_text("".join(lines[:2]) + error + lines[2][: len(lines[2]) // 2], encoding="utf-8")

    assert main(scan("--resume", str(partial), str(path))) == 1
    assert capsys.readouterr().out == first.replace(str(full), str(partial)).replace("(6 checked", "(4 checked")
    again, before = jsonl.read(partial), jsonl.read(full)
    assert again.files == before.files and again.errors() == []  # the old error was retried
    assert partial.read_text(encoding="utf-8").splitlines()[-1] == lines[-1].rstrip("\n")  # same summary
    assert main(scan("--resume", str(partial), str(path))) == 1  # nothing left: no document checked twice
    assert "(0 checked now)" in capsys.readouterr().out


def test_resume_refuses_a_file_that_is_not_results(tmp_path, capsys):
    other = tmp_path / "notes.jsonl"
    other.write_text('{"a": 1}\n', encoding="utf-8")
    assert main(scan("--resume", str(other), str(write_jsonl(tmp_path / "c.jsonl", articles(1))))) == 2
    assert capsys.readouterr().err == f"tqcheck: error: {other}: line 1 is not a tqcheck results record\n"


def test_an_incomplete_record_is_one_error_and_leaves_the_file_alone(tmp_path, capsys):
    """A results file edited by hand or written by another tool: one line naming the record, exit
    2, never an internal error; ``--resume`` does not touch the file."""
    results = tmp_path / "results.jsonl"
    main(scan("--resume", str(results), str(write_jsonl(tmp_path / "c.jsonl", articles(2)))))
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[1])
    del record["findings"][0]["start"]
    text = lines[0] + json.dumps(record) + "\n" + json.dumps({"type": "error", "path": "x"}) + "\n"
    results.write_text(text, encoding="utf-8")
    capsys.readouterr()

    assert main(["report", "--from", str(results), "-o", "-", "-f", "md"]) == 2
    assert capsys.readouterr().err == f"tqcheck: error: {results}: line 3 is not a tqcheck results record\n"
    results.write_text(text := lines[0] + json.dumps(record) + "\n", encoding="utf-8")
    assert main(["report", "--from", str(results), "-o", "-", "-f", "md"]) == 2
    expected = f"tqcheck: error: {results}: line 2: not a complete file record (no field 'start')\n"
    assert capsys.readouterr().err == expected
    assert main(scan("--resume", str(results), str(tmp_path / "c.jsonl"))) == 2
    assert capsys.readouterr().err == expected
    assert results.read_text(encoding="utf-8") == text


def _tqcheck(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tqcheck", *args], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_run_resumes_to_the_same_results(tmp_path):
    """SIGKILL a run midway (the run and its worker processes, as a batch system's kill does),
    resume it: the results file holds what an uninterrupted run writes."""
    path = write_jsonl(tmp_path / "c.jsonl", articles(800, sentences=3), broken_after=400)
    killed, whole = tmp_path / "killed.jsonl", tmp_path / "whole.jsonl"
    proc = _tqcheck(*scan("--resume", str(killed), str(path)))
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if killed.exists() and killed.stat().st_size > 100_000:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert '"type": "summary"' not in killed.read_text(encoding="utf-8")

    for target in (killed, whole):
        proc = _tqcheck(*scan("--resume", str(target), str(path)))
        proc.wait(timeout=120)
        assert proc.returncode == 2, proc.stderr.read()  # findings, and the broken record
    resumed, uninterrupted = jsonl.read(killed), jsonl.read(whole)
    assert list(resumed.files.values()) == list(uninterrupted.files.values())
    assert len(resumed.files) == 800
    assert resumed.error_records == uninterrupted.error_records and len(resumed.error_records) == 1
    last = [f.read_text(encoding="utf-8").splitlines()[-1] for f in (killed, whole)]
    assert last[0] == last[1] and json.loads(last[0])["type"] == "summary"


def test_fix_leaves_corpus_files_alone(tmp_path, capsys):
    path = write_jsonl(tmp_path / "c.jsonl", articles(1))
    before = path.read_bytes()
    assert main(["fix", "--no-model", str(path)]) == 2
    assert capsys.readouterr().err == f"tqcheck: error: {path}: a corpus file is not fixed in place: fix its " \
                                      "records where they come from (tqcheck scan lists the findings)\n"
    assert path.read_bytes() == before
