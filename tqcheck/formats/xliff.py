"""XLIFF 1.2 and 2.0 (translate-toolkit reads the structure; :mod:`.xmltext` maps the targets).

A unit is a 1.2 ``<trans-unit>`` or a 2.0 ``<segment>``.  Its ``<target>`` element is found in the
file from the line lxml reports for it, searching forward from the previous target, so units
written on one line (minified files) are found in order too.  The target text is read from the
file (:func:`.xmltext.element_pieces`), and the source from its element (:func:`_prose`), not from
translate-toolkit, whose text keeps the native code of ``<ph>`` and drops ``<cp>``: checks must see
the prose only, on both sides.
"""
from __future__ import annotations

import re
from typing import Any

from ..core.document import PLACEHOLDER, Document
from ..core.errors import InputError
from .units import Located, build
from .xmltext import element_pieces

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2"
#: Inline elements whose content is native code (XLIFF 1.2), not translatable text.
NATIVE = frozenset({"ph", "bpt", "ept", "it"})
#: Inline codes that stand for content (a variable, an image), read as ``PLACEHOLDER``; the
#: others (``<bpt>``, ``<g>``, ``<pc>``, ``<sc/>``…) are formatting around text, read as nothing.
PLACEHOLDERS = frozenset({"ph", "x"})
_TARGET_OPEN = re.compile(r"<(?P<prefix>[\w.-]+:)?target\b[^>]*?(?P<empty>/)?>")


#: The format's name, and the file suffixes read as it (``formats/__init__.py``).
FORMAT = "xliff"
SUFFIXES = (".xlf", ".xliff")


def sniff(head: str) -> bool:
    """An ``<xliff`` root near the start."""
    return "<xliff" in head


def load(path: str, content: str) -> Document:
    return build(path, content, "xliff", *read(path, content))


def read(path: str, content: str) -> tuple[list[Located], str | None, str | None]:
    from lxml import etree
    from translate.storage import xliff, xliff2

    store_class = xliff2.Xliff2File if XLIFF2_NS in content[:4000] else xliff.xlifffile
    try:
        store: Any = store_class(content.encode("utf-8"))
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(path, f"not valid XLIFF: {exc}") from None
    except StopIteration:  # well-formed XML of another kind, named .xlf
        raise InputError(path, "not XLIFF: no <file> element in it") from None
    line_starts = [0] + [m.end() for m in re.finditer("\n", content)]
    located: list[Located] = []
    cursor = 0
    for unit in store.units:
        element = unit.xmlelement
        source_el = _child(element, "source")
        target_el = _child(element, "target")
        if target_el is None or unit.isheader():
            continue
        line_start = line_starts[min(target_el.sourceline, len(line_starts)) - 1]
        unit_id = str(element.get("id") or unit.getid())
        opening = _TARGET_OPEN.search(content, max(line_start, cursor))
        if opening is None:
            raise InputError(path, f"unit {unit_id!r}: its target could not be located in the file")
        if opening.group("empty"):
            cursor = opening.end()
            continue
        closing = re.compile(rf"</{re.escape(opening.group('prefix') or '')}target\s*>").search(content, opening.end())
        if closing is None:
            raise InputError(path, f"unit {unit_id!r}: <target> is not closed")
        cursor = closing.end()
        located.append(Located(
            id=unit_id, source=_prose(source_el) if source_el is not None else str(unit.source or ""),
            pieces=element_pieces(content, opening.end(), closing.start(), NATIVE, PLACEHOLDERS),
            source_codes=_codes(source_el), target_codes=_codes(target_el),
        ))
    return located, store.getsourcelanguage(), store.gettargetlanguage()


def _child(element, name: str):
    """The direct child ``name`` of ``element``, whatever its namespace."""
    for child in element:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == name:
            return child
    return None


def _prose(element) -> str:
    """The text of a source element as the target's is read: without the native code of inline
    codes (translate-toolkit keeps the ``%s`` of ``<ph>%s</ph>``, which the target then seems to
    lack), placeholder codes as ``PLACEHOLDER``, XLIFF 2.0 ``<cp>`` as its character."""
    parts = [element.text or ""]
    for child in element:
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        hex_value = child.get("hex") if name == "cp" else None
        if hex_value:
            parts.append(chr(int(hex_value, 16)))
        elif name in PLACEHOLDERS:
            parts.append(PLACEHOLDER)
        elif name and name not in NATIVE:
            parts.append(_prose(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _codes(element) -> tuple[str, ...]:
    """Inline codes of a source or target element: ``g#1``, ``x#2``, ``pc#1``…, in document order."""
    if element is None:
        return ()
    return tuple(f"{el.tag.rsplit('}', 1)[-1]}#{el.get('id', '')}"
                 for el in element.iterdescendants() if isinstance(el.tag, str))
