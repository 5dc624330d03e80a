"""The TOML text module both sides share: key positions (and what the read side does when the
scanner is lost), syntax-error positions and UTF-8 decoding."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import write_config

from stconfig import tomledit, tomlscan
from stconfig.catalog.store import load_catalog
from stconfig.check import check_bytes
from stconfig.errors import ConfigFileError
from stconfig.layers import (
    FileProblem,
    decode_config_bytes,
    key_positions,
    parse_toml,
    read_file_layer,
)
from stconfig.model import Scope

CATALOG = load_catalog(None)
KEY = "runner.enforceSerializableSessionState"


def test_positions_of_headers_keys_and_inline_keys() -> None:
    text = (
        "a.b = 1\n"  # line 1: defines the table a first
        '  [ a."c d" ]\n'  # line 2: a header's position is its "["
        "\tx = { y = 1, 'z' = { w = 2 } }\n"
        "[a.e]\n"
    )
    positions = key_positions(text)
    assert positions[("a",)] == (1, 1)
    assert positions[("a", "b")] == (1, 1)
    assert positions[("a", "c d")] == (2, 3)
    assert positions[("a", "c d", "x")] == (3, 2)
    assert positions[("a", "c d", "x", "y")] == (3, 8)
    assert positions[("a", "c d", "x", "z")] == (3, 15)
    assert positions[("a", "c d", "x", "z", "w")] == (3, 23)
    assert positions[("a", "e")] == (4, 1)


def test_array_elements_get_paths_no_option_key_matches(project: Path) -> None:
    text = (
        "[[theme.fontFaces]]\nfamily = 'x'\n\n"
        "[[theme.fontFaces]]\nfamily = 'y'\n"
        "[server]\nfolderWatchList = [{ a = 1 }]\n"
    )
    positions = key_positions(text)
    assert positions[("theme", "fontFaces")] == (1, 1)
    assert positions[("theme", "fontFaces", "[1]", "family")] == (5, 1)
    assert positions[("server", "folderWatchList", "[]", "a")] == (7, 22)
    assert ("theme", "fontFaces", "family") not in positions
    layer = read_file_layer(Scope.PROJECT, write_config(project, text), CATALOG, {})
    assert layer.error is None
    assert layer.settings["theme.fontFaces"].source.line == 1
    assert layer.settings["server.folderWatchList"].source.line == 7


def test_running_off_the_text_is_a_scan_error() -> None:
    with pytest.raises(tomlscan.ScanError):
        tomlscan.Scanner("a = ").scan()


@pytest.fixture
def lost_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scanner that cannot find its way through anything (no valid file is known to do that)."""

    def fail(self: tomlscan.Scanner) -> tomlscan.Scanner:
        raise tomlscan.ScanError(0)

    monkeypatch.setattr(tomlscan.Scanner, "_scan", fail)


@pytest.mark.usefixtures("lost_scanner")
def test_read_side_keeps_values_without_lines_when_the_scanner_is_lost(project: Path) -> None:
    text = f"[runner]\n{KEY.split('.')[1]} = true\n[server]\nprot = 1\n"
    assert key_positions(text) == {}
    layer = read_file_layer(Scope.PROJECT, write_config(project, text), CATALOG, {})
    assert layer.error is None
    assert layer.settings[KEY].value is True
    assert layer.settings[KEY].source.line is None
    findings = check_bytes(text.encode(), Path("config.toml"), CATALOG, {})
    assert [(f.code, f.position and f.position.line) for f in findings] == [("unknown-key", None)]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("a = 1\nb = ?\n", ("Invalid value", 2, 5)),
        ("a = 1\nb = [1,", ("Invalid value", 2, 8)),  # "(at end of document)"
        # A key may hold text that looks like a position: only the one at the end counts.
        (
            '[a."(at line 1, column 1)"]\n[a."(at line 1, column 1)"]\n',
            ('a."(at line 1, column 1)" is defined twice (first on line 1)', 2, 27),
        ),
        (
            "[runner]\nmagicEnabled = true\nmagicEnabled = false\n",
            ("runner.magicEnabled is defined twice (first on line 2)", 3, 21),
        ),
        ("[a]\n[b]\n[a]\n", ("a is defined twice (first on line 1)", 3, 3)),
    ],
)
def test_syntax_error_place_is_shared_by_both_sides(
    text: str, place: tuple[str | None, int, int]
) -> None:
    reason, line, column = place
    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        tomllib.loads(text)
    found = tomlscan.syntax_error_place(raised.value, text)
    assert found[1:] == (line, column)
    if reason is not None:
        assert found[0] == reason
    with pytest.raises(FileProblem) as problem:
        parse_toml(text, CATALOG)
    assert (problem.value.position.line, problem.value.position.column) == (line, column)
    with pytest.raises(ConfigFileError) as refused:
        tomledit.parse_strict(text, Path("config.toml"))
    assert (refused.value.position.line, refused.value.position.column) == (line, column)
    assert found[0] in refused.value.message


def test_decode_utf8_says_where_the_bad_byte_is() -> None:
    assert tomlscan.decode_utf8("é = 1\n".encode()) == "é = 1\n"
    with pytest.raises(tomlscan.NotUtf8) as raised:
        tomlscan.decode_utf8(b"a = 1\r\nb = '\xc3('\n")
    assert (raised.value.offset, raised.value.line, raised.value.column) == (12, 2, 6)
    with pytest.raises(FileProblem) as problem:
        decode_config_bytes(b"a = 1\r\nb = '\xc3('\n", CATALOG)
    position = problem.value.position
    assert (problem.value.code, position.line, position.column) == ("not-utf8", 2, 6)
    with pytest.raises(ConfigFileError) as refused:
        tomledit.decode(b"a = 1\r\nb = '\xc3('\n", Path("config.toml"))
    assert (refused.value.position.line, refused.value.position.column) == (2, 6)
    assert "0xc3" in refused.value.message
