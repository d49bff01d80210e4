""""Did you mean" for command lines: the nearest subcommand, choice or flag to a typo.

argparse (before Python 3.14) names the bad word but not the one meant; a user who typed
``tqcheck scna`` or ``--qiuet`` should not have to read the whole help to find it.
"""
from __future__ import annotations

import argparse
import re
from typing import Iterator

from .rules.selectors import did_you_mean

_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (.*)")


def parser_hint(parser: argparse.ArgumentParser, message: str) -> str:
    """The ``"; did you mean …?"`` to append to argparse's ``message``, or ``""``."""
    m = _CHOICE.search(message)
    if m:
        return did_you_mean(m.group(1), re.findall(r"'([^']*)'", m.group(2)))
    m = _UNRECOGNIZED.search(message)
    if m:
        flags = sorted(set(_option_strings(parser)))
        for word in m.group(1).split():
            if word.startswith("-"):
                hint = did_you_mean(word.split("=", 1)[0], flags)
                if hint:
                    return hint
    return ""


def _option_strings(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every flag of ``parser`` and of its subcommands: argparse reports an unknown flag of a
    subcommand from the top parser, which does not know the subcommand's flags."""
    for action in parser._actions:
        yield from (o for o in action.option_strings if o.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _option_strings(sub)
