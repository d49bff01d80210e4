"""Languages as data (``<code>.yaml``, one file per language) and what reads them: identification
(``identify``), word frequencies (``frequency``), numbers and dates in text (``quantities``).

Below the core in the layers (docs/architecture.md): nothing here knows about documents or findings.
"""
from __future__ import annotations

from .language import GENERIC, Language, LanguageFileError, combined, known_codes, language, language_name

__all__ = ["GENERIC", "Language", "LanguageFileError", "combined", "known_codes", "language", "language_name"]
