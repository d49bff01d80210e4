"""The fluency model as a check: the words that surprise it (:mod:`tqcheck.fluency.spans`), the
sentences it finds awkward, ranked suggestions, and each file's fluency, which counts in the score.

It needs the model, so the pipeline gives it every document of the run at once: documents are
grouped by the model chosen for their target language and each group is scored in shared
batches.  Its word findings can be disabled; it still runs then (``SCORES``), for the fluency.
Nothing heavy is imported here: the model loads only when :func:`run` is called.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, TypeAlias

from ..fluency.spans import RULES

if TYPE_CHECKING:
    from ..core.document import Document
    from ..core.findings import Finding
    from ..core.results import Options
    from ..fluency.sentences import FileFluency

NEEDS = ("model",)
SCORES = True

#: Per document: its findings with the model's added, and its fluency; None where no model ran.
Outcome: TypeAlias = "tuple[list[Finding], FileFluency | None] | None"


def run(batch: list[tuple[Document, list[Finding], str]], options: Options) -> list[Outcome]:
    """The model stage over ``(document, findings, target language)`` items; for a language no
    model serves, the reason as a warning (shown once per run: the same warning from the same
    place is not repeated)."""
    from ..fluency.catalogue import choose
    from ..fluency.failures import ModelWarning
    from ..fluency.stage import run as run_stage

    groups: dict[tuple[str, str], list[int]] = {}
    for i, (_, _, target) in enumerate(batch):
        model, why = choose(options.model, target) if options.model else (None, None)
        if model is None:
            if why:
                warnings.warn(f"fluency off for {target}: {why}", ModelWarning, stacklevel=3)
            continue
        groups.setdefault((model, target), []).append(i)
    outcomes: list[Outcome] = [None] * len(batch)
    for (model, target), indexes in groups.items():
        done = run_stage([(batch[i][0], batch[i][1]) for i in indexes], options, model, target)
        for i, outcome in zip(indexes, done):
            outcomes[i] = outcome
    return outcomes


__all__ = ["NEEDS", "RULES", "SCORES", "run"]
