"""What docs/reliability.md promises: no input, damaged cache, signal or broken stream makes the
gate pass silently, crashes the run (exit 3), hides a file, or leaves a half-written file behind.

Tests run as root, which ignores permission bits, so unreadable folders and read-only folders are
simulated by making ``os.scandir`` or ``tempfile.mkstemp`` refuse, as the kernel would.
"""
from __future__ import annotations

import errno
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tqcheck import cache
from tqcheck.cli import main
from tqcheck.core.document import Document
from tqcheck.core.findings import FileSpan, Finding, Severity, Span
from tqcheck.gate import Gate
from tqcheck.report import printable, to_json
from tqcheck.report.text import finding_line

from .conftest import ROOT, SEED

#: One major finding (fr-en/ordinal), which ``fix`` repairs.
MAJOR = "The 21e summit opened in Paris.\n"


def run(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tqcheck", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **(env or {})}, **kwargs)


def write(path: Path, text: str = MAJOR) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def deny(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """``locked`` cannot be listed, as a 0000 folder for a user who is not root."""
    real = os.scandir

    def scandir(path="."):  # type: ignore[no-untyped-def]
        if os.path.abspath(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


# -- the gate: NaN, unreadable folders, broken pipes ----------------------------------------------
class NaNModel:
    """A scorer whose weights are damaged: every surprisal is NaN."""

    name, precision = "smollm2", "float32"

    def score(self, texts):  # type: ignore[no-untyped-def]
        from tqcheck.fluency.scorer import TokenScores

        return [TokenScores(t, [(0, len(t))], [math.nan], [math.nan]) for t in texts]


def test_nan_fluency_falls_back_to_rules_and_json_stays_valid(tmp_path, monkeypatch, capsys):
    from tqcheck.fluency import stage

    monkeypatch.setattr(stage, "load", lambda spec: NaNModel())
    path = write(tmp_path / "a.txt", "The summit opened in Paris on Monday.\n")
    code = main(["scan", "--model", "smollm2", "-t", "en", "--format", "json", "--min-score", "99", str(path)])
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # bare NaN would not parse
    (file,) = data["files"]
    assert file["fluency"] is None and file["score"] == 100.0 and code == 0  # rules only, and clean
    assert captured.err.count("non-finite") == 1


def test_a_nan_score_never_passes_min_score():
    class Result:
        score = math.nan

    assert Gate(min_score=0).score_fails(Result())  # type: ignore[arg-type]
    assert json.loads(to_json({"score": math.nan, "x": [math.inf]})) == {"score": None, "x": [None]}


def test_unreadable_sub_folder_is_an_error_not_a_skip(tmp_path, monkeypatch, capsys):
    write(tmp_path / "ok.txt", "Fine.\n")
    locked = tmp_path / "locked"
    write(locked / "hidden.txt")
    deny(monkeypatch, locked)
    assert main(["scan", "--no-model", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert f"{locked}: Permission denied" in captured.err and "ok.txt" in captured.out
    assert main(["scan", "--no-model", str(tmp_path / "**" / "*.txt")]) == 2
    assert f"{locked}: Permission denied" in capsys.readouterr().err
    assert main(["scan", "--no-model", str(locked)]) == 2
    err = capsys.readouterr().err
    assert "Permission denied" in err and "no text files" not in err


def test_folder_nested_past_path_max_is_one_line(tmp_path, capsys):
    write(tmp_path / "ok.txt")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 × 201 characters: past PATH_MAX (4096)
            os.mkdir("d" * 200, dir_fd=fd)
            fd, old = os.open("d" * 200, os.O_RDONLY, dir_fd=fd), fd
            os.close(old)
    finally:
        os.close(fd)
    assert main(["scan", "--no-model", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "File name too long" in captured.err and captured.err.count("\n") == 1
    assert "ok.txt" in captured.out


def test_a_reader_that_leaves_does_not_change_the_exit_code():
    """``tqcheck scan ... | head -1``: the gate fails (major findings), so the exit code is 1."""
    proc = subprocess.Popen([sys.executable, "-m", "tqcheck", "scan", "--no-model", str(SEED)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1 and err == ""


def test_lone_cr_line_endings_count_lines():
    doc = Document("a.txt", "one\rtwo\r\nthree\nfour", "txt")
    assert [doc.line_column(doc.content.index(w)) for w in ("two", "three", "four")] == [(2, 1), (3, 1), (4, 1)]


# -- the terminal ---------------------------------------------------------------------------------
def test_control_sequences_are_shown_not_obeyed(tmp_path, capsys):
    finding = Finding("x/y", "style", Severity.MAJOR, "odd \x1b]0;owned\x07 text\r",
                      Span(0, 1, "o"), suggestions=("\x1b[2J",), file_span=FileSpan(0, 1, "o", 1, 1))
    line = finding_line("a\x1b[31m.txt", finding, color=True)
    assert "\x1b]" not in line and "\x1b[2J" not in line and "\x1b[31m.txt" not in line and "\r" not in line
    assert "\\x1b]0;owned\\x07" in line and "a\\x1b[31m.txt" in line
    assert printable("\u202eevil\tok") == "\\u202eevil\tok"
    path = write(tmp_path / "a\x1b[2J.txt")
    assert main(["scan", "--no-model", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "a\\x1b[2J.txt:1:" in out


# -- exit 2, never 3 ------------------------------------------------------------------------------
def test_non_xliff_xml_named_xlf_is_one_line(tmp_path, capsys):
    bad = write(tmp_path / "bad.xlf", '<?xml version="1.0"?>\n<root><a>Hello world.</a></root>\n')
    good = write(tmp_path / "good.txt")
    assert main(["scan", "--no-model", str(bad), str(good)]) == 2
    captured = capsys.readouterr()
    assert f"{bad}: not XLIFF" in captured.err and "fr-en/ordinal" in captured.out


@pytest.mark.parametrize("fmt", ["sarif", "json", "junit", "html", "md"])
def test_file_name_that_is_not_utf8(tmp_path, fmt):
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    write(path)
    out = tmp_path / f"report.{fmt}"
    proc = run("report", "--no-model", "-f", fmt, "-o", str(out), str(path))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "sarif":
        assert json.loads(text)["runs"][0]["artifacts"][0]["location"]["uri"].endswith("/caf%E9.txt")
    proc = run("scan", "--no-model", "-f", fmt if fmt not in ("html",) else "json", str(path))
    assert proc.returncode == 1 and proc.stderr == ""
    assert ("caf%E9.txt" if fmt == "sarif" else "caf\\udce9.txt") in proc.stdout


def test_pyproject_with_a_tool_that_is_not_a_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    write(tmp_path / "a.txt")
    proc = subprocess.run([sys.executable, "-m", "tqcheck", "scan", "--no-model", "a.txt"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "tool must be a table" in proc.stderr


def test_fix_in_a_read_only_folder_goes_on_with_the_others(tmp_path, monkeypatch, capsys):
    import tempfile

    locked, other = write(tmp_path / "ro" / "a.txt"), write(tmp_path / "rw" / "b.txt")
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(kwargs.get("dir", "")) == locked.parent:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert main(["fix", "--no-model", str(locked), str(other)]) == 2
    assert f"{locked}: not fixed, left as it was: Permission denied" in capsys.readouterr().err
    assert locked.read_text(encoding="utf-8") == MAJOR and "21st" in other.read_text(encoding="utf-8")


def test_fix_on_a_full_disk_leaves_the_file_and_no_temporary(tmp_path, monkeypatch, capsys):
    path = write(tmp_path / "a.txt")

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)
    assert main(["fix", "--no-model", str(path)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == MAJOR and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize(("how", "problem"), [
    ({"stdout": subprocess.DEVNULL, "preexec_fn": lambda: os.close(1)}, "standard output: closed"),
    ({"preexec_fn": lambda: os.close(0)}, "-: standard input is closed"),
])
def test_closed_standard_streams(how, problem):
    args = ["scan", "--no-model", "-"] if "input" in problem else ["scan", "--no-model", str(SEED)]
    proc = subprocess.run([sys.executable, "-m", "tqcheck", *args], stderr=subprocess.PIPE, text=True,
                          cwd=ROOT, timeout=120, **how)
    assert proc.returncode == 2 and proc.stderr.strip().endswith(problem) and "Traceback" not in proc.stderr


def test_a_full_standard_output():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "tqcheck", "scan", "--no-model", str(SEED)], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr == "tqcheck: error: standard output: No space left on device\n"


def test_empty_path_is_a_usage_error(capsys):
    assert main(["scan", "--no-model", ""]) == 2
    assert "empty PATH" in capsys.readouterr().err


# -- caches ---------------------------------------------------------------------------------------
@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TQCHECK_CACHE", str(folder))
    return folder


def _scan_seed() -> subprocess.CompletedProcess:
    return run("scan", "--no-model", "--format", "json", str(SEED))


def test_bit_flipped_rule_cache_is_rebuilt(own_cache):
    first = _scan_seed()
    entries = list(own_cache.glob("*.marshal"))
    assert first.returncode == 1 and entries
    for entry in entries:
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x10
        entry.write_bytes(bytes(data))
    again = _scan_seed()
    assert (again.returncode, again.stdout, again.stderr) == (1, first.stdout, "")
    assert all(cache.unseal(e.read_bytes()) is not None for e in entries)


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_damaged_word_frequency_cache_is_rebuilt(own_cache, damage):
    first = _scan_seed()
    (table,) = own_cache.glob("zipf-en-*.sqlite3")
    size = table.stat().st_size
    if damage == "truncate":
        os.truncate(table, size // 3)
    else:
        table.write_bytes(os.urandom(5000))
    for _ in range(2):  # and the run after
        again = _scan_seed()
        assert (again.returncode, again.stdout, again.stderr) == (1, first.stdout, "")
    assert table.stat().st_size == size


def test_a_read_only_cache_is_still_read(own_cache, monkeypatch):
    assert cache.cached_marshal("x.marshal", lambda: {"a": 1}) == {"a": 1}

    def utime(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "utime", utime)
    assert cache.cached_marshal("x.marshal", lambda: pytest.fail("rebuilt")) == {"a": 1}


def test_cache_evicts_least_recently_used_entries(tmp_path):
    for age, name in enumerate(["new", "mid", "old"]):
        entry = tmp_path / f"{name}.marshal"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (time.time() - 1000 * age, time.time() - 1000 * age))
    cache.evict(tmp_path, "*.marshal", 250, keep=tmp_path / "old.marshal")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.marshal", "old.marshal"]


def test_stale_temporaries_are_swept(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    two_hours_ago = time.time() - 7200
    dead = write(tmp_path / ".a.txt.999999999.x1.tmp", "half")
    live = write(tmp_path / f".a.txt.{os.getpid()}.x2.tmp", "being written")
    fresh = write(tmp_path / ".a.txt.999999999.x3.tmp", "too recent to judge")
    journal = write(tmp_path / ".zipf-en.sqlite3.x4.tmp-journal", "")
    for p in (dead, live, journal):
        os.utime(p, (two_hours_ago, two_hours_ago))
    cache.write_atomic(target, b"new\n")
    assert not dead.exists() and live.exists() and fresh.exists() and target.read_bytes() == b"new\n"
    monkeypatch.setenv("TQCHECK_CACHE", str(tmp_path))
    cache.sweep_cache()
    assert not journal.exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_a_write_leaves_no_temporary(tmp_path, signum):
    code = ("import sys, time\nfrom pathlib import Path\nfrom tqcheck.cli import main\n"
            "from tqcheck.cache import write_atomic\n"
            "write_atomic(Path(sys.argv[1]), b'x' * 10_000_000, before_replace=lambda: time.sleep(60))\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "report.json")], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not list(tmp_path.glob(".report.json.*.tmp")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the 10 MB written, asleep before the rename
    proc.send_signal(signum)
    assert proc.wait(timeout=30) == 128 + signum
    assert list(tmp_path.iterdir()) == [] and "Traceback" not in proc.stderr.read()  # type: ignore[union-attr]


def test_ctrl_c_while_tqcheck_is_still_importing_prints_no_traceback():
    """The interrupt arrives while the CLI imports its modules (``config`` here, as a slow machine
    would see a Ctrl-C in the first tenth of a second)."""
    code = ("import os, signal, sys\n"
            "class Interrupt:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'tqcheck.config':\n"
            "            os.kill(os.getpid(), signal.SIGINT)\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            "from tqcheck.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    proc = subprocess.run([sys.executable, "-c", code, "scan", "--no-model", str(SEED)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "tqcheck: interrupted\n", "")


def test_nothing_runs_before_the_signal_handlers_but_the_package_and_its_version():
    """The CLI installs its handlers once ``tqcheck/__init__`` has run: that module imports no
    other (``typing`` alone took 10 ms, a window in which Ctrl-C was a traceback).  What is left
    is Python's own start-up, before any tqcheck code (docs/reliability.md, Signals)."""
    code = "import sys; before = set(sys.modules); import tqcheck; print(sorted(set(sys.modules) - before))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "['tqcheck', 'tqcheck._version']"


# -- permissions and folders of what tqcheck writes ------------------------------------------------
def test_reports_and_baselines_follow_the_umask(tmp_path, monkeypatch, capsys):
    path = write(tmp_path / "a.txt")
    old = os.umask(0o022)
    try:
        assert main(["report", "--no-model", "-o", str(tmp_path / "r.json"), str(path)]) == 0
        assert main(["baseline", "create", "--no-model", "--baseline", str(tmp_path / "b.json"), str(path)]) == 0
    finally:
        os.umask(old)
    assert [(tmp_path / n).stat().st_mode & 0o777 for n in ("r.json", "b.json")] == [0o644, 0o644]


def test_baseline_into_a_missing_folder_is_an_error(tmp_path, capsys):
    path = write(tmp_path / "a.txt")
    target = tmp_path / "typo" / "b.json"
    assert main(["baseline", "create", "--no-model", "--baseline", str(target), str(path)]) == 2
    assert "No such file or directory" in capsys.readouterr().err and not target.parent.exists()


def test_a_truncated_model_cache_is_rebuilt_once(monkeypatch):
    """safetensors raises its own error for a truncated file; the converted copy is made again."""
    from safetensors import SafetensorError

    from tqcheck.fluency import loader
    from tqcheck.fluency.catalogue import resolve

    calls: list[str] = []

    def from_folder(folder: object, bfloat16: object, keep: object) -> tuple[str, str]:
        calls.append("load")
        if calls.count("load") == 1:
            raise SafetensorError("Error while deserializing header: MetadataIncompleteBuffer")
        return "model", "tokenizer"

    monkeypatch.setattr(loader, "_from_folder", from_folder)
    monkeypatch.setattr(loader, "prepare", lambda spec, force=False: calls.append(f"prepare force={force}"))
    assert loader._load_source(resolve("smollm2"), None) == ("model", "tokenizer")
    assert calls == ["prepare force=False", "load", "prepare force=True", "load"]
