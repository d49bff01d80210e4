"""Which of the fluency model's word findings (``tq/unexpected-word``) hold up: every word it
flags against those shown by default (``spans.likely``), on clean news and on DEMETR errors.

- ``bbc``: the first N BBC News articles (``../shared/data/bbc-news-dev.jsonl``): every word
  finding is counted false (a few are real misspellings of the article, listed below the table);
- ``demetr``: about M DEMETR French→English pairs spread over the file (``tests/data``): a word
  finding on the perturbed sentence that touches the injected change is true; findings elsewhere
  in it are not counted (they are counted, as false, on the accepted translation).

It prints, for every word flagged at ``spans.MIN_CONFIDENCE`` and for the default ``likely``
words, how many there were on each set, and the shown BBC words.  docs/fluency.md quotes it.

    .venv/bin/python benchmarks/model_word_findings.py [--bbc-articles 30] [--demetr-pairs 200]
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev.jsonl"
DEMETR = ROOT / "tests" / "data" / "demetr-fr-en-dev.jsonl"
sys.path.insert(0, str(ROOT))

from tqcheck.core.findings import Finding  # noqa: E402
from tqcheck.fluency import spans, stage  # noqa: E402
from tqcheck.fluency.loader import load  # noqa: E402
from tqcheck.fluency.scorer import LanguageModel  # noqa: E402
from tqcheck.formats import load_text  # noqa: E402


def words(lm: LanguageModel, text: str) -> list[Finding]:
    found, _ = stage.apply(lm, load_text("dev", text, "txt"), [], "en", shown="all")
    return [f for f in found if f.rule == spans.UNEXPECTED.id]


def changed(good: str, bad: str) -> list[tuple[int, int]]:
    ops = difflib.SequenceMatcher(None, good, bad, autojunk=False).get_opcodes()
    return [(j1, j2) for op, _, _, j1, j2 in ops if op != "equal"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc-articles", type=int, default=30)
    parser.add_argument("--demetr-pairs", type=int, default=200)
    args = parser.parse_args()
    if not BBC.exists():
        print(f"{BBC}: not found (../shared/data beside the checkout)", file=sys.stderr)
        return 2
    lm = load("smollm2")
    bbc = [f for line in BBC.read_text(encoding="utf-8").splitlines()[:args.bbc_articles]
           for f in words(lm, json.loads(line)["text"])]
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["pert_check"] and not r["pert_name"].startswith("base")]
    rows = rows[::max(1, len(rows) // args.demetr_pairs)][:args.demetr_pairs]
    good, true = [], []
    for r in rows:
        mt, bad = r["mt_sent"].strip(), r["pert_sent"].strip()
        good += words(lm, mt)
        true += [f for f in words(lm, bad) if any(f.start <= e and s <= f.end for s, e in changed(mt, bad))]
    print(f"{args.bbc_articles} BBC articles, {len(rows)} DEMETR pairs; tq/unexpected-word findings:")
    print("shown   | bbc (false) | demetr accepted MT (false) | demetr error (true)")
    for name, keep in (("all", lambda f: True), ("likely", lambda f: spans.likely(f, "en"))):
        print(f"{name:7} | {sum(map(keep, bbc)):11} | {sum(map(keep, good)):26} | {sum(map(keep, true)):19}")
    print("shown on BBC:", ", ".join(f.text for f in bbc if spans.likely(f, "en")) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
