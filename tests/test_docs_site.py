"""The documentation site: a page per rule generated from the packs and the code checks, a strict
offline mkdocs build, and the rule links of SARIF and HTML reports landing on those pages."""
from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tqcheck import docs_gen
from tqcheck.checks import check_rules
from tqcheck.config import SETTINGS
from tqcheck.core.results import FileResult, Options
from tqcheck.formats import load_text
from tqcheck.gate import Gate
from tqcheck.pipeline import check_document
from tqcheck.report import html as html_report
from tqcheck.report import links, sarif
from tqcheck.rules.examples import example_text
from tqcheck.rules.matching import RuleSet
from tqcheck.rules.packs import all_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = [*all_rules(), *check_rules()]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return docs_gen.pages()


def _shown(example: str) -> str:
    """An example as its page shows it: escaped, the flagged span marked."""
    text, spans = example_text(example)
    if not spans:
        return html.escape(text)
    (start, end), *_ = spans
    return html.escape(text[:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>"


def test_a_page_for_every_rule_with_its_facts_and_examples(pages):
    for rule in RULES:
        page = pages[f"rules/{rule.id}.md"]
        assert page.startswith(f"# {rule.id}\n")
        assert f"| Severity | {rule.severity.label} |" in page and f"`{rule.category}`" in page
        assert f"| Fix | {rule.fix or 'none'} |" in page and "## Fix safety" in page
        for kind in ("flag", "pass"):
            for example in rule.examples[kind]:
                assert _shown(example["text"]) in page, (rule.id, example)
                if kind == "flag" and example.get("suggest"):
                    assert f"<code>{html.escape(example['suggest'])}</code>" in page, (rule.id, example)


def test_pack_rule_pages_show_the_engine_s_suggestions(pages):
    """Examples that declare no suggestion still show what tqcheck suggests for them."""
    shown = 0
    for rule in all_rules():
        page = pages[f"rules/{rule.id}.md"]
        for example in rule.examples["flag"]:
            if example.get("suggest") is not None:
                continue
            text = example_text(example["text"])[0]
            findings = [f for f in RuleSet([rule]).run(load_text("x", text, "txt")) if f.rule == rule.id]
            if findings and findings[0].suggestions and findings[0].suggestions[0]:
                assert f"<code>{html.escape(findings[0].suggestions[0])}</code>" in page, (rule.id, example)
                shown += 1
    assert shown > 20


def test_rule_index_groups_every_rule_by_pack_and_family(pages):
    index = pages[docs_gen.RULE_INDEX]
    assert f"{len(RULES)} rules." in index
    for doc in docs_gen.rule_docs():
        assert f"[`{doc.rule.id}`]({doc.page})" in index
        assert f"### {doc.pack} · {doc.family}" in index
    assert "### fr-en · ordinals" in index and "### tq · untranslated" in index


def test_configuration_page_lists_every_setting_and_the_docs_url(pages):
    page = pages["configuration.md"]
    for setting in SETTINGS:
        assert f"| `{setting.key}` | `--{setting.key} " in page
    assert links.DOCS_URL_ENV in page and links.DEFAULT_DOCS_URL in page


def test_site_url_is_the_reports_default():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_url"] == links.DEFAULT_DOCS_URL
    assert config["theme"]["font"] is False and "social" not in json.dumps(config.get("plugins"))


def test_nav_keeps_only_pages_that_exist():
    nav = [{"Start": "index.md"}, {"Later": "editors.md"}, {"Group": [{"A": "a.md"}, {"B": "gone.md"}]},
           {"Empty": [{"C": "gone.md"}]}, {"Out": "https://example.org/"}]
    assert docs_gen._existing(nav, {"index.md", "a.md"}) == [
        {"Start": "index.md"}, {"Group": [{"A": "a.md"}]}, {"Out": "https://example.org/"}]


def test_rule_url_default_and_override(monkeypatch):
    monkeypatch.delenv(links.DOCS_URL_ENV, raising=False)
    assert links.rule_url("fr-en/ordinal") == links.DEFAULT_DOCS_URL + "rules/fr-en/ordinal/"
    monkeypatch.setenv(links.DOCS_URL_ENV, "https://docs.example.org/tq")
    assert links.rule_url("fr-en/ordinal") == "https://docs.example.org/tq/rules/fr-en/ordinal/"
    assert links.rule_url("termbase/prime-minister") == "https://docs.example.org/tq/ci/#termbase"


def _ordinal_result() -> list[FileResult]:
    doc = load_text("a.txt", "The 21e summit opened.\n", "txt")
    return [check_document(doc, Options(source_lang="fr", target_lang="en"))]


def test_sarif_help_uri_and_html_link_point_to_the_rule_page(monkeypatch):
    monkeypatch.setenv(links.DOCS_URL_ENV, "https://docs.example.org/tq/")
    results = _ordinal_result()
    rules = sarif.document(results, Gate())["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"]: r["helpUri"] for r in rules}["fr-en/ordinal"] == "https://docs.example.org/tq/rules/fr-en/ordinal/"
    page = html_report.render(results, Gate())
    assert '<a class="rule" href="https://docs.example.org/tq/rules/fr-en/ordinal/"' in page


def test_generate_command_writes_the_pages(tmp_path, capsys):
    assert docs_gen.main([str(tmp_path)]) == 0
    assert (tmp_path / "rules" / "fr-en" / "ordinal.md").is_file() and (tmp_path / "schema.md").is_file()
    assert capsys.readouterr().out == f"{tmp_path}: {len(RULES) + 3} pages\n"


@pytest.mark.skipif(shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None,
                    reason="mkdocs is not installed (pip install -e '.[docs]')")
def test_site_builds_strict_offline_with_a_page_per_rule(tmp_path):
    site = tmp_path / "site"
    done = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--quiet",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True,
                          # the hook imports the package of this checkout (PYTHONPATH), as the tests do
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent),
                               "PYTHONPATH": str(ROOT)},
                          timeout=300)
    assert done.returncode == 0, done.stderr
    base = links.DEFAULT_DOCS_URL
    for rule in RULES:
        built = site / links.rule_url(rule.id).removeprefix(base) / "index.html"
        page = built.read_text(encoding="utf-8")
        first = rule.examples["flag"][0]["text"]
        assert _shown(first) in page, rule.id
    ci = (site / links.TERMBASE_PAGE.split("#")[0] / "index.html").read_text(encoding="utf-8")
    assert 'id="termbase"' in ci
    for name in ("index.html", "rule-index/index.html", "configuration/index.html", "schema/index.html"):
        assert (site / name).is_file()
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")

