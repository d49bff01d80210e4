"""The HTML report of the seed as headless Chromium renders it: highlights, chart, the fluency
model's sentence shading, the script, and a screenshot.

Chromium runs with a fresh profile and every background network feature off (the page itself
loads nothing).  ``.ci/run`` installs it (Debian package ``chromium``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tqcheck.cli import main

from .conftest import SEED
from .test_report_html import highlighted

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
