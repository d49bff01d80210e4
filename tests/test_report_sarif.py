"""SARIF output, validated against the official SARIF 2.1.0 schema vendored in tests/data."""
from __future__ import annotations

import json

import jsonschema
import pytest

from tqcheck.cli import main
from tqcheck.core.document import Document
from tqcheck.core.findings import FileSpan, Finding, Fix, Severity, Span
from tqcheck.core.results import FileResult
from tqcheck.gate import Gate
from tqcheck.report import sarif
from tqcheck.scoring import DEFAULT

from .conftest import SARIF_SCHEMA, SEED


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_seed_sarif_is_valid_and_matches_the_findings(validator, capsys):
    assert main(["scan", "--no-model", "--format", "sarif", str(SEED)]) == 1
    log = json.loads(capsys.readouterr().out)
    validator.validate(log)
    run = log["runs"][0]
    content = SEED.read_text(encoding="utf-8")
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["results"] and rules == sorted(set(rules))
    for result in run["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert content[region["charOffset"]:region["charOffset"] + region["charLength"]] == region["snippet"]["text"]
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
    ordinal = next(r for r in run["results"] if r["ruleId"] == "fr-en/ordinal")
    assert ordinal["level"] == "error"  # major, and the default gate fails on major
    region = ordinal["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 197, 200)
    replacement = ordinal["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "21st"
    assert run["invocations"][0]["properties"]["failed"] is True


def test_levels_follow_the_gate(capsys):
    main(["scan", "--no-model", "--format", "sarif", "--fail-on", "never", str(SEED)])
    levels = {r["level"] for r in json.loads(capsys.readouterr().out)["runs"][0]["results"]}
    assert levels == {"warning", "note"}


def test_odd_paths_and_text_stay_valid(validator):
    content = "Line one\r\nwith “quotes”, a tab\tand an emoji 🙂 then the 21e.\n"
    doc = Document("dir with space/é<x>.txt", content)
    start = content.index("21e")
    place = FileSpan(start, start + 3, "21e", 2, content[content.index("\n") + 1:].index("21e") + 1)
    f = Finding("fr-en/ordinal", "locale-conventions/number-format", Severity.MAJOR, "m", place, ("21st",),
                fix=Fix.SAFE, file_span=place)
    empty = Finding("tq/x", "fluency/unnatural", Severity.MINOR, "m", Span(0, 0, ""))
    log = sarif.document([FileResult(doc, None, "en", [f, empty], scores=DEFAULT.scores([f, empty], doc.words, None,
                                                                                          "en", ()))], Gate())
    validator.validate(log)
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "dir%20with%20space/%C3%A9%3Cx%3E.txt"


def test_same_finding_twice_gets_two_fingerprints():
    content = "The 21e summit.\nThe 21e summit.\n"
    doc = Document("a.txt", content)
    found = [Finding("fr-en/ordinal", "locale-conventions/number-format", Severity.MAJOR, "m", Span(s, s + 3, "21e"))
             for s in (4, 20)]
    scores = DEFAULT.scores(found, doc.words, None, "en", ())
    results = sarif.document([FileResult(doc, None, "en", found, scores=scores)], Gate())["runs"][0]["results"]
    prints = [r["partialFingerprints"]["tqcheckFinding/v1"] for r in results]
    assert len(set(prints)) == 2
