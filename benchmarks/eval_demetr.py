"""Pairwise accuracy on the DEMETR French→English pairs: does a score rank the perturbed
translation below the accepted one?

Each pair is an accepted machine translation (``mt_sent``) and the same sentence with one error
injected (``pert_sent``).  A scorer is right on a pair when the perturbed sentence gets the
strictly worse score (a tie counts as wrong).  Columns, all computed in this run:

- tqcheck: the score that ``tqcheck scan --source-lang fr --format json`` prints for the sentence
  alone: the target text only (no source text, no reference), rule and check findings plus the
  fluency model (``fluency/surprisal.py``); ``--source-lang ''`` checks without knowing the language
  pair.  Every sentence is one file and one fresh CLI process checks them all;
- tqcheck --no-model: the same without the model;
- model mean NLL: the raw mean surprisal per token of the same model (the log of the perplexity
  the CLI prints), a baseline;
- chrF: sacrebleu's sentence chrF against the human reference, a baseline that sees the reference.

Controls (``base_*``) and pairs whose perturbation could not be applied are skipped.  It also
prints how many good sentences (references and accepted translations) get a major or critical
finding.  The judge's half of the data is not here; this is the development half.

    .venv/bin/python benchmarks/eval_demetr.py [--data FILE] [--markdown] [--model gemma3] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
sys.path.insert(0, str(ROOT))

from cli_scan import scan_texts  # noqa: E402 - benchmarks/ is on the path when a script here runs

SEVERITIES = ("critical", "major", "minor")


def pairs(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["pert_check"] and not r["pert_name"].startswith("base")]


def scanned(sentences: list[str], source_lang: str | None, model: str | None) -> dict[str, dict]:
    """What the CLI prints for each sentence, checked alone as one file."""
    options = ["-t", "en", *(["-s", source_lang] if source_lang else []),
               *(["--model", model] if model else ["--no-model"])]
    return dict(zip(sentences, scan_texts(sentences, options)))


def has_major(file: dict) -> bool:
    return any(f["severity"] in ("major", "critical") for f in file["findings"])


def accuracy(rows: list[dict], worse: Callable[[dict], bool]) -> dict[str, tuple[int, int]]:
    """(right, total) overall, per severity and per perturbation."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        right = worse(row)
        for key in ("all", row["severity"], row["pert_name"]):
            counts[key][0] += right
            counts[key][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def table(columns: dict[str, dict[str, tuple[int, int]]], markdown: bool) -> str:
    first = next(iter(columns.values()))
    keys = [k for k in ("all", *SEVERITIES) if k in first]
    keys += sorted(k for k in first if k not in ("all", *SEVERITIES))
    header = ["pairs", "n", *columns]
    lines = []
    if markdown:
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    else:
        lines.append(f"{header[0]:<34}{header[1]:>5}" + "".join(f"{h:>20}" for h in header[2:]))
    for key in keys:
        n = first[key][1]
        cells = [f"{100 * col[key][0] / n:.1f}%" for col in columns.values()]
        label = f"**{key}**" if markdown and key in ("all", *SEVERITIES) else key
        if markdown:
            lines.append("| " + " | ".join([label, str(n), *cells]) + " |")
        else:
            lines.append(f"{label:<34}{n:>5}" + "".join(f"{c:>20}" for c in cells))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--model", default="smollm2", help="fluency model (smollm2, gemma3, a path)")
    parser.add_argument("--limit", type=int, help="about N pairs, spread over the file (development)")
    parser.add_argument("--source-lang", default="fr", help="language pair told to tqcheck, as "
                        "--source-lang (default fr; '' for none: every *-en pack runs)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"{args.data}: not found (../shared/data beside the checkout)", file=sys.stderr)
        return 2
    rows = pairs(args.data)
    for row in rows:
        row["mt_sent"], row["pert_sent"] = row["mt_sent"].strip(), row["pert_sent"].strip()
    if args.limit:
        rows = rows[::max(1, len(rows) // args.limit)]
    sentences = sorted({r[k] for r in rows for k in ("mt_sent", "pert_sent")})
    good = sorted({r[k].strip() for r in rows for k in ("mt_sent", "eng_sent")})

    started = time.perf_counter()
    source = args.source_lang or None
    printed = scanned(sorted({*sentences, *good}), source, args.model)
    seconds = time.perf_counter() - started
    printed_rules_only = scanned(sentences, source, None)
    with_model = {t: -printed[t]["score"] for t in sentences}  # higher is worse
    rules_only = {t: -printed_rules_only[t]["score"] for t in sentences}
    mean_nll = {t: math.log(printed[t]["fluency"]["perplexity"]) for t in sentences}
    good_major = sum(has_major(printed[t]) for t in good)
    model_name = printed[sentences[0]]["fluency"]["model"]

    import sacrebleu

    def chrf(text: str, reference: str) -> float:
        return sacrebleu.sentence_chrf(text, [reference]).score

    columns = {
        "tqcheck": accuracy(rows, lambda r: with_model[r["pert_sent"]] > with_model[r["mt_sent"]]),
        "tqcheck --no-model": accuracy(rows, lambda r: rules_only[r["pert_sent"]] > rules_only[r["mt_sent"]]),
        "model mean NLL": accuracy(rows, lambda r: mean_nll[r["pert_sent"]] > mean_nll[r["mt_sent"]]),
        "chrF (reference)": accuracy(rows, lambda r: chrf(r["pert_sent"], r["eng_sent"])
                                     < chrf(r["mt_sent"], r["eng_sent"])),
    }
    print(table(columns, args.markdown))
    print(f"\n{len(rows)} pairs, {len(sentences)} distinct sentences; tqcheck --source-lang "
          f"{source or '(none)'}; model {model_name}; {seconds:.0f} s")
    print(f"good sentences (references and accepted MT) with a major or critical finding: "
          f"{good_major}/{len(good)} ({100 * good_major / len(good):.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
