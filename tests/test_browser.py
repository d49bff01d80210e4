"""The HTML report as headless Chromium renders it: highlights, chart, the fluency model's
sentence shading, a bilingual file side by side, the filter and the keyboard, and screenshots.

Interaction is played by a script appended to a copy of the report (after the report's own), which
writes what it saw into ``data-`` attributes of ``<body>``; ``--dump-dom`` then shows the result.

Chromium runs with a fresh profile and every background network feature off (the page itself
loads nothing).  ``.ci/run`` installs it (Debian package ``chromium``).
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tqcheck.cli import main

from .conftest import SEED
from .test_report_html import DATA, highlighted

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--window-size=1200,1600", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "seed.html"
    assert main(["report", str(SEED), "-o", str(out)]) == 0  # with the fluency model (the default)
    return out


def test_seed_report_renders_highlights_and_chart(seed_report, tmp_path):
    shot = tmp_path / "seed-report.png"
    proc = chromium(tmp_path / "profile", f"--screenshot={shot}", seed_report.as_uri())
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000, proc.stderr
    dom = chromium(tmp_path / "profile", "--dump-dom", seed_report.as_uri())
    assert "Uncaught" not in dom.stderr, dom.stderr
    page = dom.stdout
    texts = set(highlighted(page).values())
    # The seed's artifacts: French ordinal, untranslated word, French spelling of a name, paywall
    # and scraper boilerplate, French spacing before a currency amount.
    for artifact in ("21e", "sortie", "Poutin", "You have 49.93% of this article to read.", "source site-29", "$ 5"):
        assert artifact in texts, f"{artifact!r} not highlighted in the rendered page"
    assert re.search(r'<svg class="chart"[^>]*>.*<rect class="bar major"', page, re.S)
    assert len(re.findall(r'<rect class="bar ', page)) >= 3
    shaded = re.findall(r'<span class="sent" style="--badness:([\d.]+)" title="fluency (\d+)/100">', page)
    assert len(shaded) >= 10 and len({b for b, _ in shaded}) > 3  # every sentence, shaded by its score


def test_link_to_a_finding_opens_its_details(seed_report, tmp_path):
    anchor = re.search(r'<a href="#(mf1-\d+)">3:197</a>', seed_report.read_text(encoding="utf-8")).group(1)
    dom = chromium(tmp_path / "profile", "--dump-dom", f"{seed_report.as_uri()}#{anchor}")
    pop = re.search(r'<aside id="pop"([^>]*)>(.*?)</aside>', dom.stdout, re.S)
    assert pop is not None and "hidden" not in pop.group(1), dom.stderr
    assert "fr-en/ordinal" in pop.group(2) and "21st" in pop.group(2)
    assert re.search(rf'<tr id="{anchor[1:]}" class="major hit"', dom.stdout)
    active = re.findall(r'<mark class="f \w+ active" data-f="[^"]+"[^>]*>([^<]*)</mark>', dom.stdout)
    assert "".join(active) == "21e"  # the highlight of the linked finding is outlined


def played(report: Path, script: str) -> Path:
    """A copy of ``report`` that runs ``script`` once the page and its own script are loaded."""
    copy = report.with_name(f"played-{report.name}")
    page = report.read_text(encoding="utf-8")
    copy.write_text(page.replace("</body>", f"<script>{script}</script></body>"), encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def po_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "po.html"
    assert main(["report", "--no-model", str(DATA / "bilingual.po"), "-o", str(out)]) == 0  # the gate is scan's
    return out


def body_data(dom: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", dom).group(1)
    return {k: html.unescape(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', body)}


def test_bilingual_report_renders_source_beside_target(po_report, tmp_path):
    shot = tmp_path / "po-report.png"
    proc = chromium(tmp_path / "profile", f"--screenshot={shot}", po_report.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, proc.stderr
    dom = chromium(tmp_path / "profile", "--dump-dom", po_report.as_uri())
    assert "Uncaught" not in dom.stderr, dom.stderr
    row = re.search(r'<td class="src seg"[^>]*>Le 21e sommet a réuni 7 400 personnes.</td>'
                    r'<td class="tgt seg"[^>]*>(.*?)</td>', dom.stdout).group(1)
    assert set(highlighted(row).values()) == {"21e", "7,950"}
    assert "fr (guessed, 1.00)→en" in dom.stdout
    assert "3 of 3 findings shown" in dom.stdout


def test_filter_hides_findings_and_their_highlights(po_report, tmp_path):
    script = """
    var form=document.getElementById('filter');
    form.querySelector('input[value="critical"]').click();
    form.elements.rule.value='fr-en/ordinal';form.elements.rule.dispatchEvent(new Event('change',{bubbles:true}));
    document.body.dataset.shown=Array.prototype.filter.call(document.querySelectorAll('tr[data-rule]'),
      function(r){return !r.hidden}).map(function(r){return r.dataset.rule}).join(' ');
    document.body.dataset.lit=Array.prototype.map.call(document.querySelectorAll('mark.f:not(.off)'),
      function(m){return m.textContent}).join('|');
    document.body.dataset.stops=Array.prototype.map.call(document.querySelectorAll('mark.f.off'),
      function(m){return m.tabIndex}).join(' ');
    """
    dom = chromium(tmp_path / "profile", "--dump-dom", played(po_report, script).as_uri())
    assert "Uncaught" not in dom.stderr, dom.stderr
    seen = body_data(dom.stdout)
    assert seen["shown"] == "fr-en/ordinal" and seen["lit"] == "21e"
    assert seen["stops"] and set(seen["stops"].split()) == {"-1"}  # hidden highlights leave the Tab order
    assert "1 of 3 findings shown" in dom.stdout


@pytest.mark.parametrize("key", ["Enter", " "])
def test_keyboard_opens_and_closes_a_highlights_details(po_report, tmp_path, key):
    script = f"""
    var m=document.querySelector('mark.f'),pop=document.getElementById('pop'),b=document.body.dataset;
    function press(target,key){{target.dispatchEvent(new KeyboardEvent('keydown',{{key:key,bubbles:true}}))}}
    m.focus();b.focused=document.activeElement===m;
    press(m,{key!r});b.opened=pop.hidden+' '+(document.activeElement===pop)+' '+pop.textContent;
    press(pop,'Escape');b.closed=pop.hidden+' '+(document.activeElement===m);
    """
    dom = chromium(tmp_path / "profile", "--dump-dom", played(po_report, script).as_uri())
    assert "Uncaught" not in dom.stderr, dom.stderr
    seen = body_data(dom.stdout)
    assert seen["focused"] == "true"  # a highlight takes the focus (its ring: test_report_html)
    hidden, focus_in_pop, text = seen["opened"].split(" ", 2)
    assert (hidden, focus_in_pop) == ("false", "true") and "fr-en/ordinal" in text and "ordinals" in text
    assert seen["closed"] == "true true"  # closed, and the focus is back on the highlight
