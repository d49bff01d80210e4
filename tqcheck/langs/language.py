"""Languages as data: one YAML file per language, ``langs/<code>.yaml``, read into a :class:`Language`.

Everything tqcheck knows about a language sits in its file, so adding a language is adding one file
(plus rule packs for it, if any).  The fields, all optional but ``name``:

``name``
    The language's English name, used in messages ("looks French").
``letters``
    Its alphabet in lower case: spelling neighbours are made of these letters, and a word carrying a
    source language's letter the target language lacks looks foreign (``promulgué`` in English).
``abbreviations``
    Words after which a full stop does not end a sentence (``mr``, ``mme``), lower case.
``elisions``
    What the language writes before an apostrophe in place of a word (``l'``, ``qu'``).
``name_particles``
    Lower-case words that belong to names (``van der Sar``, ``Stade de France``).
``numbers``
    ``cardinal``, ``vague``, ``ordinal``, ``multiplier`` and ``scale`` words with their values, and ``connectors``
    ("and"), read by :mod:`tqcheck.langs.quantities` (which explains the kinds).
``months``, ``weekdays``, ``calendar_capitalised``
    Month names (→ 1-12) and days of the week (Monday = 1); ``calendar_capitalised: true`` reads
    them only when capitalised ("March", not "to march").
``length``
    The length model of :mod:`tqcheck.core.align`: ``weight``, how many letters of English one
    character of the language stands for (1 by default; a Chinese character about 3); ``latin``,
    ``punctuation``, ``space``: the same for ASCII letters and digits, punctuation and symbols, and
    white space, where they differ from ``weight``; ``variance``, the variance per English letter of
    a translation's length from or into the language where it was fitted (Gale & Church's 6.8
    otherwise); ``limit``, the standard deviations of that model beyond which ``tq/source-length-*``
    report a sentence pair (3 otherwise), where the pair's correct translations stray further.
``loan_phrases``
    Foreign phrases the language has adopted (``déjà vu``): never reported as untranslated.
``homographs``
    Words of the language that are also common words of other languages (``con``, ``pour``): one
    counts as untranslated only with more evidence.
``prefixes``, ``suffixes``
    Affixes the language derives words with (``un-``, ``-ly``): a word that is a known word with one
    of them ("textually", "formattable") is a word of the language, though no list has it.
``calibration``
    Per fluency model, the constants fitted on the language (``fluency/calibration.py``).

A code with no file gets :data:`GENERIC`'s empty tables under its own code: nothing is known of
it, so nothing language-specific is done.  Files are searched first in the directories of
``TQCHECK_LANGS`` (``os.pathsep``-separated: languages of one's own, or a changed copy of a packaged
one), then in this package.  Where several languages' tables answer one question the union is
taken (:func:`combined`): the sentence splitter does not know a text's language, so it keeps every
language's abbreviations.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

#: The directory of the packaged language files.
PACKAGED = Path(__file__).parent
#: The environment variable naming more directories of language files, searched first.
PATH_VARIABLE = "TQCHECK_LANGS"
#: The base Latin alphabet: the letters of a language whose file does not list its own.
BASE_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: The character classes a ``length`` model may weigh apart (:func:`tqcheck.core.align.char_class`).
LENGTH_CLASSES = ("latin", "punctuation", "space")
#: The kinds of number words, in the order a word's kind is decided (a later kind wins).
NUMBER_KINDS = ("cardinal", "vague", "ordinal", "multiplier", "scale")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Language:
    """What tqcheck knows about one language (the fields: this module's docstring)."""

    code: str
    name: str
    letters: str = BASE_LETTERS
    abbreviations: frozenset[str] = frozenset()
    elisions: tuple[str, ...] = ()
    name_particles: frozenset[str] = frozenset()
    #: Number word → (kind, value); kinds in :data:`NUMBER_KINDS`.
    numbers: Mapping[str, tuple[str, float]] = field(default_factory=lambda: _EMPTY)
    connectors: frozenset[str] = frozenset()
    months: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    weekdays: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    calendar_capitalised: bool = False
    #: ``weight``, class weights, ``variance`` and ``limit`` of the length model, where the file states them.
    length: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    loan_phrases: tuple[str, ...] = ()
    homographs: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    #: Fluency model name → its fitted constants on this language.
    calibration: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: _EMPTY)


#: The language of a code with no file: nothing known, every table empty.
GENERIC = Language(code="und", name="an unknown language")


def language(code: str | None) -> Language:
    """The language ``code`` names; :data:`GENERIC`'s tables under ``code`` when it has no file
    (its name is the code itself, as messages have nothing better to say)."""
    return _language(_extra_path(), code or GENERIC.code)


def known_codes() -> tuple[str, ...]:
    """The codes with a language file, sorted: the codes ``--source-lang``/``--target-lang``
    accept (a code outside them could never match a pack or an identified language)."""
    return tuple(sorted(_languages(_extra_path())))


def language_name(code: str) -> str:
    """The English name of ``code`` ("French"), or the code itself when it has no file."""
    return language(code).name


def combined(attribute: str) -> frozenset[str]:
    """The union over every known language of a set-valued field (``abbreviations``,
    ``elisions``, ``name_particles``): for text whose language does not decide the question."""
    return _combined(_extra_path(), attribute)


def _extra_path() -> str:
    """The value of :data:`PATH_VARIABLE`: the key of every cache here (read at each call, so a
    change of it takes effect; the sentence splitter asks once per full stop, so it must be cheap)."""
    return os.environ.get(PATH_VARIABLE, "")


def _search_path(extra: str) -> tuple[Path, ...]:
    """The directories language files are read from, first match winning."""
    return (*(Path(p) for p in extra.split(os.pathsep) if p), PACKAGED)


@lru_cache(maxsize=256)
def _language(extra: str, code: str) -> Language:
    found = _languages(extra).get(code)
    if found is not None or code == GENERIC.code:
        return found or GENERIC
    return replace(GENERIC, code=code, name=code)


@lru_cache(maxsize=32)
def _combined(extra: str, attribute: str) -> frozenset[str]:
    return frozenset(item for lang in _languages(extra).values() for item in getattr(lang, attribute))


@lru_cache(maxsize=8)
def _languages(extra: str) -> dict[str, Language]:
    """Every language file on the search path, read once per search path."""
    found: dict[str, Language] = {}
    for directory in reversed(_search_path(extra)):  # earlier directories override later ones
        for file in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
            try:
                found[file.stem] = _parse(file.stem, _load_yaml(file))
            except (AttributeError, TypeError, ValueError) as exc:
                if isinstance(exc, LanguageFileError):
                    raise
                raise LanguageFileError(f"{file}: a field of the wrong shape ({exc})") from None
    return found


class LanguageFileError(ValueError):
    """A language file that cannot be read: ``str(error)`` is ``PATH: problem``, one line."""

    #: The CLI's exit code for it: bad input, as for any file tqcheck cannot read.
    exit_code = 2


def _load_yaml(path: Path) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: 10x faster
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LanguageFileError(f"{path}: not a readable language file ({problem})") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise LanguageFileError(f"{path}: a language file is a mapping with at least a name")
    return data


def _parse(code: str, data: dict[str, Any]) -> Language:
    numbers_data = data.get("numbers") or {}
    numbers: dict[str, tuple[str, float]] = {}
    for kind in NUMBER_KINDS:
        for word, value in (numbers_data.get(kind) or {}).items():
            numbers[_text(word)] = (kind, float(value))
    return Language(
        code=code,
        name=data["name"],
        letters=str(data.get("letters") or BASE_LETTERS),
        abbreviations=_words(data.get("abbreviations")),
        elisions=tuple(_text(e) for e in data.get("elisions") or ()),
        name_particles=_words(data.get("name_particles")),
        numbers=MappingProxyType(numbers),
        connectors=_words(numbers_data.get("connectors")),
        months=MappingProxyType({_text(k): int(v) for k, v in (data.get("months") or {}).items()}),
        weekdays=MappingProxyType({_text(k): int(v) for k, v in (data.get("weekdays") or {}).items()}),
        calendar_capitalised=bool(data.get("calendar_capitalised")),
        length=_length(data.get("length") or {}),
        loan_phrases=tuple(_text(p) for p in data.get("loan_phrases") or ()),
        homographs=_words(data.get("homographs")),
        prefixes=tuple(_text(a) for a in data.get("prefixes") or ()),
        suffixes=tuple(_text(a) for a in data.get("suffixes") or ()),
        calibration=MappingProxyType({str(model): MappingProxyType({str(k): float(v) for k, v in constants.items()})
                                      for model, constants in (data.get("calibration") or {}).items()}),
    )


def _length(items: dict[str, Any]) -> Mapping[str, float]:
    """The ``length`` model's constants: a misspelt key would silently leave the default."""
    known = ("weight", "variance", "limit", *LENGTH_CLASSES)
    unknown = sorted(set(items) - set(known))
    if unknown:
        raise ValueError(f"length: unknown key {unknown[0]!r} (known: {', '.join(known)})")
    if any(float(items[k]) <= 0 for k in ("weight", "variance", "limit") if k in items) or \
            any(float(items[k]) < 0 for k in LENGTH_CLASSES if k in items):
        raise ValueError("length: weight, variance and limit are positive numbers, class weights not negative")
    return MappingProxyType({str(k): float(v) for k, v in items.items()})


def _words(items: Any) -> frozenset[str]:
    return frozenset(_text(item) for item in items or ())


def _text(value: Any) -> str:
    """A word of a language file, which YAML must have read as a string: unquoted, ``null``,
    ``no``, ``on`` or ``1e3`` are read as other values, and the word would be silently lost (German
    "null" was, once)."""
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a word: quote it, e.g. '{value if value is not None else 'null'}'")
    return value
