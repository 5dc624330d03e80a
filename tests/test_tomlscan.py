"""The shared TOML scanner: key positions for the read side, and what the read side does when the
scanner cannot find its way through a valid file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_config

from stconfig import tomlscan
from stconfig.catalog.store import load_catalog
from stconfig.check import check_bytes
from stconfig.layers import key_positions, read_file_layer
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
    assert [(f.code, f.line) for f in findings] == [("unknown-key", None)]
