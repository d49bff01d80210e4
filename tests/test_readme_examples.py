"""The README's example sessions, run the way doctest runs docstrings: every code block that
starts with ``$ `` is a session of commands, each followed by what it prints, and each command
must print exactly that today.

``$ cat FILE`` shows an input: the test writes FILE with the lines shown, so the next commands
check the same text the reader sees.  ``.venv/bin/tqcheck`` runs as this interpreter's
``-m tqcheck``.  Only standard output is compared (warnings go to standard error), and nothing
is normalised but timings (none of the sessions prints one today) and the hashes of rule packs
in score signatures (``fr-en#47d577``), which change with every rule added.  A session that needs a
packaged fluency model that is not installed is skipped, naming the model.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
_BLOCK = re.compile(r"^```[^\n]*\n(\$ .*?)^```", re.S | re.M)
_TIMING = re.compile(r"\b\d+(?:\.\d+)? ?(?:s|ms)\b")
_PACK_HASH = re.compile(r"(?<=[a-z]#)[0-9a-f]{6}\b")


@dataclass
class Step:
    command: str
    output: list[str] = field(default_factory=list)


def sessions(text: str) -> list[list[Step]]:
    """The ``$ `` blocks of ``text``, each as its commands and their expected output."""
    out = []
    for body in _BLOCK.findall(text):
        steps: list[Step] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:]))
            else:
                steps[-1].output.append(line)
        out.append(steps)
    return out


def _models_needed(steps: list[Step]) -> list[str]:
    """The packaged models a session's scans load: gemma3 for French text, smollm2 for English,
    none with ``--no-model``."""
    shown = "\n".join(line for s in steps if s.command.startswith("cat ") for line in s.output)
    french = " le " in shown.lower() or " la " in shown.lower()
    return ["gemma3" if french else "smollm2" for s in steps
            if "tqcheck scan" in s.command and "--no-model" not in s.command]


def _normalise(text: str) -> str:
    return _PACK_HASH.sub("<hash>", _TIMING.sub("<time>", text))


SESSIONS = sessions(README.read_text(encoding="utf-8"))


def test_the_readme_has_sessions():
    assert len(SESSIONS) >= 3  # the seed with the model, the seed rules only, the French article


@pytest.mark.parametrize("steps", SESSIONS, ids=[s[-1].command for s in SESSIONS])
def test_readme_session(steps: list[Step], tmp_path: Path):
    from tqcheck.fluency.catalogue import installed

    missing = [m for m in _models_needed(steps) if not installed(m)]
    if missing:
        pytest.skip(f"needs the {missing[0]} model")
    (tmp_path / "seeds").symlink_to(ROOT / "seeds", target_is_directory=True)
    tqcheck = f"{shlex.quote(sys.executable)} -m tqcheck"
    for step in steps:
        expected = "".join(line + "\n" for line in step.output)
        if step.command.startswith("cat "):
            (tmp_path / step.command[4:].strip()).write_text(expected, encoding="utf-8")
            continue
        command = step.command.replace(".venv/bin/tqcheck", tqcheck)
        proc = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                              check=False)
        assert proc.returncode in (0, 1), proc.stderr
        assert _normalise(proc.stdout) == _normalise(expected), f"$ {step.command}"


def test_readme_seed_metrics_table():
    """The before/after-fix table the README shows is what ``benchmarks/seed_metrics.py`` prints."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "seed_metrics.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=True)
    rows = [line for line in proc.stdout.splitlines() if line.startswith("|")]
    readme = README.read_text(encoding="utf-8")
    assert len(rows) >= 4 and "\n".join(rows) in readme
