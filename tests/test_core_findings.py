"""The core's finding types: an immutable finding whose span in the text is kept apart from its
place in the file, fix applicability as an enum that serialises as the words reports have always
used, and a rule protocol that both kinds of rule satisfy."""
from __future__ import annotations

import dataclasses
import json

import pytest

from tqcheck.checks import check_rules
from tqcheck.core.document import Document
from tqcheck.core.findings import FileSpan, Finding, Fix, Severity, Span
from tqcheck.core.results import Options
from tqcheck.core.ruleinfo import RuleInfo
from tqcheck.formats import load_text
from tqcheck.pipeline import locate
from tqcheck.rules.confidence import calibrate
from tqcheck.rules.packs import all_rules

#: In HTML the text a check reads (entities resolved, tags left out) and the file differ.
HTML = "<p>Tom &amp; Jerry</p>\n<p>Vladimir <b>Poutin</b> arrived.</p>\n"


def _poutin() -> tuple[Document, Finding]:
    doc = load_text("a.html", HTML, "html")
    start = doc.text.index("Poutin")
    return doc, Finding("x/name", "locale-conventions/name-format", Severity.MAJOR, "m",
                        Span(start, start + 6, "Poutin"), ("Putin",), 0.8, "rule", Fix.SAFE)


@pytest.mark.parametrize(("name", "value"), [("start", 0), ("severity", Severity.MINOR), ("confidence", 0.1),
                                             ("suggestions", ()), ("fix", None), ("file_span", None)])
def test_a_finding_cannot_be_changed(name: str, value: object) -> None:
    _, finding = _poutin()
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(finding, name, value)
    assert isinstance(finding.suggestions, tuple)  # nor its suggestions


def test_spans_set_by_their_own_init_stay_frozen_dataclasses() -> None:
    """Span and FileSpan set their slots directly (a finding every few characters pays their
    construction per stage); they still compare, hash, copy, pickle and refuse changes as the
    frozen dataclasses they are."""
    import pickle

    place = FileSpan(3, 9, "Poutin", 2, 4)
    assert place == FileSpan(start=3, end=9, text="Poutin", line=2, column=4) != Span(3, 9, "Poutin")
    assert hash(place) == hash(FileSpan(3, 9, "Poutin", 2, 4)) and isinstance(place, Span)
    assert pickle.loads(pickle.dumps(place)) == place
    assert dataclasses.replace(place, line=5) == FileSpan(3, 9, "Poutin", 5, 4)
    assert repr(Span(1, 2, "x")) == "Span(start=1, end=2, text='x')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.line = 1  # type: ignore[misc]
    with pytest.raises(TypeError, match="no field 'colour'"):
        _poutin()[1].evolve(colour="red")


def test_locate_builds_new_findings_with_the_text_span_and_the_file_span() -> None:
    doc, found = _poutin()
    (located,) = locate(doc, [found], Options(severity_overrides={"x/name": Severity.MINOR}))
    start = HTML.index("Poutin")
    assert located is not found and located.text_span == found.text_span
    assert located.file_span == FileSpan(start, start + 6, "Poutin", 2, HTML.splitlines()[1].index("Poutin") + 1)
    assert (located.start, located.end, located.line, located.severity) == (start, start + 6, 2, Severity.MINOR)
    # the finding the check made is as it was: text offsets, no place in the file, its own severity
    assert found.file_span is None and (found.start, found.line, found.severity) == (found.text_span.start, 0,
                                                                                     Severity.MAJOR)
    assert found.text_span.start != start


def test_locate_keeps_one_finding_per_span_the_more_severe_after_overrides_else_the_first() -> None:
    """Of findings on one span the more severe (as overridden), then the one with a fix, then the
    more confident is kept, of equal ones the first; one that loses is never copied."""
    doc, found = _poutin()
    minor = found.evolve(rule="x/other", severity=Severity.MINOR, suggestions=())
    for order in ([found, minor], [minor, found]):
        (kept,) = locate(doc, order, Options())
        assert kept.rule == "x/name"
    (kept,) = locate(doc, [found, minor], Options(severity_overrides={"x/other": Severity.CRITICAL}))
    assert (kept.rule, kept.severity) == ("x/other", Severity.CRITICAL)
    twin = found.evolve(rule="x/twin")
    assert [f.rule for f in locate(doc, [found, twin], Options())] == ["x/name"]
    assert [f.rule for f in locate(doc, [twin, found], Options())] == ["x/twin"]
    assert Finding("r", "c", Severity.MINOR, "m", Span(1, 2, "x")) == Finding(
        rule="r", category="c", severity=Severity.MINOR, message="m", text_span=Span(1, 2, "x"), suggestions=(),
        confidence=1.0, origin="rule", fix=None, file_span=None)


def test_calibration_builds_new_findings() -> None:
    _, found = _poutin()
    (calibrated,) = calibrate([found])
    assert found.confidence == 0.8 and calibrated == dataclasses.replace(found, confidence=calibrated.confidence)


def test_locate_calibrates_in_its_one_copy_and_ranks_by_the_findings_own_confidence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``locate(calibrate=True)`` is ``calibrate(locate(...))`` in one copy per finding: of two
    findings on one span the more confident by its check is kept, whatever the calibration makes
    of it."""
    from tqcheck.rules import confidence

    monkeypatch.setattr(confidence, "counts", lambda: {"x/name": (100, 10), "x/twin": (100, 100)})
    doc, found = _poutin()
    twin = found.evolve(rule="x/twin", confidence=0.7)  # less confident, calibrated above ``found``
    for order in ([found, twin], [twin, found]):
        (kept,) = locate(doc, order, Options(), calibrate=True)
        assert kept == calibrate(locate(doc, order, Options()))[0]
        assert kept.rule == "x/name" and kept.confidence == confidence.calibrated("x/name", 0.8) < 0.2


def test_a_finding_read_back_from_a_report_equals_the_one_written() -> None:
    doc, found = _poutin()
    (located,) = locate(doc, [found], Options())
    back = Finding.from_dict(json.loads(json.dumps(located.to_dict())))
    assert back.to_dict() == located.to_dict() and back.file_span == located.file_span


@pytest.mark.parametrize(("fix", "written"), [(Fix.SAFE, "safe"), (Fix.UNSAFE, "unsafe"), (None, None)])
def test_fix_serialises_as_before(fix: Fix | None, written: str | None) -> None:
    finding = Finding("x/y", "style/unidiomatic", Severity.MINOR, "m", Span(0, 1, "a"), ("b",), fix=fix)
    data = finding.to_dict()
    assert data["fix"] == written and type(data["fix"]) is type(written)  # a plain str, not the enum
    assert json.loads(json.dumps(data))["fix"] == written


@pytest.mark.parametrize(("word", "fix"), [("safe", Fix.SAFE), ("unsafe", Fix.UNSAFE), ("none", None), (None, None)])
def test_fix_parses_the_words_of_rule_files_and_reports(word: str | None, fix: Fix | None) -> None:
    assert Fix.parse(word) is fix


def test_an_unknown_fix_word_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fix 'maybe'"):
        Fix.parse("maybe")


def test_pack_rules_and_code_check_rules_carry_the_fix_enum() -> None:
    rules: list[RuleInfo] = [*all_rules(), *check_rules()]
    assert {r.fix for r in rules} == {Fix.SAFE, Fix.UNSAFE, None}
    assert all(r.fix is None or isinstance(r.fix, Fix) for r in rules)


def test_the_model_agreeing_raises_the_confidence_of_a_new_finding() -> None:
    from tqcheck.fluency.stage import agree

    _, found = _poutin()
    model = dataclasses.replace(found, rule="tq/unexpected-word", confidence=0.5, origin="model")
    (raised,), new = agree([found], [model])
    assert new == [] and found.confidence == 0.8 and raised.confidence == pytest.approx(0.9)


def test_the_apis_finding_is_the_cores() -> None:
    import tqcheck

    assert tqcheck.Finding is Finding


def test_evolve_copies_with_changes_and_refuses_an_unknown_field():
    """``evolve`` is the cheap ``dataclasses.replace`` every stage copies findings with."""
    one = Finding("r", "fluency/unnatural", Severity.MINOR, "m", Span(1, 2, "x"))
    two = one.evolve(confidence=0.5, suggestions=("y",))
    assert two == dataclasses.replace(one, confidence=0.5, suggestions=("y",)) and one.confidence == 1.0
    assert hash(two) == hash(dataclasses.replace(two))
    with pytest.raises(TypeError, match="no field 'start'"):
        one.evolve(start=3)
