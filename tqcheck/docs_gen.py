"""The documentation site's generated pages: one page per rule, the index of rules, the
configuration reference and the JSON schema, all built from the code and the packs at build time.

Nothing generated is committed: the rule pages are the packs' YAML (and the code checks'
``RULES``) rendered, so a page cannot disagree with the rule it documents.  Two ways in:

- ``mkdocs build`` runs this file as a hook (``hooks:`` in ``mkdocs.yml``): ``on_config`` drops
  ``nav`` entries whose page does not exist (so ``--strict`` passes while a page is still being
  written) and ``on_files`` adds the generated pages in memory;
- ``python -m tqcheck.docs_gen [FOLDER]`` writes the same pages to ``FOLDER`` (default
  ``build/docs-gen``, git-ignored) to read them without mkdocs.

Reports link each finding to its rule's page: :mod:`tqcheck.report.links`.

mkdocs loads a hook by its file path, not as part of the package, hence the absolute imports.
"""
from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tqcheck.core.ruleinfo import RuleInfo
from tqcheck.report.links import DEFAULT_DOCS_URL, DOCS_URL_ENV

RULE_INDEX = "rule-index.md"
#: Patterns shown on a rule page; packs such as exonyms have hundreds of keys.
SHOWN_PATTERNS = 12

_FIX_SAFETY = {
    "safe": "Safe: `tqcheck fix` applies the best suggestion, which keeps the meaning.",
    "unsafe": ("Unsafe: the suggestions are shown, but `tqcheck fix` applies the best one only with "
               "`--unsafe`, because it may change the meaning or be wrong in context; review it."),
    None: "None: no automatic fix, the finding needs a translator's judgement.",
}


# -- the rules, as the pages show them ------------------------------------------------------------
@dataclass(frozen=True)
class RuleDoc:
    """A rule with what its page needs beyond the rule itself."""

    rule: RuleInfo  # a pack's rule (tqcheck.rules.schema.Rule) or a code check's (CheckRule)
    family: str
    #: Where the rule is defined, relative to the repository.
    defined_in: str

    @property
    def pack(self) -> str:
        return self.rule.id.split("/", 1)[0]

    @property
    def page(self) -> str:
        """Source path of the rule's page in the site."""
        return f"rules/{self.rule.id}.md"


def rule_docs() -> list[RuleDoc]:
    """Every pack rule (family: its YAML file) and every code check's rule (family: its check)."""
    from tqcheck.checks import by_stage
    from tqcheck.rules.packs import PACKS_DIR, all_rules

    root = PACKS_DIR.parent.parent.parent
    docs = [RuleDoc(r, r.source.stem, _shown(r.source, root)) for r in all_rules()]
    for check in by_stage():
        module = sys.modules[getattr(check.origin, "__module__", None) or check.origin.__name__]
        docs += [RuleDoc(rule, check.name, _shown(Path(str(module.__file__)), root)) for rule in check.rules]
    return docs


def _shown(path: Path, root: Path) -> str:
    """Where a rule is defined: relative to the repository, or in full for a plugin's."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _suggestions(rule: Any, text: str) -> list[str]:
    """What tqcheck suggests for a pack rule's example: the engine run on it."""
    from tqcheck.formats import load_text
    from tqcheck.rules.matching import RuleSet

    findings = [f for f in RuleSet([rule]).run(load_text("example", text, "txt")) if f.rule == rule.id]
    return list(findings[0].suggestions[:3]) if findings else []


def _marked(example: str) -> str:
    """An example as HTML, its ``[[span]]`` as ``<mark>``."""
    from tqcheck.rules.examples import example_text

    text, spans = example_text(example)
    out, pos = [], 0
    for start, end in spans:
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _examples_table(doc: RuleDoc, kind: str) -> str:
    """The examples of one kind as an HTML table (examples hold ``|``, ``*`` and ``<``, which
    Markdown would read as markup)."""
    from tqcheck.rules.examples import example_text

    examples = doc.rule.examples.get(kind, [])
    with_source = any(e.get("source") for e in examples)
    show_fix = kind == "flag" and (hasattr(doc.rule, "keys") or any(e.get("suggest") for e in examples))
    head = ["Text"] + (["Source"] if with_source else []) + (["Suggestions"] if show_fix else [])
    rows = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for example in examples:
        cells = [_marked(example["text"])]
        if with_source:
            cells.append(html.escape(example.get("source", "")))
        if show_fix:
            if example.get("suggest") is not None:
                found = [example["suggest"]]
            elif hasattr(doc.rule, "keys"):
                found = _suggestions(doc.rule, example_text(example["text"])[0])
            else:
                found = []
            cells.append(" · ".join(f"<code>{html.escape(s)}</code>" if s else "(delete)" for s in found) or "—")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _patterns(rule: RuleInfo) -> list[str]:
    keys = getattr(rule, "keys", [])
    if not keys:
        return []
    lines = ["## Patterns", "",
             f"{len(keys)} pattern(s){'; the first ' + str(SHOWN_PATTERNS) if len(keys) > SHOWN_PATTERNS else ''}"
             " (Python regular expressions; `literal` rules match plain text):", "", "```text"]
    for pattern, suggestions in keys[:SHOWN_PATTERNS]:
        lines.append(pattern + (f"  →  {' | '.join(repr(s) for s in suggestions)}" if suggestions else ""))
    return lines + ["```", ""]


def _confidence(rule: RuleInfo) -> str:
    """A finding's confidence as the gate sees it (``tqcheck/rules/confidence.py``): the rule's own,
    moved towards its precision measured on the development sets."""
    from tqcheck.rules.confidence import calibrated, counts

    measured = counts().get(rule.id)
    own = getattr(rule, "confidence", None)  # a code check gives each finding its own
    shown = [f"{calibrated(rule.id, own):.2f}"] if own is not None else []
    if measured:
        shown.append(f"(measured: {measured[1]} of {measured[0]} findings right on the development sets)")
    return " ".join(shown)


def rule_page(doc: RuleDoc) -> str:
    """One rule's page: what it flags, why, examples with suggestions, fix safety, how to silence."""
    rule = doc.rule
    up = "../" * doc.page.count("/")
    facts = [("Pack", f"`{doc.pack}`"), ("Family", f"`{doc.family}` (`{doc.defined_in}`)"),
             ("Severity", rule.severity.label), ("MQM category", f"`{rule.category}`"),
             ("Fix", rule.fix or "none")]
    confidence = _confidence(rule)
    if confidence:
        facts.append(("Confidence", confidence))
    lines = [f"# {rule.id}", "", "| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in facts]
    lines += ["", "## Message", "", "```text", rule.message, "```", "",
              "## Why", "", rule.why or rule.message, "",
              "## Examples", "", "Flagged (the marked span is the finding):", "", _examples_table(doc, "flag"), "",
              "Not flagged:", "", _examples_table(doc, "pass"), "",
              "## Fix safety", "", _FIX_SAFETY[rule.fix], ""]
    lines += _patterns(rule)
    lines += ["## Turning it off", "",
              f"`--disable {rule.id}` or `disable = [\"{rule.id}\"]` in the configuration, "
              f"`--severity {rule.id}=minor` to change its severity, or a suppression comment "
              f"(`<!-- tqcheck-disable-next-line {rule.id} -->`): see [CI and configuration]({up}ci.md). "
              f"`tqcheck explain {rule.id}` prints this page's content in the terminal.", "",
              f"[All rules]({up}{RULE_INDEX})", ""]
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".").replace("|", "\\|").replace("\n", " ")


def rule_index(docs: list[RuleDoc]) -> str:
    """Every rule, grouped by pack and then by family."""
    lines = ["# Rules", "",
             f"{len(docs)} rules. A pack is a language pair (`fr-en`: artifacts of French→English "
             "translation), a target language (`en`: problems of any English text) or `tq`, the checks "
             "written as code and the fluency model. A family is one YAML file of a pack, or one check "
             "module. [Writing rules](rules.md) explains the YAML.", ""]
    packs: dict[str, dict[str, list[RuleDoc]]] = {}
    for doc in docs:
        packs.setdefault(doc.pack, {}).setdefault(doc.family, []).append(doc)
    for pack in sorted(packs):
        lines += [f"## {pack}", ""]
        for family in sorted(packs[pack]):
            lines += [f"### {pack} · {family}", "", "| rule | severity | MQM category | why |",
                      "| --- | --- | --- | --- |"]
            for doc in packs[pack][family]:
                rule = doc.rule
                lines.append(f"| [`{rule.id}`]({doc.page}) | {rule.severity.label} | `{rule.category}` | "
                             f"{_first_sentence(rule.why or rule.message)} |")
            lines.append("")
    return "\n".join(lines)


def configuration_page() -> str:
    """The configuration keys, from the settings the CLI itself declares."""
    from tqcheck.config import SETTINGS

    lines = ["# Configuration reference", "",
             "Every key of `[tool.tqcheck]` in `pyproject.toml` (or the top level of `.tqcheck.toml`) is "
             "also a flag of `scan`, `report`, `fix` and `baseline`; a flag replaces the file's value. "
             "[CI and configuration](ci.md#configuration) explains how the file is found; "
             "`tqcheck config` prints the effective settings and where each came from.", "",
             "| key | flag | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        flag = f"`--{s.key} {s.metavar}`" + (f", `{s.short}`" if s.short else "")
        default = "—" if s.default in (None, [], {}) else f"`{s.default}`"
        path = " (a path relative to the configuration file)" if s.is_path else ""
        lines.append(f"| `{s.key}` | {flag} | {default} | {s.help.replace('|', '/')}{path} |")
    lines += ["", "## Environment", "", "| variable | meaning |", "| --- | --- |",
              "| `TQCHECK_CACHE` | the cache folder (word tables, compiled rules, the converted model); "
              "default `$XDG_CACHE_HOME/tqcheck` or `~/.cache/tqcheck` |",
              f"| `{DOCS_URL_ENV}` | base URL of this site, for the rule links of SARIF (`helpUri`) and "
              f"HTML reports; default `{DEFAULT_DOCS_URL}` |", ""]
    return "\n".join(lines)


def schema_page() -> str:
    """The JSON Schema of ``--format json``, version 1, as the package ships it."""
    path = Path(__file__).parent / "schemas" / "report-v1.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join([
        "# JSON report schema", "",
        "`tqcheck scan --format json` and `tqcheck report -o FILE.json` write version 1 of the report, "
        f"described by this JSON Schema (`{schema.get('$schema', '')}`). The package ships it as "
        "`tqcheck/schemas/report-v1.json`, and the tests validate real output against it.", "",
        schema.get("description", ""), "",
        "```json", json.dumps(schema, indent=2, ensure_ascii=False), "```", ""])


def pages() -> dict[str, str]:
    """Every generated page: source path in the site → Markdown."""
    docs = rule_docs()
    out = {doc.page: rule_page(doc) for doc in docs}
    out[RULE_INDEX] = rule_index(docs)
    out["configuration.md"] = configuration_page()
    out["schema.md"] = schema_page()
    return out


def page_names() -> set[str]:
    """The source paths :func:`pages` writes, without rendering them."""
    return {doc.page for doc in rule_docs()} | {RULE_INDEX, "configuration.md", "schema.md"}


# -- the mkdocs hook ------------------------------------------------------------------------------
def _existing(nav: Any, present: set[str]) -> Any:
    """``nav`` without the pages that neither exist nor are generated (empty sections dropped)."""
    if isinstance(nav, str):
        return nav if nav in present or "://" in nav else None
    if isinstance(nav, list):
        kept = [item for item in (_existing(i, present) for i in nav) if item not in (None, [], {})]
        return kept
    if isinstance(nav, dict):
        return {title: value for title, value in ((t, _existing(v, present)) for t, v in nav.items())
                if value not in (None, [], {})}
    return nav


def _docs_files(docs_dir: Path) -> Iterator[str]:
    for path in docs_dir.rglob("*"):
        if path.is_file():
            yield path.relative_to(docs_dir).as_posix()


def on_config(config: Any) -> Any:
    """Keep in ``nav`` only the pages there are, so a page still being written does not fail
    ``--strict``."""
    if config.get("nav"):
        present = set(_docs_files(Path(config["docs_dir"]))) | page_names()
        config["nav"] = _existing(config["nav"], present)
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages (in memory: the build writes only the site)."""
    from mkdocs.structure.files import File

    for src_uri, content in pages().items():
        files.append(File.generated(config, src_uri, content=content))
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the generated pages to a folder (default ``build/docs-gen``)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "build/docs-gen")
    written = pages()
    for src_uri, content in written.items():
        target = folder / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    print(f"{folder}: {len(written)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
