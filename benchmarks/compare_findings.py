"""Findings before and after a change: byte for byte, on the seed, the DEMETR dev texts and the
benchmark corpus (issue 10: a redesign step must leave every finding as it was).

Each set is checked by the real CLI in a fresh process (``python -m tqcheck scan --format jsonl``);
what is compared of each record is what a user reads: the file, languages, words, penalty, score,
fluency and every field of every finding.  Fields a later version adds to a record (a scoring
signature, say) are left out, so that they do not count as a change.  The seed's text output is
compared whole.

    .venv/bin/python benchmarks/compare_findings.py --save DIR    # before the change
    .venv/bin/python benchmarks/compare_findings.py --check DIR   # after: a table, exit 1 on a change

``--model`` adds the seed and the bilingual test files with the fluency model on (slower).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.table import print_table  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev.jsonl"
#: Paths relative to the repository (the CLI runs there), so that two checkouts compare equal.
DEMETR = Path("tests", "data", "demetr-fr-en-dev.jsonl")
BILINGUAL = [str(Path("tests", "data", name))
             for name in ("bilingual-1.2.xlf", "bilingual-2.0.xlf", "bilingual.po", "bilingual.tsv")]
#: What is compared of each JSONL record of a file.
KEYS = ("type", "path", "format", "source_lang", "source_lang_guess", "target_lang", "words",
        "penalty", "score", "fluency", "findings", "error")

RULES_ONLY = ["--no-model"]
#: name → (arguments of ``tqcheck scan``, output format)
SETS: dict[str, tuple[list[str], str]] = {
    "seed (text output)": (["seeds", *RULES_ONLY], "text"),
    "seed": (["seeds", *RULES_ONLY], "jsonl"),
    "references": (["references", *RULES_ONLY], "jsonl"),
    "bilingual files": ([*BILINGUAL, *RULES_ONLY], "jsonl"),
    "DEMETR mt_sent": ([str(DEMETR), "--text-field", "mt_sent", "-s", "fr", "-t", "en",
                        *RULES_ONLY], "jsonl"),
    "DEMETR pert_sent": ([str(DEMETR), "--text-field", "pert_sent", "-s", "fr", "-t", "en",
                          *RULES_ONLY], "jsonl"),
    "BBC corpus": ([os.path.relpath(BBC, ROOT), "--id-field", "id", *RULES_ONLY], "jsonl"),
}
MODEL_SETS: dict[str, tuple[list[str], str]] = {
    "seed, model (text output)": (["seeds"], "text"),
    "seed, model": (["seeds"], "jsonl"),
    "bilingual files, model": (BILINGUAL, "jsonl"),
}


def run(args: list[str], fmt: str) -> str:
    """The CLI's output for ``args``, normalised to what is compared."""
    proc = subprocess.run([sys.executable, "-m", "tqcheck", "scan", *args, "--format", fmt, "--jobs", "1",
                           "--color", "never", "--fail-on", "never"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan {' '.join(args)}: exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
    if fmt == "text":
        return proc.stdout
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    kept = [{k: r[k] for k in KEYS if k in r} for r in records if r.get("type") != "summary"]
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in kept)


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name) + ".out"


def _first_difference(before: str, after: str) -> str:
    for i, (a, b) in enumerate(zip(before.splitlines(), after.splitlines())):
        if a != b:
            return f"line {i + 1}"
    return f"length {len(before.splitlines())} → {len(after.splitlines())} lines"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the outputs to this folder")
    action.add_argument("--check", type=Path, help="compare with the outputs saved in this folder")
    parser.add_argument("--model", action="store_true", help="also the sets with the fluency model on")
    args = parser.parse_args()
    sets = {**SETS, **(MODEL_SETS if args.model else {})}
    if not BBC.exists():
        del sets["BBC corpus"]
        print(f"(no {BBC}: the BBC corpus is left out)", file=sys.stderr)
    rows, changed = [], 0
    for name, (cli_args, fmt) in sets.items():
        out = run(cli_args, fmt)
        path = (args.save or args.check) / _file_name(name)
        findings = out.count('"rule": ') if fmt == "jsonl" else out.count("\n")
        if args.save:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(out, encoding="utf-8")
            rows.append((name, str(out.count("\n")), str(findings), "saved"))
            continue
        before = path.read_text(encoding="utf-8") if path.exists() else None
        if before is None:
            verdict = "not saved before"
        elif before == out:
            verdict = "identical"
        else:
            verdict = f"CHANGED ({_first_difference(before, out)})"
            changed += 1
        rows.append((name, str(out.count("\n")), str(findings), verdict))
    print_table(["set", "lines", "findings", "before → after"], rows)
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
