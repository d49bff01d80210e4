"""The rules-only path and the ways the model can be missing: ``--no-model`` never imports torch,
a missing package or a corrupt model file costs one warning line (never a traceback), a model that
cannot be found is a usage error, and the converted cache is written atomically.
"""
from __future__ import annotations

import subprocess
import sys
from typing import Callable, Sequence

import pytest

from tqcheck.cache import replace_dir_atomic
from tqcheck.core.errors import UsageError
from tqcheck.core.results import Options
from tqcheck.fluency.catalogue import resolve
from tqcheck.fluency.failures import ModelUnavailable
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document

from .conftest import ROOT, SEED

#: Runs the CLI with torch made unimportable, as on a machine without the model packages.
NO_TORCH = ("import sys; sys.modules['torch'] = None; "
            "from tqcheck.cli import main; sys.exit(main(sys.argv[1:]))")


def run(*args: str, code: str | None = None, python: Sequence[str] = (),
        preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess (``code``: a ``-c`` program instead of ``-m tqcheck``; ``python``:
    interpreter options)."""
    head = ["-c", code, *args] if code else ["-m", "tqcheck", *args]
    return subprocess.run([sys.executable, *python, *head], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, preexec_fn=preexec_fn)


def test_no_model_never_imports_torch_or_transformers():
    proc = run("scan", "--no-model", str(SEED), python=["-X", "importtime"])
    assert proc.returncode == 1 and "fr-en/ordinal" in proc.stdout and ", fluency" not in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "tqcheck.pipeline" in imported
    assert not {m for m in imported if m.split(".")[0] in ("torch", "transformers", "gguf", "accelerate")}


def test_scan_without_the_model_packages_warns_once_and_checks_with_rules():
    proc = run("scan", str(SEED), code=NO_TORCH)
    assert proc.returncode == 1 and "fr-en/ordinal" in proc.stdout and ", fluency" not in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tqcheck: warning: fluency model off, rules only: torch")


def test_corrupt_model_file_warns_once_and_checks_with_rules(tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00\x01" * 500)
    proc = run("scan", "--model", str(bad), str(SEED))
    assert proc.returncode == 1 and "fr-en/ordinal" in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tqcheck: warning: fluency model off"), proc.stderr


def test_out_of_memory_warns_once_and_checks_with_rules():
    """1.2 GB of address space: enough for the rules, not for torch and the model."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1200 << 20, 1200 << 20))

    proc = run("scan", str(SEED), preexec_fn=limit)
    assert proc.returncode == 1 and "fr-en/ordinal" in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tqcheck: warning: fluency model off"), proc.stderr


@pytest.mark.parametrize("spec", ["no/such-model-here", "./missing-folder"])
def test_model_that_cannot_be_found_is_a_one_line_error(spec):
    proc = run("scan", "--model", spec, str(SEED))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tqcheck: error: --model {spec}"), proc.stderr


def test_resolve_tells_kinds_apart(tmp_path):
    assert resolve("HuggingFaceTB/SmolLM2-135M").kind == "hub"
    (tmp_path / "config.json").write_text("{}")
    assert resolve(str(tmp_path)).kind == "folder"
    with pytest.raises(UsageError):
        resolve(str(tmp_path / "nothing"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match=r"no config\.json"):
        resolve(str(empty))


def test_library_default_is_rules_only():
    result = check_document(load_text("t", "The 21e summit opened.", "txt"), Options(target_lang="en"))
    assert result.fluency is None and "fr-en/ordinal" in [f.rule for f in result.findings]
    assert all(f.origin != "model" for f in result.findings)


def test_rules_only_keeps_the_rule_order_of_suggestions():
    text = "The Russian leader was on his second sortie only since the pandemic."
    (finding,) = [f for f in check_document(load_text("t", text, "txt"), Options(target_lang="en")).findings
                  if f.rule == "fr-en/ff-sortie"]
    assert finding.suggestions == ("trip", "outing", "foray")


def test_converted_folder_is_replaced_atomically(tmp_path):
    target = tmp_path / "models" / "m"

    def broken(folder):
        (folder / "model.safetensors").write_bytes(b"half")
        raise ModelUnavailable("killed mid-conversion")

    with pytest.raises(ModelUnavailable):
        replace_dir_atomic(target, broken)
    assert not target.exists() and list(target.parent.iterdir()) == []
    replace_dir_atomic(target, lambda folder: (folder / "config.json").write_text("{}"))
    replace_dir_atomic(target, lambda folder: (folder / "config.json").write_text('{"v": 2}'))
    assert (target / "config.json").read_text() == '{"v": 2}'
    assert [p.name for p in target.parent.iterdir()] == ["m"]
