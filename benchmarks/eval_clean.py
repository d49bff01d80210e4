"""False alarms on clean, native English: how often does tqcheck fail text that has nothing wrong?

Every finding on these texts is a false alarm: they were written in English by professionals.
Corpora (one file per article):

- ``bbc``: BBC News articles, 2004-2005 (``../shared/data/bbc-news-dev.jsonl``, research use: read
  from there, never copied);
- ``pydoc``: the prose of Python's own documentation topics (``pydoc_data.topics``, ships with
  Python; indented code blocks, heading underlines and rubrics removed, list items kept whole);
- ``reference``: the human reference translations in ``references/``.

It runs the real CLI, ``tqcheck scan --format json``, as fresh processes over files written to a
temporary folder (many files per process, with the default settings: no language given, the gate
at its default, the model on unless ``--no-model``), and computes everything from the JSON printed:
the share of articles that fail the gate, major (and critical) findings per 1,000 words, all
findings per 1,000 words, and the rules that fire most.  Goals: <= 1 % of articles fail,
<= 0.05 major/kw, <= 0.5 findings/kw.

    .venv/bin/python benchmarks/eval_clean.py [--no-model] [--limit N] [--markdown]

The model over all 638,000 words takes hours on two shared cores: ``--keep DIR`` writes each
batch's JSON report to ``DIR/<corpus>/``, ``--only CORPUS`` scans some corpora and ``--skip N``
leaves out the first N articles of each (for another process at the same time, say), and
``--from DIR`` prints the table again from the reports kept there, scanning nothing.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev.jsonl"
TQCHECK = ROOT / ".venv" / "bin" / "tqcheck"
sys.path.insert(0, str(ROOT))

from table import print_table  # noqa: E402  (benchmarks/ is on the path when a script here runs)

#: Files per CLI process: the model loads once per process, and a failing batch costs little.
BATCH = 200
GOALS = {"fail": 1.0, "major_kw": 0.05, "all_kw": 0.5}
SEVERE = ("major", "critical")
#: ``--min-confidence`` values whose share of failing articles is printed, to choose the default.
SWEEP = (0.0, 0.3, 0.5, 0.7, 0.9)


def bbc_articles(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


#: A Sphinx rubric as the text builder writes it ("-[ Footnotes ]-"): a heading, not prose.
RUBRIC = re.compile(r"-\[ .* \]-")


def pydoc_articles() -> list[str]:
    """The prose of each documentation topic, joined into paragraphs: unindented lines, and the
    indented lines that continue them without a blank line (the rest of a list item: "5. If a
    target was included ..., the return value / from __enter__() is assigned to it."); an
    indented block after a blank line is code.  Heading underlines and rubrics are left out."""
    from pydoc_data.topics import topics

    out = []
    for name in sorted(topics):
        paragraphs, current = [], []
        for line in topics[name].splitlines():
            text = line.strip()
            heading = not set(text) - set("*=-~^") or RUBRIC.fullmatch(text)
            prose = text and not heading and (bool(current) or not line.startswith((" ", "\t")))
            if prose:
                current.append(line.strip())
            elif current:
                paragraphs.append(" ".join(current))
                current = []
        paragraphs.append(" ".join(current))
        text = "\n\n".join(p for p in paragraphs if p)
        if len(text.split()) >= 20:
            out.append(text)
    return out


def reference_articles() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "references").glob("*.txt"))]


@dataclass
class Tally:
    """What the CLI reported on one corpus."""

    files: int = 0
    failed: int = 0
    words: int = 0
    severe: int = 0
    findings: int = 0
    rules: Counter = field(default_factory=Counter)
    severe_rules: Counter = field(default_factory=Counter)
    #: Per article, the highest confidence of a finding at or above the gate's severity.
    gating_confidence: list[float] = field(default_factory=list)
    #: The fluency models of the reports, as their scoring signature names them ("none": rules only).
    models: set[str] = field(default_factory=set)

    def add(self, report: dict) -> None:
        self.models.add(dict(part.split(":", 1) for part in report["signature"].split("|"))["model"])
        gate = report["summary"]
        threshold = ("minor", "major", "critical").index(gate["fail_on"]) if gate["fail_on"] != "never" else 9
        min_confidence = gate.get("min_confidence") or 0.0
        for f in report["files"]:
            self.files += 1
            self.words += f["words"]
            self.findings += len(f["findings"])
            severe = [x["confidence"] for x in f["findings"]
                      if ("minor", "major", "critical").index(x["severity"]) >= threshold]
            self.gating_confidence.append(max(severe, default=-1.0))
            self.failed += any(c >= min_confidence for c in severe)
            for x in f["findings"]:
                self.rules[x["rule"]] += 1
                if x["severity"] in SEVERE:
                    self.severe += 1
                    self.severe_rules[x["rule"]] += 1

    def row(self, name: str) -> list[str]:
        kw = max(self.words, 1) / 1000
        return [name, str(self.files), str(self.words), f"{100 * self.failed / max(self.files, 1):.1f} %",
                f"{self.severe / kw:.3f}", f"{self.findings / kw:.3f}"]


def scan(texts: list[str], extra: list[str], keep: Path | None = None, first: int = 0) -> Tally:
    """Write ``texts`` to a temporary folder and scan them with the CLI, ``BATCH`` files a process.

    The scan runs inside the temporary folder, so no configuration file of this checkout applies.
    With ``keep``, the texts and each batch's JSON report are written there too, to study the
    false alarms afterwards without scanning again (the model run takes hours on two cores).
    ``first`` is the index of ``texts[0]`` in its corpus: files and reports are named by the index,
    so that the reports of runs over different parts of a corpus go into one folder.
    """
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for i, text in enumerate(texts, first):
            name = f"{i:05d}.txt"
            Path(tmp, name).write_text(text, encoding="utf-8")
            names.append(name)
        for start in range(0, len(names), BATCH):
            cmd = [str(TQCHECK), "scan", "--format", "json", *extra, *names[start:start + BATCH]]
            done = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
            if done.returncode not in (0, 1) or not done.stdout.strip():
                raise SystemExit(f"tqcheck exited {done.returncode}: {done.stderr.strip()[-2000:]}")
            tally.add(json.loads(done.stdout))
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"report-{first + start:05d}.json").write_text(done.stdout, encoding="utf-8")
                for name in names[start:start + BATCH]:
                    (keep / name).write_text(Path(tmp, name).read_text(encoding="utf-8"), encoding="utf-8")
    return tally


def kept(folder: Path) -> Tally:
    """The tally of the reports a ``--keep`` run wrote to ``folder``, in the order written."""
    tally = Tally()
    for report in sorted(folder.glob("report-*.json")):
        tally.add(json.loads(report.read_text(encoding="utf-8")))
    return tally


#: Each corpus and how to read its articles.
CORPORA: dict[str, Callable[[argparse.Namespace], list[str]]] = {
    "bbc": lambda args: bbc_articles(args.bbc),
    "pydoc": lambda args: pydoc_articles(),
    "reference": lambda args: reference_articles(),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-model", action="store_true", help="rules and checks only (fast)")
    parser.add_argument("--limit", type=int, help="at most N articles of each corpus")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N articles of each corpus")
    parser.add_argument("--bbc", type=Path, default=BBC, help="the BBC JSONL file")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--top", type=int, default=8, help="how many rules to list")
    parser.add_argument("--keep", type=Path, help="also write the texts and JSON reports to KEEP/<corpus>/")
    parser.add_argument("--only", action="append", choices=CORPORA, help="scan only this corpus (repeatable)")
    parser.add_argument("--from", dest="source", type=Path,
                        help="scan nothing: the table of the reports a --keep run wrote to FROM/<corpus>/")
    args = parser.parse_args()
    names = args.only or list(CORPORA)
    if args.source:
        missing = [name for name in names if not any((args.source / name).glob("report-*.json"))]
        if missing:
            print(f"{args.source}: no reports of {', '.join(missing)}", file=sys.stderr)
            return 2
        tallies = {name: kept(args.source / name) for name in names}
    else:
        if "bbc" in names and not args.bbc.exists():
            print(f"{args.bbc}: not found (../shared/data beside the checkout)", file=sys.stderr)
            return 2
        extra = ["--no-model"] if args.no_model else []
        end = None if args.limit is None else args.skip + args.limit
        tallies = {name: scan(CORPORA[name](args)[args.skip:end], extra, args.keep / name if args.keep else None,
                              args.skip) for name in names}
    total = Tally()
    for t in tallies.values():
        for key in ("files", "failed", "words", "severe", "findings", "gating_confidence"):
            setattr(total, key, getattr(total, key) + getattr(t, key))
        total.models |= t.models
        total.rules += t.rules
        total.severe_rules += t.severe_rules

    head = ["corpus", "articles", "words", "fail the gate", "major/kw", "findings/kw"]
    rows = [t.row(name) for name, t in tallies.items()] + [total.row("all")]
    rows.append(["goal", "", "", f"<= {GOALS['fail']:g} %", f"<= {GOALS['major_kw']:g}", f"<= {GOALS['all_kw']:g}"])
    if args.markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        print("\n".join("| " + " | ".join(r) + " |" for r in rows))
    else:
        print_table(head, rows)
    shares = [f"{t:g}: {100 * sum(c >= t for c in total.gating_confidence) / max(total.files, 1):.1f} %"
              for t in SWEEP]
    print(f"\narticles that would fail at --min-confidence {', '.join(shares)}")
    print(f"model: {', '.join(sorted(total.models))}; top rules (all corpora; findings, of them major+):")
    for rule, n in total.rules.most_common(args.top):
        print(f"  {rule:<40} {n:>5} {total.severe_rules[rule]:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
