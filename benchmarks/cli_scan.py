"""Run the real CLI over many short texts: one file per text, one fresh ``tqcheck scan --format
json`` process for all of them, so the benchmarks measure what a user gets (the model is loaded
once per process, as in a real run over a folder)."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scan_texts(texts: list[str], options: list[str], suffix: str = ".txt") -> list[dict]:
    """The JSON ``files`` entry of each text, in order; ``options`` go to ``tqcheck scan``; the
    files are named with ``suffix`` (``.tsv``: each text is a bilingual file)."""
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for n, text in enumerate(texts):
            path = Path(tmp) / f"{n:05d}{suffix}"
            path.write_text(text + "\n", encoding="utf-8")
            names.append(str(path))
        command = [sys.executable, "-m", "tqcheck", "scan", "--format", "json", "--fail-on", "never",
                   *options, tmp]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"tqcheck exited {done.returncode}: {done.stderr.strip()}")
        by_path = {f["path"]: f for f in json.loads(done.stdout)["files"]}
        return [by_path[name] for name in names]
