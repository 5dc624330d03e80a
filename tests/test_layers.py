"""Reading one layer: key lines on real and conformance documents, env and flag coercion."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_dir, write_config

from stconfig.catalog.store import load_catalog
from stconfig.errors import InvalidValueError, UnknownKeyError, UsageError
from stconfig.layers import key_lines, read_env_layer, read_file_layer, read_flag_layer
from stconfig.model import Scope
from stconfig.values import parse_click, parse_values

CATALOG = load_catalog(None)
KEY = "runner.enforceSerializableSessionState"


def _paths(table: dict[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in table.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from _paths(value, (*prefix, key))


def _valid_documents() -> list[Path]:
    corpus = shared_dir("corpus")
    suite = shared_dir("toml-test") / "valid"
    return sorted(
        [*corpus.glob("*.toml"), *corpus.glob("crlf_restored/*.toml"), *suite.rglob("*.toml")]
    )


def test_every_key_of_every_valid_document_has_its_line() -> None:
    checked = 0
    for path in _valid_documents():
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # the invalid corpus files; their handling is tested elsewhere
        lines = key_lines(text)
        rows = text.split("\n")
        for key_path in _paths(parsed):
            assert key_path in lines, (path, key_path)
            row = rows[lines[key_path] - 1]
            # The line holds the key itself, or a quoted form of it.
            assert key_path[-1] in row or '"' in row or "'" in row, (path, key_path, row)
        checked += 1
    assert checked > 300


def test_lines_of_tricky_forms() -> None:
    text = (
        "# comment with = and [brackets]\n"
        's = """\n[not.a.table]\nx = 1\n"""\n'
        "[server]\n"
        "folderWatchList = [\n  'a', # trailing comment\n  'b',\n]\n"
        'port = 1  # after "quote"\n'
        "[theme]\n"
        'light.sidebar.primaryColor = "#fff"\n'
        "[[theme.fontFaces]]\nfamily = 'x'\n"
    )
    lines = key_lines(text)
    assert lines[("server", "folderWatchList")] == 7
    assert lines[("server", "port")] == 11
    assert lines[("theme", "light", "sidebar", "primaryColor")] == 13
    assert lines[("theme", "fontFaces")] == 14
    assert ("not", "a", "table") not in lines


def test_crlf_file_lines(project: Path) -> None:
    path = write_config(
        project, "# c\r\n[runner]\r\n\r\nenforceSerializableSessionState = true\r\n"
    )
    layer = read_file_layer(Scope.PROJECT, path, CATALOG, {})
    assert layer.settings[KEY].source.line == 4


def test_unknown_keys_are_kept_apart(project: Path) -> None:
    path = write_config(project, "[server]\nport = 1\nprot = 2\n[layout]\nwide = true\n")
    layer = read_file_layer(Scope.PROJECT, path, CATALOG, {})
    assert list(layer.settings) == ["server.port"]
    assert sorted(layer.unknown) == ["layout.wide", "server.prot"]


def test_env_bool_words_and_blank_values() -> None:
    for word, expected in [
        ("TRUE", True),
        (" yes ", True),
        ("0", False),
        ("Off", False),
        ("f", False),
    ]:
        layer = read_env_layer(
            CATALOG, {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": word}
        )
        assert layer.settings[KEY].value is expected, word
    # click's BOOL maps a blank value to False; an empty one is unset.
    blank = read_env_layer(CATALOG, {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "  "})
    assert blank.settings[KEY].value is False
    assert (
        KEY
        not in read_env_layer(
            CATALOG, {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": ""}
        ).settings
    )
    bad = read_env_layer(CATALOG, {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "maybe"})
    assert KEY not in bad.settings and bad.error and "maybe" in bad.error


def test_explicit_env_name_wins_over_the_run_name() -> None:
    layer = read_env_layer(
        CATALOG, {"STREAMLIT_SERVER_PORT": "1", "STREAMLIT_RUN_SERVER_PORT": "2"}
    )
    assert layer.settings["server.port"].value == 1
    assert layer.settings["server.port"].source.name == "STREAMLIT_SERVER_PORT"


def test_sensitive_env_is_taken_raw_even_empty() -> None:
    layer = read_env_layer(CATALOG, {"STREAMLIT_SERVER_COOKIE_SECRET": ""})
    assert layer.settings["server.cookieSecret"].value == ""
    refused = read_env_layer(CATALOG, {"STREAMLIT_RUN_SERVER_COOKIESECRET": "x"})
    assert refused.error and "STREAMLIT_SERVER_COOKIE_SECRET" in refused.error


def test_flags_repeat_for_lists_and_last_wins_otherwise() -> None:
    layer = read_flag_layer(
        CATALOG,
        ["server.folderWatchList=a", "server.folderWatchList=b", "server.port=1", "server.port=2"],
    )
    assert layer.settings["server.folderWatchList"].value == ["a", "b"]
    assert layer.settings["server.port"].value == 2
    with pytest.raises(UnknownKeyError):
        read_flag_layer(CATALOG, ["server.prot=1"])
    with pytest.raises(UsageError):
        read_flag_layer(CATALOG, ["server.port"])


def test_values_for_set_follow_the_option_type() -> None:
    spec = CATALOG.require(KEY)
    assert parse_values(spec, ["Yes"]) is True
    with pytest.raises(InvalidValueError):
        parse_values(spec, ["  "])
    with pytest.raises(InvalidValueError):
        parse_values(spec, ["true", "false"])
    assert parse_values(CATALOG.require("server.port"), ["8502"]) == 8502
    assert parse_values(CATALOG.require("server.folderWatchList"), ["a", "b"]) == ["a", "b"]
    with pytest.raises(InvalidValueError):
        parse_values(CATALOG.require("server.xsrfCookieSameSite"), ["loose"])
    assert parse_click(CATALOG.require("server.folderWatchList"), "a b", from_env=True) == [
        "a",
        "b",
    ]
