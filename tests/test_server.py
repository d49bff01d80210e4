"""``tqcheck server`` driven as an editor drives it: a subprocess, JSON-RPC over its stdio with
``Content-Length`` framing (initialize, didOpen, publishDiagnostics, codeAction, hover, didChange,
shutdown, exit).  Rules only (``"model": false``) except the test of the model's second result."""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from tqcheck.lsp.positions import Lines, units
from tqcheck.lsp.server import document_format


def _read_message(stream: BinaryIO) -> dict[str, Any] | None:
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    assert length is not None, "a message without Content-Length"
    return json.loads(stream.read(length))


class Client:
    """Starts the server; :meth:`request` waits for the answer, notifications queue up."""

    def __init__(self, *args: str, cwd: str | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tqcheck", "server", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.notifications: queue.Queue[dict[str, Any]] = queue.Queue()
        self.responses: dict[int, dict[str, Any]] = {}
        self.answered = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self) -> None:
        assert self.proc.stdout is not None
        while (message := _read_message(self.proc.stdout)) is not None:
            if "id" in message and "method" in message:  # a request from the server: answer null
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                with self.answered:
                    self.responses[message["id"]] = message
                    self.answered.notify_all()
            else:
                self.notifications.put(message)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = 30) -> Any:
        self.next_id += 1
        ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        with self.answered:
            if not self.answered.wait_for(lambda: ident in self.responses, timeout):
                raise TimeoutError(f"no answer to {method} in {timeout} s")
            message = self.responses.pop(ident)
        assert "error" not in message, message["error"]
        return message["result"]

    def wait_for(self, method: str, timeout: float = 30, match: Any = lambda params: True) -> dict[str, Any]:
        """The params of the next notification ``method`` that ``match`` accepts (others are dropped)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.notifications.get(timeout=left)
            except queue.Empty:
                break
            if message.get("method") == method and match(message["params"]):
                return message["params"]
        raise TimeoutError(f"no {method} in {timeout} s")

    def initialize(self, options: dict[str, Any] | None = None, root: str | None = None) -> dict[str, Any]:
        result = self.request("initialize", {"processId": None, "rootUri": root, "capabilities": {},
                                             "initializationOptions": options or {}})
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, language_id: str = "plaintext", version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language_id,
                                                              "version": version, "text": text}})

    def close(self) -> int:
        """shutdown, exit: the server's exit code."""
        self.request("shutdown")
        self.notify("exit")
        try:
            return self.proc.wait(timeout=15)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()


RULES_ONLY = {"model": False, "debounce": 0.05}
#: An emoji (two UTF-16 code units, one Python character) before a French ordinal and a French
#: spelling of a name: the positions must count it as an editor does.
TEXT = "Ready 😀 ok.\nThe 21e summit: 😀 Vladimir Poutin spoke.\n"


def _severity(diag: dict[str, Any]) -> int:
    return diag["severity"]


@pytest.fixture
def client(tmp_path: Path):
    c = Client(cwd=str(tmp_path))
    yield c
    if c.proc.poll() is None:
        c.proc.kill()
        c.proc.wait()


def test_session_diagnostics_actions_hover_and_exit(client: Client, tmp_path: Path) -> None:
    caps = client.initialize(RULES_ONLY)["capabilities"]
    assert caps["codeActionProvider"] and caps["hoverProvider"]
    uri = (tmp_path / "news.txt").as_uri()
    client.open(uri, TEXT)
    published = client.wait_for("textDocument/publishDiagnostics")
    assert published["uri"] == uri and published["version"] == 1
    by_rule = {d["code"]: d for d in published["diagnostics"]}
    ordinal, name = by_rule["fr-en/ordinal"], by_rule["fr-en/exonym-person"]
    assert ordinal["range"] == {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 7}}
    # "The 21e summit: " is 16 units, the emoji 2, " Vladimir " 10: Python counts the emoji as 1
    assert name["range"]["start"] == {"line": 1, "character": 28}
    assert name["range"]["end"] == {"line": 1, "character": 34}
    assert name["source"] == "tqcheck" and "accuracy/untranslated" in name["message"]
    assert name["data"]["suggestions"] == ["Putin"] and name["data"]["fix"] == "safe"
    assert _severity(name) == 1  # major fails the default gate (fail-on major): Error

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": name["range"], "context": {"diagnostics": [name]}})
    assert [a["title"] for a in actions] == ["Replace “Poutin” with “Putin” (fr-en/exonym-person)"]
    (action,) = actions
    assert action["isPreferred"] is True and action["kind"] == "quickfix"
    assert action["edit"]["changes"][uri] == [{"range": name["range"], "newText": "Putin"}]

    inside = {"line": 1, "character": 30}
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": inside})
    assert hover["range"] == name["range"]
    assert "fr-en/exonym-person  [major, accuracy/untranslated, fix: safe]" in hover["contents"]["value"]
    assert "Flagged:" in hover["contents"]["value"]  # the rule's examples, as tqcheck explain prints
    nothing = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                    "position": {"line": 0, "character": 0}})
    assert nothing is None

    # an edit: checked again (debounced), positions of the new text, version 2
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "😀😀 Vladimir Poutin.\n"}]})
    again = client.wait_for("textDocument/publishDiagnostics", match=lambda p: p["version"] == 2)
    (only,) = again["diagnostics"]
    assert only["code"] == "fr-en/exonym-person"
    assert only["range"]["start"] == {"line": 0, "character": 14}
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.wait_for("textDocument/publishDiagnostics")["diagnostics"] == []
    assert client.close() == 0


def test_formats_project_configuration_and_settings(client: Client, tmp_path: Path) -> None:
    """Markdown offsets map through the markup; the project's .tqcheck.toml applies (a rule
    disabled, fail-on critical turns a major finding into a Warning); an editor setting
    overrides the file; a file the server does not read gets nothing."""
    (tmp_path / ".tqcheck.toml").write_text('disable = ["fr-en/exonym-person"]\nfail-on = "critical"\n')
    client.initialize({**RULES_ONLY, "source-lang": "fr"})
    md = (tmp_path / "page.md").as_uri()
    client.open(md, "# Title\n\nOn the **21e** of May, Poutin spoke.\n", "markdown")
    (diag,) = client.wait_for("textDocument/publishDiagnostics", match=lambda p: p["uri"] == md)["diagnostics"]
    assert diag["code"] == "fr-en/ordinal"
    assert diag["range"]["start"] == {"line": 2, "character": 9}
    assert _severity(diag) == 2  # Warning: below fail-on critical
    client.open((tmp_path / "code.py").as_uri(), "x = 'Poutin 21e'\n", "python")
    client.notify("workspace/didChangeConfiguration", {"settings": {"tqcheck": {**RULES_ONLY, "fail-on": "major"}}})
    again = client.wait_for("textDocument/publishDiagnostics")
    assert again["uri"] == md and [_severity(d) for d in again["diagnostics"]] == [1]
    client.notify("workspace/didChangeConfiguration", {"settings": {"tqcheck": {"fail-on": "sometimes"}}})
    shown = client.wait_for("window/showMessage")
    assert shown["type"] == 1 and "fail-on" in shown["message"]
    client.notify("textDocument/didSave", {"textDocument": {"uri": md}})  # the same problem: not said again
    client.notify("workspace/didChangeConfiguration", {"settings": {"tqcheck": {"target-lang": "xx"}}})
    assert "target-lang" in client.wait_for("window/showMessage")["message"]
    assert client.close() == 0


def test_model_result_follows_the_rules_result(client: Client, tmp_path: Path) -> None:
    from tqcheck.fluency.catalogue import installed
    from tqcheck.fluency.environment import missing_packages

    if missing_packages() or not installed("smollm2"):
        pytest.skip("the fluency model is not installed")
    client.initialize({"model": "smollm2", "target-lang": "en"})
    uri = (tmp_path / "a.txt").as_uri()
    client.open(uri, "The minister said that the talks went well and that a deal is close.\n")
    first = client.wait_for("textDocument/publishDiagnostics", timeout=30)
    second = client.wait_for("textDocument/publishDiagnostics", timeout=120)
    assert first["version"] == second["version"] == 1
    assert client.close() == 0


@pytest.mark.parametrize("encoding, expected", [("utf-16", 3), ("utf-8", 5), ("utf-32", 2)])
def test_positions_count_the_negotiated_code_units(encoding: str, expected: int) -> None:
    text = "x😀y"
    assert units(text[:2], encoding) == expected
    lines = Lines(text, encoding)
    assert lines.position(2) == (0, expected)
    assert lines.offset(0, expected) == 2


def test_positions_lines_end_as_lsp_says() -> None:
    """\\r\\n, \\r and \\n end lines; U+2028 and form feed do not (str.splitlines would split)."""
    text = "a\r\nb\rc\u2028d\x0ce\nf"
    lines = Lines(text)
    for offset in range(len(text) + 1):
        line, character = lines.position(offset)
        if text[offset - 1:offset + 1] != "\r\n" or offset == 0:  # not between \r and \n
            assert lines.offset(line, character) == offset
    assert lines.position(text.index("d")) == (2, 2)
    assert lines.position(text.index("f")) == (3, 0)
    assert lines.offset(0, 99) == 1  # past a line's end: its end
    assert lines.offset(9, 0) == len(text)


def test_document_format_from_suffix_then_language_id() -> None:
    assert document_format("file:///a/b.po", "plaintext") == "po"
    assert document_format("file:///a/b.xlf", "xml") == "xliff"
    assert document_format("untitled:Untitled-1", "markdown") == "md"
    assert document_format("file:///a/b.py", "python") is None


def test_server_without_the_lsp_extra_says_how_to_install_it() -> None:
    code = "import sys; sys.modules['pygls'] = None; from tqcheck.cli import main; sys.exit(main(['server']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("tqcheck: error: tqcheck server needs the lsp extra: pip install 'tqcheck[lsp]'")


def _finding(start: int, end: int, text: str) -> Any:
    from tqcheck.api import Finding
    from tqcheck.core.findings import FileSpan, Severity

    place = FileSpan(start, end, text, 1, start + 1)
    return Finding("x/y", "style/unidiomatic", Severity.MINOR, "m", place, ("",), file_span=place)


def test_quick_fix_edits_as_fix_does() -> None:
    """A suggestion is escaped as the format writes it (a PO string's quotes), a deletion takes a
    neighbouring space with it, and a span that crosses markup gets no quick fix."""
    from tqcheck.formats import load_text
    from tqcheck.lsp.convert import text_edit

    po = 'msgid ""\nmsgstr "Language: en\\n"\n\nmsgid "Dites oui"\nmsgstr "Say yes yes"\n'
    doc, lines = load_text("a.po", po, "po"), Lines(po)
    at = po.index("yes yes")
    edit = text_edit(lines, doc, _finding(at, at + 3, "yes"), '"yes"')
    assert edit is not None and edit.new_text == '\\"yes\\"'
    deletion = text_edit(lines, doc, _finding(at + 3, at + 7, " yes"), "")
    assert deletion is not None and deletion.new_text == ""
    assert (deletion.range.start.character, deletion.range.end.character) == (15, 19)  # " yes" as found
    html = "<p>Pou<b>tin</b> spoke</p>"
    doc = load_text("a.html", html, "html")
    assert text_edit(Lines(html), doc, _finding(3, 13, "Pou<b>tin"), "Putin") is None
