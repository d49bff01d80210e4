"""Checks that need code rather than a pattern. ``CHECKS`` is the list the pipeline runs;
``SOURCE_CHECKS`` run too when the translation comes with its source (``CheckContext.aligned``)."""
from __future__ import annotations

from . import (
    mojibake,
    name_variants,
    repeated_words,
    source_balance,
    source_copy,
    source_length,
    source_names,
    source_numbers,
    source_sentences,
    untranslated,
    wrong_language,
)
from .base import CheckContext, CheckRule

CHECKS = (wrong_language, untranslated, name_variants, repeated_words, mojibake)
SOURCE_CHECKS = (source_numbers, source_names, source_copy, source_sentences, source_length, source_balance)


def check_rules() -> list[CheckRule]:
    """Every rule a code check or the fluency model can report (for ``rules``, ``explain``, settings)."""
    from ..fluency import spans  # no torch: the model loads only when it runs

    return [rule for check in (*CHECKS, *SOURCE_CHECKS, spans) for rule in check.RULES]


__all__ = ["CHECKS", "SOURCE_CHECKS", "CheckContext", "CheckRule", "check_rules"]
