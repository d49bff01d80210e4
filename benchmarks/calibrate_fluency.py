"""Where the fluency constants come from: refits them on the DEMETR development pairs and prints
them beside the values in the code (``fluency/scoring.py``, ``fluency/spans.py``).

1. ``ALPHA``: the length exponent of the sentence surprisal, chosen by the model-only pairwise
   accuracy (the perturbed sentence must get the higher ``total / tokens ** ALPHA``).
2. ``CENTER``: the adjusted surprisal at which a sentence scores 50, one standard deviation beyond
   the 95th percentile of the human reference sentences.
3. The confidence of ``tq/unexpected-word``: a logistic regression of "this word is the injected
   error" on the word's excess surprisal and its English Zipf frequency, over the words of the
   good sentences and of the pairs whose error is a single visible word (misspellings, French
   words, wrong function words, part-of-speech and case changes).  Its output is calibrated on
   that mix (about one word in 25 is wrong).

    .venv/bin/python benchmarks/calibrate_fluency.py
"""
from __future__ import annotations

import difflib
import json
import math
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
sys.path.insert(0, str(ROOT))

from tqcheck.document import Segment  # noqa: E402
from tqcheck.fluency import scoring, spans  # noqa: E402
from tqcheck.fluency.model import load  # noqa: E402
from tqcheck.langs import zipf  # noqa: E402

WORD_ERRORS = ("minor_id26_misspelled", "minor_id27_char_removed", "critical_id4_codemix",
               "minor_id13_pos_shift", "minor_id16_function_word", "minor_id15_case")


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
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(j1, j2) for op, _, _, j1, j2 in ops if op != "equal"]


def main() -> int:
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["pert_check"] and not r["pert_name"].startswith("base")]
    good = sorted({r[k].strip() for r in rows for k in ("mt_sent", "eng_sent")})
    texts = sorted(set(good) | {r["pert_sent"].strip() for r in rows})
    lm = load()
    scored = dict(zip(texts, lm.score(texts)))

    print("1. ALPHA (model-only pairwise accuracy)")
    for alpha in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        right = sum(
            scored[r["pert_sent"].strip()].total / scored[r["pert_sent"].strip()].tokens ** alpha
            > scored[r["mt_sent"].strip()].total / scored[r["mt_sent"].strip()].tokens ** alpha for r in rows)
        mark = "  <- ALPHA" if alpha == scoring.ALPHA else ""
        print(f"   {alpha:.1f}  {100 * right / len(rows):.1f}%{mark}")

    human = [scoring.adjusted_surprisal(scored[t].total, scored[t].tokens)
             for t in {r["eng_sent"].strip() for r in rows}]
    p95 = float(np.percentile(human, 95))
    print(f"\n2. CENTER: 95th percentile of human references {p95:.2f} + sd {statistics.pstdev(human):.2f} "
          f"= {p95 + statistics.pstdev(human):.2f} (code: {scoring.CENTER}); median human sentence scores "
          f"{scoring.sentence_score(statistics.median(human), 1):.0f}")

    features, labels = [], []
    for text, is_good, errors in [(t, True, []) for t in good] + [
            (r["pert_sent"].strip(), False, changed(r["mt_sent"].strip(), r["pert_sent"].strip()))
            for r in rows if r["pert_name"] in WORD_ERRORS]:
        for w in spans.word_surprises(Segment(0, len(text)), scored[text]):
            features.append([w.excess, zipf(w.word, "en")])
            labels.append(float(not is_good and any(w.start <= b and a <= w.end for a, b in errors)))
    x, y = np.array(features), np.array(labels)
    weights = logistic_fit(x, y)
    p = 1 / (1 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ weights)))
    print(f"\n3. tq/unexpected-word confidence: {len(y)} words, {int(y.sum())} injected errors")
    print("   EXCESS_WEIGHT, ZIPF_WEIGHT, BIAS:")
    print(f"   fitted {weights[0]:.3f}, {weights[1]:.3f}, {weights[2]:.3f}")
    print(f"   code   {spans.EXCESS_WEIGHT}, {spans.ZIPF_WEIGHT}, {spans.BIAS}")
    print("   confidence bin   words   share that were errors")
    for low, high in ((0.0, 0.1), (0.1, 0.35), (0.35, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        mask = (p >= low) & (p < high)
        share = f"{100 * y[mask].mean():.0f}%" if mask.any() else "-"
        print(f"   {low:.2f}-{min(high, 1):.2f}      {int(mask.sum()):>6}   {share}")
    reported = p >= spans.MIN_CONFIDENCE
    print(f"   reported (>= {spans.MIN_CONFIDENCE}): {int(reported.sum())} words, precision "
          f"{100 * y[reported].mean():.0f}%, recall {100 * reported[y == 1].mean():.0f}%")
    return 0 if math.isfinite(weights.sum()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
