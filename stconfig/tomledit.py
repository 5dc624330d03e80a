"""Editing one TOML document, in memory: strict parsing, and format-preserving set and unset of one
key. Saving the result is `durable`'s job.

Edits are splices of the original text at positions the scanner (`tomlscan`) computes, so every
byte outside the key's own line stays as it was; the text spliced in comes from `tomlrender`; each
result is re-parsed with `tomllib` (what Streamlit reads with) and must equal the original data
plus the change, or the edit is refused.
"""

from __future__ import annotations

import codecs
import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stconfig import tomlrender
from stconfig.errors import ConfigFileError, UsageError
from stconfig.model import Value
from stconfig.problems import BOM, BOM_HINT, NOT_UTF8_HINT, not_utf8, syntax, toml_limit
from stconfig.tomlscan import (
    Entry,
    KeyPath,
    Line,
    NotUtf8,
    ScanError,
    Scanner,
    TomlLimit,
    decode_utf8,
    loads,
    skip_spaces,
    syntax_error_place,
)

LOCK_TIMEOUT = 5.0  # seconds a writer waits for another one's lock before giving up
_OPTION_PART = re.compile(r"[A-Za-z0-9_]+")


# --- strict reading -------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> str:
    """The file's text, refusing what Streamlit cannot read: a UTF-8 BOM or bytes not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        raise ConfigFileError(path, BOM, line=1, column=1, hint=BOM_HINT)
    try:
        return decode_utf8(data)
    except NotUtf8 as error:
        raise ConfigFileError(
            path,
            not_utf8(data[error.offset]),
            line=error.line,
            column=error.column,
            hint=f"{NOT_UTF8_HINT}; stconfig never rewrites a file it cannot read",
        ) from None


def parse_strict(text: str, path: Path) -> dict[str, Any]:
    """The document's data as Streamlit's `tomllib` reads it, or ConfigFileError with line and
    column. tomllib decides: tomlkit accepts some documents (a trailing comma in an inline table)
    that Streamlit would skip."""
    try:
        return loads(text)
    except TomlLimit as error:
        raise ConfigFileError(
            path,
            toml_limit(error.reason),
            hint="Streamlit cannot read it either; stconfig never writes a file it cannot read",
        ) from None
    except tomllib.TOMLDecodeError as error:
        message, line, column = syntax_error_place(error, text)
        hint = (
            "fix it by hand (Streamlit skips a file it cannot parse); "
            "stconfig never writes a file that does not parse"
        )
        bad_line = text.split("\n")[line - 1] if line else ""
        if ".streamlit/config.toml" in bad_line:
            hint = (
                "this looks like `streamlit config show` output, whose header is not all "
                f"commented out: put '# ' before line {line}"
            )
        raise ConfigFileError(path, syntax(message), line=line, column=column, hint=hint) from None


# --- pure edits -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EditResult:
    """The document after one edit, where the key is (1-based line), and what it held before."""

    text: str
    line: int
    old_value: Value | None  # None: the key was not set
    changed: bool


def _scan(text: str, where: Path) -> Scanner:
    try:
        return Scanner(text).scan()
    except ScanError:
        raise ConfigFileError(
            where,
            "stconfig cannot find its way through this file (valid TOML it does not handle)",
            hint="the file is left as it was; edit it by hand (`stconfig edit`) and report it",
        ) from None


def check_key(key: Sequence[str]) -> KeyPath:
    """An option key's parts, refused (exit 2) unless each is made of option-name characters and
    there is a section: stconfig builds no TOML for anything else."""
    parts = tuple(key)
    if len(parts) < 2 or not all(_OPTION_PART.fullmatch(part) for part in parts):
        raise UsageError(
            f"{'.'.join(parts)!r} is not an option key",
            hint="keys look like section.optionName (letters, digits and _ only)",
        )
    return parts


def _newline(text: str) -> str:
    """The file's line ending: that of its first line, "\\n" for a one-line file."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _line_number(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _lookup(data: dict[str, Any], path: KeyPath) -> tuple[bool, Any]:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _copy_path(data: dict[str, Any], table: KeyPath) -> tuple[dict[str, Any], dict[str, Any]]:
    """A copy of `data` to change `table` in (made when missing), and that table: only the tables
    on the way are copied, the rest is shared (no deep copy, which recursion would limit)."""
    root = dict(data)
    node = root
    for part in table:
        child = node.get(part)
        copied: dict[str, Any] = dict(child) if isinstance(child, dict) else {}
        node[part] = copied
        node = copied
    return root, node


def _check_tables(data: dict[str, Any], table: KeyPath, where: Path) -> None:
    node: Any = data
    for depth, part in enumerate(table):
        node = node.get(part) if isinstance(node, dict) else None
        if node is not None and not isinstance(node, dict):
            raise ConfigFileError(
                where,
                f"{'.'.join(table[: depth + 1])} is not a table here, so it cannot hold "
                f"{'.'.join(table)} keys",
                hint="edit the file by hand",
            )


def set_in_text(
    text: str, key: Sequence[str], value: Value, *, path: Path | None = None
) -> EditResult:
    """`text` with `key` set to `value`, changing only that key's bytes (or adding one line)."""
    where = path or Path("<document>")
    parts = tuple(key)
    data = parse_strict(text, where)
    found, old = _lookup(data, parts)
    scanner = _scan(text, where)
    if found:
        if isinstance(old, dict):
            raise ConfigFileError(where, f"{'.'.join(parts)} is a table, not a value here")
        entry = next((e for e, _ in scanner.entries() if e.path == parts), None)
        if entry is None:
            raise ConfigFileError(
                where, f"{'.'.join(parts)} is defined in a way stconfig cannot edit"
            )
        line = _line_number(text, entry.start)
        if same_value(old, value):
            return EditResult(text, line, old, changed=False)
        new_text = (
            text[: entry.value_start]
            + tomlrender.value(value, literal=entry.literal)
            + text[entry.value_end :]
        )
    else:
        _check_tables(data, parts[:-1], where)
        new_text, line = _insert(text, scanner, parts, value)
    expected, node = _copy_path(data, parts[:-1])
    node[parts[-1]] = value
    _verify(new_text, [expected], where, parts)
    return EditResult(new_text, line, old if found else None, changed=True)


def _insert(text: str, scanner: Scanner, parts: KeyPath, value: Value) -> tuple[str, int]:
    """Add a key that is not there: into its table, inline table or dotted keys, or a new table."""
    table, name = parts[:-1], parts[-1]
    nl = _newline(text)
    lines = scanner.lines
    rendered = tomlrender.value(value)

    # 1. Its own [table]: after the commented-out `# name = ...` line, else after the last key.
    for index, line in enumerate(lines):
        if line.kind == "header" and not line.array and line.header == table:
            body = _body(lines, index)
            anchor = next((ln for ln in body if _comments_out(text, ln, name)), None)
            entries = [ln for ln in body if ln.kind == "entry"]
            if anchor is None:
                anchor = entries[-1] if entries else line
            style = anchor if anchor.kind == "entry" else (entries[0] if entries else None)
            eq = style.entry.eq if style and style.entry else " = "
            return _add_line(
                text, anchor, anchor.indent + tomlrender.key([name]) + eq + rendered, nl
            )

    # 2. An inline table holding the table (or one of its parents): into the deepest one.
    holders = [i for i in scanner.inlines if table[: len(i.path)] == i.path]
    if holders:
        inline = max(holders, key=lambda i: len(i.path))
        content = tomlrender.key(parts[len(inline.path) :])
        if inline.entries:
            last = inline.entries[-1]
            content = ", " + content + last.eq + rendered
            return _splice(text, last.value_end, last.value_end, content)
        inner = skip_spaces(text, inline.open + 1)
        spaced = " " if inner > inline.open + 1 else ""
        return _splice(text, inner, inner, content + " = " + rendered + spaced)

    # 3. Dotted keys that build the table from a parent's scope: after the closest one.
    best: tuple[int, int] | None = None
    for index, line in enumerate(lines):
        entry = line.entry
        if (
            entry is None
            or len(entry.scope) >= len(table)
            or table[: len(entry.scope)] != entry.scope
        ):
            continue
        shared = _common(entry.path[:-1], table)
        if shared > len(entry.scope) and (best is None or shared >= best[0]):
            best = (shared, index)
    if best is not None:
        anchor = lines[best[1]]
        assert anchor.entry is not None
        key = tomlrender.key(parts[len(anchor.entry.scope) :])
        return _add_line(text, anchor, anchor.indent + key + anchor.entry.eq + rendered, nl)

    # 4. A new [table] at the end, after one blank line, before any trailing blank lines.
    filled = [ln for ln in lines if ln.kind != "blank"]
    section = "[" + tomlrender.key(table) + "]" + nl + tomlrender.key([name]) + " = " + rendered
    if not filled:
        return _splice(text, 0, 0, section + nl, line_offset=1)
    final = filled[-1]
    if final.end == final.body_end:  # no final newline: keep it that way
        return _splice(text, final.end, final.end, nl + nl + section, line_offset=3)
    return _splice(text, final.end, final.end, nl + section + nl, line_offset=2)


def _body(lines: list[Line], header_index: int) -> list[Line]:
    body = []
    for line in lines[header_index + 1 :]:
        if line.kind == "header":
            break
        body.append(line)
    return body


def _comments_out(text: str, line: Line, name: str) -> bool:
    if line.kind != "comment":
        return False
    return (
        re.match(r"#+\s*" + re.escape(name) + r"\s*=", text[line.start + len(line.indent) :])
        is not None
    )


def _common(a: KeyPath, b: KeyPath) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _add_line(text: str, anchor: Line, content: str, nl: str) -> tuple[str, int]:
    if anchor.end == anchor.body_end:  # the last line has no line ending
        return _splice(text, anchor.end, anchor.end, nl + content, line_offset=1)
    return _splice(text, anchor.end, anchor.end, content + nl, line_offset=0)


def _splice(text: str, start: int, end: int, new: str, *, line_offset: int = 0) -> tuple[str, int]:
    """The text with [start, end) replaced, and the line where `new` starts plus line_offset."""
    return text[:start] + new + text[end:], _line_number(text, start) + line_offset


def unset_in_text(text: str, key: Sequence[str], *, path: Path | None = None) -> EditResult | None:
    """`text` without `key` (None when it is not set there): its line goes, and its table's header
    too when nothing, not even a comment, is left under it."""
    where = path or Path("<document>")
    parts = tuple(key)
    data = parse_strict(text, where)
    found, old = _lookup(data, parts)
    if not found:
        return None
    scanner = _scan(text, where)
    located = next(((e, ln) for e, ln in scanner.entries() if e.path == parts), None)
    if located is None:
        if isinstance(old, dict):
            raise ConfigFileError(where, f"{'.'.join(parts)} is a table, not a value here")
        raise ConfigFileError(where, f"{'.'.join(parts)} is defined in a way stconfig cannot edit")
    entry, own_line = located
    line_number = _line_number(text, entry.start)
    if own_line is None:
        new_text = _unset_inline(text, scanner, entry)
    else:
        new_text = _remove_lines(text, scanner.lines, _lines_to_remove(scanner.lines, own_line))
    expected, table = _copy_path(data, parts[:-1])
    del table[parts[-1]]
    _verify(new_text, _pruned_forms(expected, parts[:-1]), where, parts)
    return EditResult(new_text, line_number, old, changed=True)


def _unset_inline(text: str, scanner: Scanner, entry: Entry) -> str:
    inline = next(i for i in scanner.inlines if entry in i.entries)
    index = inline.entries.index(entry)
    if len(inline.entries) == 1:
        # `{ k = v }` becomes `{ }` and `{k = v}` becomes `{}`, as they were before a set.
        end = entry.value_end
        if entry.start > inline.open + 1:
            end = skip_spaces(text, end)
        return text[: entry.start] + text[end:]
    if index + 1 < len(inline.entries):
        return text[: entry.start] + text[inline.entries[index + 1].start :]
    return text[: inline.entries[index - 1].value_end] + text[entry.value_end :]


def _lines_to_remove(lines: list[Line], own: Line) -> set[int]:
    index = lines.index(own)
    remove = {index}
    header = next((i for i in range(index - 1, -1, -1) if lines[i].kind == "header"), None)
    if header is None or lines[header].array or lines[header].commented:
        return remove
    body = range(header + 1, len(lines))
    rest = []
    for i in body:
        if lines[i].kind == "header":
            break
        if i != index:
            rest.append(i)
    if any(lines[i].kind != "blank" for i in rest):
        return remove
    remove.add(header)
    # Take one blank line with the header, so appending a table and removing it again round-trips.
    if header > 0 and lines[header - 1].kind == "blank":
        remove.add(header - 1)
    elif rest and rest[-1] + 1 < len(lines) and lines[rest[0]].kind == "blank":
        remove.add(rest[0])
    return remove


def _remove_lines(text: str, lines: list[Line], remove: set[int]) -> str:
    kept = [text[ln.start : ln.end] for i, ln in enumerate(lines) if i not in remove]
    last = lines[-1]
    if len(lines) - 1 in remove and last.end == last.body_end and kept:
        # The file had no final newline: neither does it now.
        kept[-1] = kept[-1].rstrip("\r\n")
    return "".join(kept)


def _pruned_forms(expected: dict[str, Any], table: KeyPath) -> list[dict[str, Any]]:
    """The expected data, and the same with tables emptied by the removal gone with their header."""
    forms = [expected]
    current = expected
    for depth in range(len(table), 0, -1):
        _, node = _lookup(current, table[:depth])
        if node:
            break
        current, parent = _copy_path(current, table[: depth - 1])
        del parent[table[depth - 1]]
        forms.append(current)
    return forms


def _verify(new_text: str, expected: list[dict[str, Any]], where: Path, parts: KeyPath) -> None:
    try:
        result = loads(new_text)
    except (tomllib.TOMLDecodeError, TomlLimit):
        result = None
    if result is None or not any(same_value(result, form) for form in expected):
        raise ConfigFileError(
            where,
            f"stconfig cannot change {'.'.join(parts)} in this file without risking other data",
            hint="the file is left as it was; edit it by hand (`stconfig edit`)",
        )


def same_value(a: Any, b: Any) -> bool:
    """Equal values of equal types: 1, 1.0 and true are three different TOML values.

    A loop, not recursion: it compares documents nested as deep as tomllib reads them."""
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            pending.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y, strict=True))
        elif isinstance(x, float) and math.isnan(x):
            if not math.isnan(y):
                return False
        elif x != y:
            return False
    return True
