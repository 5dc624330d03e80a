"""What reaches a terminal cannot drive it or forge a line: control characters in values and
paths are escaped in every human-facing output (piped `get` stays exact), NO_COLOR means no style
at all, COLUMNS=0 still prints, and odd encodings or a full disk end in one clean line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import write_config
from test_shell_contract import _buffered_env, _env, _on_terminal

from stconfig.text import printable

# ESC, an OSC that retitles the window (ended by BEL), C1's CSI, DEL, a right-to-left override.
HOSTILE = "a\x1b]0;pwned\x07b\x9b31mc\x7fd\u202ee"
_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202e]")  # what must never be printed raw
KEY = "server.baseUrlPath"


def _stconfig(
    *args: str, env: dict[str, str], **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stconfig", *args],
        env=env,
        capture_output=True,
        check=False,
        **kwargs,
    )


def _raw_controls(output: bytes) -> list[str]:
    # Only \n and \r (the terminal's own line ends) may be there.
    return _RAW.findall(output.decode("utf-8", "replace"))


def test_printable_escapes_every_control_character_but_tab() -> None:
    assert printable(HOSTILE) == "a\\x1b]0;pwned\\x07b\\x9b31mc\\x7fd\\u202ee"
    assert printable("x\ny\rz\tw") == "x\\x0ay\\x0dz\tw"
    assert printable("é🎈 plain") == "é🎈 plain"


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["show", "--layers"],
        ["show", "--all"],
        ["show", "--list"],
        ["show", "--show-origin"],
        ["get", KEY],
        ["get", "--show-origin", KEY],
        ["describe", KEY],
        ["files"],
        ["check"],
        ["get", "server.headless"],  # a warning quotes the value
        ["set", "--dry-run", "server.port", "1"],  # a warning names the value that still wins
    ],
)
def test_control_characters_are_escaped_on_a_terminal(project: Path, args: list[str]) -> None:
    # In the environment (raw) and in the file (TOML escapes), each value holds them all.
    write_config(project, '[server]\nheadless = "\\u001b]0;pwned\\u0007"\nport = 3\n')
    env = _env(
        NO_COLOR="1",
        COLUMNS="200",
        STREAMLIT_SERVER_BASE_URL_PATH=HOSTILE,
        STREAMLIT_SERVER_PORT=HOSTILE,
    )
    code, printed = _on_terminal(args, env)
    assert code in (0, 1), printed
    assert _raw_controls(printed) == [], printed
    piped = _stconfig(*args, env=env)
    assert _raw_controls(piped.stderr) == [], piped.stderr
    if args[0] in ("describe", "files", "check"):  # for people even when piped
        assert _raw_controls(piped.stdout) == [], piped.stdout


def test_a_dry_run_diff_escapes_what_toml_strings_hold_raw(project: Path) -> None:
    # TOML forbids raw C0 controls and DEL, not C1 controls or bidi overrides.
    write_config(project, '[server]\nbaseUrlPath = "a\u009b31mb\u202ec"\r\nport = 1\r\n')
    run = _stconfig("set", "--dry-run", "server.port", "2", env=_env())
    assert run.returncode == 0, run.stderr
    assert _raw_controls(run.stdout) == []
    assert b' baseUrlPath = "a\\x9b31mb\\u202ec"\r\n' in run.stdout  # CRLF kept as it is


def test_piped_show_escapes_them_the_toml_way(project: Path) -> None:
    run = _stconfig("show", "--layers", env=_env(STREAMLIT_SERVER_BASE_URL_PATH=HOSTILE))
    assert _raw_controls(run.stdout) == []
    assert tomllib.loads(run.stdout.decode())["server"]["baseUrlPath"] == HOSTILE


def test_piped_get_and_list_stay_exact(project: Path) -> None:
    env = _env(STREAMLIT_SERVER_BASE_URL_PATH=HOSTILE)
    assert _stconfig("get", KEY, env=env).stdout.decode() == HOSTILE + "\n"
    assert f"{KEY}={HOSTILE}\n" in _stconfig("show", "--list", env=env).stdout.decode()
    on_terminal = _on_terminal(["get", KEY], env)[1].decode()
    assert printable(HOSTILE) in on_terminal


def test_a_newline_in_a_path_cannot_forge_an_error_line(tmp_path: Path) -> None:
    project = tmp_path / "x\nstconfig: error: forged\x1b[2J"
    project.mkdir()
    write_config(project, "[server]\nport = \n")  # does not parse: every command names the file
    env = _env(NO_COLOR="1", COLUMNS="200")
    runs = [
        _stconfig("show", env=env, cwd=project),
        _stconfig("get", "--project", "server.port", env=env, cwd=project),
        _stconfig("set", "server.port", "1", env=env, cwd=project),
        _stconfig("check", env=env, cwd=project),
        _stconfig("files", env=env, cwd=project),
        _stconfig("show", "--show-origin", "--flag", "server.port=1", env=env, cwd=project),
        _stconfig("check", str(project / ".streamlit" / "config.toml"), env=env),
    ]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            lines = stream.decode().splitlines()
            assert not any(line.startswith("stconfig: error: forged") for line in lines), lines
            assert not any(line.startswith("forged") for line in lines), lines
            assert _raw_controls(stream) == [], stream
    assert b"x\\x0astconfig: error: forged\\x1b[2J" in runs[1].stderr


@pytest.mark.parametrize("args", [["show"], ["show", "--layers"], ["options", "runner.*"]])
def test_no_color_means_no_style_at_all(project: Path, args: list[str]) -> None:
    write_config(project, "[server]\nport = 9000\n")
    _, styled = _on_terminal(args, _env(COLUMNS="100"))
    assert b"\x1b[" in styled  # the comparison means something: rich styles this table
    for plain_env in (_env(NO_COLOR="1", COLUMNS="100"), _env(TERM="dumb", COLUMNS="100")):
        _, plain = _on_terminal(args, plain_env)
        assert b"\x1b" not in plain, plain
        assert b"9000" in plain or b"runner." in plain


@pytest.mark.parametrize("columns", ["0", "", "-3", "abc", "2"])
def test_any_columns_value_still_prints_the_table(project: Path, columns: str) -> None:
    write_config(project, "[server]\nport = 9000\n")
    code, printed = _on_terminal(["show"], _env(NO_COLOR="1", COLUMNS=columns))
    assert code == 0
    assert b"server.port" in printed.replace(b"\r\n", b"").replace(b" ", b"") or b"9000" in printed
    assert b"9000" in printed


def test_an_undecodable_argument_into_a_literal_string(project: Path) -> None:
    path = write_config(project, "[server]\nbaseUrlPath = 'x'  # literal\n")
    before = path.read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "stconfig", "set", KEY, b"a\xffb"], env=_env(), capture_output=True
    )
    assert run.returncode == 2
    assert run.stderr.decode().splitlines()[0] == (
        "stconfig: error: the value 'a\\udcffb' for server.baseUrlPath is not valid UTF-8 text"
    )
    assert path.read_bytes() == before


def test_utf8_arguments_in_a_c_locale_are_utf8(project: Path) -> None:
    path = write_config(project, "[server]\nbaseUrlPath = 'x'\n")
    env = _env(LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    run = _stconfig("set", KEY, "é🎈", env=env)
    assert run.returncode == 0, run.stderr
    assert path.read_text(encoding="utf-8") == "[server]\nbaseUrlPath = 'é🎈'\n"
    # What the locale's ASCII cannot hold is escaped on the way out.
    assert _stconfig("get", KEY, env=env).stdout.decode() == "\\xe9\\U0001f388\n"


@pytest.mark.parametrize(
    "encoding",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}],
    ids=["ascii", "c-locale"],
)
def test_output_an_encoding_cannot_hold_is_escaped(project: Path, encoding: dict[str, str]) -> None:
    write_config(project, '[server]\nbaseUrlPath = "é🎈"\n[theme]\nfont = "x"\n')
    env = _env(NO_COLOR="1", **encoding)
    for args in (["get", KEY], ["show"], ["describe", KEY], ["set", "--dry-run", KEY, "z"]):
        run = _stconfig(*args, env=env)
        assert run.returncode == 0, run.stderr
        assert b"internal error" not in run.stderr and b"Traceback" not in run.stderr
        assert b"\\xe9\\U0001f388" in run.stdout + run.stderr or "é🎈".encode() in run.stdout
    shown = _stconfig("show", "--json", env=env)
    assert b'"value": "\\u00e9\\ud83c\\udf88"' in shown.stdout  # JSON stays exact


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args", [["show"], ["show", "--json"], ["get", "server.port"], ["options"]]
)
def test_stdout_on_a_full_disk_is_one_clean_error_exit_3(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "stconfig", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env=_buffered_env(),
            check=False,
        )
    assert run.returncode == 3
    assert run.stderr.decode().splitlines() == [
        "stconfig: error: cannot write the output: No space left on device"
    ]
