"""TOML text as both the read and the write side see it: UTF-8 decoding, the position of a `tomllib`
syntax error, and where every statement and key of a valid document sits (lines and splices).
"""

from __future__ import annotations

import functools
import gc
import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from stconfig.problems import duplicate

KeyPath = tuple[str, ...]
LineKind = Literal["blank", "comment", "header", "entry"]

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = re.compile(r"[ \t]*")
_NEWLINE = re.compile(r"\r?\n")
_COMMENT = re.compile(r"#[^\r\n]*")
_FILLER = re.compile(r"(?:[ \t\r\n]|#[^\r\n]*)*")  # whitespace, newlines and comments in arrays
_BASIC = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\r\n]*'")
_ML_BASIC = re.compile(r'"""(?:\\.|[^\\])*?"""(?:""?(?!"))?', re.DOTALL)
_ML_LITERAL = re.compile(r"'''.*?'''(?:''?(?!'))?", re.DOTALL)
# A date-time may hold one space (`1979-05-27 07:32:00`); every other scalar ends at a delimiter.
_SCALAR = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?"
    r"|[^ \t\r\n,\]\}#]+"
)


# tomllib's " (at line L, column C)" or " (at end of document)" after its reason: 3.11-3.13 put the
# position only in the message (3.14 also sets lineno and colno).
SYNTAX_POSITION = re.compile(r" \((?:at line (\d+), column (\d+)|at end of document)\)")
_FINAL_POSITION = re.compile(SYNTAX_POSITION.pattern + r"\s*$")


class TomlLimit(ValueError):
    """tomllib gave up on the text beyond its syntax: values nested deeper than Python's recursion
    limit lets it follow, or an integer longer than `int()` converts. Streamlit, parsing with the
    same tomllib, fails on it the same way."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


F = TypeVar("F", bound=Callable[..., Any])


def acyclic(function: F) -> F:
    """Run `function` with the cyclic garbage collector paused. Reading a file builds objects
    that form no cycles (tomllib's dicts and lists, the scanner's lines, the settings), so
    reference counting frees them all; the collector would only walk them again and again, at a
    cost that grows faster than the file (a 16 MB file: a third of `show`'s time)."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return cast(F, paused)


@acyclic
def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads`, with its failures beyond syntax as TomlLimit: every parse goes here."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TomlLimit("arrays or inline tables nested too deeply") from None
    except tomllib.TOMLDecodeError:
        raise
    except ValueError as error:
        if "integer string conversion" not in str(error):
            raise TomlLimit(str(error)) from None
        # int() refuses more digits than this (CVE-2020-10735), and so Streamlit's tomllib.
        digits = sys.get_int_max_str_digits()
        raise TomlLimit(f"an integer of more than {digits} digits") from None


class NotUtf8(ValueError):
    """Bytes that are not UTF-8: the first bad byte's offset, 1-based line and column."""

    def __init__(self, offset: int, line: int, column: int) -> None:
        super().__init__(f"not valid UTF-8 at byte {offset}")
        self.offset = offset
        self.line = line
        self.column = column


def decode_utf8(data: bytes) -> str:
    """The bytes as UTF-8 text, or NotUtf8 saying where the first bad byte is."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
        line_start = data.rfind(b"\n", 0, bad) + 1
        raise NotUtf8(bad, data.count(b"\n", 0, bad) + 1, bad - line_start + 1) from None


def syntax_error_place(
    error: tomllib.TOMLDecodeError, text: str
) -> tuple[str, int | None, int | None]:
    """tomllib's reason without the position it appends (a repeated key or table named, with
    where it was first defined), and that position's 1-based line and column ("at end of
    document": just past the document's last character)."""
    message = str(error)
    found = _FINAL_POSITION.search(message)
    if found is None:
        return message, getattr(error, "lineno", None), getattr(error, "colno", None)
    if found[1] is None:
        line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
    else:
        line, column = int(found[1]), int(found[2])
    reason = message[: found.start()]
    if reason.startswith(("Cannot overwrite a value", "Cannot declare")):
        repeated = _repeated_at(text, line)
        if repeated is not None:
            reason = duplicate(*repeated)
    return reason, line, column


def _repeated_at(text: str, line: int) -> tuple[str, int] | None:
    """The key or table defined again on `line`, and the line it was first defined on.

    The scanner reads the statements of a document that tomllib refused for a repeat alone."""
    try:
        scanner = Scanner(text).scan()
    except ScanError:
        return None
    starts = [(ln.start + len(ln.indent), ln.header) for ln in scanner.lines if ln.header]
    starts += [(entry.start, entry.path) for entry, _ in scanner.entries()]
    first: dict[KeyPath, int] = {}
    for start, path in sorted(starts, key=lambda item: item[0]):
        at = text.count("\n", 0, start) + 1
        if path in first and at == line:
            from stconfig import tomlrender  # a repeat is rare; it pays for tomlkit

            return tomlrender.key(path), first[path]
        first.setdefault(path, at)
    return None


class ScanError(Exception):
    """The scanner met text it does not understand (valid TOML it does not handle)."""


def _end(pattern: re.Pattern[str], text: str, i: int) -> int:
    match = pattern.match(text, i)
    if match is None:
        raise ScanError(i)
    return match.end()


def skip_spaces(text: str, i: int) -> int:
    """Where the spaces and tabs starting at i end."""
    return _end(_WS, text, i)


@dataclass
class Entry:
    """One `key = value` pair: on its own line, or inside an inline table."""

    path: KeyPath  # absolute key path
    scope: KeyPath  # the table its key is relative to (header or inline table)
    start: int  # where its key starts
    eq: str  # the text between key and value (" = ", "=")
    value_start: int
    value_end: int
    literal: bool  # the value is a 'literal string'


@dataclass
class Inline:
    path: KeyPath
    open: int  # position of "{"
    entries: list[Entry] = field(default_factory=list)


@dataclass
class _Open:
    """An array or inline table the value scan is inside."""

    close: str  # "]" or "}"
    items: KeyPath  # its items' key path: the array's with `[]`, the inline table's own
    inline: Inline | None  # None for an array
    owner: Entry | None  # the inline-table entry this is the value of


@dataclass
class Line:
    """One statement: a blank line, a comment, a table header or a key/value pair (which may span
    several physical lines), from its first character to past its line ending."""

    kind: LineKind
    start: int
    body_end: int  # before the line ending
    end: int  # after the line ending; == body_end on a last line without one
    indent: str
    header: KeyPath | None = None  # for headers
    array: bool = False  # an [[array of tables]] header
    commented: bool = False  # a header or entry with a trailing comment
    entry: Entry | None = None


class Scanner:
    """Statements and key positions of a document tomllib has already accepted.

    Keys under an [[array]] header get the element's index as a path part (`[0]`, `[1]`), and
    values inside arrays a `[]` part: no option key matches them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[Line] = []
        self.inlines: list[Inline] = []
        self.aot_count: dict[KeyPath, int] = {}

    @acyclic
    def scan(self) -> Scanner:
        """Scan the whole text, or raise ScanError."""
        try:
            return self._scan()
        except IndexError:  # ran off the end of the text looking for a token
            raise ScanError(len(self.text)) from None

    def _scan(self) -> Scanner:
        text, i, n = self.text, 0, len(self.text)
        scope: KeyPath = ()
        while i < n:
            start = i
            i = _end(_WS, text, i)
            indent = text[start:i]
            if i >= n or text[i] in "\r\n":
                self._finish("blank", start, i, indent)
            elif text[i] == "#":
                self._finish("comment", start, _end(_COMMENT, text, i), indent)
            elif text[i] == "[":
                array = text.startswith("[[", i)
                path, i = self._key(i + (2 if array else 1))
                i += 2 if array else 1
                line = self._finish("header", start, i, indent, header=path, array=array)
                if array:
                    # Keys under [[x]] belong to one element; an index keeps them unmatchable.
                    index = self.aot_count.get(path, 0)
                    self.aot_count[path] = index + 1
                    scope = (*path, f"[{index}]")
                else:
                    scope = path
                i = line.end
                continue
            else:
                entry, i = self._entry(i, scope)
                line = self._finish("entry", start, i, indent, entry=entry)
            i = self.lines[-1].end
        return self

    def _finish(self, kind: LineKind, start: int, i: int, indent: str, **extra: Any) -> Line:
        text = self.text
        after = _end(_WS, text, i)
        commented = text.startswith("#", after)
        body_end = _end(_COMMENT, text, after) if commented else after
        newline = _NEWLINE.match(text, body_end)
        end = newline.end() if newline else body_end
        line = Line(kind, start, body_end, end, indent, commented=commented, **extra)
        self.lines.append(line)
        return line

    def _key(self, i: int) -> tuple[KeyPath, int]:
        text = self.text
        parts: list[str] = []
        while True:
            i = _end(_WS, text, i)
            pattern = _BASIC if text[i] == '"' else _LITERAL if text[i] == "'" else BARE_KEY
            token_end = _end(pattern, text, i)
            token = text[i:token_end]
            parts.append(tomllib.loads("k = " + token)["k"] if token[0] in "\"'" else token)
            i = _end(_WS, text, token_end)
            if text.startswith(".", i):
                i += 1
                continue
            return tuple(parts), i

    def _entry(self, i: int, scope: KeyPath) -> tuple[Entry, int]:
        entry = self._head(i, scope)
        entry.value_end = self._value(entry.value_start, entry.path)
        return entry, entry.value_end

    def _head(self, i: int, scope: KeyPath) -> Entry:
        """An entry's key and `=`, up to where its value starts (value_end is set later)."""
        start = i
        key, i = self._key(i)
        key_end = i
        while self.text[key_end - 1] in " \t":
            key_end -= 1
        i = _end(_WS, self.text, i + 1)
        literal = self.text.startswith("'", i)
        return Entry(scope + key, scope, start, self.text[key_end:i], i, i, literal)

    def _value(self, i: int, path: KeyPath) -> int:
        """Where the value starting at i ends; inline tables are recorded on the way.

        A loop with its own stack, not recursion: tomllib reads values nested as deep as
        Python's recursion limit lets it, and every document it reads must be scanned."""
        text = self.text
        stack: list[_Open] = []  # the arrays and inline tables i is inside, innermost last
        owner: Entry | None = None  # the inline-table entry whose value starts at i
        while True:
            char = text[i]
            if char in "[{":
                inline = None
                if char == "{":
                    inline = Inline(path, i)
                    self.inlines.append(inline)
                # Tables inside arrays are values, never edit targets: `[]` keeps them unmatchable.
                items = (*path, "[]") if char == "[" else path
                stack.append(_Open("]" if char == "[" else "}", items, inline, owner))
                i += 1
            else:
                i = self._scalar(i)
                if owner is not None:
                    owner.value_end = i
            # To the next item, closing brackets on the way.
            while True:
                if not stack:
                    return i
                top = stack[-1]
                i = _end(_FILLER, text, i)
                if text[i] == top.close:
                    stack.pop()
                    i += 1
                    if top.owner is not None:
                        top.owner.value_end = i
                elif text[i] == ",":
                    i += 1
                else:
                    break
            if top.inline is None:
                path, owner = top.items, None
            else:
                owner = self._head(i, top.items)
                top.inline.entries.append(owner)
                path, i = owner.path, owner.value_start

    def _scalar(self, i: int) -> int:
        """Where the string, number, boolean or date starting at i ends."""
        text = self.text
        char = text[i]
        if char == '"':
            pattern = _ML_BASIC if text.startswith('"""', i) else _BASIC
        elif char == "'":
            pattern = _ML_LITERAL if text.startswith("'''", i) else _LITERAL
        else:
            pattern = _SCALAR
        return _end(pattern, text, i)

    def entries(self) -> Iterator[tuple[Entry, Line | None]]:
        """Every entry with its line (None for entries inside inline tables)."""
        for line in self.lines:
            if line.entry is not None:
                yield line.entry, line
        for inline in self.inlines:
            for entry in inline.entries:
                yield entry, None
