"""Checking many inputs (runner.py): input order, errors as values, the same results for every
``--jobs`` and whether or not the model's batches span documents; the thread and precision
choices (fluency/precision.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tqcheck import runner
from tqcheck.cli import main
from tqcheck.core.results import Options
from tqcheck.fluency import precision
from tqcheck.fluency.environment import missing_packages
from tqcheck.fluency.loader import load
from tqcheck.formats import load_text
from tqcheck.gate import Gate
from tqcheck.report import render

from .conftest import DEMETR, SEED

ARTICLE = SEED.read_text(encoding="utf-8")


def _texts(n: int) -> list[str]:
    """Short English translations with errors (DEMETR), and pieces of the seed."""
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines()[:n] if line.strip()]
    paragraphs = [p for p in ARTICLE.split("\n\n") if p.strip()]
    return [r["pert_sent"] for r in rows] + paragraphs[:n // 2]


def _folder(tmp_path: Path, n: int) -> list[str]:
    paths = []
    for i, text in enumerate(_texts(n)):
        path = tmp_path / f"{i:03d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _json(outcomes: list[runner.Outcome]) -> str:
    return render("json", [o.result for o in outcomes if o.result is not None], Gate())


def test_outcomes_come_in_input_order_with_errors_as_values(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_DOCS", 3)
    paths = _folder(tmp_path, 8)
    paths.insert(4, str(tmp_path / "missing.txt"))
    docs = [load_text("record-1", "The 21e summit opened.", "txt")]
    outcomes = list(runner.check_all([*paths, *docs], Options(target_lang="en"), jobs=1))
    assert [o.name for o in outcomes] == [*paths, "record-1"]
    assert outcomes[4].error is not None and "no such file" in str(outcomes[4].error)
    assert all(o.result is not None for i, o in enumerate(outcomes) if i != 4)


def test_jobs_give_the_same_results_in_the_same_order(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_DOCS", 2)  # several chunks, so the workers really share them
    paths = _folder(tmp_path, 12)
    paths.insert(3, str(tmp_path / "missing.txt"))
    serial = list(runner.check_all(paths, Options(), jobs=1))
    parallel = list(runner.check_all(paths, Options(), jobs=3))
    assert [o.name for o in parallel] == [o.name for o in serial] == paths
    assert [str(o.error) for o in parallel] == [str(o.error) for o in serial]
    assert _json(parallel) == _json(serial)


def test_cli_jobs_output_is_identical(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _folder(folder, 6)
    outputs = []
    for jobs in ("1", "2"):
        main(["scan", "--no-model", "-f", "json", "--jobs", jobs, str(folder)])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert main(["scan", "--no-model", "--jobs", "0", str(folder)]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_free_cores_is_between_one_and_the_usable_cores():
    assert 1 <= runner.free_cores() <= runner.usable_cores()


@pytest.mark.skipif(bool(missing_packages()), reason="model packages not installed")
def test_batches_across_documents_give_the_same_findings_and_scores(tmp_path, monkeypatch):
    paths = _folder(tmp_path, 10)
    lm = load("smollm2")
    runs = []
    for chunk in (1, 64):  # one document per model call (as before batching), then all together
        monkeypatch.setattr(runner, "CHUNK_DOCS", chunk)
        lm._memo.clear()  # each run scores every sentence itself
        runs.append(_json(list(runner.check_all(paths, Options(model="smollm2"), jobs=1))))
    assert runs[0] == runs[1]
    assert '"fluency"' in runs[0]


class _Timed:
    """A scorer that takes ``seconds`` per call."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def _score(self, texts):
        import time

        time.sleep(self.seconds)
        return [type("Scored", (), {"tokens": 10})() for _ in texts]


def test_precision_probe_picks_the_faster_and_caches_it(monkeypatch, tmp_path):
    monkeypatch.setenv("TQCHECK_CACHE", str(tmp_path))
    rates = precision._measure({"float32": _Timed(0.001), "bfloat16": _Timed(0.02)})
    assert rates["float32"] > rates["bfloat16"]
    assert precision.cached("smollm2") is None
    precision._store("smollm2", {"bfloat16": False, "tokens_per_s": {"float32": 840, "bfloat16": 497}})
    assert precision.cached("smollm2")["bfloat16"] is False
    assert precision.describe("smollm2", None).startswith("float32 (measured")
    assert precision.describe("smollm2", True) == "bfloat16 autocast (TQCHECK_DTYPE)"


class _Lengths:
    """A stand-in model: a sentence's total surprisal is its length; records what it scored."""

    def __init__(self) -> None:
        self.scored: list[str] = []

    def score(self, texts):
        self.scored += texts
        return [type("Scored", (), {"total": float(len(t))})() for t in texts]


def test_rerank_scores_at_most_max_ranked_candidates_and_keeps_the_rest():
    from tqcheck.core.findings import Finding, Severity, Span
    from tqcheck.fluency import rerank

    doc = load_text("t", "He made a sortie abroad.", "txt")
    start = doc.text.index("sortie")
    finding = Finding("x/y", "style", Severity.MINOR, "m", Span(start, start + 6, "sortie"))
    candidates = [f"trip{'s' * n}" for n in range(rerank.MAX_RANKED + 3, 0, -1)]
    model = _Lengths()
    (finding,) = rerank.rank(model, [rerank.job(doc, finding, candidates)])
    assert len(model.scored) == rerank.MAX_RANKED
    ranked = candidates[:rerank.MAX_RANKED]
    assert finding.suggestions == (*sorted(ranked, key=len), *candidates[rerank.MAX_RANKED:])


def test_progress_line_shows_before_the_first_file_and_says_what_happens(monkeypatch):
    """Loading the model can take seconds before any file is done: the line must not wait."""
    import time

    from tqcheck import progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "enabled", lambda: True)
    with progress.progress(3):
        with progress.step("loading the smollm2 fluency model"):
            time.sleep(0.3)
            line = progress._active
            assert line.live.is_started
            assert line.tasks[0].description == "loading the smollm2 fluency model"
        assert line.tasks[0].description == "checking"
    assert progress._active is None and not line.live.is_started
    progress.note("nothing shows this")  # outside a run: a no-op


def test_default_jobs_with_the_model_fit_in_memory(monkeypatch):
    monkeypatch.setattr(runner, "usable_cores", lambda: 64)
    assert runner.default_jobs(False) == 64
    assert 1 <= runner.default_jobs(True) <= 64
    monkeypatch.setattr(runner, "WORKER_MB", 10**9)  # no machine holds a worker of a petabyte
    assert runner.default_jobs(True) == 1
