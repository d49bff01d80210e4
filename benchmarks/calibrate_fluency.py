"""Where the fluency constants come from: fits them for one model on one language and prints the
row for ``tqcheck/fluency/calibration.py`` beside the row the code has.

Data, from ../shared/data/demetr-fr-en-dev.jsonl:

* English: the human and machine translations (good) and the DEMETR perturbations (bad).
* French: the French source sentences (good, human-written) and, made from each of them with a
  seeded generator, one sentence per kind of single-word error that machine translation into
  French makes: a misspelling (two letters swapped), a dropped letter, an English word left in
  (taken from the sentence's English translation), a wrong function word, and a content word
  from another sentence (a wrong lexical choice).

What is fitted:

1. ``ALPHA`` (shared by all models): the length exponent of the sentence surprisal, by how often
   the bad sentence of a pair gets the higher ``total / tokens ** ALPHA`` (printed as a check).
2. ``center``: the adjusted surprisal at which a sentence scores 50, one standard deviation beyond
   the 95th percentile of the good, human-written sentences.
3. The confidence of ``tq/unexpected-word``: a logistic regression of "this word is the injected
   error" on the word's excess surprisal and its Zipf frequency in the language, over the words
   of the good sentences and of the sentences with a single-word error (about one word in 25 is
   wrong).  Its output is calibrated on that mix.

    .venv/bin/python benchmarks/calibrate_fluency.py --model smollm2 --lang en
    .venv/bin/python benchmarks/calibrate_fluency.py --model gemma3 --lang fr
"""
from __future__ import annotations

import argparse
import difflib
import json
import math
import random
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
sys.path.insert(0, str(ROOT))

from table import print_table  # noqa: E402 - benchmarks/ is on the path when a script here runs

from tqcheck.core.document import WORD  # noqa: E402
from tqcheck.core.segments import Segment  # noqa: E402
from tqcheck.fluency import spans, surprisal  # noqa: E402
from tqcheck.fluency.calibration import Calibration, calibrations  # noqa: E402
from tqcheck.fluency.loader import load  # noqa: E402
from tqcheck.langs.frequency import zipf  # noqa: E402

#: DEMETR perturbations whose error is one visible word.
WORD_ERRORS = ("minor_id26_misspelled", "minor_id27_char_removed", "critical_id4_codemix",
               "minor_id13_pos_shift", "minor_id16_function_word", "minor_id15_case")
FRENCH_FUNCTION_WORDS = ("le", "la", "les", "de", "du", "des", "à", "au", "aux", "en", "et", "un", "une",
                         "que", "qui", "pour", "par", "sur", "dans", "avec", "ce", "cette", "il", "elle")


def logistic_fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    """Newton's method on the L2-regularised log-likelihood; the last weight is the bias."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-xb @ w))
        hessian = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, xb.T @ (p - y) + l2 * w)
    return w


def changed(a: str, b: str) -> list[tuple[int, int]]:
    """Character spans of ``b`` that differ from ``a``."""
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(j1, j2) for op, _, _, j1, j2 in ops if op != "equal"]


def english_data(rows: list[dict]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Good sentences (human references and MT) and (good, bad, kind) DEMETR pairs."""
    good = sorted({r[k].strip() for r in rows for k in ("mt_sent", "eng_sent")})
    pairs = [(r["mt_sent"].strip(), r["pert_sent"].strip(), r["pert_name"]) for r in rows]
    return good, pairs


def french_data(rows: list[dict]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The French source sentences and seeded single-word errors made from each."""
    english = {r["src_sent"].strip(): r["eng_sent"].strip() for r in rows}
    good = sorted(english)
    content = sorted({m.group() for s in good for m in WORD.finditer(s) if m.group().isalpha()
                      and m.group().islower() and len(m.group()) > 4})
    pairs = []
    for sentence in good:
        words = [m for m in WORD.finditer(sentence) if m.start() > 0 and m.group().isalpha() and m.group().islower()]
        for kind in ("misspelled", "char_removed", "codemix", "function_word", "wrong_word"):
            rng = random.Random(f"{kind}|{sentence}")
            bad = _french_error(kind, sentence, words, english[sentence], content, rng)
            if bad and bad != sentence:
                pairs.append((sentence, bad, kind))
    return good, pairs


def _french_error(kind: str, sentence: str, words: list, english: str, content: list[str],
                  rng: random.Random) -> str | None:
    long = [m for m in words if len(m.group()) > 4]
    if kind in ("misspelled", "char_removed") and long:
        m = rng.choice(long)
        w = m.group()
        i = rng.randrange(1, len(w) - 2)
        new = w[:i] + w[i + 1] + w[i] + w[i + 2:] if kind == "misspelled" else w[:i] + w[i + 1:]
        return sentence[:m.start()] + new + sentence[m.end():]
    if kind == "codemix" and long:
        loans = [w for w in WORD.findall(english) if w.isalpha() and w.islower() and len(w) > 3
                 and zipf(w, "en") >= 3.0 and zipf(w, "fr") < 2.0]
        if loans:
            m = rng.choice(long)
            return sentence[:m.start()] + rng.choice(loans) + sentence[m.end():]
    if kind == "function_word":
        small = [m for m in words if m.group() in FRENCH_FUNCTION_WORDS]
        if small:
            m = rng.choice(small)
            other = rng.choice([w for w in FRENCH_FUNCTION_WORDS if w != m.group()])
            return sentence[:m.start()] + other + sentence[m.end():]
    if kind == "wrong_word" and long:
        m = rng.choice(long)
        return sentence[:m.start()] + rng.choice(content) + sentence[m.end():]
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="smollm2")
    parser.add_argument("--lang", default="en", choices=("en", "fr"))
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["pert_check"] and not r["pert_name"].startswith("base")]
    good, pairs = english_data(rows) if args.lang == "en" else french_data(rows)
    word_pairs = [p for p in pairs if args.lang == "fr" or p[2] in WORD_ERRORS]
    lm = load(args.model)
    texts = sorted(set(good) | {b for _, b, _ in pairs})
    scored = dict(zip(texts, lm.score(texts)))
    print(f"{args.model} on {args.lang}: {len(good)} good sentences, {len(pairs)} pairs with an error\n")

    print("1. ALPHA: share of pairs where the sentence with the error scores worse")
    rows_alpha = []
    for alpha in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        right = sum(scored[b].total / scored[b].tokens ** alpha > scored[a].total / scored[a].tokens ** alpha
                    for a, b, _ in pairs)
        rows_alpha.append([f"{alpha:.1f}" + (" (code)" if alpha == surprisal.ALPHA else ""),
                           f"{100 * right / len(pairs):.1f}%"])
    print_table(["ALPHA", "pairs ranked right"], rows_alpha)

    human = sorted({r["eng_sent"].strip() for r in rows}) if args.lang == "en" else good
    adjusted = [surprisal.adjusted_surprisal(scored[t].total, scored[t].tokens) for t in human]
    center = float(np.percentile(adjusted, 95)) + statistics.pstdev(adjusted)
    print(f"\n2. center: 95th percentile of {len(human)} human sentences {np.percentile(adjusted, 95):.2f} "
          f"+ sd {statistics.pstdev(adjusted):.2f} = {center:.2f}; the median human sentence scores "
          f"{surprisal.sentence_score(statistics.median(adjusted), 1, center):.0f}")

    features, labels, kinds = [], [], []
    for text, errors, kind in [(t, [], "") for t in good] + [(b, changed(a, b), k) for a, b, k in word_pairs]:
        for w in spans.word_surprises(Segment(0, len(text)), scored[text], calibrations()[("smollm2", "en")],
                                      args.lang):
            features.append([w.excess, zipf(w.word, args.lang)])
            labels.append(float(any(w.start <= b and a <= w.end for a, b in errors)))
            kinds.append(kind)
    x, y, kind_of = np.array(features), np.array(labels), np.array(kinds)
    weights = logistic_fit(x, y)
    fitted = Calibration(round(center, 2), *(round(float(v), 3) for v in weights))
    p = 1 / (1 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ weights)))
    print(f"\n3. tq/unexpected-word confidence: {len(y)} words, {int(y.sum())} injected errors")
    print_table(["confidence", "words", "share that were errors"], [
        [f"{low:.2f}-{min(high, 1):.2f}", str(int(((p >= low) & (p < high)).sum())),
         f"{100 * y[(p >= low) & (p < high)].mean():.0f}%" if ((p >= low) & (p < high)).any() else "-"]
        for low, high in ((0.0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))])
    reported = p >= spans.MIN_CONFIDENCE
    print(f"reported (>= {spans.MIN_CONFIDENCE}): {int(reported.sum())} words, precision "
          f"{100 * y[reported].mean():.0f}%, recall {100 * reported[y == 1].mean():.0f}%\n")
    print_table(["kind of error", "errors", f"recall at {spans.MIN_CONFIDENCE}"], [
        [kind, str(int(((kind_of == kind) & (y == 1)).sum())),
         f"{100 * reported[(kind_of == kind) & (y == 1)].mean():.0f}%"]
        for kind in sorted(set(kinds) - {""}) if ((kind_of == kind) & (y == 1)).any()])

    print(f"\nfitted: ({args.model!r}, {args.lang!r}): {fitted!r}")
    print(f"code:   ({args.model!r}, {args.lang!r}): {calibrations().get((args.model, args.lang), 'none')!r}")
    return 0 if math.isfinite(weights.sum()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
