"""The language server: checks open documents and answers code-action and hover requests.

Each check runs twice, off the event loop: rules only first (a fraction of a second, published at
once), then with the fluency model on one thread of its own, so the model loads once per server
and a slow model never holds back the rules' result or a hover.  A newer version of the document
drops a check that has not started yet, and a result for an old version is never published.

Settings: the project's configuration (the ``.tqcheck.toml`` or ``pyproject.toml`` nearest to the
document, as ``tqcheck scan`` finds it), over which the client's ``initializationOptions`` and
``workspace/didChangeConfiguration`` settings (``{"tqcheck": {...}}``) go, with the keys of the
configuration file (``source-lang``, ``target-lang``, ``fail-on``, ``disable``, ...) plus ``model``
(``true``/``"auto"``, ``false``, or a model name) and ``debounce`` (seconds after a change).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import config
from .._version import __version__
from ..api import CheckResult, check_with, to_result
from ..core.document import Document
from ..core.errors import InputError, TqcheckError
from ..core.results import Options
from ..formats import formats_by_suffix
from ..gate import Gate
from . import convert
from .positions import Lines

#: Editors' language ids of the formats tqcheck reads, for documents whose name does not tell
#: (an unsaved buffer).
LANGUAGE_IDS = {"plaintext": "txt", "text": "txt", "markdown": "md", "html": "html", "po": "po", "gettext": "po",
                "xliff": "xliff"}
DEFAULT_DEBOUNCE = 0.4


def document_format(uri: str, language_id: str | None) -> str | None:
    """The format to check a document as, from its file suffix, else its language id; None for
    a document tqcheck does not read (the server leaves it alone)."""
    suffix = Path(uri.split("?", 1)[0]).suffix.lower()
    return formats_by_suffix().get(suffix) or LANGUAGE_IDS.get(language_id or "")


def model_setting(value: Any) -> str | None:
    """``model``: true or ``auto`` (the default), false or ``off`` (rules only), or a model name."""
    if value is None or value is True:
        return "auto"
    if value is False or value in ("off", "none", ""):
        return None
    return str(value)


@dataclass(frozen=True)
class Resolved:
    """What a check of one document runs with."""

    options: Options
    gate: Gate
    model: str | None


def resolve(path: str | None, overrides: dict[str, Any]) -> Resolved | None:
    """The settings for the document at ``path``: its project's configuration under the client's
    ``overrides``; None when an ``ignore`` glob of the configuration names the file."""
    args = argparse.Namespace(config=None)
    for setting in config.SETTINGS:
        value = overrides.get(setting.key)
        try:
            setattr(args, setting.dest, None if value is None else setting.parse(value))
        except ValueError as exc:
            raise TqcheckError(f"setting {setting.key}: {exc}") from None
    found = config.find_config(Path(path).parent) if path else None
    args.config = str(found) if found else None
    settings = config.resolve(args)
    if path and settings.ignores(path):
        return None
    return Resolved(settings.options(), settings.gate, model_setting(overrides.get("model")))


class _Ignored(Exception):
    """The project's configuration ignores the document."""


@dataclass(frozen=True)
class Checked:
    """The last published result of a document, for code actions and hovers."""

    version: int | None
    lines: Lines
    #: The document as checked: quick fixes edit its content as ``tqcheck fix`` would.
    doc: Document
    result: CheckResult
    gate: Gate


class TqcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("tqcheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.overrides: dict[str, Any] = {}
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.rules_pool = ThreadPoolExecutor(1, "tqcheck-rules")
        self.model_pool = ThreadPoolExecutor(1, "tqcheck-model")  # one thread: the model loads once
        self.shut_down = False
        self.last_problem: str | None = None

    # -- scheduling -----------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Check ``uri`` after ``delay`` seconds; a check scheduled before is dropped."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._check(uri, delay))

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.checked.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _version(self, uri: str) -> int | None:
        doc = self.workspace.text_documents.get(uri)
        return doc.version if doc is not None else -1

    async def _check(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        doc = self.workspace.get_text_document(uri)
        fmt = document_format(uri, doc.language_id)
        if fmt is None:
            return
        loop = asyncio.get_running_loop()
        for pool, with_model in ((self.rules_pool, False), (self.model_pool, True)):
            try:
                checked = await loop.run_in_executor(pool, self._run, uri, doc.version, doc.source, fmt,
                                                     doc.path, with_model)
            except _Ignored:  # an ignore glob of the project names the file
                self._publish(uri, None)
                return
            except InputError as exc:
                if exc.path == _name(uri, doc.path):  # a document with no prose: nothing to show
                    self._publish(uri, None)
                else:
                    self._problem(str(exc))
                return
            except (TqcheckError, ValueError) as exc:
                self._problem(str(exc))
                return
            except Exception as exc:  # noqa: BLE001 - a bug: said in the editor, the server goes on
                self._problem(f"internal error: {type(exc).__name__}: {exc}")
                return
            if checked is None or self._version(uri) != doc.version:
                return  # ignored, model off, or the document changed meanwhile
            self._publish(uri, checked)

    def _run(self, uri: str, version: int | None, text: str, fmt: str, path: str | None,
             with_model: bool) -> Checked | None:
        """One check (in a pool's thread); None when it has nothing to add."""
        if self._version(uri) != version:
            return None  # superseded before it started
        resolved = resolve(path, self.overrides)
        if resolved is None:
            raise _Ignored
        if with_model and resolved.model is None:
            return None
        options = replace(resolved.options, model=resolved.model if with_model else None)
        checked = check_with(options, text, fmt, _name(uri, path))
        return Checked(version, Lines(text, _encoding(self)), checked.doc, to_result(checked), resolved.gate)

    def _publish(self, uri: str, checked: Checked | None) -> None:
        self.last_problem = None
        if checked is None:
            self.checked.pop(uri, None)
            diagnostics: list[types.Diagnostic] = []
        else:
            self.checked[uri] = checked
            diagnostics = convert.diagnostics(checked.lines, checked.result, checked.gate)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=checked.version if checked else None))

    def _problem(self, message: str) -> None:
        """A bad setting or configuration file: said once in the editor (not at every keystroke),
        and checks publish nothing until it is fixed."""
        if message != self.last_problem:
            self.last_problem = message
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"tqcheck: {message}"))

    def current(self, uri: str) -> Checked | None:
        """The document's last result, if it is still the document's text (offsets hold)."""
        checked = self.checked.get(uri)
        return checked if checked is not None and checked.version == self._version(uri) else None


def _name(uri: str, path: str | None) -> str:
    """The name results carry: the file's path relative to the server's folder, as a scan names it."""
    if not path:
        return uri
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return path


def _encoding(server: LanguageServer) -> str:
    encoding = server.workspace.position_encoding or "utf-16"
    return str(getattr(encoding, "value", encoding))


def build() -> TqcheckServer:
    """The server with its features registered."""
    server = TqcheckServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: TqcheckServer, params: types.InitializeParams) -> None:
        ls.overrides = dict(params.initialization_options or {})

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: TqcheckServer, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings.get("tqcheck", params.settings) if isinstance(params.settings, dict) else None
        if settings is not None:
            ls.overrides = dict(settings)
            for uri in list(ls.workspace.text_documents):
                ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: TqcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: TqcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, float(ls.overrides.get("debounce", DEFAULT_DEBOUNCE)))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: TqcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TqcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: TqcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        checked = ls.current(params.text_document.uri)
        if checked is None:
            return []
        start = checked.lines.offset(params.range.start.line, params.range.start.character)
        end = checked.lines.offset(params.range.end.line, params.range.end.character)
        found = convert.overlapping(checked.result, start, end)
        return convert.code_actions(params.text_document.uri, checked.lines, checked.doc, found, checked.gate)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TqcheckServer, params: types.HoverParams) -> types.Hover | None:
        checked = ls.current(params.text_document.uri)
        if checked is None:
            return None
        at = checked.lines.offset(params.position.line, params.position.character)
        return convert.hover(checked.lines, [f for f in checked.result.findings if f.start <= at < f.end])

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: TqcheckServer, params: None) -> None:
        ls.shut_down = True

    return server


def serve() -> int:
    """Speak LSP on standard input and output until the client says exit: 0 after a shutdown
    request, 1 without one (as LSP asks)."""
    assert sys.__stdin__ is not None and sys.__stdout__ is not None  # started from a process with both
    stdin = cast(BinaryIO, sys.__stdin__.buffer)
    # pygls closes it at exit; the CLI flushes its own
    stdout = cast(BinaryIO, os.fdopen(os.dup(sys.__stdout__.fileno()), "wb"))
    sys.stdout = sys.stderr  # a stray print must not break the protocol's stream
    server = build()
    try:
        server.start_io(stdin, stdout)
    finally:
        for pool in (server.rules_pool, server.model_pool):
            pool.shutdown(wait=False, cancel_futures=True)
    return 0 if server.shut_down else 1
