"""tomledit: exact bytes of set/unset on hand-written documents, strict parsing, rendering."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from stconfig.errors import ConfigFileError, ExitCode, UsageError
from stconfig.tomledit import check_key, set_in_text, unset_in_text
from stconfig.tomlrender import value as render_value

KEY = ("runner", "enforceSerializableSessionState")


@pytest.mark.parametrize(
    ("before", "after", "line"),
    [
        # A new table at the end, after one blank line.
        ("", "[runner]\nenforceSerializableSessionState = true\n", 2),
        (
            "[server]\nport = 1\n",
            "[server]\nport = 1\n\n[runner]\nenforceSerializableSessionState = true\n",
            5,
        ),
        # Before trailing blank lines, which stay at the end.
        ("[a]\nx = 1\n\n", "[a]\nx = 1\n\n[runner]\nenforceSerializableSessionState = true\n\n", 5),
        # No final newline: none is added, and no lines are glued together.
        ("[a]\nx = 1", "[a]\nx = 1\n\n[runner]\nenforceSerializableSessionState = true", 5),
        # After the last key of the section, before the blank line and comment leading on.
        (
            "[runner]\nfastReruns = true # fast\n\n# the server\n[server]\nport=1",
            "[runner]\nfastReruns = true # fast\nenforceSerializableSessionState = true\n"
            "\n# the server\n[server]\nport=1",
            3,
        ),
        # Right after the commented-out line of the same key (`streamlit config show` files).
        (
            "[runner]\n# Doc.\n# enforceSerializableSessionState = false\n\n# Doc.\n# x = 1\n",
            "[runner]\n# Doc.\n# enforceSerializableSessionState = false\n"
            "enforceSerializableSessionState = true\n\n# Doc.\n# x = 1\n",
            4,
        ),
        # The section's own spacing around `=` and its indentation.
        (
            "[runner]\n  magicEnabled=false\n",
            "[runner]\n  magicEnabled=false\n  enforceSerializableSessionState=true\n",
            3,
        ),
        # Dotted keys build the section: a dotted key after the last of them.
        (
            "runner.fastReruns = true\nserver.port = 1\n",
            "runner.fastReruns = true\nrunner.enforceSerializableSessionState = true\n"
            "server.port = 1\n",
            2,
        ),
        # Inline tables take the key inside.
        ("runner = { a = 1 }\n", "runner = { a = 1, enforceSerializableSessionState = true }\n", 1),
        ("runner = {}\n", "runner = {enforceSerializableSessionState = true}\n", 1),
        # A section only implied by its sub-table gets its own header at the end.
        (
            "[runner.sub]\nx = 1\n",
            "[runner.sub]\nx = 1\n\n[runner]\nenforceSerializableSessionState = true\n",
            5,
        ),
        # CRLF stays CRLF.
        (
            "[runner]\r\nx = 1\r\n",
            "[runner]\r\nx = 1\r\nenforceSerializableSessionState = true\r\n",
            3,
        ),
        (
            "[a]\r\nx = 1\r\n",
            "[a]\r\nx = 1\r\n\r\n[runner]\r\nenforceSerializableSessionState = true\r\n",
            5,
        ),
    ],
)
def test_set_new_key_exact_bytes(before: str, after: str, line: int) -> None:
    result = set_in_text(before, KEY, True)
    assert result.text == after
    assert result.line == line
    assert result.old_value is None
    assert after.splitlines()[line - 1].lstrip().startswith(("enforce", "runner.", "runner ="))
    # And unset gives the original bytes back.
    undone = unset_in_text(after, KEY)
    assert undone is not None
    assert undone.text == before


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "[runner]\nenforceSerializableSessionState = false # keep me\n",
            "[runner]\nenforceSerializableSessionState = true # keep me\n",
        ),
        (
            "runner.enforceSerializableSessionState=false\n",
            "runner.enforceSerializableSessionState=true\n",
        ),
        (
            "runner = {enforceSerializableSessionState = false, x = 1}\n",
            "runner = {enforceSerializableSessionState = true, x = 1}\n",
        ),
        # A table defined after its sub-tables.
        (
            "[runner.sub]\na = 1\n[server]\n[runner]\nenforceSerializableSessionState = 'x'\n",
            "[runner.sub]\na = 1\n[server]\n[runner]\nenforceSerializableSessionState = true\n",
        ),
        (
            "[runner]\r\nenforceSerializableSessionState = false\r\n[x]",
            "[runner]\r\nenforceSerializableSessionState = true\r\n[x]",
        ),
    ],
)
def test_set_existing_key_in_place(before: str, after: str) -> None:
    result = set_in_text(before, KEY, True)
    assert result.text == after
    assert result.old_value in (False, "x")
    assert result.changed


def test_set_same_value_is_a_no_op() -> None:
    text = "[runner]\nenforceSerializableSessionState = true\n"
    result = set_in_text(text, KEY, True)
    assert not result.changed
    assert result.text == text
    # 1 and true are different TOML values: that is a change.
    assert set_in_text("[s]\nk = 1\n", ("s", "k"), True).changed
    assert set_in_text("[s]\nk = 1\n", ("s", "k"), 1.0).text == "[s]\nk = 1.0\n"


def test_undecodable_text_is_refused() -> None:
    with pytest.raises(UsageError, match="not valid text"):
        render_value("bad\udcff")


def test_keeps_literal_quoting_when_it_can() -> None:
    text = "[theme]\nbase = 'light'\n"
    assert set_in_text(text, ("theme", "base"), "dark").text == "[theme]\nbase = 'dark'\n"
    assert set_in_text(text, ("theme", "base"), "it's").text == '[theme]\nbase = "it\'s"\n'


def test_theme_subsections_use_their_full_name() -> None:
    result = set_in_text("[theme]\nbase = 'dark'\n", ("theme", "light", "sidebar", "x"), "#fff")
    assert result.text == "[theme]\nbase = 'dark'\n\n[theme.light.sidebar]\nx = \"#fff\"\n"


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        (True, "true"),
        (False, "false"),
        (8501, "8501"),
        (1.0, "1.0"),
        (0.25, "0.25"),
        ('say "hi"\\', '"say \\"hi\\"\\\\"'),
        ("tab\tnew\nline\x7f", '"tab\\tnew\\nline\\u007f"'),
        (["a", "b c"], '["a", "b c"]'),
        ([], "[]"),
        (1e16, "1e+16"),
        (float("-inf"), "-inf"),
        ("\u00e9\u2028", '"\u00e9\u2028"'),
    ],
)
def test_render_value(value: object, rendered: str) -> None:
    assert render_value(value) == rendered
    assert tomllib.loads("k = " + rendered)["k"] == value


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # The header goes with its last key, and the blank line that separated it.
        ("[a]\nx = 1\n\n[runner]\nenforceSerializableSessionState = true\n", "[a]\nx = 1\n"),
        ("[runner]\nenforceSerializableSessionState = true\n\n[b]\n", "[b]\n"),
        # A comment under the header keeps it.
        (
            "[runner]\n# note\nenforceSerializableSessionState = true\n",
            "[runner]\n# note\n",
        ),
        # So does another key, and a comment on the header line itself.
        ("[runner]\na = 1\nenforceSerializableSessionState = true\n", "[runner]\na = 1\n"),
        ("[runner] # mine\nenforceSerializableSessionState = true\n", "[runner] # mine\n"),
        # The last line without a newline.
        ("[runner]\na = 1\nenforceSerializableSessionState = true", "[runner]\na = 1"),
        (
            "runner = { a = 1, enforceSerializableSessionState = true, b = 2 }\n",
            "runner = { a = 1, b = 2 }\n",
        ),
        ("runner = { enforceSerializableSessionState = true }\n", "runner = { }\n"),
        (
            "x = 1 # c\r\nrunner.enforceSerializableSessionState = true\r\ny = 2\r\n",
            "x = 1 # c\r\ny = 2\r\n",
        ),
    ],
)
def test_unset_exact_bytes(before: str, after: str) -> None:
    result = unset_in_text(before, KEY)
    assert result is not None
    assert result.text == after
    assert result.old_value is True


def test_unset_missing_key_is_none() -> None:
    assert unset_in_text("[runner]\nx = 1\n", KEY) is None
    assert unset_in_text("", KEY) is None


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[runner]\nx = = 1\n", 2, 5),
        ("[a]\nx = 1\n[a]\n", 3, 3),  # duplicate table
        ("[a]\nx = 1\nx = 2\n", 3, 6),  # duplicate key
        ("a = {b = 1,}\n", 1, 12),  # tomlkit accepts this; tomllib and Streamlit do not
    ],
)
def test_invalid_documents_are_refused(text: str, line: int, column: int) -> None:
    with pytest.raises(ConfigFileError) as caught:
        set_in_text(text, KEY, True, path=Path("c.toml"))
    assert caught.value.exit_code == ExitCode.FILE
    assert (caught.value.position.line, caught.value.position.column) == (line, column)
    assert caught.value.message.startswith(f"c.toml:{line}:{column}: TOML syntax error")
    assert caught.value.hint


def test_conflicting_table_is_refused() -> None:
    with pytest.raises(ConfigFileError):
        set_in_text("runner = 5\n", KEY, True)
    with pytest.raises(ConfigFileError):
        set_in_text("[[runner]]\na = 1\n", KEY, True)


@pytest.mark.parametrize("key", ["runner", "a.b c", "a.b=1", 'a."b"', "a.", "a.b\n"])
def test_check_key_rejects_non_option_keys(key: str) -> None:
    with pytest.raises(UsageError):
        check_key(key.split("."))


def test_check_key_accepts_theme_subsections() -> None:
    assert check_key(["theme", "light", "sidebar", "primaryColor"])[-1] == "primaryColor"
