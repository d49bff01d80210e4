"""BLEU, chrF and TER of the seed against its human reference, before and after ``tqcheck fix``.

    .venv/bin/python benchmarks/seed_metrics.py [SEED [REFERENCE]]

Fixes run on temporary copies (the seed is never touched): once with the default safe fixes,
once with ``--unsafe``.  Prints a Markdown table and the sacrebleu signatures.
"""
from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqcheck import metrics  # noqa: E402
from tqcheck.cli import main  # noqa: E402

SEED = ROOT / "seeds" / "000_e6414ae541a6d4fd.txt"
REFERENCE = ROOT / "references" / "000_e6414ae541a6d4fd.en.txt"


def fixed_copy(seed: Path, folder: Path, flags: list[str] | None) -> Path:
    """A copy of ``seed``, fixed with ``tqcheck fix FLAGS`` unless ``flags`` is None."""
    copy = folder / str(len(list(folder.iterdir()))) / seed.name
    copy.parent.mkdir()
    shutil.copyfile(seed, copy)
    if flags is not None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["fix", *flags, str(copy)])
    return copy


def run(seed: Path, reference: Path) -> None:
    rows = []
    signatures: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, flags in (("seed (machine translation)", None),
                             ("after `tqcheck fix`", []),
                             ("after `tqcheck fix --unsafe`", ["--unsafe"])):
            path = fixed_copy(seed, Path(tmp), flags)
            result = metrics.score_files(str(path), [str(reference)])
            rows.append((label, result.by_name()))
            signatures = {s.name: s.signature for s in result.scores}
    names = list(signatures)
    print(f"| text | {' | '.join(names)} |")
    print("| --- |" + " ---: |" * len(names))
    for label, scores in rows:
        print(f"| {label} | " + " | ".join(f"{scores[n]:.2f}" for n in names) + " |")
    print()
    for name, signature in signatures.items():
        print(f"{name}: {signature}")
    shown = reference.relative_to(ROOT) if reference.is_relative_to(ROOT) else reference
    print(f"(segments: sentences, aligned; reference: {shown})")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    run(args[0] if args else SEED, args[1] if len(args) > 1 else REFERENCE)
