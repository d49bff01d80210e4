"""Bilingual speed and accuracy: reading XLIFF/PO/TSV, aligning ``--source``, source-aware checks.

Prints two tables. Speed: DEMETR source/MT pairs (../shared/data) written as XLIFF 1.2, XLIFF 2.0,
PO and TSV files of 2,000 units, and as a plain translation with a source file of 2,000
paragraphs, checked in-process with the source language given (CPU time: the machine is shared,
and a busy neighbour would stretch wall-clock time). Accuracy: the share of each
DEMETR perturbation flagged by the source-aware checks (any finding of a ``tq/source-*`` rule),
and of the unperturbed translations (``mt_sent``) and references (``eng_sent``).

    .venv/bin/python benchmarks/bench_bilingual.py
"""
from __future__ import annotations

import collections
import json
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
UNITS = 2000


def _po(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def files(pairs: list[tuple[str, str]], folder: Path) -> dict[str, tuple[Path, Path | None]]:
    """The same units in every format; the last entry is a plain translation and its source."""
    x12 = "".join(f'<trans-unit id="{i}"><source>{escape(s)}</source><target>{escape(t)}</target></trans-unit>\n'
                  for i, (s, t) in enumerate(pairs))
    x20 = "".join(f'<unit id="u{i}"><segment><source>{escape(s)}</source>'
                  f'<target>{escape(t)}</target></segment></unit>\n' for i, (s, t) in enumerate(pairs))
    texts = {
        "bench-1.2.xlf": '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                         '<file source-language="fr" target-language="en" datatype="plaintext" original="b">'
                         f'<body>\n{x12}'
                         "</body></file></xliff>\n",
        "bench-2.0.xlf": '<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
                         f'srcLang="fr" trgLang="en"><file id="f">\n{x20}</file></xliff>\n',
        "bench.po": 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n' + "".join(
            f'msgctxt "{i}"\nmsgid "{_po(s)}"\nmsgstr "{_po(t)}"\n\n' for i, (s, t) in enumerate(pairs)),
        "bench.tsv": "".join(f"{s}\t{t}\n" for s, t in pairs),
        "bench-target.txt": "\n\n".join(t for _, t in pairs) + "\n",
        "bench-source.txt": "\n\n".join(s for s, _ in pairs) + "\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = {name: (folder / name, None) for name in texts if not name.endswith(".txt")}
    out["--source (txt)"] = (folder / "bench-target.txt", folder / "bench-source.txt")
    return out


def speed(rows: list[dict]) -> None:
    from tqcheck.core.results import Options
    from tqcheck.formats import load_path
    from tqcheck.pipeline import check_document

    pairs = list({r["src_sent"].strip(): r["mt_sent"].strip() for r in rows}.items())
    pairs = (pairs * (UNITS // len(pairs) + 1))[:UNITS]
    print(f"| input ({UNITS} units) | load CPU s | check CPU s | units/CPU s | findings |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for label, (path, source) in files(pairs, Path(tmp)).items():
            start = time.process_time()
            doc = load_path(str(path))
            loaded = time.process_time()
            result = check_document(doc, Options(source_lang="fr", target_lang="en",
                                                 source=str(source) if source else None))
            done = time.process_time()
            print(f"| {label} | {loaded - start:.2f} | {done - loaded:.2f} | {UNITS / (done - start):.0f} "
                  f"| {len(result.findings)} |")


def accuracy(rows: list[dict]) -> None:
    from tqcheck.core.results import Options
    from tqcheck.formats import load_text
    from tqcheck.pipeline import check_document

    def flagged(target: str, source: str) -> bool:
        doc = load_text("pairs.tsv", f"{source.strip()}\t{target.strip()}\n", "tsv")
        result = check_document(doc, Options(source_lang="fr", target_lang="en"))
        return any(f.rule.startswith("tq/source-") for f in result.findings)

    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for field in ("mt_sent", "eng_sent"):
        for target, source in {r[field]: r["src_sent"] for r in rows}.items():
            counts[f"(unperturbed {field})"][0] += flagged(target, source)
            counts[f"(unperturbed {field})"][1] += 1
    for r in rows:
        if r["pert_check"] and not r["pert_name"].startswith("base") and r["pert_sent"].strip():
            counts[r["pert_name"]][0] += flagged(r["pert_sent"], r["src_sent"])
            counts[r["pert_name"]][1] += 1
    print("\n| DEMETR item | flagged by source-aware checks |")
    print("| --- | ---: |")
    for name, (hit, total) in sorted(counts.items(), key=lambda kv: -kv[1][0] / kv[1][1]):
        print(f"| {name} | {hit}/{total} ({100 * hit / total:.0f}%) |")


def main() -> None:
    if not DEMETR.exists():
        raise SystemExit(f"{DEMETR} not found: this benchmark needs ../shared/data")
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]
    speed(rows)
    accuracy(rows)


if __name__ == "__main__":
    main()
