"""``tqcheck score``: sacrebleu BLEU, chrF and TER with signatures, and what ``fix`` does to them."""
from __future__ import annotations

import json

from tqcheck import metrics
from tqcheck.cli import main
from tqcheck.formats import load_text

from .conftest import ROOT, SEED

REFERENCE = ROOT / "references" / "000_e6414ae541a6d4fd.en.txt"
SIGNATURES = {
    "BLEU": "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:",
    "chrF2": "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:",
    "TER": "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:",
}


def test_text_output_has_scores_and_signatures(capsys):
    assert main(["score", str(SEED), "--ref", str(REFERENCE)]) == 0
    out = capsys.readouterr().out
    for name, signature in SIGNATURES.items():
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert signature in line
        float(line.split()[1])


def test_json_output(capsys):
    assert main(["score", "--format", "json", str(SEED), "--ref", str(REFERENCE), "--ref", str(SEED)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hypothesis"] == str(SEED) and data["references"] == [str(REFERENCE), str(SEED)]
    scores = {s["metric"]: s for s in data["scores"]}
    assert set(scores) == set(SIGNATURES)
    for s in scores.values():
        assert s["signature"].startswith("nrefs:2|")  # two references
    # the seed is one of its own references: a perfect score
    assert scores["BLEU"]["score"] == 100.0 and scores["chrF2"]["score"] == 100.0 and scores["TER"]["score"] == 0.0


def test_documents_are_scored_sentence_by_sentence_of_their_prose():
    html = metrics.sentences(load_text("a.html", "<p>The  summit</p>\n<p>opened. It rained.</p>", "html"))
    assert html == ["The summit", "opened.", "It rained."]


def test_missing_reference_is_one_line_exit_two(tmp_path, capsys):
    assert main(["score", str(SEED), "--ref", str(tmp_path / "none.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "none.txt: no such file" in err


def test_fix_raises_bleu_and_chrf_of_the_seed(tmp_path, capsys):
    """The README's claim: fixing the seed brings it closer to the human reference."""
    copy = tmp_path / SEED.name
    copy.write_bytes(SEED.read_bytes())
    before = metrics.score_files(str(copy), [str(REFERENCE)]).by_name()
    main(["fix", str(copy)])
    after = metrics.score_files(str(copy), [str(REFERENCE)]).by_name()
    assert after["BLEU"] > before["BLEU"] + 5
    assert after["chrF2"] > before["chrF2"]
    assert after["TER"] < before["TER"]
