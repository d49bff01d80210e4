"""Real machine translation judged by professional translators: does tqcheck order the
translations of a sentence as the annotators do, and do its findings land on their error spans?

Data: the WMT21 TED talks MQM annotations, Chinese→English (``../shared/data/README.md``): each
source segment translated by 13 MT systems and two human translators, each translation annotated
by one professional with error spans (``<v>…</v>``), an MQM category and a severity.  A
translation's MQM score is the sum of its errors' weights (Major 5, Minor 1, Minor
Fluency/Punctuation 0.1, Non-translation 25, Neutral and Source error 0; lower is better).

tqcheck checks every translation twice: the English target alone (``-t en``: every ``*-en``
pack runs), and as a bilingual TSV file with its Chinese source (``-s zh -t en``: the ``tq/source-*``
checks compare it with the source; the reference is never seen).  Each way, every translation is
one file and one fresh ``tqcheck scan --format json`` process checks them all (``cli_scan.py``),
with the model and without; everything below is computed from the JSON printed, in this run.
Printed:

- pairwise accuracy, segment level (within each source segment, over the systems, pairs whose MQM
  scores differ; a metric tie counts half) and system level (mean MQM per system), for the
  tqcheck score with and without the model, the raw mean NLL of the model (from the perplexity the
  CLI prints), SLOR (that log-probability less the words' unigram log-probability from wordfreq,
  per word: Lau et al. 2017; a candidate for a fluency term that does not reward common words),
  and sacrebleu chrF against the ``ref`` translation, and, as a yardstick, the length of the
  translation alone (longer ranked better).  ``ref`` is the reference, so it is left out of
  the compared systems (14 remain, ``refB`` among them).  Segment level also per talk: the length
  model of Chinese (``tqcheck/langs/zh.yaml``) is fitted on talk.2's human translations, so talk.5
  is the held-out figure; the fit on each talk is printed (``length_fit``) with how well the model
  predicts each talk's human translations (``length_variance``), and per talk how often
  a translation beyond each limit of the length checks has an annotated error (``limit_table``);
- where the weight of the score's omission term (``scoring.Scoring.omission``) would be chosen:
  the segment-level accuracy of the bilingual scans' penalties with the term recomputed at other
  weights, per talk (``omission_table``; talk.2 chooses, talk.5 confirms), and whether longer is
  better where the term sees no omission (``longer_above_expected``: what a two-sided term would need);
- for each way of checking, the precision of tqcheck's findings against the annotated spans (a
  finding is right when it overlaps an error span of its translation; a sentence-level finding
  when its sentence has one), per kind of finding (rule findings on words apart from those on
  spacing and punctuation alone, source checks apart, ``KINDS``) and per rule, their rate per
  1,000 words on translations annotated No-error, and the recall of Major spans per MQM category;
- what the score bands (``tqcheck/scoring.py``) and the sentence fluency behind ``tq/awkward-sentence``
  mean in annotated errors: MQM points and errors per 1,000 words per band of each.

    .venv/bin/python benchmarks/eval_mqm.py [--data FILE] [--limit N] [--model NAME] [--no-model]
                                            [--save FILE | --load FILE] [--show-wrong]
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Callable

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ted-mqm-zh-en-dev.tsv"
sys.path.insert(0, str(ROOT))

from cli_scan import scan_texts  # noqa: E402 - benchmarks/ is on the path when a script here runs
from table import print_table  # noqa: E402

if TYPE_CHECKING:
    from tqcheck.core.align import LengthModel

REFERENCE = "ref"
#: The human translations: the length model is fitted on them.
HUMAN = ("ref", "refB")
SPAN = re.compile(r"<v>(.*?)</v>", re.S)
#: Kinds of tqcheck finding whose precision is reported apart.  A rule or check finding on
#: spacing and punctuation (its category ``…/punctuation``: " , ", a spaced quotation) is counted
#: apart from those on words: the raters mark such artifacts inconsistently (the same spaced
#: quotes in the same sentence marked in one system's output and not in another's), so its
#: precision against their spans measures the raters' attention more than the rule.
#: The ``tq/source-*`` checks, which only the bilingual scan runs, are a kind of their own.
KINDS = ("rules/checks: words", "rules/checks: typography", "source checks", "model: words", "model: sentence")
SOURCE_CHECK = "tq/source-"


@dataclass
class Translation:
    """One system's translation of one segment, with its annotated errors."""

    system: str
    segment: tuple[str, str]
    source: str
    text: str
    errors: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, category, severity

    @property
    def mqm(self) -> float:
        return sum(mqm_weight(category, severity) for _, _, category, severity in self.errors)

    @property
    def clean(self) -> bool:
        return not self.errors


def mqm_weight(category: str, severity: str) -> float:
    """WMT's MQM weight of one error (Freitag et al. 2021)."""
    if category == "No-error" or category == "Source error" or severity == "Neutral":
        return 0.0
    if category.startswith("Non-translation"):
        return 25.0
    if severity == "Major":
        return 5.0
    return 0.1 if category == "Fluency/Punctuation" else 1.0


def read(path: Path) -> list[Translation]:
    """The translations of the TSV, one per (system, segment), spans in offsets of the clean text
    (an Omission row marks its span in the source: the markers are removed there too)."""
    out: dict[tuple[str, tuple[str, str]], Translation] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        system, doc, _, seg, _, source, target, category, severity = line.split("\t")
        text = SPAN.sub(r"\1", target)
        t = out.setdefault((system, (doc, seg)), Translation(system, (doc, seg), SPAN.sub(r"\1", source), text))
        if category == "No-error":
            continue
        match = SPAN.search(target)
        start = match.start() if match else 0
        end = start + len(match.group(1)) if match else len(text)
        t.errors.append((start, end, category, severity))
    return list(out.values())


def kind(finding: dict) -> str:
    if finding["rule"].startswith(SOURCE_CHECK):
        return "source checks"
    if finding["origin"] != "model":
        return "rules/checks: " + ("typography" if finding["category"].endswith("/punctuation") else "words")
    return "model: sentence" if finding["rule"] == "tq/awkward-sentence" else "model: words"


def hits(finding: dict, t: Translation) -> bool:
    """Whether ``finding`` overlaps an annotated error of ``t`` (a sentence finding: one in its
    sentence)."""
    return any(finding["start"] < e and s < finding["end"]
               for s, e, category, severity in t.errors if mqm_weight(category, severity) > 0)


#: Characters on each side of a finding that another translation must share for
#: :func:`marked_elsewhere` to compare the raters' marks there.
AROUND = 20


def marked_elsewhere(finding: dict, t: Translation, others: list[Translation]) -> bool:
    """Whether another system's translation of the same segment has the finding's words with the
    same ``AROUND`` characters on each side, and its rater marked an error there: the raters of
    this data mark the same wording in one system's output and not in another's, so a finding
    that misses its own rater's spans may still be on what another rater called an error."""
    start, end = finding["start"], finding["end"]
    lo, hi = max(start - AROUND, 0), min(end + AROUND, len(t.text))
    wording = t.text[lo:hi]
    for other in others:
        at = other.text.find(wording)
        while at >= 0:
            shift = at - lo
            if any(start + shift < e and s < end + shift
                   for s, e, category, severity in other.errors if mqm_weight(category, severity) > 0):
                return True
            at = other.text.find(wording, at + 1)
    return False


def show_wrong(translations: list[Translation], findings: list[list[dict]]) -> None:
    """Every rule or check finding on no annotated error of its translation: the translation with
    the finding in [[ ]], and the errors its rater marked."""
    for t, file_findings in zip(translations, findings):
        for x in file_findings:
            if x["origin"] == "model" or hits(x, t):
                continue
            text = t.text
            print(f"{x['rule']} | {t.system} {t.segment[0]}:{t.segment[1]} | {x['message']}")
            print(f"    {text[:x['start']]}[[{text[x['start']:x['end']]}]]{text[x['end']:]}")
            for s, e, category, severity in t.errors:
                print(f"    marked: {category} {severity}: {text[s:e]!r}")


def pairwise(groups: list[list[tuple[float, float]]]) -> float:
    """Share of pairs (human, metric) within each group ordered alike; human ties are skipped, a
    metric tie counts half.  Both lower-is-better."""
    right = total = 0.0
    for group in groups:
        for (h1, m1), (h2, m2) in combinations(group, 2):
            if h1 == h2:
                continue
            total += 1
            right += 0.5 if m1 == m2 else float((h1 < h2) == (m1 < m2))
    return right / total if total else float("nan")


def accuracies(translations: list[Translation], metric: Callable[[int], float],
               talk: str | None = None) -> tuple[float, float]:
    """Segment- and system-level pairwise accuracy of ``metric`` (index → lower is better), on
    the segments of ``talk`` or all."""
    segments: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    systems: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for n, t in enumerate(translations):
        if talk is not None and t.segment[0] != talk:
            continue
        segments[t.segment].append((t.mqm, metric(n)))
        systems[t.system].append((t.mqm, metric(n)))
    means = [(sum(h for h, _ in v) / len(v), sum(m for _, m in v) / len(v)) for v in systems.values()]
    return pairwise(list(segments.values())), pairwise([means])


def ties(translations: list[Translation], scores: list[float]) -> tuple[int, int]:
    """Pairs of one segment that the raters score apart and ``scores`` tie, and how many of them
    are the same text (no metric of the text alone can order those)."""
    segments: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, t in enumerate(translations):
        segments[t.segment].append(n)
    pairs = [(a, b) for group in segments.values() for a, b in combinations(group, 2)
             if translations[a].mqm != translations[b].mqm and scores[a] == scores[b]]
    return len(pairs), sum(translations[a].text == translations[b].text for a, b in pairs)


def band_table(label: str, keys: list[float], edges: list[float], translations: list[Translation],
               words: list[int]) -> None:
    """Annotated MQM points per 1,000 words per band of ``keys`` (one per translation)."""
    rows = []
    for hi, lo in zip([math.inf, *edges], [*edges, -math.inf]):
        chosen = [n for n, k in enumerate(keys) if lo <= k < hi]
        if not chosen:
            continue
        points = sum(translations[n].mqm for n in chosen)
        minors = sum(1 for n in chosen for _, _, c, s in translations[n].errors if mqm_weight(c, s) > 0)
        wc = sum(words[n] for n in chosen)
        clean = sum(translations[n].clean for n in chosen)
        rows.append([f"{lo:g} to {hi:g}" if hi < math.inf else f">= {lo:g}", str(len(chosen)),
                     f"{100 * clean / len(chosen):.0f}%", f"{1000 * points / wc:.0f}",
                     f"{1000 * minors / wc:.0f}", f"{wc / points:.0f}" if points else "-"])
    print_table([label, "translations", "No-error", "MQM points/kw", "errors/kw", "words per point"], rows)


def length_fit(translations: list[Translation], talk: str) -> tuple[dict[str, float], int]:
    """The length model (:mod:`tqcheck.core.align`) of ``talk``'s human translations: the English
    letters each class of source character stands for (least squares, no intercept: ``weight`` for
    Han characters, then ``LENGTH_CLASSES``)."""
    import numpy as np

    from tqcheck.core.align import char_class
    from tqcheck.langs.language import LENGTH_CLASSES

    classes = (None, *LENGTH_CLASSES)
    humans = [t for t in translations if t.segment[0] == talk and t.system in HUMAN]
    counts = np.array([[sum(char_class(c) == k for c in t.source.strip()) for k in classes] for t in humans], float)
    weights = np.linalg.lstsq(counts, np.array([len(t.text) for t in humans], float), rcond=None)[0]
    return dict(zip(("weight", *LENGTH_CLASSES), map(float, weights))), len(humans)


def length_variance(translations: list[Translation], talk: str, model: LengthModel) -> float:
    """Gale & Church's variance per English letter of ``talk``'s human translations about the
    lengths ``model`` predicts from their sources: how well it predicts them (lower is better)."""
    humans = [(model.source(t.source.strip()), model.target(t.text))
              for t in translations if t.segment[0] == talk and t.system in HUMAN]
    return sum((tgt - src) ** 2 / ((src + tgt) / 2) for src, tgt in humans) / len(humans)


def human_range(translations: list[Translation], talk: str) -> tuple[float, float]:
    """The lowest and highest deviation (standard deviations of the zh→en length model) of
    ``talk``'s human translations, whole segments."""
    from tqcheck.core.align import deviation, length_model

    model = length_model("zh", "en")
    z = [deviation(model.source(t.source.strip()), model.target(t.text), model)
         for t in translations if t.segment[0] == talk and t.system in HUMAN]
    return min(z), max(z)


def limit_table(translations: list[Translation], talks: list[str]) -> None:
    """How often a translation whose length lies beyond ``z`` standard deviations of the zh→en
    length model (whole segments, as ``tq/source-length-*`` judges sentence pairs) has an
    annotated error, per talk, beside the talk's share of translations with one: where the
    check's limit would be fitted."""
    from tqcheck.checks.source_length import limit as pair_limit
    from tqcheck.core.align import deviation, length_model

    model = length_model("zh", "en")
    chosen = pair_limit("zh", "en")
    z = [deviation(model.source(t.source.strip()), model.target(t.text), model) for t in translations]
    rows = []
    for talk in talks:
        mine = [n for n, t in enumerate(translations) if t.segment[0] == talk]
        base = sum(not translations[n].clean for n in mine) / len(mine)
        for limit in (2.0, 2.5, 3.0, 3.5, 4.0):
            cells = []
            for side in (-1, 1):
                beyond = [n for n in mine if side * z[n] >= limit]
                wrong = sum(not translations[n].clean for n in beyond)
                cells.append(f"{wrong}/{len(beyond)}" if beyond else "-")
            rows.append([talk, f"{limit:g}{' (zh)' if limit == chosen else ''}", *cells, f"{100 * base:.0f}%"])
    print_table(["talk", "limit (sd)", "shorter: with an error", "longer: with an error",
                 "talk's translations with an error"], rows)


def omission_table(translations: list[Translation], scanned: dict[str, list[dict]], talks: list[str]) -> None:
    """Segment-level accuracy of each bilingual scan's penalty with the omission term at other
    weights: the term the CLI added (the default weight) taken out and ``weight ×`` the same
    evidence put back (each file is one unit: the translation against its whole source), rounded
    as the CLI prints penalties."""
    from tqcheck.core.align import deviation, length_model, shortfall
    from tqcheck.scoring import DEFAULT

    model = length_model("zh", "en")
    evidence = [shortfall(deviation(model.source(t.source.strip()), model.target(t.text), model))
                for t in translations]
    rows = []
    for key in (k for k in ("source+model", "source") if k in scanned):
        for weight in (0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0):
            extra = [(weight - DEFAULT.omission) * e * 1000 / max(f["words"], 1)
                     for e, f in zip(evidence, scanned[key])]
            penalty = [round(f["penalty"] + x, 2) for f, x in zip(scanned[key], extra)]  # as the CLI prints
            rows.append([key, f"{weight:g}{' (default)' if weight == DEFAULT.omission else ''}",
                         *(f"{100 * accuracies(translations, penalty.__getitem__, talk)[0]:.1f}%" for talk in talks)])
    print_table(["scan", "omission weight", *(f"segments of {t}" for t in talks)], rows)


def longer_above_expected(translations: list[Translation], talks: list[str]) -> None:
    """Whether a longer translation is the better one where the omission term sees no omission:
    per talk, over pairs of one segment that the raters score apart and that are both 0 to 1
    standard deviation longer than the length model predicts, the share where the longer one has
    the lower MQM score (the evidence a two-sided term would need)."""
    from tqcheck.core.align import deviation, length_model

    model = length_model("zh", "en")
    above: dict[tuple[str, str], list[Translation]] = defaultdict(list)
    for t in translations:
        if 0 <= deviation(model.source(t.source.strip()), model.target(t.text), model) < 1:
            above[t.segment].append(t)
    parts = []
    for talk in talks:
        pairs = [(a, b) for segment, group in above.items() if segment[0] == talk
                 for a, b in combinations(group, 2) if a.mqm != b.mqm and len(a.text) != len(b.text)]
        right = sum((a.mqm < b.mqm) == (len(a.text) > len(b.text)) for a, b in pairs)
        parts.append(f"{talk} {100 * right / max(len(pairs), 1):.1f}% of {len(pairs)} pairs")
    print("longer ranked better among translations 0 to 1 sd longer than the length model predicts: "
          + ", ".join(parts))


def in_translation(scan: list[dict], translations: list[Translation], bilingual: bool) -> list[list[dict]]:
    """The findings of each file with their offsets in the translation's text: a bilingual file
    (``source<TAB>target``) has its target after the source and the tab."""
    out = []
    for t, f in zip(translations, scan):
        shift = len(t.source.strip()) + 1 if bilingual else 0
        out.append([{**x, "start": x["start"] - shift, "end": x["end"] - shift} for x in f["findings"]])
    return out


def finding_tables(translations: list[Translation], scan: list[dict], bilingual: bool,
                   wrong: bool = False) -> None:
    """Precision of the findings per kind and per rule, their rate on No-error translations, and
    the recall of Major spans per MQM category; with ``wrong``, every rule or check finding on no
    annotated error (:func:`show_wrong`)."""
    found: dict[str, list[int]] = {k: [0, 0] for k in KINDS}  # right, all
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, all, right or marked elsewhere
    mine = [0, 0, 0]  # the same over every rule and check finding (not the model's)
    clean_found: dict[str, int] = defaultdict(int)
    clean_words = 0
    findings = in_translation(scan, translations, bilingual)
    segments: dict[tuple[str, str], list[Translation]] = defaultdict(list)
    for t in translations:
        segments[t.segment].append(t)
    for t, f, file_findings in zip(translations, scan, findings):
        if t.clean:
            clean_words += f["words"]
        for finding in file_findings:
            right = hits(finding, t)
            found[kind(finding)][0] += right
            found[kind(finding)][1] += 1
            lenient = right or marked_elsewhere(finding, t, [o for o in segments[t.segment] if o is not t])
            for counts in (rules[finding["rule"]], *([mine] if finding["origin"] != "model" else [])):
                counts[0] += right
                counts[1] += 1
                counts[2] += lenient
            clean_found[kind(finding)] += t.clean
    print_table(["findings", "n", "on an annotated error", "per 1,000 words on No-error"],
                [[k, str(n), f"{100 * r / n:.1f}%" if n else "-",
                  f"{1000 * clean_found[k] / max(clean_words, 1):.2f}"] for k, (r, n) in found.items()])
    right, n, lenient = mine
    if n:
        print(f"\nrule/check findings on an annotated error of their translation: {right} of {n} "
              f"({100 * right / n:.1f}%); lenient, also counting those whose wording another system's "
              f"translation of the segment shares ({AROUND} characters each side) where its rater "
              f"marked an error: {lenient} of {n} ({100 * lenient / n:.1f}%)")
    print()
    print_table(["rule", "n", "on an annotated error", "or marked in another system's same wording"],
                [[rule, str(n), f"{100 * r / n:.0f}%", f"{100 * m / n:.0f}%"] for rule, (r, n, m) in
                 sorted(rules.items(), key=lambda item: (-item[1][1], item[0]))])
    if wrong:
        print()
        show_wrong(translations, findings)
    print()
    recall: dict[str, dict[str, list[int]]] = defaultdict(lambda: {k: [0, 0] for k in KINDS})
    for t, file_findings in zip(translations, findings):
        for start, end, category, severity in t.errors:
            if severity != "Major":
                continue
            for k in KINDS:
                caught = any(kind(x) == k and x["start"] < end and start < x["end"] for x in file_findings)
                for key in (category, "all Major"):
                    recall[key][k][0] += caught
                    recall[key][k][1] += 1
    print_table(["Major spans", "n", *(f"recall {k}" for k in KINDS)],
                [[c, str(v[KINDS[0]][1]), *(f"{100 * v[k][0] / v[k][1]:.1f}%" for k in KINDS)]
                 for c, v in sorted(recall.items(), key=lambda item: -item[1][KINDS[0]][1])])


def slor(text: str, fluency: dict) -> float:
    """Lau et al.'s SLOR of a translation, per word (higher is more fluent): the model's
    log-probability of it (its sentences' tokens times log perplexity, as the CLI prints them)
    less the log-probability of its words under wordfreq's unigram frequencies (Zipf, floored at
    1 as tqcheck's checks read it)."""
    from tqcheck.core.document import WORD
    from tqcheck.langs.frequency import zipf

    words = WORD.findall(text)
    model = -sum(s["tokens"] * math.log(s["perplexity"]) for s in fluency["sentences"])
    unigram = sum((max(zipf(w.lower(), "en"), 1.0) - 9.0) * math.log(10) for w in words)
    return (model - unigram) / max(len(words), 1)


def scans(translations: list[Translation], args: argparse.Namespace) -> dict[str, list[dict]]:
    """The CLI's JSON per translation, for each way of checking (``SCANS``)."""
    texts = [t.text for t in translations]
    pairs = [f"{t.source.strip()}\t{t.text}" for t in translations]
    model = ["--model", args.model, "--model-findings", args.model_findings]
    out = {"target": scan_texts(texts, ["-t", "en", "--no-model"]),
           "source": scan_texts(pairs, ["-s", "zh", "-t", "en", "--no-model"], ".tsv")}
    if not args.no_model:
        out["target+model"] = scan_texts(texts, ["-t", "en", *model])
        out["source+model"] = scan_texts(pairs, ["-s", "zh", "-t", "en", *model], ".tsv")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, help="only the first N source segments (development)")
    parser.add_argument("--model", default="smollm2", help="fluency model (smollm2, gemma3, a path)")
    parser.add_argument("--model-findings", default="likely", choices=("likely", "all"),
                        help="which of the model's word findings the scan shows (tqcheck's flag)")
    parser.add_argument("--no-model", action="store_true", help="only the scans without the model (quick)")
    parser.add_argument("--save", type=Path, help="also write what the scans printed to this file")
    parser.add_argument("--load", type=Path, help="read the scans from a --save file instead of running them")
    parser.add_argument("--show-wrong", action="store_true",
                        help="print every rule or check finding on no annotated error, with the marked errors")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"{args.data}: not found (../shared/data beside the checkout)", file=sys.stderr)
        return 2
    everything = read(args.data)
    references = {t.segment: t.text for t in everything if t.system == REFERENCE}
    segments = sorted({t.segment for t in everything}, key=lambda s: (s[0], int(s[1])))[:args.limit]
    keep = set(segments)
    translations = [t for t in everything if t.segment in keep and t.system != REFERENCE]

    started = time.perf_counter()
    scanned = json.loads(args.load.read_text(encoding="utf-8")) if args.load else scans(translations, args)
    seconds = time.perf_counter() - started
    if args.save:
        args.save.write_text(json.dumps(scanned), encoding="utf-8")

    import sacrebleu

    from tqcheck.core.align import Letters, length_model

    chrf = [sacrebleu.sentence_chrf(t.text, [references[t.segment]]).score for t in translations]
    metrics: dict[str, Callable[[int], float]] = {}
    for key, label in (("target+model", "tqcheck -t en"), ("target", "tqcheck -t en --no-model"),
                       ("source+model", "tqcheck -s zh -t en"), ("source", "tqcheck -s zh -t en --no-model")):
        if key in scanned:
            metrics[label] = lambda n, scan=scanned[key]: -scan[n]["score"]
    if "target+model" in scanned:
        nll = [math.log(f["fluency"]["perplexity"]) for f in scanned["target+model"]]
        metrics["model mean NLL"] = lambda n: nll[n]
        slors = [slor(t.text, f["fluency"]) for t, f in zip(translations, scanned["target+model"])]
        metrics["SLOR (model, wordfreq)"] = lambda n: -slors[n]
    metrics["chrF (reference)"] = lambda n: -chrf[n]
    # Not a metric: what separates these systems' translations besides fluency (omissions
    # make shorter translations), printed so the comparison above can be read against it.
    metrics["length (longer ranked better)"] = lambda n: -len(translations[n].text)
    talks = sorted({t.segment[0] for t in translations})
    print(f"{len(translations)} translations of {len(segments)} segments by "
          f"{len({t.system for t in translations})} systems (ref is the reference); "
          f"{len(scanned)} scans ({', '.join(scanned)}), model {args.model}: {seconds:.0f} s\n")
    rows = []
    for name, m in metrics.items():
        segment, system = accuracies(translations, m)
        per_talk = [accuracies(translations, m, talk)[0] for talk in talks]
        rows.append([name, *(f"{100 * a:.1f}%" for a in (segment, *per_talk, system))])
    print_table(["metric", "segment-level accuracy", *(f"segments of {t}" for t in talks),
                 "system-level accuracy"], rows)
    zh = length_model("zh", "en")

    # The model before classes: one weight for every character, the ratio of the first talk's lengths.
    first = [t for t in everything if t.segment[0] == talks[0] and t.system in HUMAN]
    ratio = sum(len(t.text) for t in first) / sum(len(t.source.strip()) for t in first)
    one_weight = zh._replace(source=Letters(ratio))

    def fitted(talk: str) -> str:
        weights, n = length_fit(everything, talk)
        return (f"{talk}: {', '.join(f'{k} {v:.2f}' for k, v in weights.items())} ({n} translations); "
                f"variance under langs/zh.yaml {length_variance(everything, talk, zh):.2f}, under one weight "
                f"for every character ({ratio:.2f}, {talks[0]}'s ratio) "
                f"{length_variance(everything, talk, one_weight):.2f}")

    print(f"\nlength model of zh→en (langs/zh.yaml): English letters per character {zh.source.weight:g}, "
          f"{', '.join(f'{k} {v:g}' for k, v in zh.source.classes)}; variance {zh.variance:g} per letter. "
          "Fitted on the human translations (ref, refB) of each talk, and the variance per letter of "
          "those translations' lengths about what the model predicts:\n" + "\n".join(map(fitted, talks)))
    print()
    limit_table(translations, talks)
    print("the human translations' (ref, refB) deviation from the length model, in standard deviations "
          "(a correct translation; the length checks' limit must lie beyond): "
          + "; ".join("{}: {:.2f} to {:.2f}".format(talk, *human_range(everything, talk)) for talk in talks))
    print()
    omission_table(translations, scanned, talks)
    longer_above_expected(translations, talks)
    first = scanned.get("target+model", scanned["target"])
    tied, same = ties(translations, [f["score"] for f in first])
    print(f"pairs the tqcheck -t en score ties: {tied}, of them identical translations scored apart by "
          f"the raters: {same}")

    for key in ("target+model", "source+model") if "target+model" in scanned else ("target", "source"):
        print(f"\n## findings of tqcheck {'-s zh ' if key.startswith('source') else ''}-t en"
              f"{'' if key.endswith('model') else ' --no-model'}\n")
        finding_tables(translations, scanned[key], key.startswith("source"), args.show_wrong)

    if "target+model" in scanned:
        with_model = scanned["target+model"]
        print()
        words = [f["words"] for f in with_model]
        band_table("tqcheck score", [f["score"] for f in with_model], [99, 95, 90, 80, 70, 50],
                   translations, words)
        print()
        lowest = [min((s["score"] for s in f["fluency"]["sentences"]), default=100.0) for f in with_model]
        band_table("lowest sentence fluency", lowest, [90, 80, 70, 60, 50, 40, 30, 20], translations, words)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
