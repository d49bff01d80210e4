"""Feedback on a terminal only: ``scan``, ``report`` and ``fix`` show a progress line on a person's
terminal, from the first second (a Dask cluster starting included), and nothing in CI logs."""
from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_corpus import SENTENCES, articles, write_jsonl

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")

RECORDS = 1000
#: The CLI with the line shown from the start (``progress.DELAY`` 0): on a quiet machine a run of
#: these inputs can end before the half second after which a person's terminal gets the line.
SHOW_AT_ONCE = ("import tqcheck.progress, tqcheck.cli; tqcheck.progress.DELAY = 0.0; "
                "raise SystemExit(tqcheck.cli.main())")


def on_terminal(args: list[str], ci: bool, cwd: Path) -> tuple[int, bytes, bytes]:
    """Run the CLI with standard error on a pseudo-terminal: exit code, stdout, what the terminal got."""
    leader, follower = pty.openpty()
    shown: list[bytes] = []

    def read() -> None:  # drain the terminal while the CLI writes to it
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM")}
    env["PYTHONPATH"] = str(ROOT)
    if ci:
        env["CI"] = "true"
    proc = subprocess.run([sys.executable, "-c", SHOW_AT_ONCE, *args], stdout=subprocess.PIPE, stderr=follower,
                          cwd=cwd, timeout=300, env=env)
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    return proc.returncode, proc.stdout, b"".join(shown)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("progress")
    write_jsonl(folder / "c.jsonl", articles(RECORDS))
    files = folder / "files"
    files.mkdir()
    for i in range(300):
        (files / f"{i}.txt").write_text(SENTENCES[i % len(SENTENCES)] + "\n", encoding="utf-8")
    return folder


CORPUS = ["--no-model", "--text-field", "body", "--id-field", "id", "c.jsonl"]


@pytest.mark.parametrize("args, total", [
    (["scan", *CORPUS, "--format", "jsonl"], RECORDS),
    (["report", *CORPUS, "-o", "r.md"], RECORDS),
    (["fix", "--no-model", "--diff", "files"], 300),
], ids=["scan", "report", "fix"])
def test_a_terminal_gets_a_progress_line(inputs, args, total):
    code, out, shown = on_terminal(args, ci=False, cwd=inputs)
    assert code in (0, 1), shown
    assert f"/{total}".encode() in shown and b"\x1b[" not in out  # the line on stderr, stdout plain


def test_ci_gets_nothing(inputs):
    code, out, shown = on_terminal(["scan", *CORPUS, "--format", "jsonl"], ci=True, cwd=inputs)
    assert code == 1 and out.count(b"\n") == RECORDS + 1 and shown == b""


def test_a_starting_dask_cluster_shows(inputs):
    pytest.importorskip("distributed")
    code, out, shown = on_terminal(["scan", *CORPUS, "--format", "jsonl", "--dask", "local", "--jobs", "1"],
                                   ci=False, cwd=inputs)
    assert code == 1 and out.count(b"\n") == RECORDS + 1
    assert b"starting a local Dask cluster" in shown
