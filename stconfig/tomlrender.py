"""Every piece of TOML that stconfig writes or prints is rendered here, by tomlkit: value literals,
keys, and documents.

Only the paths that render TOML import this module (set and unset, piped `show`, check's hints);
`get`, `show --json` and `files` never pay for tomlkit's import. tomllib, not tomlkit, decides
what a document means: every edit is verified with it (`tomledit`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.exceptions import InvalidStringError
from tomlkit.items import Item

from stconfig.errors import UsageError
from stconfig.model import Value


def value(data: Value, *, literal: bool = False) -> str:
    """A TOML literal of any value tomllib or click produces; `literal`: strings as 'literal'
    strings where they can be (a value written in that style keeps it).

    Arrays and inline tables are joined here, in a loop, as tomlkit would write them, so that a
    value nested as deep as tomllib reads renders too (tomlkit recurses); scalars are tomlkit's."""
    out: list[str] = []
    pending: list[tuple[bool, Any]] = [(False, data)]  # (is text already, text or value)
    while pending:
        done, part = pending.pop()
        if done:
            out.append(part)
        elif isinstance(part, list | tuple):
            pieces: list[tuple[bool, Any]] = [(True, "[")]
            for index, element in enumerate(part):
                pieces += [(True, ", ")] * (index > 0) + [(False, element)]
            pending += reversed([*pieces, (True, "]")])
        elif isinstance(part, dict):
            pieces = [(True, "{")]
            for index, (name, element) in enumerate(part.items()):
                pieces += [(True, (", " if index else "") + key([str(name)]) + " = ")]
                pieces.append((False, element))
            pending += reversed([*pieces, (True, "}")])
        else:
            out.append(item(part, literal=literal).as_string())
    return "".join(out)


def nesting(data: Value) -> int:
    """How deep arrays and inline tables nest in a value (0 for a scalar)."""
    deepest, pending = 0, [(data, 0)]
    while pending:
        part, depth = pending.pop()
        if isinstance(part, list | tuple | dict):
            deepest = max(deepest, depth + 1)
            elements = part.values() if isinstance(part, dict) else part
            pending.extend((element, depth + 1) for element in elements)
    return deepest


_TOMLKIT_NESTING = 100  # deeper values overflow tomlkit's recursive rendering of a document


def key(parts: Sequence[str]) -> str:
    """A key, each part bare where TOML allows it and quoted where it must be."""
    return tomlkit.key(list(parts) if len(parts) > 1 else parts[0]).as_string()


def item(data: Value, *, literal: bool = False) -> Item:
    """A tomlkit item for a value; tables become inline tables, so the item is always a value."""
    if isinstance(data, str):
        return _string(data, literal)
    if isinstance(data, list | tuple):
        array = tomlkit.array()
        for element in data:
            array.append(item(element, literal=literal))
        return array
    if isinstance(data, dict):
        table = tomlkit.inline_table()
        for name, element in data.items():
            table.append(str(name), item(element, literal=literal))
        return table
    return tomlkit.item(data)


def _string(text: str, literal: bool) -> Item:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # tomlkit would write U+FFFD in place of the undecodable bytes, silently.
        raise UsageError(f"{text!r} is not valid text (undecodable bytes)") from None
    if literal:
        try:
            return tomlkit.string(text, literal=True)
        except InvalidStringError:  # a quote, a newline or a control character
            pass
    return tomlkit.string(text)


@dataclass(frozen=True)
class Entry:
    """One key of an annotated document: `name = value  # note`, or, where there is no value to
    write (a secret, a computed default), the commented-out `# name = shown  # note`; `after`:
    comment lines that follow it."""

    name: str
    value: Value
    note: str
    shown: str | None = None
    after: tuple[str, ...] = ()


def annotated(header: Sequence[str], sections: Mapping[str, Sequence[Entry]]) -> str:
    """A document of `[section]` tables (dotted names nest: `theme.light.sidebar`) under header
    comment lines; valid TOML whatever the notes hold."""
    doc = tomlkit.document()
    for line in header:
        doc.add(tomlkit.comment(comment_text(line)))
    for section, entries in sections.items():
        table = _table(doc, section.split("."), sections)
        for entry in entries:
            note = comment_text(entry.note)
            shown = entry.shown
            if shown is None and nesting(entry.value) > _TOMLKIT_NESTING:
                shown = value(entry.value)  # commented out, where tomlkit cannot nest it
            if shown is None:
                value_item = item(entry.value)
                value_item.comment(note)
                value_item.trivia.comment_ws = "  "
                table.add(entry.name, value_item)
            else:
                line = f"{key([entry.name])} = {shown}  # {note}"
                table.add(tomlkit.comment(comment_text(line)))
            for text in entry.after:
                table.add(tomlkit.comment(comment_text(text)))
    return tomlkit.dumps(doc).rstrip("\n")


def _table(doc: Any, parts: list[str], sections: Mapping[str, Any]) -> Any:
    """The table at `parts`, made on the way; tables that hold only other tables are super
    tables, which get no `[header]` of their own."""
    container = doc
    for depth in range(1, len(parts) + 1):
        name = parts[depth - 1]
        if name not in container:
            holds_keys = ".".join(parts[:depth]) in sections
            container.add(name, tomlkit.table(is_super_table=not holds_keys))
        container = container[name]
    return container


def comment_text(text: str) -> str:
    """Text safe inside a TOML comment: one line, no control characters (TOML forbids them)."""
    return "".join(
        f"\\x{ord(char):02x}" if ord(char) < 0x20 or ord(char) == 0x7F else char for char in text
    )
