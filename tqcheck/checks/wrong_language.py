"""tq/wrong-language: a file whose text is not in the language it is expected in (the source
text shipped instead of its translation, a file of another language in the folder), and which
language a file is expected in.

The expected target language comes, strongest first, from ``--target-lang`` or the
configuration, from the file itself (XLIFF and PO declare it), or from the run: the language most
of its files are in (:func:`run_target`).  A file alone in its run is expected in its own language
when it shows it is a translation into it, and else in English, tqcheck's default target
(:func:`expected_alone`; docs/decisions.md says why).  In a run of several languages none of
which has a majority, each file is expected in its own.  The check itself compares
the language langdetect identifies on a long enough sample of the text with the one the pipeline
checks it as, which is the expected one whenever anything says what that is.
"""
from __future__ import annotations

from ..core.document import Document
from ..core.findings import Finding, Severity
from ..langs import language_name
from ..langs.identify import identify
from .base import CheckContext, CheckRule

#: The target language of a file that does not show otherwise (every pack but one is into English).
DEFAULT_TARGET = "en"
#: langdetect must be at least this sure of another language: a mixed text (half of it left
#: untranslated) is the business of tq/untranslated-sentence, not a wholesale wrong language.
MIN_PROB = 0.9

WRONG_LANGUAGE = CheckRule(
    id="tq/wrong-language",
    category="accuracy/untranslated",
    severity=Severity.CRITICAL,
    message="The text is in {found}, not in {expected}, the language expected here (-t sets it)",
    why=(
        "The whole file is in another language than the target: the source was shipped instead of "
        "its translation, or a file of another language sits among the translations. That is a "
        "non-translation, critical in MQM. The expected language is --target-lang or the "
        "configuration's target-lang, else the one an XLIFF or PO file declares, else the one most "
        "files of the run are in; a file alone in its run is expected in its own language when it "
        "shows the marks of a translation into it, and else in English. Texts under 15 "
        "words are never judged: langdetect cannot tell their language on its own. The finding "
        "spans the whole text."
    ),
    examples={
        "flag": [
            {"text": "[[Le sommet européen a été reporté à mardi prochain. Les ministres ne sont pas "
                     "d'accord sur le budget de la défense commune, a indiqué la présidence.]]"},
        ],
        "pass": [
            {"text": "The European summit was postponed to next Tuesday. The ministers do not agree "
                     "on the budget of the common defence, the presidency said."},
            {"text": "Le sommet est reporté."},
        ],
    },
)
RULES = (WRONG_LANGUAGE,)


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    said = verdict(identify(doc.text), ctx.target_lang)
    if said is None:
        return []
    start = len(doc.text) - len(doc.text.lstrip())
    end = len(doc.text.rstrip())
    return [WRONG_LANGUAGE.finding(doc, start, end, said[0], confidence=said[1])]


def verdict(found: tuple[str, float] | None, target: str) -> tuple[str, float] | None:
    """The message and confidence of a tq/wrong-language finding, given what langdetect
    ``found`` in a text expected in ``target``; None when there is none to report."""
    if found is None or found[0] == target or found[1] < MIN_PROB:
        return None
    return WRONG_LANGUAGE.message.format(found=language_name(found[0]), expected=language_name(target)), found[1]


def run_target(langs: list[str]) -> str | None:
    """The language more than half of ``langs`` (the identified languages of a run's files) are;
    None when there is no such language or fewer than two files to compare."""
    if len(langs) < 2:
        return None
    best = max(set(langs), key=langs.count)
    return best if 2 * langs.count(best) > len(langs) else None


def expected_alone(lang: str, source: str | None) -> str:
    """The target language expected of a file in ``lang`` with nothing to compare it with.

    ``source`` is the language it was translated from, given or guessed (from its source text or
    from the marks a translation leaves, such as English words left in French); None when the
    text shows no sign of being a translation.  A text in another language than English is
    accepted as the target when it is a translation into that language; otherwise it is most
    likely a source text scanned instead of its translation.
    """
    if lang == DEFAULT_TARGET or (source is not None and source != lang):
        return lang
    return DEFAULT_TARGET
