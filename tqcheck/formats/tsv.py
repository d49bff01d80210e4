"""Bilingual TSV: one unit a line, tab-separated, no quoting (as sacrebleu, OPUS and most aligners
write it).

Columns are ``source<TAB>target``, or named by a header line with ``source`` and ``target``
(``src``/``tgt`` also do) and optionally ``id``.  Without quoting a field is the raw text between
tabs, so every target maps one to one to the file.
"""
from __future__ import annotations

import csv
import re

from ..errors import InputError
from . import Located

_NAMES = {"source": "source", "src": "source", "target": "target", "tgt": "target",
          "translation": "target", "id": "id"}


def read(path: str, content: str) -> tuple[list[Located], str | None, str | None]:
    lines = [(m.start(), m.group().rstrip("\r")) for m in re.finditer(r"[^\n]+", content)]
    rows = list(csv.reader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE))
    columns = {"source": 0, "target": 1}
    header = {_NAMES.get(cell.strip().lower()): i for i, cell in enumerate(rows[0]) if cell.strip().lower() in _NAMES}
    first = 0
    if "source" in header and "target" in header:
        columns, first = header, 1
    located: list[Located] = []
    for (line_start, line), row in list(zip(lines, rows))[first:]:
        if not line.strip():
            continue
        if len(row) <= max(columns["source"], columns["target"]):
            line_no = content.count("\n", 0, line_start) + 1
            raise InputError(path, f"line {line_no}: expected source and target separated by a tab")
        column = columns["target"]
        start = line_start + sum(len(cell) + 1 for cell in row[:column])
        unit_id = row[columns["id"]] if "id" in columns else str(content.count("\n", 0, line_start) + 1)
        located.append(Located(unit_id, row[columns["source"]], [(None, start, start + len(row[column]))]))
    return located, None, None
