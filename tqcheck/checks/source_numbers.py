"""Numbers, times, months and weekdays that differ between a sentence and its source.

Both sides are read with :mod:`tqcheck.langs.quantities`, which knows that "7 400" is "7,400", "12 h 00"
is "1200 GMT", "sept" is "seven" and "les années 70" "the 1970s".  A target number that no reading
of the source has is reported on the number; a source number written in digits that the target
lacks is reported on the sentence (number words are not: "trois fois rien" is "next to nothing").
When exactly one of each is left, it is one replaced number, reported once (with the source's
number as the suggestion when it is plain digits, which every language writes alike).  Numbers found in the
neighbouring sentence pairs count too, so a sentence split differently is not an error.
"""
from __future__ import annotations

import re

from ..core.document import Document
from ..core.findings import Finding, Fix, Severity
from ..langs.quantities import Key, Quantity, extract, keys_of
from .base import CheckContext, CheckRule

CHANGED = CheckRule(
    id="tq/source-number",
    category="accuracy/mistranslation",
    severity=Severity.CRITICAL,
    message="Number not in the source",
    why=(
        "The translation has a number, time or month that the source does not: a wrong figure "
        "misinforms the reader, so MQM counts it as critical. Numbers are compared by value, "
        "whatever the language's way of writing them (5,5 / 5.5, 7 400 / 7,400, 12 h 00 / 1200 GMT)."
    ),
    fix=Fix.UNSAFE,
    examples={
        "flag": [
            {"text": "The car was removed around [[2100]] GMT the same day.",
             "source": "La voiture a été enlevée vers 12 h 00 GMT le même jour."},
            {"text": "After [[six]] days of defeats, Bush spoke.",
             "source": "Après sept jours de défaites, Bush a parlé."},
            {"text": "The summit opens on [[Tuesday]].", "source": "Le sommet s'ouvre lundi."},
            {"text": "They arrived after the [[2012]] earthquake.", "suggest": "2010",
             "source": "Ils sont arrivés après le tremblement de terre de 2010."},
            {"text": "El Pais reports that [[7,950]] were refused.",
             "source": "El Pais rapporte que 7 400 ont été refusés."},
            # Chinese counts in ten thousands (万) and hundred millions (亿).
            {"text": "The city has [[13 million]] inhabitants.", "source_lang": "zh",
             "source": "这座城市有1.3亿居民。"},
            {"text": "Some of this ice is [[ten thousand]] years old.", "source_lang": "zh",
             "source": "有些冰已经有十万年了。"},
        ],
        "pass": [
            {"text": "The car was removed around 1200 GMT the same day.",
             "source": "La voiture a été enlevée vers 12 h 00 GMT le même jour."},
            {"text": "In the 1970s and 1980s, 7,400 people paid $5.5 million.",
             "source": "Dans les années 70 et 80, 7 400 personnes ont payé 5,5 millions de dollars."},
            {"text": "Security became intrusive in the post-9/11 era.",
             "source": "La sécurité est devenue intrusive dans l’ère de l’après-11 septembre 2001."},
            {"text": "The city has 130 million inhabitants.", "source_lang": "zh",
             "source": "这座城市有1.3亿居民。"},
            {"text": "Some of this ice is a hundred thousand years old; it took 3,520 years to form "
                     "the top layer.", "source_lang": "zh",
             "source": "有些冰已经有十万年了；最上面一层花了三千五百二十年才形成。"},
            {"text": "There are tens of thousands of black holes in our galaxy.", "source_lang": "zh",
             "source": "我们的银河系中有数以万计的黑洞。"},
        ],
    },
)
MISSING = CheckRule(
    id="tq/source-number-missing",
    category="accuracy/omission",
    severity=Severity.MAJOR,
    message="Number of the source missing",
    why="A number that the source writes in digits is nowhere in the translation: it was dropped.",
    examples={
        "flag": [{"text": "[[Nearly all houses were destroyed in Gaza.]]",
                  "source": "Près de 20 000 maisons ont été détruites à Gaza."}],
        "pass": [{"text": "Nearly 20,000 houses were destroyed in Gaza.",
                  "source": "Près de 20 000 maisons ont été détruites à Gaza."}],
    },
)
RULES = (CHANGED, MISSING)
#: Runs only when the translation comes with its source (checks/base.py).
NEEDS = ("source",)

_PLAIN_NUMBER = re.compile(r"\d+")


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    pairs = ctx.aligned
    sources = [extract(p.source, ctx.source_lang) for p in pairs]
    targets = [extract(doc.text, ctx.target_lang, p.target.start, p.target.end) for p in pairs]
    out: list[Finding] = []
    for i, pair in enumerate(pairs):
        if not (sources[i] or targets[i]) or not pair.source.strip() or pair.target.end == pair.target.start:
            continue  # most sentences have no number on either side
        near = [k for k in (i - 1, i + 1) if 0 <= k < len(pairs) and pairs[k].unit == pair.unit]
        src_keys = keys_of(sources[i]) | {key for k in near for key in keys_of(sources[k])}
        tgt_keys = keys_of(targets[i]) | {key for k in near for key in keys_of(targets[k])}
        added = [q for q in targets[i] if q.reportable and not q.keys & src_keys]
        missing = [q for q in _reportable(sources[i], pair.source, tgt_keys) if not q.keys & tgt_keys]
        if len(added) == 1 and len(missing) == 1:
            q, was = added[0], pair.source[missing[0].start:missing[0].end]
            out.append(CHANGED.finding(
                doc, q.start, q.end, suggestions=[was] if _PLAIN_NUMBER.fullmatch(was) else [], confidence=0.9,
                message=f"“{doc.text[q.start:q.end]}” is not in the source, which has “{was}”"))
            continue
        out.extend(CHANGED.finding(doc, q.start, q.end, confidence=0.85,
                                   message=f"“{doc.text[q.start:q.end]}” is not a number of the source")
                   for q in added)
        out.extend(MISSING.finding(
            doc, pair.target.start, pair.target.end, confidence=0.7,
            message=f"“{pair.source[q.start:q.end]}” of the source is missing from the translation")
            for q in missing)
    return out


def _reportable(quantities: list[Quantity], source: str, target_keys: set[Key]) -> list[Quantity]:
    """Source numbers whose absence is an error: written in digits, and not the year of a date
    whose day and month the translation kept ("11 septembre 2001" → "9/11")."""
    out = []
    for i, q in enumerate(quantities):
        if not q.digits:
            continue
        before = quantities[i - 1] if i else None
        if (before is not None and any(k[0] == "m" for k in before.keys) and before.keys & target_keys
                and not source[before.end:q.start].strip(" ,") and _PLAIN_NUMBER.fullmatch(source[q.start:q.end])):
            continue
        out.append(q)
    return out
