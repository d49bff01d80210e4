"""The scoring signature (``tqcheck/scoring.py``): it names what a score was computed with, so it
must change whenever a pack, the model or a weight does, and reports must carry it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tqcheck import scoring
from tqcheck.cli import main
from tqcheck.fluency.sentences import FileFluency
from tqcheck.scoring import DEFAULT, Scoring, combine, parse, render

DATA = Path(__file__).parent / "data"


def _sign(packs: tuple[str, ...] = ("en", "fr-en"), fluency: FileFluency | None = None,
          policy: Scoring = DEFAULT) -> str:
    return policy.signature(packs, fluency, "en")


def test_the_signature_names_version_packs_model_calibration_weights_and_mapping():
    parts = parse(_sign(fluency=FileFluency("smollm2", "bfloat16", [])))
    assert list(parts) == ["tqcheck", "packs", "rules", "model", "calib", "weights", "map"]
    assert parts["rules"] == {"all"}
    assert {p.split("#")[0] for p in parts["packs"]} == {"en", "fr-en"}
    assert parts["model"] == {"smollm2+bfloat16"} and next(iter(parts["calib"])).startswith("smollm2/en#")
    assert parts["weights"] == {"1/5/25/p0.1/f50/o0.1"} and parts["map"] == {"log2/10/1"}
    assert parse(_sign())["model"] == set() and "|model:none|calib:none|" in _sign()


def test_the_signature_changes_with_the_packs():
    assert _sign(("en",)) != _sign(("en", "fr-en")) != _sign(("en", "de-en"))


def test_the_signature_changes_when_a_rule_of_a_pack_changes(tmp_path, monkeypatch):
    pack = tmp_path / "xx"
    pack.mkdir()
    rules = pack / "rules.yaml"
    monkeypatch.setattr(scoring, "available_packs", lambda: {"xx": pack})
    signatures = []
    for severity in ("minor", "major"):
        rules.write_text(f"rules:\n  - id: xx/a\n    severity: {severity}\n", encoding="utf-8")
        scoring.pack_hash.cache_clear()
        signatures.append(_sign(("xx",)))
    scoring.pack_hash.cache_clear()
    assert signatures[0] != signatures[1]


def test_the_signature_changes_with_the_model_and_its_precision():
    signatures = {_sign(), _sign(fluency=FileFluency("smollm2", "bfloat16", [])),
                  _sign(fluency=FileFluency("smollm2", "float32", [])),
                  _sign(fluency=FileFluency("gemma3", "bfloat16", []))}
    assert len(signatures) == 4


@pytest.mark.parametrize("changed", [Scoring(major=4.0), Scoring(minor_punctuation=0.2), Scoring(fluency=40.0),
                                     Scoring(step=20.0), Scoring(origin=2.0)])
def test_the_signature_changes_with_a_weight_or_the_mapping(changed):
    assert _sign(policy=changed) != _sign()


def test_a_run_signs_with_the_union_of_its_files():
    french, german = _sign(("en", "fr-en")), _sign(("en", "de-en"), FileFluency("smollm2", "bfloat16", []))
    run = parse(combine([french, german]) or "")
    assert {p.split("#")[0] for p in run["packs"]} == {"en", "fr-en", "de-en"}
    assert run["model"] == {"smollm2+bfloat16"}
    assert combine([french, french]) == french and combine([None]) is None
    assert render(parse(german)) == german


def _json(capsys, *args: str) -> dict:
    main(["scan", "--no-model", "--format", "json", "--fail-on", "never", *args])
    return json.loads(capsys.readouterr().out)


def test_json_signs_the_run_and_each_file_whose_packs_differ(capsys):
    one = _json(capsys, "-s", "fr", str(DATA / "target-en.txt"))
    assert one["signature"].startswith("tqcheck:") and "signature" not in one["files"][0]
    both = _json(capsys, str(DATA / "target-en.txt"), str(DATA / "bilingual.po"))
    guessed, declared = both["files"]  # every *-en pack (the run's) against the fr-en pair's
    assert "signature" not in guessed and declared["signature"] != both["signature"]
    assert {p.split("#")[0] for p in parse(declared["signature"])["packs"]} == {"en", "fr-en"}
    assert parse(both["signature"])["packs"] > parse(declared["signature"])["packs"]


def test_the_signature_changes_with_the_rules_turned_off_or_reweighted(capsys):
    """A score with a rule disabled or its severity overridden is not comparable with the default."""
    path = str(DATA / "target-en.txt")
    default = _json(capsys, "-s", "fr", path)["signature"]
    disabled = _json(capsys, "-s", "fr", "--disable", "fr-en/ordinal", path)["signature"]
    overridden = _json(capsys, "-s", "fr", "--severity", "fr-en/ordinal=minor", path)["signature"]
    assert parse(default)["rules"] == {"all"}
    assert len({default, disabled, overridden}) == 3
    assert {name for name, part in parse(disabled).items() if part != parse(default)[name]} == {"rules"}
    assert scoring.selection(["b", "a"], {}) == scoring.selection(("a", "b"), {})


def test_sarif_and_json_lines_carry_the_signature(capsys, tmp_path):
    main(["scan", "--no-model", "--format", "sarif", "--fail-on", "never", str(DATA / "bilingual.po")])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    signature = run["properties"]["signature"]
    assert parse(signature)["packs"] and "signature" not in run["artifacts"][0]["properties"]
    out = tmp_path / "results.jsonl"
    main(["scan", "--no-model", "--format", "jsonl", "-o", str(out), "--fail-on", "never", str(DATA / "bilingual.po")])
    file_record, summary = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert file_record["signature"] == summary["signature"] == signature
    main(["report", "--from", str(out), "--format", "json", "-o", "-"])
    assert json.loads(capsys.readouterr().out)["signature"] == signature


def test_a_termbase_is_signed_like_a_pack(tmp_path):
    terms = tmp_path / "terms.csv"
    signatures = []
    for term in ("sortie", "rendez-vous"):
        terms.write_text(f"source,target\n{term},release\n", encoding="utf-8")
        scoring.terms_hash.cache_clear()
        signatures.append(DEFAULT.signature(("en",), None, "en", str(terms)))
    scoring.terms_hash.cache_clear()
    assert signatures[0] != signatures[1] and "terms#" in signatures[0]
    assert "terms#" not in DEFAULT.signature(("en",), None, "en")
