"""The small rules under every output, pinned directly: JSON and text forms of values, the
messages of a refused value, and the redaction of secrets in text and diffs (mutation testing
found these reached by no assertion)."""

from __future__ import annotations

import pytest

from stconfig import redact, tomlscan
from stconfig.catalog.store import load_catalog
from stconfig.errors import InvalidValueError
from stconfig.values import check_allowed, parse_scalar, to_json, to_text

CATALOG = load_catalog(None)
SECRET = frozenset({("server", "cookieSecret")})


def test_json_form_of_values() -> None:
    assert to_json(float("inf")) == "inf"
    assert to_json(float("-inf")) == "-inf"
    assert to_json(1.5) == 1.5
    assert to_json({1: float("nan"), "b": [float("inf"), 2]}) == {"1": "nan", "b": ["inf", 2]}


def test_text_form_of_values() -> None:
    assert to_text(None) == ""
    assert to_text(["é", "🎈"]) == '["é", "🎈"]'  # as written, not \u escapes


def test_refused_values_say_what_the_option_takes() -> None:
    with pytest.raises(InvalidValueError) as bool_error:
        parse_scalar(CATALOG.require("runner.magicEnabled"), "maybe")
    assert bool_error.value.hint == "use true/false, yes/no, on/off, 1/0, t/f or y/n"
    with pytest.raises(InvalidValueError) as int_error:
        parse_scalar(CATALOG.require("server.port"), "x")
    assert "server.port takes an integer" in str(int_error.value)
    floats = [spec for spec in CATALOG if spec.type == "float"]
    assert floats, "no float option in the catalog"
    with pytest.raises(InvalidValueError) as float_error:
        parse_scalar(floats[0], "x")
    assert f"{floats[0].key} takes a number" in str(float_error.value)
    with pytest.raises(InvalidValueError) as choice_error:
        check_allowed(CATALOG.require("logger.level"), "verbose")
    assert str(choice_error.value) == (
        "logger.level takes one of critical, error, warning, info, debug, not 'verbose'"
    )


def test_hide_text_replaces_the_longest_secret_first() -> None:
    # "ab" holds "b": hiding "b" first would leave the "a" of the longer secret showing.
    assert redact.hide_text("x ab y b", ["b", "ab"]) == "x <hidden> y <hidden>"
    assert redact.hide_text("nothing", [""]) == "nothing"


def test_diff_lines_keep_every_other_byte() -> None:
    text = 'a = 1  \r\n[server]\ncookieSecret = "s3cret"  # note\nport = 2\t\n'
    shown = [str(line) for line in redact.diff_lines(text, SECRET)]
    assert shown == [
        "a = 1  \r\n",
        "[server]\n",
        "cookieSecret = <hidden>  # note\n",
        "port = 2\t\n",
    ]


def test_diff_lines_hide_a_multi_line_secret_once() -> None:
    text = '[server]\ncookieSecret = """\nline one\nline two"""\nport = 1\n'
    shown = [str(line) for line in redact.diff_lines(text, SECRET)]
    assert shown == ["[server]\n", "cookieSecret = <hidden>\n", "\n", "\n", "port = 1\n"]


def test_text_the_scanner_cannot_read_is_hidden_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: tomlscan.Scanner) -> tomlscan.Scanner:
        raise tomlscan.ScanError("unreadable")

    monkeypatch.setattr(tomlscan.Scanner, "scan", refuse)
    text = "[server]\nport = 1\n"
    assert [str(line) for line in redact.diff_lines(text, SECRET)] == ["<hidden>\n"] * 2
