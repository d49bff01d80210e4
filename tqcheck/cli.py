"""Command line: parses arguments, runs the pipeline, prints, and picks the exit code.

Exit codes: 0 nothing reaches ``--fail-on``; 1 something does; 2 usage or input error (one line on
stderr per problem); 3 internal error (``TQCHECK_DEBUG=1`` shows the traceback).
"""
from __future__ import annotations

from .interrupts import install

# ruff: noqa: E402 - the signal handlers go in before the other imports, so a Ctrl-C during them
# is one line, not a traceback
install()

import argparse
import io
import os
import sys
import warnings
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn, Sequence, TextIO

from . import config
from ._version import __version__
from .core.errors import EmptyInput, InputError, TqcheckError, UsageError
from .fluency.catalogue import AUTO
from .langs import LanguageFileError
from .process import guarded_streams
from .progress import progress, step

if TYPE_CHECKING:
    from .core.results import FileResult
    from .fix import FixResult
    from .runner import Outcome
from .report import View, plural, printable, reporter

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


EXIT_CODES = """exit codes:
  0         nothing reaches --fail-on (or --min-score)
  1         a finding reaches --fail-on, or a file scores below --min-score
  2         usage or input error (one line on stderr per problem)
  3         internal error (TQCHECK_DEBUG=1 shows the traceback)
  130, 143  stopped by Ctrl-C (SIGINT) or SIGTERM"""


class _Parser(argparse.ArgumentParser):
    """No abbreviated flags (``--out`` is not ``--output``: a new flag would change what old
    command lines mean) and one-line errors that suggest the nearest subcommand or flag."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line, exit 2, like every other bad input
        from .suggest import parser_hint

        where = self.prog.removeprefix("tqcheck").strip()  # main() writes "tqcheck: error: "
        raise UsageError(f"{where}: {message}{parser_hint(self, message)}" if where
                         else f"{message}{parser_hint(self, message)}")


def add_check_options(p: argparse.ArgumentParser, paths: str = "+") -> None:
    """Options shared by every command that checks files (scan, report, baseline create, fix):
    the paths and one flag per setting of ``config.py`` (languages, rules, gate, ...)."""
    p.add_argument("paths", nargs=paths, metavar="PATH", help="files, folders, globs, or - for stdin")
    p.add_argument("--source", metavar="FILE", help="source text of the translation (one PATH): aligns "
                   "them and runs the source-aware checks (numbers, names, omissions, ...)")
    config.add_arguments(p)
    add_model_option(p)
    p.add_argument("--no-model", action="store_true",
                   help="rules only: no fluency model (starts in a fraction of a second)")
    p.add_argument("--stdin-filename", metavar="NAME", help="the name of standard input (-): its suffix "
                   "gives the format (.po, .md, ...) and findings are shown under it")
    p.add_argument("--jobs", "-j", type=_positive, metavar="N",
                   help="worker processes (default: the cores this process may use); the results and "
                   "their order are the same for every N")


def add_scale_options(p: argparse.ArgumentParser) -> None:
    """Corpus files and Dask (scan, report): docs/scale.md."""
    from .corpus import RECORD_FORMATS

    corpus = p.add_argument_group("corpus files (.jsonl, .csv, .parquet: one document per record)")
    corpus.add_argument("--text-field", default="text", metavar="NAME", help="field or column of the text "
                        "(default: text)")
    corpus.add_argument("--id-field", metavar="NAME", help="field or column of the record's id, shown as "
                        "FILE#ID (default: the record's number)")
    corpus.add_argument("--record-format", choices=RECORD_FORMATS, default="auto",
                        help="format of the text (auto: HTML when it starts as a page, else plain text)")
    p.add_argument("--dask", metavar="ADDRESS", help="check on a Dask cluster: local (a LocalCluster of "
                   "--jobs worker processes) or a running scheduler's address, e.g. tcp://HOST:8786")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def add_model_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="NAME", default=AUTO,
                   help="fluency model: auto (default: per language, the packaged model calibrated for it), "
                   "smollm2 (English), gemma3 (English, French; tqcheck[multilingual]), a folder "
                   "(transformers or GGUF), a .gguf file or a hub id")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tqcheck", description="Find machine-translation artifacts in translated text.",
                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tqcheck {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    codes: dict[str, Any] = {"epilog": EXIT_CODES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    scan = sub.add_parser("scan", help="check files and print findings", **codes)
    add_check_options(scan)
    scan.add_argument("--format", "-f", default="text", help="text (default), json, jsonl, md, html, sarif, "
                      "junit, github, or an installed plugin's")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    scan.add_argument("--output-file", "-o", metavar="FILE", help="write the output to FILE (replaced "
                      "whole, never half-written) instead of standard output")
    scan.add_argument("--quiet", "-q", action="store_true", help="text format: only the findings that "
                      "fail the gate (--fail-on) and the gate's lines")
    scan.add_argument("--statistics", action="store_true", help="text format: a count per rule instead "
                      "of the findings")
    add_scale_options(scan)
    scan.add_argument("--resume", metavar="FILE", help="write JSONL records to FILE, skipping the documents "
                      "it already holds (a run killed midway restarts where it stopped)")

    report = sub.add_parser("report", help="check files and write a report (HTML, Markdown, JSON, ...)")
    add_check_options(report, paths="*")
    add_scale_options(report)
    report.add_argument("--from", dest="from_results", metavar="RESULTS", help="build the report from a "
                        "results file (scan --format jsonl or --resume) instead of checking PATHs")
    report.add_argument("--output", "-o", required=True, metavar="FILE",
                        help="report file (- for standard output); its suffix picks the format")
    report.add_argument("--format", "-f", help="format when the suffix does not tell (as scan --format)")

    baseline = sub.add_parser("baseline", help="record today's findings so that only new ones fail")
    baseline_sub = baseline.add_subparsers(dest="action", required=True, parser_class=_Parser)
    create = baseline_sub.add_parser("create", help="write the findings of PATHs to the --baseline file "
                                     "(default: the configured one, else .tqcheck-baseline.json)")
    add_check_options(create)

    settings = sub.add_parser("config", help="show the effective settings and where each came from")
    config.add_arguments(settings)

    rules = sub.add_parser("rules", help="list rules")
    rules.add_argument("--pack", help="only this pack (e.g. fr-en, en, tq)")

    explain = sub.add_parser("explain", help="show a rule's documentation and examples")
    explain.add_argument("rule", help="rule id, e.g. fr-en/ordinal")

    model = sub.add_parser("model", help="the fluency model: where it is; convert it once")
    model_sub = model.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add_model_option(model_sub.add_parser("info", help="show the model, its files, packages and precision"))
    prepare = model_sub.add_parser("prepare", help="convert (GGUF) or download (hub id) the model now, "
                                   "so that scans load it in seconds")
    add_model_option(prepare)
    prepare.add_argument("--force", action="store_true", help="convert again even if the cache has it")

    fix = sub.add_parser("fix", help="apply the suggestions of safe findings to the files", **codes)
    add_check_options(fix)
    fix.add_argument("--unsafe", action="store_true",
                     help="also apply unsafe fixes (false friends, calques, name variants)")
    fix.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")

    score = sub.add_parser("score", help="BLEU, chrF and TER against human references (sacrebleu)")
    score.add_argument("hypothesis", metavar="HYP", help="the translation to score, or - for stdin")
    score.add_argument("--ref", "-r", action="append", required=True, metavar="REF",
                       help="a human reference translation (repeat for several)")
    score.add_argument("--format", "-f", choices=("text", "json"), default="text")

    sub.add_parser("server", help="language server (LSP over stdio) for editors: docs/editors.md")

    completion = sub.add_parser("completion", help="print a shell completion script, e.g. "
                                "eval \"$(tqcheck completion bash)\"")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    return parser


# -- commands -----------------------------------------------------------------------------------
def check_paths(args: argparse.Namespace, settings: config.Settings, baseline: bool = True) -> tuple[list, int]:
    """Load and check every input; print one line per bad input. Returns results and error count."""
    from .pipeline import settle_targets

    results: list[FileResult] = []
    errors = []
    for outcome in run_checks(args, settings, baseline):
        if outcome.error is not None:
            errors.append(outcome.error)
        else:
            assert outcome.result is not None  # an outcome holds a result or an error
            results.append(outcome.result)
    if not settings["target-lang"]:  # the run says which language its files should be in
        options = settings.options(baseline)
        _set_model(options, args)
        results = settle_targets(results, options)
    return results, report_errors(errors, args.paths)


def report_errors(errors: list[InputError], paths: list[str]) -> int:
    """Print a line per bad input and return how many are errors: a file with nothing to check
    that a folder or glob brought in is only a warning; one named on the command line is an error."""
    count = 0
    for exc in errors:
        if _skipped(exc, paths):
            print(f"tqcheck: warning: {printable(str(exc))} (skipped)", file=sys.stderr)
        else:
            print(f"tqcheck: error: {printable(str(exc))}", file=sys.stderr)
            count += 1
    return count


def _skipped(exc: InputError, paths: list[str]) -> bool:
    """True for an empty file that no PATH names (standard input is always named, by ``-``)."""
    from .formats import stdin_name

    named = {*paths, *((stdin_name, "<stdin>") if "-" in paths else ())}
    return isinstance(exc, EmptyInput) and exc.path not in named


def select_files(paths: list[str], settings: config.Settings) -> tuple[list[str], list[InputError]]:
    """The files that PATHs name, less those the ``ignore`` globs match: what every command that
    reads files (scan, report, baseline, fix) works on, so they never disagree."""
    from .inputs import expand

    files, errors = expand(paths)
    return [f for f in files if not settings.ignores(f)], errors


def refuse_input_as_output(output: str, paths: list[str], settings: config.Settings) -> None:
    """Refuse an output file (report, baseline) that is one of the inputs: writing it would
    replace the text being checked."""
    if output == "-":
        return
    target = os.path.realpath(output)
    if any(f != "-" and os.path.realpath(f) == target for f in select_files(paths, settings)[0]):
        raise InputError(output, "is one of the files to check; write the output elsewhere")


def run_checks(args: argparse.Namespace, settings: config.Settings, baseline: bool = True,
               done: frozenset[str] = frozenset()) -> Iterator[Outcome]:
    """Every input's outcome, in input order, as soon as it is known: corpus files record by
    record, the paths in ``done`` (``--resume``) skipped, on ``--jobs`` processes or ``--dask``."""
    from . import corpus
    from .runner import Outcome, check_all

    options = settings.options(baseline)
    files, errors = select_files(args.paths, settings)
    _set_source(options, args, files)
    _set_model(options, args)
    yield from (Outcome(exc.path, error=exc) for exc in errors)
    fields = corpus.Fields(getattr(args, "text_field", "text"), getattr(args, "id_field", None),
                           getattr(args, "record_format", "auto"))
    items = corpus.expand(files, fields, skip=done)
    jobs = getattr(args, "jobs", None)
    dask = getattr(args, "dask", None)
    client = None
    try:
        with progress(lambda: max(corpus.count(files) - len(done), 0)) as advance:
            if dask:  # a LocalCluster takes seconds to start: inside the progress line
                from . import distributed

                with step("starting a local Dask cluster" if dask == "local" else f"connecting to {dask}"):
                    client = distributed.connect(dask, jobs)
            if client is None:
                outcomes = corpus.interleave(items, lambda inputs: check_all(inputs, options, jobs))
            else:
                outcomes = corpus.interleave(items, lambda inputs: distributed.check_all(inputs, options, client))
            for outcome in outcomes:
                advance(outcome.name)
                yield outcome
    finally:
        if client is not None:
            distributed.close(client)


def _set_model(options, args: argparse.Namespace) -> None:
    """The fluency model is on unless ``--no-model``: ``auto`` or what ``--model`` names.  A model
    named outright that is not there is a usage error naming what installs it (``auto`` instead
    warns and checks rules only: nobody asked for that model)."""
    options.model = None if args.no_model else args.model
    if options.model and options.model != AUTO:
        from .fluency.catalogue import resolve
        from .fluency.failures import ModelUnavailable

        try:
            resolve(options.model)
        except ModelUnavailable as exc:
            raise UsageError(str(exc)) from None  # names the model and what installs it


def _set_source(options, args: argparse.Namespace, files: list[str]) -> None:
    """``--source`` pairs one translation with its source file."""
    if args.source and len(files) != 1:
        raise UsageError(f"--source {args.source}: give exactly one translation to pair it with, not {len(files)}")
    options.source = args.source


def cmd_scan(args: argparse.Namespace) -> int:
    reporter(args.format)  # an unknown format is named before any file is read
    settings = config.resolve(args)
    _set_stdin_name(args)
    if args.format != "text" and (args.quiet or args.statistics):
        raise UsageError(f"--{'quiet' if args.quiet else 'statistics'} goes with --format text, "
                         f"not --format {args.format}")
    if args.output_file:
        if args.resume:
            raise UsageError("--resume writes its results file; --output-file cannot go with it")
        refuse_input_as_output(args.output_file, args.paths, settings)
    out = io.StringIO() if args.output_file else sys.stdout
    if args.resume or args.format == "jsonl":
        code = _scan_jsonl(args, settings, out)
    else:
        code = _scan(args, settings, out)
    if isinstance(out, io.StringIO):
        _write_output(args.output_file, out.getvalue())
    return code


def _scan(args: argparse.Namespace, settings: config.Settings, out: TextIO) -> int:
    """Every format but JSONL: the whole document once every file is checked."""
    results, errors = check_paths(args, settings)
    gate = settings.gate
    from .report.text import use_color

    view = View(use_color(out, args.color), args.quiet, args.statistics)
    reporter(args.format).write(results, gate, view, out)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if gate.failed(results) else EXIT_OK


def _write_output(path: str, text: str) -> None:
    """``text`` into ``path`` atomically: a reader never sees half of a report."""
    from pathlib import Path

    from .cache import write_atomic

    try:
        write_atomic(Path(path), text.encode("utf-8", "backslashreplace"))
    except OSError as exc:
        raise InputError(path, f"cannot write the output: {exc.strerror or exc}") from None


def _set_stdin_name(args: argparse.Namespace) -> None:
    """``--stdin-filename``: standard input is read as, and shown under, that name."""
    if args.stdin_filename is not None:
        if "-" not in args.paths:
            raise UsageError("--stdin-filename names standard input: give - as a PATH")
        from . import formats

        formats.stdin_name = args.stdin_filename


def _scan_jsonl(args: argparse.Namespace, settings: config.Settings, out: TextIO) -> int:
    """``--format jsonl`` and ``--resume``: a record per document, written as soon as it is done;
    the summary record, the exit code and the last line count every document of the results file."""
    from .report import jsonl, summary

    if args.resume and args.format not in ("text", "jsonl"):
        raise UsageError(f"--resume writes JSONL records; --format {args.format} cannot go with it")
    old = jsonl.read(args.resume, content=False) if args.resume else jsonl.Contents()
    done = old.done()
    results, errors = old.results(), []  # a record it cannot use is an error before the file is touched
    stream = jsonl.open_for_resume(args.resume, old) if args.resume else out
    try:
        writer = jsonl.Writer(stream)
        for outcome in run_checks(args, settings, done=done):
            if outcome.error is not None and _skipped(outcome.error, args.paths):
                errors.append(outcome.error)  # a warning: no record, as no document
            elif outcome.error is not None:
                errors.append(outcome.error)
                writer.write(jsonl.error_record(outcome.error))
            else:  # only what the summary needs stays in memory, not the document
                assert outcome.result is not None  # an outcome holds a result or an error
                results.append(writer.write_file(outcome.result))
        writer.write(jsonl.summary_record(results, settings.gate))
    finally:
        if stream is not out:
            stream.close()
    failed = report_errors(errors, args.paths)
    if args.resume:
        total = summary(results)
        print(f"{args.resume}: {plural(total['files'], 'document')} ({len(results) - len(done)} checked now), "
              f"{plural(total['findings'], 'finding')}, score {total['score']:.1f}/100")
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if settings.gate.failed(results) else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .cache import write_atomic
    from .report import for_suffix, summary

    chosen = reporter(args.format) if args.format else for_suffix(Path(args.output).suffix)
    if chosen is None:
        raise UsageError(f"{args.output}: cannot tell the report format from the suffix; use --format")
    settings = config.resolve(args)
    if args.paths:
        _set_stdin_name(args)
    if bool(args.paths) == bool(args.from_results):
        raise UsageError("report: give the PATHs to check or --from RESULTS, one of the two")
    refuse_input_as_output(args.output, args.paths, settings)
    results, errors = _read_results(args.from_results) if args.from_results else check_paths(args, settings)
    if results:
        text = chosen.render(results, settings.gate)
        if args.output == "-":
            sys.stdout.write(text)
        else:
            try:
                write_atomic(Path(args.output), text.encode("utf-8", "backslashreplace"))
            except OSError as exc:
                raise InputError(args.output, f"cannot write the report: {exc.strerror or exc}") from None
            total = summary(results)
            print(f"{args.output}: {chosen.name} report of {plural(total['files'], 'file')}, "
                  f"{plural(total['findings'], 'finding')}, "
                  f"score {total['score']:.1f}/100")
    return EXIT_ERROR if errors else EXIT_OK


def _read_results(path: str) -> tuple[list, int]:
    """The documents of a results file, and its errors printed as a scan printed them."""
    from .report import jsonl

    if not os.path.isfile(path):
        raise InputError(path, "no such results file")
    contents = jsonl.read(path)
    for exc in contents.errors():
        print(f"tqcheck: error: {printable(str(exc))}", file=sys.stderr)
    return contents.results(), len(contents.errors())


def cmd_baseline(args: argparse.Namespace) -> int:
    from .baseline import DEFAULT_PATH, write

    settings = config.resolve(args)
    _set_stdin_name(args)
    path = settings["baseline"] or DEFAULT_PATH
    refuse_input_as_output(path, args.paths, settings)
    results, errors = check_paths(args, settings, baseline=False)
    if errors:  # a baseline of some files only would let the others' findings through as new
        print("tqcheck: error: baseline not written", file=sys.stderr)
        return EXIT_ERROR
    try:
        count = write(results, path)
    except OSError as exc:
        raise InputError(path, f"cannot write the baseline: {exc.strerror or exc}") from None
    print(f"{path}: baseline of {plural(count, 'finding')} in {plural(len(results), 'file')}")
    return EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    settings = config.resolve(args)
    settings.options()  # names every unknown rule and unreadable termbase or baseline now
    print("\n".join(settings.describe()))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from .checks import rules
    from .rules.selectors import did_you_mean

    docs = rules()
    packs = sorted({rule.id.split("/", 1)[0] for rule in docs})
    if args.pack and args.pack not in packs:
        raise UsageError(f"rules --pack: unknown pack {args.pack!r}{did_you_mean(args.pack, packs)} "
                         f"(packs: {', '.join(packs)})")
    for rule in docs:
        if args.pack and rule.id.split("/", 1)[0] != args.pack:
            continue
        first = rule.why.split(". ")[0].rstrip(".") if rule.why else rule.message
        print(f"{rule.id:<36} {rule.severity.label:<8} {rule.category:<38} {first[:90]}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from .checks import rules
    from .rules.selectors import did_you_mean

    docs = rules()
    rule = next((r for r in docs if r.id == args.rule), None)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r}{did_you_mean(args.rule, [r.id for r in docs])} "
                         "(tqcheck rules lists them)")
    from .api import describe_rule

    print(describe_rule(rule), end="")
    return EXIT_OK


def cmd_fix(args: argparse.Namespace) -> int:
    """Exit code as ruff's: 1 when the text one ends up with (the file on disk, which ``--diff``
    leaves as it was, or the fixed standard input) still has a finding at ``--fail-on``."""
    from .core.errors import InputError
    from .corpus import is_corpus
    from .fix import summary
    from .report import text as terminal

    settings = config.resolve(args)
    _set_stdin_name(args)
    files, errors = select_files(args.paths, settings)
    errors += [InputError(f, "a corpus file is not fixed in place: fix its records where they come from "
                          "(tqcheck scan lists the findings)") for f in files if is_corpus(f)]
    files = [f for f in files if not is_corpus(f)]
    options = settings.options()
    _set_source(options, args, files)
    _set_model(options, args)
    results = []
    color = terminal.use_color(sys.stdout)
    with progress(len(files)) as advance:
        fixed = list(_fixed(files, options, args, advance))
    for path, result in fixed:
        if isinstance(result, InputError):
            errors.append(result)
            continue
        results.append(result)
        if args.diff:
            sys.stdout.write(result.diff())
        elif path == "-":
            sys.stdout.write(result.fixed)
        else:
            for finding in result.after.findings:
                print(terminal.finding_line(path, finding, color))
    failed = report_errors(errors, args.paths)
    quiet = args.diff or "-" in files  # stdout carries the diff or the text
    print(summary(results, args.unsafe, args.diff), file=sys.stderr if quiet else sys.stdout)
    if failed:
        return EXIT_ERROR
    left = [r.before if args.diff else r.after for r in results]
    return EXIT_FINDINGS if settings.gate.failed(left) else EXIT_OK


def _fixed(files: list[str], options, args: argparse.Namespace,
           advance: Callable[[str], None]) -> Iterator[tuple[str, FixResult | InputError]]:
    """Each file fixed (``--jobs`` processes), with the progress line advanced; printed by the
    caller only once all are done, so that the line never interleaves with the findings."""
    from .runner import fix_all

    for path, result in fix_all(files, options, args.unsafe, not args.diff, args.jobs):
        advance(path)
        yield path, result


def cmd_score(args: argparse.Namespace) -> int:
    from . import metrics

    result = metrics.score_files(args.hypothesis, args.ref)
    sys.stdout.write(metrics.render_json(result) if args.format == "json" else metrics.render_text(result))
    return EXIT_OK


def cmd_model(args: argparse.Namespace) -> int:
    import time

    from .fluency import catalogue, convert, info, loader
    from .fluency.failures import ModelUnavailable

    if args.action == "info":
        lines = info.describe(args.model)
        width = max(len(label) for label, _ in lines)
        for label, value in lines:
            print(f"{label:<{width}} {value}")
        return EXIT_OK
    names = [args.model]
    if args.model == AUTO:  # every installed packaged model (none: smollm2, which says how to install it)
        names = [n for n in catalogue.packaged() if catalogue.installed(n)] or ["smollm2"]
    for name in names:
        started = time.perf_counter()
        try:
            source = convert.prepare(name, force=args.force)
            lm = loader.load(name)
        except ModelUnavailable as exc:
            raise UsageError(str(exc)) from None  # the message names the model or its file
        print(f"{source.spec}: ready in {time.perf_counter() - started:.1f} s ({lm.precision}; "
              f"{source.converted or source.location})")
    return EXIT_OK


def cmd_server(args: argparse.Namespace) -> int:
    """Serve editors over stdio until they say exit (needs tqcheck[lsp])."""
    try:
        from .lsp.server import serve
    except ImportError as exc:
        raise UsageError(f"tqcheck server needs the lsp extra: pip install 'tqcheck[lsp]' ({exc})") from None
    return serve()


COMMANDS = {"scan": cmd_scan, "report": cmd_report, "baseline": cmd_baseline, "config": cmd_config,
            "rules": cmd_rules, "explain": cmd_explain, "fix": cmd_fix, "score": cmd_score,
            "model": cmd_model, "server": cmd_server}


def _warning_line(message, category, filename, lineno, file=None, line=None):
    """Warnings (the fluency model turned off, ...) as one line on stderr, like errors."""
    print(f"tqcheck: warning: {printable(str(message))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.showwarning = _warning_line
    with guarded_streams() as out:
        code = _run(argv)
    if out.error is not None:  # a reader that left is not an error; a full or closed stdout is
        print(f"tqcheck: error: standard output: {out.error.strerror or out.error}", file=sys.stderr)
        return max(code, EXIT_ERROR)
    return code


def _run(argv: Sequence[str] | None) -> int:
    """The command's exit code; every error becomes one line on stderr."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:  # a bare ``tqcheck``: what it can do, and exit 2 as ruff does
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        _sweep_cache()
        if args.command == "completion":
            from .completion import script

            sys.stdout.write(script(args.shell, parser))
            return EXIT_OK
        return COMMANDS[args.command](args)
    except (TqcheckError, LanguageFileError) as exc:
        print(f"tqcheck: error: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tqcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place that turns bugs into a clean line
        if os.environ.get("TQCHECK_DEBUG"):
            raise
        print(f"tqcheck: internal error: {type(exc).__name__}: {printable(str(exc))} "
              "(TQCHECK_DEBUG=1 shows details)", file=sys.stderr)
        return EXIT_INTERNAL


def _sweep_cache() -> None:
    """Temporary files that killed runs left in the cache go (docs/reliability.md)."""
    from .cache import sweep_cache

    try:
        sweep_cache()
    except OSError:
        pass
