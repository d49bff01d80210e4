"""JUnit XML, which every CI server shows as a test report.

Each file is a test suite.  Its first test case is the file's score, failing below ``--min-score``;
then one test case per finding, failing when the finding reaches ``--fail-on``, passing (with the
message as output) otherwise.  So the report's failures are exactly the gate's: a clean file shows
as one passed test, and the counts a CI server shows add up to the exit code.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..core.results import FileResult
from ..gate import Gate
from . import suggestion_label
from .base import PLAIN, View

# XML 1.0 cannot carry most control characters, even escaped, nor lone surrogates (the bytes of a
# file name that is not UTF-8).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with what XML cannot carry as its Python escape (``\\x1b``, ``\\udce9``), as
    the terminal output shows it."""
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=xml_text(classname), name=xml_text(name), time="0")


def suite(result: FileResult, gate: Gate) -> ET.Element:
    path = result.doc.path
    el = ET.Element("testsuite", name=xml_text(path))
    score = _case(el, path, "score")
    if gate.score_fails(result):
        ET.SubElement(score, "failure", type="min-score",
                      message=f"score {result.score:.1f} is below --min-score {gate.min_score:g}")
    ET.SubElement(score, "system-out").text = f"score {result.score:.1f}/100, {result.words} words"
    for f in result.findings:
        case = _case(el, path, f"{f.line}:{f.column} {f.rule}")
        fix = f" → {' | '.join(suggestion_label(s) for s in f.suggestions[:3])}" if f.suggestions else ""
        detail = xml_text(f"{path}:{f.line}:{f.column} {f.severity.label} {f.rule} {f.message}{fix}")
        if gate.fails(f):
            ET.SubElement(case, "failure", type=f.severity.label, message=xml_text(f.message)).text = detail
        else:
            ET.SubElement(case, "system-out").text = detail
    cases = el.findall("testcase")
    el.set("tests", str(len(cases)))
    el.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    el.set("errors", "0")
    return el


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "junit"
SUFFIXES: tuple[str, ...] = (".xml",)


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    root = ET.Element("testsuites", name="tqcheck")
    suites = [suite(r, gate) for r in results]
    root.extend(suites)
    for attr in ("tests", "failures"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
