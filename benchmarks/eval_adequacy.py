"""A candidate adequacy signal, measured and not adopted: does a small multilingual model's
conditional likelihood of a translation given its source rank real MT as the annotators do?

For every translation of the WMT21 TED zh→en MQM data (``eval_mqm.py``, ``ref`` left out), the
model scores the English tokens twice: after ``"Chinese: <source>\\nEnglish:"`` and after
``"English:"`` alone; their difference is the pointwise mutual information of translation and
source under the model (nats the source explains; Prism, Thompson & Post 2020, and the "LLM as
scorer" papers rank with it).  Also the reverse direction, the source's tokens after
``"English: <translation>\\nChinese:"`` (the source's own likelihood is the same for every
translation of a segment, so that total alone orders them).  Printed: segment-level pairwise
accuracy per talk (as ``eval_mqm.py`` computes it) of each signal, beside the length yardstick,
and the model's speed in tokens per CPU second (user + system time of this process: the CPU time
does not depend on what else runs).  In process, not through the CLI: the signal is no part of
tqcheck; see README "How well it ranks real MT".

    .venv/bin/python benchmarks/eval_adequacy.py [--model gemma3] [--limit N] [--talk talk.5]
"""
from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval_mqm import DATA, REFERENCE, Translation, accuracies, read  # noqa: E402
from table import print_table  # noqa: E402

if TYPE_CHECKING:
    from tqcheck.fluency.scorer import TokenScores


def continuation(scored: TokenScores, prefix: int) -> float:
    """Total surprisal (nats) of the tokens of a scored text that end past its first ``prefix``
    characters: the continuation after a prompt."""
    return sum(s for (_, end), s in zip(scored.spans, scored.surprisal) if end > prefix)


def prompts(t: Translation) -> list[tuple[str, int]]:
    """The texts scored for one translation, each with the length of its prompt: the translation
    after its source, after nothing, and the source after the translation."""
    source, target = t.source.strip(), t.text.strip()
    out = []
    for prompt, text in ((f"Chinese: {source}\nEnglish:", target), ("English:", target),
                         (f"English: {target}\nChinese:", source)):
        out.append((f"{prompt} {text}", len(prompt)))
    return out


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", default="gemma3", help="a multilingual model tqcheck can load")
    parser.add_argument("--talk", action="append", help="only this talk (repeatable; default: all)")
    parser.add_argument("--limit", type=int, help="only the first N segments of each talk (development)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"{args.data}: not found (../shared/data beside the checkout)", file=sys.stderr)
        return 2
    from tqcheck.fluency.loader import load

    everything = [t for t in read(args.data) if t.system != REFERENCE]
    talks = args.talk or sorted({t.segment[0] for t in everything})
    segments = {talk: sorted({t.segment for t in everything if t.segment[0] == talk},
                             key=lambda s: int(s[1]))[:args.limit] for talk in talks}
    keep = {s for chosen in segments.values() for s in chosen}
    translations = [t for t in everything if t.segment in keep]
    model = load(args.model)
    jobs = [prompts(t) for t in translations]
    started = cpu_seconds()
    scored = model.score([text for job in jobs for text, _ in job])
    seconds = cpu_seconds() - started
    tokens = sum(s.tokens for s in scored)
    given, alone, reverse = ([continuation(scored[3 * n + k], jobs[n][k][1]) for n in range(len(jobs))]
                             for k in range(3))
    metrics: dict[str, Callable[[int], float]] = {  # lower is better
        "PMI: translation given source, less alone": lambda n: given[n] - alone[n],
        "translation given source (total)": lambda n: given[n],
        "source given translation (total)": lambda n: reverse[n],
        "length (longer ranked better)": lambda n: -len(translations[n].text),
    }
    print(f"{len(translations)} translations of {len(keep)} segments, model {args.model} ({model.precision}): "
          f"{tokens} tokens in {seconds:.0f} s of CPU, {tokens / seconds:.0f} tokens per CPU second\n")
    print_table(["signal", *(f"segments of {talk}" for talk in talks)],
                [[name, *(f"{100 * accuracies(translations, m, talk)[0]:.1f}%" for talk in talks)]
                 for name, m in metrics.items()])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
