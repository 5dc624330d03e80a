"""tomledit on real files and on the TOML 1.0 suite: every valid document keeps its bytes and data
plus the change (set new, set existing, unset, round trip); every invalid one is refused untouched.

`assert_edits_hold` is also what the hypothesis tests check on generated documents.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, params_or_missing, shared_dir, shared_files

from stconfig.durable import edit_file
from stconfig.errors import ConfigFileError
from stconfig.tomledit import decode, parse_strict, set_in_text, unset_in_text
from stconfig.tomlscan import Scanner

NEW_KEY = ("runner", "enforceSerializableSessionState")


def _readable(raw: bytes) -> dict[str, Any] | None:
    """The data Streamlit's tomllib reads, or None when it cannot (BOM, not UTF-8, syntax)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _with(data: dict[str, Any], key: tuple[str, ...], value: Any) -> dict[str, Any]:
    result: dict[str, Any] = _copy(data)
    node = result
    for part in key[:-1]:
        node = node.setdefault(part, {})
    node[key[-1]] = value
    return result


def _without(data: dict[str, Any], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """data minus key, and the same with the tables the removal emptied dropped."""
    forms = [_copy(data)]
    node = forms[0]
    for part in key[:-1]:
        node = node[part]
    del node[key[-1]]
    for depth in range(len(key) - 1, 0, -1):
        trimmed = _copy(forms[-1])
        parent = trimmed
        for part in key[: depth - 1]:
            parent = parent[part]
        if parent[key[depth - 1]]:
            break
        del parent[key[depth - 1]]
        forms.append(trimmed)
    return forms


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _inserted(before: str, after: str) -> str:
    """The one stretch `after` adds to `before`, asserting nothing else changed."""
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    assert prefix + suffix == len(before), "bytes of the original were changed or lost"
    return after[prefix : len(after) - suffix]


def _leaf(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> tuple[tuple[str, ...], Any] | None:
    """The first value reachable through tables only (not an array of tables)."""
    for key, value in data.items():
        if isinstance(value, dict):
            found = _leaf(value, (*prefix, key))
            if found:
                return found
        elif not (isinstance(value, list) and value and isinstance(value[0], dict)):
            return (*prefix, key), value
    return None


def _other(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return 2.5 if math.isnan(value) or value != 2.5 else 3.5
    if isinstance(value, str):
        return value + "x"
    return "changed"


def _new_key(data: dict[str, Any]) -> tuple[str, ...]:
    for key in (NEW_KEY, ("server", "stconfigNewKey"), ("stconfigsection", "newKey")):
        section = data.get(key[0], {})
        if isinstance(section, dict) and key[1] not in section:
            return key
    raise AssertionError("no free key")


def assert_edits_hold(text: str) -> int:
    """Set a new key, set an existing one, unset: exact bytes, data plus the change, round trip.
    Returns the number of operations checked."""
    data = tomllib.loads(text)
    crlf = "\r\n" in text and text.find("\n") == text.find("\r\n") + 1
    operations = 0

    key = _new_key(data)
    added = set_in_text(text, key, True)
    operations += 1
    assert same(tomllib.loads(added.text), _with(data, key, True))
    inserted = _inserted(text, added.text)
    assert re.search(rf"\b{key[-1]}[ \t]*=[ \t]*true", inserted), inserted
    if crlf:
        assert "\n" not in inserted.replace("\r\n", ""), "a new line without the file's CRLF"
    assert key[-1] in added.text.splitlines()[added.line - 1]
    expected_line = expected_new_key_line(text, key)
    if expected_line is not None:
        assert added.line == expected_line, (added.line, expected_line)
        assert added.text.splitlines()[expected_line - 1].lstrip().startswith(key[-1])
    undone = unset_in_text(added.text, key)
    operations += 1
    assert undone is not None
    # An empty [table] goes with the key unset from it: the one case that does not round-trip.
    if not empty_header(text, key[0]):
        assert undone.text == text, "set of a new key then unset did not give the original back"

    leaf = _leaf(data)
    if leaf is not None:
        path, old = leaf
        new = _other(old)
        changed = set_in_text(text, path, new)
        operations += 1
        assert same(tomllib.loads(changed.text), _with(data, path, new))
        opcodes = _line_changes(text, changed.text)
        assert [tag for tag, *_ in opcodes] == ["replace"], opcodes
        assert same(changed.old_value, old)
        assert_only_the_value_replaced(text, changed.text, path, old, new)

        removed = unset_in_text(text, path)
        operations += 1
        assert removed is not None
        result = tomllib.loads(removed.text)
        assert any(same(result, form) for form in _without(data, path))
        # Whole lines go, or text inside an inline table. A file without a final newline keeps
        # none: the line before a removed last line loses its newline, so compare as if it had one.
        end = "" if text.endswith("\n") else "\n"
        tags = {tag for tag, *_ in _line_changes(text + end, removed.text + end)}
        assert tags in ({"delete"}, {"replace"}), tags
    return operations


def _value_span(text: str, path: tuple[str, ...]) -> tuple[int, int]:
    entry = next(e for e, _ in Scanner(text).scan().entries() if e.path == path)
    return entry.value_start, entry.value_end


def assert_only_the_value_replaced(
    before: str, after: str, path: tuple[str, ...], old: Any, new: Any
) -> None:
    """`after` is `before` with the value's own text replaced, not one byte more or less: what
    stands before and after the value (key, `=`, spacing, comment, the rest) is unchanged, and the
    replaced texts read as the old and the new value."""
    start, end = _value_span(before, path)
    new_start, new_end = _value_span(after, path)
    assert after[:new_start] == before[:start]
    assert after[new_end:] == before[end:]
    assert same(tomllib.loads("v = " + before[start:end])["v"], old)
    assert same(tomllib.loads("v = " + after[new_start:new_end])["v"], new)


def expected_new_key_line(text: str, key: tuple[str, ...]) -> int | None:
    """Where SPEC.md puts a new key whose table has a `[header]` of its own: on the line right
    under a commented-out line for it (`# name = ...`), else right after the table's last key line
    (or its header); None for other documents."""
    lines = Scanner(text).scan().lines
    table, name = key[:-1], key[-1]
    for index, line in enumerate(lines):
        if line.kind != "header" or line.array or line.header != table:
            continue
        body = []
        for following in lines[index + 1 :]:
            if following.kind == "header":
                break
            body.append(following)
        commented = re.compile(rf"#+\s*{re.escape(name)}\s*=")
        anchor = next(
            (
                ln
                for ln in body
                if ln.kind == "comment" and commented.match(text, ln.start + len(ln.indent))
            ),
            None,
        )
        if anchor is None:
            entries = [ln for ln in body if ln.kind == "entry"]
            anchor = entries[-1] if entries else line
        return text.count("\n", 0, anchor.body_end) + 2
    return None


def empty_header(text: str, section: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    if f"[{section}]" not in lines:
        return False
    for line in lines[lines.index(f"[{section}]") + 1 :]:
        if line.startswith("["):
            break
        if line:
            return False
    return True


def _line_changes(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    matcher = difflib.SequenceMatcher(
        None, before.splitlines(keepends=True), after.splitlines(keepends=True), autojunk=False
    )
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


CORPUS = shared_files("corpus")
SUITE = shared_files("toml-test")


def _id(path: Path) -> str:
    return str(path.relative_to(SHARED))


@pytest.mark.parametrize("path", params_or_missing(CORPUS + SUITE, "corpus"), ids=_id)
def test_document(path: Path, tmp_path: Path) -> None:
    raw = path.read_bytes()
    data = _readable(raw)
    if data is not None:
        assert assert_edits_hold(raw.decode("utf-8")) >= 2
        return
    # Refused, through the pure functions and through a real file, which stays byte-identical.
    with pytest.raises(ConfigFileError) as caught:
        parse_strict(decode(raw, path), path)
    assert caught.value.position.line is not None
    target = tmp_path / "edit" / "config.toml"
    target.parent.mkdir()
    target.write_bytes(raw)
    with pytest.raises(ConfigFileError):
        edit_file(target, lambda text: set_in_text(text, NEW_KEY, True))
    assert target.read_bytes() == raw
    assert [p.name for p in target.parent.iterdir()] == ["config.toml"]


def test_corpus_is_there() -> None:
    shared_dir("corpus")
    shared_dir("toml-test")
    assert len(CORPUS) > 100
    assert len(SUITE) > 500


def test_corpus_files_edit_on_disk(tmp_path: Path) -> None:
    """Every valid corpus file through edit_file: written once, then a no-op leaves it alone."""
    shared_dir("corpus")
    for path in CORPUS:
        raw = path.read_bytes()
        if _readable(raw) is None:
            continue
        target = tmp_path / path.name
        target.write_bytes(raw)
        first = edit_file(target, lambda text: set_in_text(text, NEW_KEY, False))
        again = edit_file(target, lambda text: set_in_text(text, NEW_KEY, False))
        assert not again.written
        assert first.written == (first.before != target.read_text(encoding="utf-8"))
        assert tomllib.loads(target.read_text(encoding="utf-8"))["runner"][NEW_KEY[1]] is False


def _tables_and_values(
    data: dict[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Any]]:
    """Every table (value None) and every value reachable through tables."""
    found: list[tuple[tuple[str, ...], Any]] = []
    for key, value in data.items():
        path = (*prefix, key)
        if isinstance(value, dict):
            found.append((path, None))
            found.extend(_tables_and_values(value, path))
        elif not (isinstance(value, list) and value and isinstance(value[0], dict)):
            found.append((path, value))
    return found


def _only_an_empty_header_went(before: str, after: str) -> bool:
    """The one way set-then-unset may differ: a header left with nothing under it goes, with
    blank lines next to it (line endings aside: a last line without one passes that on)."""
    old, new = before.splitlines(), after.splitlines()
    remaining = iter(old)
    if not all(line in remaining for line in new):  # `new` is `old` with lines taken out
        return False
    gone = list((Counter(old) - Counter(new)).elements())
    headers = [line for line in gone if line.strip()]
    return len(headers) == 1 and headers[0].lstrip().startswith("[")


VALID = [path for path in CORPUS + SUITE if _readable(path.read_bytes()) is not None]


@pytest.mark.parametrize("path", params_or_missing(VALID, "corpus"), ids=_id)
def test_every_table_and_value(path: Path) -> None:
    """A new key in every table, a new value for every value, every value unset."""
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for key, value in _tables_and_values(data):
        if value is None:
            new_key = (*key, "stconfigNew")
            added = set_in_text(text, new_key, 1)
            assert same(tomllib.loads(added.text), _with(data, new_key, 1))
            _inserted(text, added.text)
            undone = unset_in_text(added.text, new_key)
            assert undone is not None
            assert undone.text == text or _only_an_empty_header_went(text, undone.text), key
        else:
            changed = set_in_text(text, key, _other(value))
            assert same(tomllib.loads(changed.text), _with(data, key, _other(value)))
            removed = unset_in_text(text, key)
            assert removed is not None
            assert any(same(tomllib.loads(removed.text), form) for form in _without(data, key))
