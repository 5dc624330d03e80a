"""Theme files (`theme.base = "themes/corp.toml"`): `show` gives each theme option the value and
source real Streamlit ends up with (1.67 follows the file, 1.40 does not), and `check`/`set` report
its errors as Streamlit's start does; proven with the real loader (tests/streamlit_oracle.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from real_start import oracle, start_env, stconfig
from typer.testing import CliRunner

from stconfig.cli.commands import app

THEME = """\
[theme]
base = "dark"
primaryColor = "#ff0000"
textColor = "#00ff00"
font = "monospace"
linkColor = "#555555"
bogus = 1

[theme.sidebar]
backgroundColor = "#222222"

[theme.light]
borderColor = "#333333"
"""
PROJECT = '[theme]\nbase = "themes/corp.toml"\nprimaryColor = "#111111"\n'
GLOBAL = '[theme]\nfont = "serif"\n'
ENV = {"STREAMLIT_THEME_LINK_COLOR": "#444444"}


def _line(text: str, table: str, name: str) -> int:
    """The 1-based line of `name = ...` under `[table]` in text written above."""
    lines = text.splitlines()
    start = lines.index(f"[{table}]")
    return next(i + 1 for i, line in enumerate(lines) if i > start and line.startswith(name))


def _expected_source(where: str, layout: dict[str, Path]) -> dict[str, Any]:
    """stconfig's source for Streamlit's where_defined (theme inheritance relabels them)."""
    if where.startswith("base theme file: "):
        return {"scope": "theme-file", "path": str(layout["theme"])}
    if where == "command-line argument or environment variable":
        return {"scope": "env"}
    path = where.split(": ", 1)[1] if where.startswith("config.toml") else where
    scope = "global" if path == str(layout["global"]) else "project"
    return {"scope": scope, "path": path}


@pytest.mark.slow
def test_values_and_sources_agree_with_streamlit(
    streamlit_python: Path, tmp_path: Path, stconfig_cache: Path
) -> None:
    """Every theme option Streamlit holds a value for, stconfig shows with that value and the
    source it came from: the theme file's line where the file gives it (1.67), the config file,
    env var or flag that wins over it otherwise; theme.base the file's own base."""
    home, project = tmp_path / "h", tmp_path / "p"
    (project / "themes").mkdir(parents=True)
    home.mkdir()
    theme = project / "themes" / "corp.toml"
    theme.write_text(THEME, encoding="utf-8")
    layout = {
        "theme": theme,
        "global": write_config(home, GLOBAL),
        "project": write_config(project, PROJECT),
    }
    env = start_env(home, streamlit_python, stconfig_cache, ENV)
    loaded = oracle(streamlit_python, project, env, [])
    assert loaded["status"] == "ok", loaded["error"]
    done = stconfig(project, env, "show", "--json", "theme")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)["options"]
    streamlit = {
        key: entry
        for key, entry in loaded["options"].items()
        if key.startswith("theme.") and entry["value"] is not None
    }
    assert set(shown) == set(streamlit), done.stderr
    for key, entry in streamlit.items():
        ours = shown[key]
        assert ours["value"] == entry["value"], key
        expected = _expected_source(entry["where_defined"], layout)
        assert {k: ours["source"].get(k) for k in expected} == expected, (key, ours["source"])
        if ours["source"]["scope"] == "theme-file":
            *section, name = key.split(".")
            assert ours["source"]["line"] == _line(THEME, ".".join(section), name), key
    follows = loaded["options"]["theme.base"]["value"] == "dark"
    assert follows == (loaded["streamlit_version"] != "1.40.0")
    report = json.loads(stconfig(project, env, "check", "--json").stdout)
    codes = sorted(finding["code"] for finding in report["findings"])
    # 1.67: the dropped option; 1.40: a base that is not light or dark, used as light.
    assert codes == (["theme-file"] if follows else ["theme-base"]), report["findings"]
    if follows:
        (finding,) = report["findings"]
        assert (finding["file"], finding["line"]) == (str(theme), _line(THEME, "theme", "bogus"))
        assert "'theme.bogus'" in loaded["stderr"]  # Streamlit's own warning


ERRORS = {
    "missing": ("no/such.toml", None, "Theme file not found"),
    "nested-base": ("t.toml", '[theme]\nbase = "other.toml"\n', "cannot reference another"),
    "section": ("t.toml", '[theme.header]\nfont = "serif"\n', "Invalid theme section"),
    "no-theme": ("t.toml", "[server]\nport = 1\n", "must contain a [theme] section"),
    "too-large": ("t.toml", "[theme]\n" + "# x\n" * 300_000, "is too large"),
    "empty-colour": ("t.toml", '[theme]\nprimaryColor = " "\n', "cannot be empty"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_theme_file_errors_stop_streamlit_and_check_says_so(
    case: str, tmp_path: Path, stconfig_cache: Path
) -> None:
    name, text, words = ERRORS[case]
    home, project = tmp_path / "h", tmp_path / "p"
    home.mkdir()
    project.mkdir()
    if text is not None:
        (project / name).write_text(text, encoding="utf-8")
    write_config(project, f'[theme]\nbase = "{name}"\n')
    python = Path(sys.executable)
    env = start_env(home, python, stconfig_cache, {})
    loaded = oracle(python, project, env, [])
    assert loaded["status"] == "error" and words in loaded["error"], loaded
    report = json.loads(stconfig(project, env, "check", "--json").stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert len(errors) == 1 and words in errors[0]["message"], report["findings"]
    code = "theme-base" if case == "missing" else "theme-file"
    assert errors[0]["code"] == code
    if case == "missing":  # placed at the theme.base line of the config
        assert errors[0]["line"] == 2 and errors[0]["file"].endswith("config.toml")


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_set_theme_base_checks_what_it_names(project: Path) -> None:
    result = run("set", "theme.base", "purple")
    assert result.exit_code == 2 and "Theme file not found" in result.stderr
    assert not (project / ".streamlit").exists()
    forced = run("set", "--force", "theme.base", "purple")
    assert forced.exit_code == 0 and "written anyway: --force" in forced.stderr
    (project / "corp.toml").write_text('[theme]\nprimaryColor = "#123456"\n')
    assert run("set", "theme.base", "corp.toml").exit_code == 0
    shown = json.loads(run("show", "--json", "theme.base", "theme.primaryColor").stdout)
    base = shown["options"]["theme.base"]
    # No base of its own: Streamlit's "default light theme", from the file.
    assert (base["value"], base["source"]["scope"], base["source"]["line"]) == (
        "light",
        "theme-file",
        None,
    )
    assert base["overridden"][0]["value"] == "corp.toml"
    assert shown["options"]["theme.primaryColor"]["source"]["line"] == 2


def test_a_url_base_is_not_fetched(project: Path) -> None:
    write_config(project, '[theme]\nbase = "https://example.invalid/theme.toml"\n')
    result = run("show", "--json", "theme.base")
    assert "stconfig does not fetch it" in result.stderr
    data = json.loads(result.stdout)["options"]["theme.base"]
    assert data["value"] == "https://example.invalid/theme.toml"
    found = json.loads(run("check", "--json").stdout)["findings"]
    assert [(f["code"], f["severity"]) for f in found] == [("theme-base", "warning")]


def test_check_file_follows_its_theme_base(project: Path) -> None:
    """`check FILE` checks the theme file FILE's theme.base names, from the project directory."""
    path = project / "team.toml"
    path.write_text('[theme]\nbase = "missing.toml"\n')
    result = run("check", "--json", str(path))
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["line"]) == ("theme-base", 2)
    assert str(project / "missing.toml") in finding["message"]


def test_a_hostile_theme_file_is_an_error_not_a_crash(project: Path) -> None:
    (project / "deep.toml").write_text("[theme]\nx = " + "[" * 2000 + "]" * 2000 + "\n")
    write_config(project, '[theme]\nbase = "deep.toml"\n')
    result = run("check", "--json")
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["code"] == "theme-file" and "Error loading theme file" in finding["message"]
    assert run("show").exit_code == 0
