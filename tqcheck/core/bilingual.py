"""A translation together with its source: units, and the sentence pairs that checks compare.

A bilingual file (XLIFF, PO, TSV; see :mod:`tqcheck.formats`) comes in units that already pair a
target with its source.  A plain translation checked with ``--source FILE`` is paired here: its
paragraphs are aligned with the source's paragraphs, so both roads end in the same
:class:`Bilingual` on the document.  Source-aware checks then read :func:`sentence_pairs`: inside
each unit the sentences are aligned again, by length (:mod:`tqcheck.core.align`).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from .align import GALE_CHURCH, LengthModel, align, deviation
from .document import Document
from .errors import UsageError
from .segments import Segment, split_sentences


@dataclass(frozen=True)
class Unit:
    """One translation unit: ``Document.text[target.start:target.end]`` translates ``source``.

    ``target`` is an empty span where the source has text the translation lacks entirely.
    """

    target: Segment
    source: str
    id: str = ""
    #: Inline codes that the file format keeps out of the text (XLIFF ``<g id="1">`` → ``g#1``),
    #: so the tag check can compare them.
    source_codes: tuple[str, ...] = ()
    target_codes: tuple[str, ...] = ()


@dataclass
class Bilingual:
    """The source side of a document."""

    units: list[Unit]
    #: Languages the file declares (XLIFF ``source-language``/``srcLang``), if any.
    source_lang: str | None = None
    target_lang: str | None = None
    #: Where the source came from: the file itself, or the path given with ``--source``.
    origin: str = ""


@dataclass(frozen=True)
class Pair:
    """Aligned sentences: ``target`` (a span of ``Document.text``) translates ``source``.

    An empty ``target`` span (at the place the sentence would be) means the source sentence has no
    translation; an empty ``source`` means the target sentence translates nothing.
    """

    target: Segment
    source: str
    #: Index of the unit in ``Bilingual.units`` the pair comes from.
    unit: int = 0


def attach_source(doc: Document, source: Document, model: LengthModel = GALE_CHURCH) -> None:
    """Pair ``doc`` with the translation's ``source`` document, paragraph by paragraph (their
    lengths compared under ``model``, the language pair's)."""
    if doc.bilingual is not None:
        raise UsageError(f"{doc.path}: is a bilingual {doc.format} file, it holds its own source; "
                         "--source is for plain translations")
    tgt_paras, src_paras = doc.paragraphs, source.paragraphs
    units: list[Unit] = []
    for src_idx, tgt_idx in align([source.text[p.start:p.end] for p in src_paras],
                                  [doc.text[p.start:p.end] for p in tgt_paras], model):
        src_text = "\n\n".join(source.text[src_paras[k].start:src_paras[k].end] for k in src_idx)
        if tgt_idx:
            target = Segment(tgt_paras[tgt_idx[0]].start, tgt_paras[tgt_idx[-1]].end)
        else:
            at = tgt_paras[tgt_idx.start - 1].end if tgt_idx.start else 0
            target = Segment(at, at)
        units.append(Unit(target, src_text, f"¶{len(units) + 1}"))
    doc.bilingual = Bilingual(units, origin=source.path)


def unit_deviations(doc: Document, model: LengthModel = GALE_CHURCH) -> tuple[float, ...]:
    """How many standard deviations of ``model`` each unit's translation lies from the length its
    source predicts (:func:`~tqcheck.core.align.deviation`), for the score's omission term
    (``scoring.py``).  Whole units, not sentence pairs: the units are what the file pairs, while
    the sentence alignment inside one may itself be wrong.  Units with no source or no translation
    are left out (an empty target is untranslated, not shortened; other checks report it)."""
    if doc.bilingual is None:
        return ()
    return tuple(deviation(model.source(unit.source.strip()), model.target(doc.text[unit.target.start:unit.target.end]),
                           model)
                 for unit in doc.bilingual.units
                 if unit.source.strip() and unit.target.end > unit.target.start)


def sentence_pairs(doc: Document, model: LengthModel = GALE_CHURCH) -> list[Pair]:
    """Every unit's sentences aligned with its source sentences, in document order (lengths
    compared under ``model``, the language pair's)."""
    if doc.bilingual is None:
        return []
    pairs: list[Pair] = []
    starts = [s.start for s in doc.sentences]
    for index, unit in enumerate(doc.bilingual.units):
        src = [unit.source[s.start:s.end] for s in split_sentences(unit.source, 0, len(unit.source))]
        first = bisect.bisect_left(starts, unit.target.start)
        tgt = [s for s in doc.sentences[first:bisect.bisect_right(starts, unit.target.end)] if s.end <= unit.target.end]
        for src_idx, tgt_idx in align(src, [doc.text[s.start:s.end] for s in tgt], model):
            if tgt_idx:
                span = Segment(tgt[tgt_idx[0]].start, tgt[tgt_idx[-1]].end)
            else:
                at = tgt[tgt_idx.start - 1].end if tgt_idx.start else unit.target.start
                span = Segment(at, at)
            pairs.append(Pair(span, " ".join(src[k] for k in src_idx), index))
    return pairs
