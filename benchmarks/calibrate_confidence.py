"""Measure each rule's precision on the development sets and write the confidence table.

A finding's confidence should say how often such a finding is right.  This counts, per rule, the
findings on data where we know the answer:

- ``bbc``: clean, professionally edited English news (``../shared/data/bbc-news-dev.jsonl``):
  every finding is false;
- ``demetr``: French→English MT with one injected error per pair (``../shared/data/demetr-fr-en-dev.jsonl``):
  a finding on the perturbed sentence that touches the changed words is true; every finding on
  the accepted translation (``mt_sent``) or the human reference (``eng_sent``) is false;
- ``mqm``: WMT21 TED zh→en with professional MQM error spans (``../shared/data/ted-mqm-zh-en-dev.tsv``):
  a finding that touches an annotated span is true, any other false.

It prints per rule the findings, how many are true, and the precision, and writes
``tqcheck/rules/confidence.yaml``, which the pipeline uses to set ``Finding.confidence``
(``tqcheck/rules/confidence.py``: the counts smoothed towards the rule's own confidence; rules
never seen keep their own).  Findings come from the library's ``check_document`` with the
settings of each benchmark (DEMETR: ``--source-lang fr --target-lang en``; the others: defaults).
``--model NAME`` measures only the model's own findings (slow on a CPU: use ``--limit``) and
replaces only their rows of the table; without it, the model's rows are kept as they are.

    .venv/bin/python benchmarks/calibrate_confidence.py [--limit N] [--model smollm2] [--dry-run]
"""
from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from table import print_table  # noqa: E402  (benchmarks/ is on the path when a script here runs)

from tqcheck.core.findings import Finding  # noqa: E402
from tqcheck.core.results import Options  # noqa: E402
from tqcheck.fluency.spans import RULES as MODEL_RULES  # noqa: E402
from tqcheck.formats import load_text  # noqa: E402
from tqcheck.pipeline import check_document  # noqa: E402
from tqcheck.rules.confidence import PRIOR_WEIGHT, TABLE, counts, write_table  # noqa: E402

#: One labelled text: the text, the options to check it with, and the spans where a finding is true.
Case = tuple[str, Options, list[tuple[int, int]]]


def _findings(text: str, options: Options) -> list[Finding]:
    return check_document(load_text("<dev>", text, "txt"), options).findings


def bbc(limit: int | None, model: str | None) -> Iterator[Case]:
    rows = (DATA / "bbc-news-dev.jsonl").read_text(encoding="utf-8").splitlines()
    for line in rows[:limit]:
        yield json.loads(line)["text"], Options(model=model), []


def demetr(limit: int | None, model: str | None) -> Iterator[Case]:
    options = Options(source_lang="fr", target_lang="en", model=model)
    rows = [json.loads(line) for line in (DATA / "demetr-fr-en-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["pert_check"] and not r["pert_name"].startswith("base")][:limit]
    for good in sorted({r[k].strip() for r in rows for k in ("mt_sent", "eng_sent")}):
        yield good, options, []
    for r in rows:
        good, bad = r["mt_sent"].strip(), r["pert_sent"].strip()
        ops = difflib.SequenceMatcher(None, good, bad, autojunk=False).get_opcodes()
        changed = [(j1, j2) for op, _, _, j1, j2 in ops if op != "equal"]
        yield bad, options, changed


def mqm(limit: int | None, model: str | None) -> Iterator[Case]:
    """One case per translated segment; its spans are every error a rater marked in it."""
    segments: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    texts: dict[tuple[str, str, str], str] = {}
    with (DATA / "ted-mqm-zh-en-dev.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["system"], row["doc"], row["seg_id"])
            marked = row["target"]
            texts[key] = marked.replace("<v>", "").replace("</v>", "")
            m = re.search(r"<v>(.*?)</v>", marked)
            if m:
                segments[key].append((m.start(), m.start() + len(m.group(1))))
            else:
                segments.setdefault(key, [])
    for key in list(texts)[:limit]:
        yield texts[key], Options(target_lang="en", model=model), segments[key]


def count(cases: Iterator[Case], tally: dict[str, list[int]], labelled_only: bool, model_only: bool) -> None:
    """Add each finding to ``tally[rule] = [findings, true]`` (only the model's with ``model_only``).

    In DEMETR, a perturbed sentence's findings off the changed words are not counted: they are
    already counted, as false, on the accepted translation (``labelled_only``).
    """
    for text, options, spans in cases:
        for f in _findings(text, options):
            if model_only and f.origin != "model":
                continue
            true = any(f.start <= e and s <= f.end for s, e in spans)  # a deletion is an empty span
            if labelled_only and spans and not true:
                continue
            tally[f.rule][0] += 1
            tally[f.rule][1] += true


def print_kept(total: dict[str, list[int]]) -> None:
    """For each ``--min-confidence``, the share of true and of false findings that can still fail a
    run (confidence taken as the rule's smoothed precision, its own confidence taken as 1)."""
    print("\n--min-confidence: true findings that can fail / false findings that can fail")
    n_true = sum(k for _, k in total.values()) or 1
    n_false = sum(n - k for n, k in total.values()) or 1
    for threshold in (0.0, 0.3, 0.5, 0.7, 0.9):
        gating = [(n, k) for n, k in total.values() if (k + PRIOR_WEIGHT) / (n + PRIOR_WEIGHT) >= threshold]
        print(f"  {threshold:g}: {100 * sum(k for _, k in gating) / n_true:.1f} % / "
              f"{100 * sum(n - k for n, k in gating) / n_false:.1f} %")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="at most N texts of each set")
    parser.add_argument("--model", help="also run this fluency model (smollm2, gemma3, auto)")
    parser.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    args = parser.parse_args()
    missing = [p for p in ("bbc-news-dev.jsonl", "demetr-fr-en-dev.jsonl", "ted-mqm-zh-en-dev.tsv")
               if not (DATA / p).exists()]
    if missing:
        print(f"{DATA}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    per_set: dict[str, dict[str, list[int]]] = {}
    for name, cases, labelled_only in (("bbc", bbc, False), ("demetr", demetr, True), ("mqm", mqm, False)):
        per_set[name] = defaultdict(lambda: [0, 0])
        count(cases(args.limit, args.model), per_set[name], labelled_only, model_only=bool(args.model))
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for tally in per_set.values():
        for rule, (n, k) in tally.items():
            total[rule][0] += n
            total[rule][1] += k
    head = ["rule", *(f"{s} true/n" for s in per_set), "precision"]
    rows = [[rule, *(f"{per_set[s][rule][1]}/{per_set[s][rule][0]}" if rule in per_set[s] else "-" for s in per_set),
             f"{100 * k / n:.0f} %"] for rule, (n, k) in sorted(total.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    print_table(head, rows)
    print_kept(total)
    if not args.dry_run:
        # A model run measures the model's rules only and keeps the rules' rows of the table; a
        # rules-only run keeps the model's rows, which it cannot measure.
        model_rules = {r.id for r in MODEL_RULES}
        kept = {rule: v for rule, v in counts().items() if rule not in total and (args.model or rule in model_rules)}
        command = "benchmarks/calibrate_confidence.py" + (f" --limit {args.limit}" if args.limit else "")
        if args.model:
            command = f"benchmarks/calibrate_confidence.py, then {command} --model {args.model} (the model's rules)"
        elif kept:
            command += f" (the rows of {', '.join(sorted(kept))} kept from the last --model run)"
        write_table({**kept, **{rule: (n, k) for rule, (n, k) in total.items()}}, command)
        print(f"\nwrote {TABLE.relative_to(ROOT)} ({len(total)} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
