"""The plugin registry (tqcheck/registry.py): one test per extension point with a fake plugin.

Third-party plugins are found through entry points; here ``tqcheck.registry.entry_points`` is
replaced so that a group yields entry points into a module written to a temporary folder, and
one test installs a real ``.dist-info`` folder on ``PYTHONPATH`` and runs the CLI, as a user who
``pip install``-ed a plugin would.
"""
from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tqcheck import checks, formats, registry, report
from tqcheck.core.results import Options
from tqcheck.formats import load_path, load_text
from tqcheck.gate import Gate
from tqcheck.pipeline import check_document

#: A distribution's plugins, one of each kind: a check that flags words in capitals, a check
#: that needs the source, a reporter and a reader.
PLUGIN = '''
from tqcheck.core.document import Document
from tqcheck.core.findings import CheckRule, Finding, Severity, Span

SHOUT = CheckRule(id="acme/shout", category="style/unidiomatic", severity=Severity.MINOR,
                  message="a word in capitals", why="Capitals shout.",
                  examples={"flag": [{"text": "It is [[HUGE]]."}], "pass": [{"text": "It is huge."}]})
CALLS = []


class Shout:
    RULES = (SHOUT,)

    @staticmethod
    def run(doc, ctx):
        CALLS.append(doc.path)
        return [Finding(SHOUT.id, SHOUT.category, SHOUT.severity, SHOUT.message,
                        Span(m.start(), m.end(), m.group()))
                for m in __import__("re").finditer(r"\\b[A-Z]{3,}\\b", doc.text)]


class Paired:
    RULES = (CheckRule(id="acme/paired", category="accuracy/omission", severity=Severity.MINOR,
                       message="m", why="", examples={"flag": [], "pass": []}),)
    NEEDS = ("source",)

    @staticmethod
    def run(doc, ctx):
        CALLS.append("paired")
        return []


class Count:
    NAME = "acme"
    SUFFIXES = (".acme",)

    @staticmethod
    def render(results, gate, view):
        return f"{sum(len(r.findings) for r in results)} findings\\n"


class Reader:
    FORMAT = "acme"
    SUFFIXES = (".acme",)

    @staticmethod
    def sniff(head):
        return head.startswith("acme:")

    @staticmethod
    def load(path, content):
        return Document(path, content, "acme")
'''
ENTRY_POINTS = {
    "tqcheck.checks": {"shout": "acme_plugin:Shout", "paired": "acme_plugin:Paired"},
    "tqcheck.reporters": {"acme": "acme_plugin:Count"},
    "tqcheck.formats": {"acme": "acme_plugin:Reader"},
}
REGISTRIES = (checks.CHECKS, report.REPORTERS, formats.READERS)


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The fake distribution installed: its module importable, its entry points listed."""
    (tmp_path / "acme_plugin.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "entry_points", lambda group: [
        metadata.EntryPoint(name, value, group) for name, value in ENTRY_POINTS.get(group, {}).items()])
    for r in REGISTRIES:
        r.reset()
    import acme_plugin

    acme_plugin.CALLS.clear()
    yield acme_plugin
    for r in REGISTRIES:
        r.reset()
    sys.modules.pop("acme_plugin", None)


# -- checks ------------------------------------------------------------------------------------
def test_a_plugin_check_runs_and_its_rule_is_known_everywhere(plugin):
    result = check_document(load_text("a.txt", "It is HUGE, and that is all there is to say.", "txt"), Options())
    assert [(f.rule, f.text) for f in result.findings if f.rule.startswith("acme/")] == [("acme/shout", "HUGE")]
    assert checks.find("acme/shout") is plugin.SHOUT  # rules, explain, SARIF, settings read this
    assert "acme/shout" in {r.id for r in checks.rules()}


def test_a_check_whose_rules_are_all_disabled_is_not_run(plugin):
    doc = load_text("a.txt", "It is HUGE.", "txt")
    check_document(doc, Options(disabled=frozenset({"acme/shout"})))
    assert plugin.CALLS == []
    check_document(doc, Options())
    assert plugin.CALLS == ["a.txt"]


def test_a_check_that_needs_the_source_runs_only_with_one(plugin):
    check_document(load_text("a.txt", "It is huge.", "txt"), Options())
    assert "paired" not in plugin.CALLS
    check_document(load_text("a.tsv", "C'est énorme.\tIt is huge.", "tsv"), Options())
    assert "paired" in plugin.CALLS


def test_a_builtin_check_with_its_rules_disabled_is_not_run(monkeypatch: pytest.MonkeyPatch):
    from tqcheck.checks import mojibake

    def fail(doc, ctx):
        raise AssertionError("a disabled check ran")

    monkeypatch.setattr(mojibake, "run", fail)
    checks.CHECKS.reset()
    try:
        check_document(load_text("a.txt", "CafÃ© au lait.", "txt"), Options(disabled=frozenset({"tq/mojibake"})))
        with pytest.raises(AssertionError, match="disabled check ran"):
            check_document(load_text("a.txt", "CafÃ© au lait.", "txt"), Options())
    finally:
        monkeypatch.undo()
        checks.CHECKS.reset()


def test_the_model_stage_is_a_check_that_needs_the_model():
    (model,) = [c for c in checks.CHECKS.all() if "model" in c.needs]
    assert {r.id for r in model.rules} == {"tq/unexpected-word", "tq/awkward-sentence"}
    assert model.enabled(frozenset(r.id for r in model.rules))  # its fluency counts in the score


# -- rule packs ---------------------------------------------------------------------------------
PACK_RULE = """rules:
  - id: xx-en/shout-word
    type: existence
    category: style/unidiomatic
    severity: minor
    message: a shouted word
    why: Capitals shout.
    patterns: [KABOOM]
    examples:
      flag: [{text: "It went [[KABOOM]]."}]
      pass: [{text: "It went off."}]
"""


def test_a_plugin_pack_is_one_more_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tqcheck.rules import packs

    (tmp_path / "xx-en").mkdir()
    (tmp_path / "xx-en" / "shout.yaml").write_text(PACK_RULE, encoding="utf-8")
    (tmp_path / "acme_packs.py").write_text(f"PACK = {str(tmp_path / 'xx-en')!r}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "entry_points", lambda group: [
        metadata.EntryPoint("xx-en", "acme_packs:PACK", group)] if group == "tqcheck.packs" else [])
    packs.THIRD_PARTY.reset()
    try:
        assert packs.available_packs()["xx-en"] == tmp_path / "xx-en"
        result = check_document(load_text("a.txt", "It went KABOOM in the night.", "txt"),
                                Options(source_lang="xx", target_lang="en"))
        assert [f.rule for f in result.findings] == ["xx-en/shout-word"]
        assert checks.find("xx-en/shout-word") is not None
    finally:
        packs.THIRD_PARTY.reset()
        sys.modules.pop("acme_packs", None)


# -- reporters and readers -----------------------------------------------------------------------
def test_a_plugin_reporter_is_chosen_by_name_and_suffix(plugin):
    result = check_document(load_text("a.txt", "It is HUGE.", "txt"), Options())
    assert report.reporter("acme").render([result], Gate()) == f"{len(result.findings)} findings\n"
    assert report.for_suffix(".ACME") is report.reporter("acme")


@pytest.mark.parametrize("name", ["a.b", "..", "", "_x", "links", "base"])
def test_an_unknown_format_is_a_usage_error(name: str):
    from tqcheck.core.errors import UsageError

    with pytest.raises(UsageError, match=r"unknown format .* \(formats: github, html, json"):
        report.reporter(name)


def test_a_plugin_reader_reads_its_suffix_and_its_content(plugin, tmp_path: Path):
    path = tmp_path / "notes.acme"
    path.write_text("It is fine.", encoding="utf-8")
    assert load_path(str(path)).format == "acme"
    assert formats.sniff_format("-", "acme: It is fine.") == "acme"
    assert formats.formats_by_suffix()[".acme"] == "acme"


def test_a_builtin_is_a_module_of_its_package_and_helpers_are_passed_over(tmp_path: Path, monkeypatch):
    package = tmp_path / "fakekind"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("NAME = 'one'\n")
    (package / "helper.py").write_text("X = 1\n")
    (package / "_private.py").write_text("NAME = 'private'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    kind = registry.Registry("fakekind", "fakekind", lambda name, obj: getattr(obj, "NAME", None), str)
    assert kind.all() == ("one",)


def test_a_broken_plugin_is_named(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(registry, "entry_points",
                        lambda group: [metadata.EntryPoint("bad", "no_such_module_here:X", group)])
    kind = registry.Registry("checks", None, checks.base.as_check, lambda c: c.name)
    with pytest.raises(registry.PluginError, match=r"plugin bad \(tqcheck.checks\): cannot be loaded"):
        kind.all()


# -- end to end: an installed distribution -------------------------------------------------------
def test_an_installed_plugin_works_from_the_command_line(tmp_path: Path):
    """A ``.dist-info`` with ``entry_points.txt`` on the path is what ``pip install`` leaves."""
    (tmp_path / "acme_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "acme_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{n} = {v}\n" for n, v in points.items()) for group, points in ENTRY_POINTS.items()))
    text = tmp_path / "a.txt"
    text.write_text("It is HUGE, and that is all there is to say about it.", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}

    def tqcheck(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tqcheck", *args], capture_output=True, text=True, env=env)

    scan = tqcheck("scan", "--no-model", "-f", "acme", "-t", "en", str(text))
    assert scan.stdout.endswith(" findings\n") and scan.stdout != "0 findings\n", scan.stderr
    explain = tqcheck("explain", "acme/shout")
    assert explain.returncode == 0 and "Capitals shout." in explain.stdout
    (info / "entry_points.txt").write_text("[tqcheck.reporters]\nbroken = acme_plugin:Missing\n")
    broken = tqcheck("scan", "--no-model", "-f", "acme", str(text))
    assert broken.returncode == 2 and broken.stderr.startswith("tqcheck: error: plugin broken"), broken.stderr
    assert "Traceback" not in broken.stderr


# -- models -------------------------------------------------------------------------------------
def test_a_plugin_model_is_named_and_chosen_like_a_packaged_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A ``tqcheck.models`` entry point: a model in a package of its own, with the constants for
    the languages it scores; ``--model auto`` picks it for those, and a built-in name is refused."""
    from tqcheck.fluency import catalogue, packaged
    from tqcheck.fluency.calibration import calibration, languages

    (tmp_path / "acme_lm").mkdir()
    (tmp_path / "acme_lm" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "acme_lm" / "acme.gguf").write_bytes(b"GGUF")
    constants = {"center": 11.0, "excess_weight": 1.0, "zipf_weight": 0.0, "bias": -2.0}
    (tmp_path / "acme_models.py").write_text(
        "from tqcheck.fluency.packaged import PackagedModel\n"
        "MODEL = PackagedModel('acme-lm', 'acme-lm', 'acme_lm', 'acme.gguf', False, 'pip install acme-lm',\n"
        f"                     calibration={{'xx': {constants!r}}})\n"
        "CLASH = PackagedModel('smollm2', 'x', 'x', 'x.gguf', False, 'pip install x')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    points = [metadata.EntryPoint("acme-lm", "acme_models:MODEL", "tqcheck.models")]
    monkeypatch.setattr(registry, "entry_points", lambda group: points if group == "tqcheck.models" else [])
    packaged.THIRD_PARTY.reset()
    try:
        assert languages("acme-lm") == {"xx"} and calibration("acme-lm", "xx").center == 11.0
        assert catalogue.choose("auto", "xx") == ("acme-lm", None)
        assert catalogue.choose("acme-lm", "en")[0] is None  # not calibrated for English
        source = catalogue.resolve("acme-lm")
        assert source.kind == "packaged" and source.location == str(tmp_path / "acme_lm" / "acme.gguf")
        points.append(metadata.EntryPoint("smollm2", "acme_models:CLASH", "tqcheck.models"))
        packaged.THIRD_PARTY.reset()
        with pytest.raises(registry.PluginError, match=r"plugin smollm2 \(tqcheck.models\): a model of this name"):
            catalogue.resolve("acme-lm")
    finally:
        packaged.THIRD_PARTY.reset()
        sys.modules.pop("acme_models", None)
        sys.modules.pop("acme_lm", None)
