"""The road from a document to scored findings: languages → rules and checks → spans → score.

Only this module knows the order of the stages; the CLI and the reports call
:func:`check_document` (or :func:`check_documents`, which lets the model batch across documents)
and read :class:`FileResult`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from . import scoring, streaming, suppressions, termbase
from .checks import CheckContext, enabled
from .checks.wrong_language import DEFAULT_TARGET, expected_alone, run_target, verdict
from .core.align import length_model
from .core.bilingual import attach_source, sentence_pairs, unit_deviations
from .core.collector import collector_paused
from .core.document import LOCALISATION_FORMATS, Document
from .core.errors import InputError
from .core.findings import FileSpan, Finding, Severity, fixable
from .core.results import FileResult, Options
from .core.runs import merge_runs
from .formats import load_path
from .formats.large import LargeDocument
from .langguess import LangGuess, guess_from_artifacts, guess_from_source, prefer_source
from .langs.frequency import read_text_ahead
from .langs.identify import identify, identify_sample
from .rules.confidence import calibrate, calibrated
from .rules.matching import RuleSet
from .rules.packs import all_rules, available_packs, load_pack

if TYPE_CHECKING:  # the model stage and its imports load only when the model is on
    from .fluency.sentences import FileFluency



def pair_packs(source: str | None, target: str) -> list[str]:
    """Packs for a language pair: the target's own pack and the pair's (every ``*-target`` when
    the source language is unknown)."""
    names = available_packs()
    packs = [target] if target in names else []
    if source:
        packs += [f"{source}-{target}"] if f"{source}-{target}" in names else []
    else:
        packs += [n for n in names if n.endswith(f"-{target}")]
    return packs


def source_candidates(target: str) -> tuple[str, ...]:
    return tuple(n.split("-")[0] for n in available_packs() if n.endswith(f"-{target}"))


@lru_cache(maxsize=16)
def _ruleset(packs: tuple[str, ...], disabled: frozenset[str], terms: str | None) -> RuleSet:
    rules = [r for p in packs for r in load_pack(p)] + list(termbase.load_rules(terms) if terms else ())
    return RuleSet([r for r in rules if r.id not in disabled])


#: Rules for the furniture of scraped web pages ("Read also", "Subscribe now", "Share on Facebook").
#: In a localisation file such a string is the translation of a link or button, not junk: these
#: rules are off there unless ``enable`` names them.
PAGE_FURNITURE = "/boilerplate-"


@lru_cache(maxsize=1)
def _page_furniture_rules() -> frozenset[str]:
    return frozenset(r.id for r in all_rules() if PAGE_FURNITURE in r.id)


def _for_format(doc: Document, options: Options) -> Options:
    """``options`` for this document's format: page-furniture rules off in localisation files."""
    if doc.format not in LOCALISATION_FORMATS:
        return options
    return replace(options, disabled=options.disabled | (_page_furniture_rules() - options.selected))


def target_language(doc: Document, options: Options, sample: str | None = None) -> tuple[str, str]:
    """The language ``doc`` is checked as, and where it came from: ``given`` (``-t``, the
    configuration), ``declared`` (by an XLIFF or PO file), ``run`` (the run's language), ``detected``
    (langdetect on the text) or ``default`` (a text too short to identify: langdetect alone takes
    "Welcome on our site !" for French, and one line for Swedish)."""
    if options.target_lang:
        return options.target_lang, "given"
    if doc.bilingual is not None and doc.bilingual.target_lang:
        return doc.bilingual.target_lang, "declared"
    if options.run_target:
        return options.run_target, "run"
    found = identify(doc.text) if sample is None else identify_sample(sample)
    if found is not None and found[1] >= 0.5:
        return found[0], "detected"
    return DEFAULT_TARGET, "default"


def settle_targets(results: list[FileResult], options: Options) -> list[FileResult]:
    """A run's results, with the files whose language was detected, or too short to tell, checked
    again as the language the run expects where that differs: the language of most of its files;
    for a file alone, :func:`~tqcheck.checks.wrong_language.expected_alone`; in a run of several
    languages none of which has a majority, each file's own.  A file checked again in another
    language than its own gets tq/wrong-language."""
    common = run_target([r.target_lang for r in results if r.target_origin == "detected"])
    again: dict[str, list[int]] = {}
    for i, r in enumerate(results):
        if r.target_origin == "detected":
            guessed = r.source_guess.lang if r.source_guess else None
            alone = expected_alone(r.target_lang, r.source_lang or guessed) if len(results) == 1 else None
            expected = common or alone or r.target_lang
        elif r.target_origin == "default":
            expected = common or r.target_lang
        else:
            continue
        if expected != r.target_lang:
            again.setdefault(expected, []).append(i)
    for expected, indexes in again.items():
        # --source is attached to the document already; the run's language now says the target
        redone = check_documents([results[i].doc for i in indexes],
                                 replace(options, source=None, run_target=expected))
        for i, done in zip(indexes, redone):
            if isinstance(done, FileResult):
                results[i] = done
    return results


def check_document(doc: Document, options: Options) -> FileResult:
    """Run every enabled rule and check over ``doc`` and locate the findings in the file.
    Raises :class:`InputError` when ``--source`` cannot be read."""
    (done,) = check_documents([doc], options)
    if isinstance(done, InputError):
        raise done
    return done


def check_documents(docs: list[Document], options: Options) -> list[FileResult | InputError]:
    """:func:`check_document` for each of ``docs``, the error as a value; the model scores the
    sentences of all of them together, so that short documents fill its batches (the findings
    and scores are those of one document at a time)."""
    checked: list[_Checked | FileResult | InputError] = []
    for doc in docs:
        try:
            if isinstance(doc, LargeDocument) and streaming.applies(doc, options):
                checked.append(_streamed(doc, options))
            else:
                checked.append(_rules(streaming.read_whole(doc), options))
        except InputError as exc:
            checked.append(exc)
    if options.model:
        _run_model([c for c in checked if isinstance(c, _Checked)], options)
    return [c.result(options) if isinstance(c, _Checked) else c for c in checked]


@dataclass
class _Checked:
    """A document between the stages: its languages and the findings so far (text offsets)."""

    doc: Document
    source: str | None
    target: str
    guess: LangGuess | None
    found: list[Finding]
    target_origin: str
    #: The rule packs that ran over it (for the score's signature).
    packs: tuple[str, ...]
    #: Its units' lengths against their sources' (``unit_deviations``; empty without a source).
    deviations: tuple[float, ...] = ()
    fluency: FileFluency | None = None

    def result(self, options: Options) -> FileResult:
        with collector_paused():  # a few objects per finding (core/collector.py)
            return self._result(options)

    def _result(self, options: Options) -> FileResult:
        options = options.for_path(self.doc.path)
        found = [f for f in self.found if f.rule not in options.disabled]  # per-path, the model's too
        findings = suppressions.apply(self.doc, locate(self.doc, found, options, calibrate=True))
        if options.baseline is not None:
            findings = options.baseline.filter(self.doc, findings)
        scores = scoring.DEFAULT.scores(findings, self.doc.words, self.fluency, self.target, self.packs,
                                        options.termbase,
                                        scoring.selection(options.disabled, options.severity_overrides),
                                        self.deviations)
        return FileResult(self.doc, self.source, self.target, findings, self.target_origin, self.guess,
                          self.fluency, scores=scores)


def _rules(doc: Document, options: Options, names: frozenset[str] | None = None) -> _Checked:
    """Languages, rules and checks of one document (``names``: those of the file it is a chunk
    of, ``CheckContext.names_in_sentences``), the collector paused (a few objects per finding:
    core/collector.py; one document or chunk at a time, so that cycles are collected between)."""
    with collector_paused():
        return _rules_of(doc, options, names)


def _rules_of(doc: Document, options: Options, names: frozenset[str] | None) -> _Checked:
    options = _for_format(doc, options)
    if options.source:
        attach_source(doc, load_path(options.source), length_model(options.source_lang, options.target_lang))
    target, origin = target_language(doc, options)
    read_text_ahead(doc.text, (target, *source_candidates(target)))
    source = options.source_lang or (doc.bilingual.source_lang if doc.bilingual else None)
    guess = None if source else guess_from_source(doc)  # a source text tells its own language
    lang = source or (guess.lang if guess else None)
    lengths = length_model(lang, target)
    ctx = CheckContext(lang, target, source_candidates(target), aligned=tuple(sentence_pairs(doc, lengths)),
                       names_in_sentences=names)
    packs = tuple(pair_packs(lang, target))
    found = _ruleset(packs, options.disabled, options.termbase).run(doc)
    for check in enabled(frozenset(), options.disabled):
        found.extend(f for f in merge_runs(doc, check.run(doc, ctx)) if f.rule not in options.disabled)
    if not lang:
        guess = guess_from_artifacts(doc, found, ctx)
        if guess.lang and f"{guess.lang}-{target}" in available_packs():
            own = _ruleset((f"{guess.lang}-{target}",), options.disabled, None).run(doc)
            found = prefer_source(found, own, target)
    for check in enabled(frozenset({"source"}), options.disabled) if ctx.aligned else ():
        found.extend(f for f in merge_runs(doc, check.run(doc, ctx)) if f.rule not in options.disabled)
    return _Checked(doc, source, target, guess, found, origin, packs, unit_deviations(doc, lengths))


def _streamed(doc: LargeDocument, options: Options) -> FileResult:
    """A large file a chunk at a time (``streaming.py``): its language and names decided over the
    whole file, the rules and checks run on each chunk, the findings located in the file and kept
    on disk."""
    plan = streaming.Plan(doc, streaming.CHUNK_CHARS)
    target, origin = target_language(doc, options, plan.sample)
    path_options = options.for_path(doc.path)
    chunk_options = replace(options, target_lang=target, disabled=options.disabled | streaming.WHOLE_FILE_RULES)
    gathered = streaming.Gathered(plan, lambda f, chunk: fixable(f, False) and chunk.doc.run_around(f.start, f.end)
                                  is not None)
    first: _Checked | None = None  # what the file reports of the chunks' guesses: the first's
    for chunk in plan.chunks():
        checked = _rules(chunk.doc, chunk_options, plan.names)
        first = first or checked
        found = [f for f in checked.found if f.rule not in path_options.disabled]
        gathered.add(chunk, locate(chunk.doc, found, path_options),
                     lambda d, more: locate(d, [f for f in more if f.rule not in path_options.disabled], path_options))
    whole = gathered.name_variants(target)
    said = verdict(identify_sample(plan.sample), target)
    wrong = plan.wrong_language(*said) if said is not None else None
    if wrong is not None and wrong.rule not in path_options.disabled:
        whole.append(_overridden(wrong, path_options))
    doc.words = gathered.words  # a document not read whole has no text to count
    best = streaming.with_best(gathered.found, whole, _rank)
    pairs: Iterable[tuple[Finding, bool]] = ((calibrate([f])[0], ok) for f, ok in best if not plan.suppressed(f))
    if options.baseline is not None:  # it reads the words around each finding: the file is read whole
        held = list(pairs)
        kept = {id(f) for f in options.baseline.filter(doc, [f for f, _ in held])}
        pairs = ((f, ok) for f, ok in held if id(f) in kept)
    findings = streaming.Findings(pairs)
    assert first is not None  # a plan has a chunk
    scores = scoring.DEFAULT.scores(findings, doc.words, None, target, first.packs, options.termbase,
                                    scoring.selection(path_options.disabled, path_options.severity_overrides))
    return FileResult(doc, options.source_lang, target, findings, origin, first.guess, scores=scores)


def _run_model(checked: list[_Checked], options: Options) -> None:
    """The checks that need the model, over every document of the run at once (the model fills
    its batches with the sentences of short documents together)."""
    for check in enabled(frozenset({"model"}), options.disabled):
        outcomes = check.run([(c.doc, c.found, c.target) for c in checked], options)
        for c, outcome in zip(checked, outcomes):
            if outcome is not None:
                c.found, c.fluency = outcome


def locate(doc: Document, found: list[Finding], options: Options, calibrate: bool = False) -> list[Finding]:
    """New findings with their file spans, the ignored and duplicate spans dropped, severity
    overrides applied; with ``calibrate``, their confidence calibrated (``rules/confidence.py``)
    in the same copy.  Of two findings on one span the one kept is chosen by their own
    confidence either way."""
    by_span: dict[tuple[int, int], tuple[Finding, tuple[Severity, bool, float]]] = {}
    overrides = options.severity_overrides
    # The document's lookups bound once: a page with a finding on every line pays them per finding.
    ignored = doc.is_ignored if doc.ignored else None
    source_span, line_column, content = doc.source_span, doc.line_column, doc.content
    for found_in_text in found:  # per finding: one copy (evolve), no more
        span = found_in_text.text_span
        if ignored is not None and ignored(span.start, span.end):
            continue
        start, end = source_span(span.start, span.end)
        rule = found_in_text.rule
        severity = overrides[rule] if rule in overrides else found_in_text.severity
        # Two rules on the same span report one finding: the more severe, then the one that
        # offers a fix, then the more confident.  One that would lose is not copied at all (a
        # rule and a check often flag the same words: a boilerplate line, an untranslated word).
        rank = _rank(found_in_text, severity)
        other = by_span.get((start, end))
        if other is not None and rank <= other[1]:
            continue
        confidence = calibrated(rule, found_in_text.confidence) if calibrate else found_in_text.confidence
        place = FileSpan(start, end, content[start:end], *line_column(start))
        by_span[(start, end)] = found_in_text.evolve(file_span=place, severity=severity, confidence=confidence), rank
    return [by_span[span][0] for span in sorted(by_span)]  # one finding per span: in file order


def _overridden(f: Finding, options: Options) -> Finding:
    """``f`` with the severity the options give its rule."""
    return f.evolve(severity=options.severity_overrides[f.rule]) if f.rule in options.severity_overrides else f


def _rank(f: Finding, severity: Severity | None = None) -> tuple[Severity, bool, float]:
    """Which of two findings on one span is reported; ``severity``: ``f``'s once overridden."""
    return f.severity if severity is None else severity, bool(f.suggestions), f.confidence
