"""Command line: parses arguments, runs the pipeline, prints, and picks the exit code.

Exit codes: 0 nothing reaches ``--fail-on``; 1 something does; 2 usage or input error (one line on
stderr per problem); 3 internal error (``TQCHECK_DEBUG=1`` shows the traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import Sequence

from . import __version__
from .errors import TqcheckError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
FAIL_ON = ("minor", "major", "critical", "never")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other bad input
        raise UsageError(f"{self.prog}: {message}")


def _langs(value: str) -> str:
    value = value.strip().lower()
    if not value.isalpha() or not 2 <= len(value) <= 3:
        raise argparse.ArgumentTypeError(f"not a language code: {value!r} (use e.g. en, fr)")
    return value


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_check_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that checks files (scan, report)."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, globs, or - for stdin")
    p.add_argument("--source-lang", "-s", type=_langs, help="language translated from (e.g. fr)")
    p.add_argument("--target-lang", "-t", type=_langs, help="language of the text (detected if not given)")
    p.add_argument("--disable", type=_csv, default=[], metavar="RULES", help="comma-separated rule ids to skip")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tqcheck", description="Find machine-translation artifacts in translated text.")
    parser.add_argument("--version", action="version", version=f"tqcheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    scan = sub.add_parser("scan", help="check files and print findings")
    add_check_options(scan)
    scan.add_argument("--format", "-f", choices=("text", "json"), default="text")
    scan.add_argument("--fail-on", choices=FAIL_ON, default="major",
                      help="lowest severity that makes the exit code 1 (default: major)")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    rules = sub.add_parser("rules", help="list rules")
    rules.add_argument("--pack", help="only this pack (e.g. fr-en, en, tq)")

    explain = sub.add_parser("explain", help="show a rule's documentation and examples")
    explain.add_argument("rule", help="rule id, e.g. fr-en/ordinal")
    return parser


# -- commands -----------------------------------------------------------------------------------
def _options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .pipeline import Options

    return Options(source_lang=args.source_lang, target_lang=args.target_lang, disabled=frozenset(args.disable))


def check_paths(args: argparse.Namespace) -> tuple[list, int]:
    """Load and check every input; print one line per bad input. Returns results and error count."""
    from .document import load_path
    from .errors import InputError
    from .inputs import expand
    from .pipeline import check_document

    files, errors = expand(args.paths)
    options = _options(args)
    results = []
    for path in files:
        try:
            results.append(check_document(load_path(path), options))
        except InputError as exc:
            errors.append(exc)
    for exc in errors:
        print(f"tqcheck: error: {exc}", file=sys.stderr)
    return results, len(errors)


def gate(results: list, fail_on: str) -> bool:
    """True when some finding reaches ``fail_on``."""
    if fail_on == "never":
        return False
    from .findings import Severity

    threshold = Severity.parse(fail_on)
    return any(f.severity >= threshold for r in results for f in r.findings)


def cmd_scan(args: argparse.Namespace) -> int:
    results, errors = check_paths(args)
    failed = gate(results, args.fail_on)
    if args.format == "json":
        from .report import json_report

        sys.stdout.write(json_report.render(results, {"fail_on": args.fail_on, "failed": failed}))
    else:
        from .report import terminal

        terminal.render(results, sys.stdout, terminal.use_color(sys.stdout, args.color))
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK


def _all_rule_docs() -> list:
    from .checks import check_rules
    from .rules.engine import all_rules

    return [*all_rules(), *check_rules()]


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in _all_rule_docs():
        if args.pack and rule.id.split("/", 1)[0] != args.pack:
            continue
        first = rule.why.split(". ")[0].rstrip(".") if rule.why else rule.message
        print(f"{rule.id:<36} {rule.severity.label:<8} {rule.category:<38} {first[:90]}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    rule = next((r for r in _all_rule_docs() if r.id == args.rule), None)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r} (tqcheck rules lists them)")
    print(f"{rule.id}  [{rule.severity.label}, {rule.category}, fix: {rule.fix or 'none'}]\n")
    print(textwrap.fill(rule.why or rule.message, 96) + "\n")
    keys = getattr(rule, "keys", [])
    if keys:
        print(f"{len(keys)} pattern(s); first ones:")
        for pattern, suggestions in keys[:8]:
            print(f"  {pattern}" + (f"  →  {', '.join(repr(s) for s in suggestions)}" if suggestions else ""))
        print()
    for kind, label in (("flag", "Flagged"), ("pass", "Not flagged")):
        print(f"{label}:")
        for example in rule.examples.get(kind, []):
            suggest = f"   → {example['suggest']}" if example.get("suggest") is not None else ""
            print(f"  {example['text']}{suggest}")
    return EXIT_OK


COMMANDS = {"scan": cmd_scan, "rules": cmd_rules, "explain": cmd_explain}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except TqcheckError as exc:
        print(f"tqcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tqcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean line
        if os.environ.get("TQCHECK_DEBUG"):
            raise
        print(f"tqcheck: internal error: {type(exc).__name__}: {exc} (TQCHECK_DEBUG=1 shows details)",
              file=sys.stderr)
        return EXIT_INTERNAL
