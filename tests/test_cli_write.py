"""`stconfig set` and `unset` through the CLI: targets, validation, no-ops, dry runs, override
warnings, refusals, and real Streamlit reading what was written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import missing, write_config
from typer.testing import CliRunner

from stconfig.cli.commands import app

KEY = "runner.enforceSerializableSessionState"
NAME = KEY.split(".")[1]
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def config(directory: Path) -> Path:
    return directory / ".streamlit" / "config.toml"


def test_set_creates_the_project_file_and_says_what_changed(project: Path) -> None:
    result = run("set", KEY, "true")
    assert result.exit_code == 0, result.output
    assert config(project).read_text() == f"[runner]\n{NAME} = true\n"
    assert result.stdout == ""
    assert f"project .streamlit/config.toml:2 {KEY}: (not set) -> true" in result.stderr
    assert run("get", KEY).stdout == "true\n"


def test_set_changes_in_place_and_reports_the_line(project: Path) -> None:
    path = write_config(project, f"# team\n[server]\nport = 1\n\n[runner]\n{NAME} = false  # why\n")
    result = run("set", KEY, "on")
    assert result.exit_code == 0, result.output
    assert path.read_text() == f"# team\n[server]\nport = 1\n\n[runner]\n{NAME} = true  # why\n"
    assert f"config.toml:6 {KEY}: false -> true" in result.stderr


def test_same_value_writes_nothing(project: Path) -> None:
    path = write_config(project, f"[runner]\n{NAME} = true\n")
    os.utime(path, (1_000_000, 1_000_000))
    result = run("set", KEY, "YES")
    assert result.exit_code == 0, result.output
    assert "already true: nothing written" in result.stderr
    assert path.stat().st_mtime == 1_000_000


@pytest.mark.parametrize(
    ("key", "values", "written"),
    [
        (KEY, ["Off"], "false"),
        (KEY, ["t"], "true"),
        (KEY, ["0"], "false"),
        ("server.port", ["8502"], "8502"),
        ("server.maxUploadSize", ["300"], "300"),
        ("theme.baseRadius", ["0.5rem"], '"0.5rem"'),
        ("server.folderWatchList", ["src", "lib dir"], '["src", "lib dir"]'),
        ("client.toolbarMode", ["minimal"], '"minimal"'),
        ("theme.light.sidebar.primaryColor", ["#ff0000"], '"#ff0000"'),
    ],
)
def test_values_are_parsed_by_the_option_type(
    project: Path, key: str, values: list[str], written: str
) -> None:
    result = run("set", key, *values)
    assert result.exit_code == 0, result.output
    section, name = key.rsplit(".", 1)
    assert config(project).read_text() == f"[{section}]\n{name} = {written}\n"


def test_a_float_option_stays_a_float(project: Path) -> None:
    from stconfig.catalog.store import load_catalog

    floats = [spec.key for spec in load_catalog(None) if spec.type == "float"]
    if not floats:
        missing("this Streamlit has no float option")
    assert run("set", floats[0], "2").exit_code == 0
    section, name = floats[0].rsplit(".", 1)
    assert tomllib.loads(config(project).read_text())[section][name] == 2.0
    assert f"{name} = 2.0\n" in config(project).read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["runner.enforceSerializable", "true"],
            "did you mean 'runner.enforceSerializableSessionState'",
        ),
        ([KEY, "maybe"], "takes a bool"),
        ([KEY, "true", "false"], "exactly one value"),
        (["server.port", "80a"], "takes an integer"),
        (["client.toolbarMode", "tiny"], "takes one of"),
        (["runner.x y", "1"], "is not an option key"),
        (["runner.x=1", "1"], "is not an option key"),
        (["runner", "1"], "is not an option key"),
        ([KEY, "true", "--global", "--file", "x.toml"], "choose one target"),
        ([KEY, "true", "--script-dir"], "--script-dir needs --script"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    project: Path, args: list[str], message: str
) -> None:
    result = run("set", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("stconfig: error: ")
    assert message in result.stderr
    assert not (project / ".streamlit").exists()


def test_force_writes_an_unknown_key_with_a_warning(project: Path) -> None:
    result = run("set", "runner.notAnOption", "1", "--force")
    assert result.exit_code == 0, result.output
    assert "warning: unknown option 'runner.notAnOption'" in result.stderr
    assert config(project).read_text() == "[runner]\nnotAnOption = 1\n"
    assert run("unset", "runner.notAnOption").exit_code == 2
    assert run("unset", "runner.notAnOption", "--force").exit_code == 0
    assert config(project).read_text() == ""


def test_targets(home: Path, project: Path, tmp_path: Path) -> None:
    assert run("set", KEY, "true", "--global").exit_code == 0
    assert config(home).read_text() == f"[runner]\n{NAME} = true\n"
    script = tmp_path / "app" / "main.py"
    script.parent.mkdir()
    script.write_text("")
    assert run("set", KEY, "true", "--script", str(script), "--script-dir").exit_code == 0
    assert config(script.parent).is_file()
    other = tmp_path / "elsewhere" / "my.toml"
    refused = run("set", KEY, "false", "--file", str(other))
    # As git: --file names a file, and no directory is made for it.
    assert refused.exit_code == 3
    assert "elsewhere: no such directory" in refused.stderr
    assert not other.parent.exists()
    other.parent.mkdir()
    assert run("set", KEY, "false", "--file", str(other)).exit_code == 0
    assert other.read_text() == f"[runner]\n{NAME} = false\n"
    assert run("set", "server.port", "1", "--project").exit_code == 0
    assert config(project).read_text() == "[server]\nport = 1\n"


def test_dry_run_prints_a_diff_and_writes_nothing(project: Path) -> None:
    path = write_config(project, "[server]\nport = 1\n")
    result = run("set", KEY, "true", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "--- a/.streamlit/config.toml\n+++ b/.streamlit/config.toml\n"
        "@@ -1,2 +1,5 @@\n [server]\n port = 1\n+\n+[runner]\n+"
        f"{NAME} = true\n"
    )
    assert path.read_text() == "[server]\nport = 1\n"
    assert not (project / "missing").exists()
    result = run("unset", "server.port", "--dry-run")
    assert "-port = 1" in result.stdout
    assert path.read_text() == "[server]\nport = 1\n"


def test_dry_run_on_a_missing_file_creates_nothing(project: Path) -> None:
    result = run("set", KEY, "true", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+[runner]" in result.stdout
    assert not (project / ".streamlit").exists()


def test_warns_when_a_higher_layer_still_wins(home: Path, project: Path) -> None:
    write_config(project, f"[runner]\n{NAME} = false\n")
    result = run("set", KEY, "true", "--global")
    assert result.exit_code == 0, result.output
    assert f"warning: project {config(project)}:2 still overrides {KEY}" in result.stderr
    env = {"STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE": "false"}
    result = run("set", KEY, "true", env=env)
    assert "warning: env STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE still overrides" in (
        result.stderr
    )
    result = run("set", KEY, "true", "--no-env", "--flag", f"{KEY}=false", env=env)
    assert "env STREAMLIT" not in result.stderr
    assert f"warning: flag --{KEY} still overrides" in result.stderr
    assert "overrides" not in run("set", KEY, "true", "--no-env").stderr


def test_no_override_warning_when_the_winner_holds_the_same_value(project: Path) -> None:
    env = {"STREAMLIT_SERVER_PORT": "9000"}
    same = run("set", "server.port", "9000", "--json", env=env)
    assert same.exit_code == 0, same.output
    assert "overrides" not in same.stderr
    # JSON still lists the higher layer, with its value.
    assert json.loads(same.stdout)["overridden_by"] == [
        {"scope": "env", "name": "STREAMLIT_SERVER_PORT", "value": 9000}
    ]
    other = run("set", "server.port", "9001", env=env)
    assert (
        "warning: env STREAMLIT_SERVER_PORT still overrides server.port: Streamlit uses 9000"
        in (other.stderr)
    )


def test_override_warning_hides_a_secret(project: Path) -> None:
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": "from-the-env"}
    result = run("set", "server.cookieSecret", "in-the-file", env=env)
    assert result.exit_code == 0, result.output
    assert "still overrides server.cookieSecret: Streamlit uses <hidden>" in result.stderr
    assert "from-the-env" not in result.output and "in-the-file" not in result.output


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"[runner]\nx = = 1\n", ":2:5: TOML syntax error"),
        (b"[runner]\nx = 1\nx = 2\n", ":3:"),
        (b"\xef\xbb\xbf[runner]\n", ":1:1: starts with a UTF-8 byte order mark"),
        (b"[runner]\n# \xff\n", ":2:3: not valid UTF-8"),
        (b"a = {b = 1,}\n", ":1:12: TOML syntax error"),
    ],
)
def test_a_broken_file_is_never_written(project: Path, data: bytes, where: str) -> None:
    path = config(project)
    path.parent.mkdir()
    path.write_bytes(data)
    for args in (["set", KEY, "true"], ["unset", KEY], ["set", KEY, "true", "--dry-run"]):
        result = run(*args)
        assert result.exit_code == 3, result.output
        first, *rest = result.stderr.splitlines()
        assert first.startswith(f"stconfig: error: {path}{where}")
        assert rest and rest[0].startswith("hint: ")
        assert path.read_bytes() == data
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


def test_a_directory_in_place_of_the_file_exits_3(project: Path) -> None:
    config(project).mkdir(parents=True)
    result = run("set", KEY, "true")
    assert result.exit_code == 3, result.output
    assert "not a regular file" in result.stderr


def test_unset(project: Path) -> None:
    path = write_config(project, f"[server]\nport = 1\n\n[runner]\n{NAME} = true\n")
    result = run("unset", KEY)
    assert result.exit_code == 0, result.output
    assert path.read_text() == "[server]\nport = 1\n"
    assert f"config.toml:5 {KEY}: true -> (not set)" in result.stderr
    result = run("unset", KEY)
    assert result.exit_code == 1
    assert result.stderr == f"stconfig: {KEY} is not set in {path}\n"


def test_unset_on_a_missing_file_creates_nothing(project: Path) -> None:
    assert run("unset", KEY).exit_code == 1
    assert not (project / ".streamlit").exists()


def test_unset_a_removed_key_needs_no_force(project: Path) -> None:
    path = write_config(project, "[client]\ncaching = true\nshowErrorDetails = true\n")
    result = run("unset", "client.caching")
    assert result.exit_code == 0, result.output
    assert path.read_text() == "[client]\nshowErrorDetails = true\n"


def test_crlf_file_stays_crlf_and_symlink_stays_a_link(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "shared.toml"
    real.write_bytes(b"[runner]\r\nfastReruns = true\r\n")
    config(project).parent.mkdir()
    config(project).symlink_to(real)
    assert run("set", KEY, "true").exit_code == 0
    assert real.read_bytes() == f"[runner]\r\nfastReruns = true\r\n{NAME} = true\r\n".encode()
    assert config(project).is_symlink()


def test_json_output(project: Path) -> None:
    result = run("set", KEY, "true", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "action": "set",
        "key": KEY,
        "scope": "project",
        "path": str(config(project)),
        "line": 2,
        "old": None,
        "new": True,
        "changed": True,
        "written": True,
        "created": True,
        "overridden_by": [],
    }


def test_sensitive_values_are_never_printed(project: Path) -> None:
    result = run("set", "server.cookieSecret", "s3cr3t-value", "--json")
    assert result.exit_code == 0, result.output
    assert "s3cr3t" not in result.output
    assert 'cookieSecret = "s3cr3t-value"' in config(project).read_text()


def test_quiet_says_nothing(project: Path) -> None:
    result = run("set", KEY, "true", "-q")
    assert result.exit_code == 0
    assert result.output == ""


def test_python_m_stconfig_set(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stconfig", "set", KEY, "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert config(project).read_text() == f"[runner]\n{NAME} = true\n"


ORACLE = Path(__file__).with_name("streamlit_oracle.py")


def test_real_streamlit_reads_what_set_wrote(home: Path, project: Path, tmp_path: Path) -> None:
    """Every form tomledit writes into, then Streamlit's own loader (`streamlit run`'s path)."""
    write_config(
        project,
        "# made by hand\r\nrunner.fastReruns = true\r\n[theme]\r\nbase = 'dark'\r\n"
        "[server]\r\n# port = 8501\r\nheadless = true",
    )
    write_config(home, "[browser]\ngatherUsageStats = false\n")
    changes = {
        KEY: ["true"],
        "server.port": ["8765"],
        "theme.base": ["light"],
        "server.folderWatchList": ["a", "b"],
        "theme.light.sidebar.primaryColor": ["#00ff00"],
        "browser.serverAddress": ["example.test"],
    }
    for key, values in changes.items():
        target = ["--global"] if key.startswith("browser.") else []
        result = run("set", key, *values, *target)
        assert result.exit_code == 0, result.output
    script = project / "app.py"
    script.write_text("")
    out = tmp_path / "oracle.json"
    subprocess.run(
        [sys.executable, str(ORACLE), str(out), str(script)],
        cwd=project,
        env={**os.environ, "HOME": str(home)},
        check=True,
        capture_output=True,
    )
    seen = json.loads(out.read_text())
    assert seen["status"] == "ok", seen
    options = seen["options"]
    assert options[KEY]["value"] is True
    assert options["runner.fastReruns"]["value"] is True
    assert options["server.port"]["value"] == 8765
    assert options["theme.base"]["value"] == "light"
    assert options["server.folderWatchList"]["value"] == ["a", "b"]
    assert options["theme.light.sidebar.primaryColor"]["value"] == "#00ff00"
    assert options["browser.serverAddress"]["value"] == "example.test"
    assert options[KEY]["where_defined"] == str(config(project))
    # And the CRLF file is still all CRLF with no final newline added.
    data = config(project).read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert not data.endswith(b"\n")


def _stconfig(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stconfig", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["set", KEY, "true"],
        ["set", KEY, "no"],  # already false: a no-op
        ["set", "server.folderWatchList", "a", "b", "--dry-run"],
        ["set", "runner.enforceSerializable", "true"],
        ["set", "server.port", "x"],
        ["set", KEY, "false", "--json"],
        ["unset", KEY, "--dry-run"],
        ["unset", "server.port"],
        ["unset", KEY],
    ],
)
def test_fast_path_and_typer_path_agree(project: Path, tmp_path: Path, args: list[str]) -> None:
    """`python -m stconfig set/unset` skips Typer; both paths give the same bytes and exits."""
    fast_dir, typer_dir = tmp_path / "fast", tmp_path / "typer"
    outputs = []
    for directory in (fast_dir, typer_dir):
        write_config(directory, f"# mine\n[runner]\n{NAME} = false\n")
    fast = _stconfig(*args, cwd=fast_dir)
    os.chdir(typer_dir)
    slow = run(*args)
    for result_dir, (code, out, err) in (
        (fast_dir, (fast.returncode, fast.stdout, fast.stderr)),
        (typer_dir, (slow.exit_code, slow.stdout, slow.stderr)),
    ):
        outputs.append(
            (code, out.replace(str(result_dir), "DIR"), err.replace(str(result_dir), "DIR"))
        )
        outputs.append(config(result_dir).read_bytes())
    assert outputs[0:2] == outputs[2:4]


def test_a_held_lock_makes_set_wait_then_exit_3(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stconfig import durable

    monkeypatch.setattr(durable, "LOCK_TIMEOUT", 0.2)
    path = write_config(project, "[server]\nport = 1\n")
    lock = path.with_name("config.toml.lock")
    lock.write_text("another writer's new text")
    result = run("set", KEY, "true")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"stconfig: error: {lock}: is held by another writer\nhint: ")
    assert path.read_text() == "[server]\nport = 1\n"
    assert lock.read_text() == "another writer's new text"


def test_config_show_output_gets_a_precise_hint(project: Path) -> None:
    path = write_config(
        project,
        "# Below are all the sections and options you can have in\n"
        "~/.streamlit/config.toml.\n\n[runner]\n# enforceSerializableSessionState = false\n",
    )
    result = run("set", KEY, "true")
    assert result.exit_code == 3
    assert f"{path}:2:1: TOML syntax error" in result.stderr
    assert "`streamlit config show` output" in result.stderr
    assert "before line 2" in result.stderr


def test_real_config_show_file_gets_the_key_after_its_commented_line(
    home: Path, project: Path
) -> None:
    """`streamlit config show > config.toml` is refused with a precise hint; once its header is
    commented out, `set` puts the key right under `# enforceSerializableSessionState = false`."""
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=project,
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = write_config(project, shown)
    refused = run("set", KEY, "true")
    assert refused.exit_code == 3
    assert "`streamlit config show` output" in refused.stderr
    header, sep, rest = shown.partition("\n[")
    fixed = "\n".join(
        line if not line.strip() or line.lstrip().startswith("#") else "# " + line
        for line in header.split("\n")
    )
    before = fixed + sep + rest
    path.write_text(before)
    result = run("set", KEY, "true")
    assert result.exit_code == 0, result.output
    after = path.read_text().split("\n")
    line = int(result.stderr.split("config.toml:")[1].split(" ")[0])
    assert after[line - 1] == f"{NAME} = true"
    assert after[line - 2] == f"# {NAME} = false"
    assert after[: line - 1] + after[line:] == before.split("\n")


def test_script_dir_target_warns_when_streamlit_reads_no_script_config(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from stconfig.catalog.store import load_catalog
    from stconfig.resolve import Context

    old_streamlit = dataclasses.replace(load_catalog(None), reads_script_config=False)
    monkeypatch.setattr(Context, "catalog", lambda self: old_streamlit)
    script = project / "app" / "main.py"
    script.parent.mkdir()
    script.write_text("")
    result = run("set", KEY, "true", "--script", str(script), "--script-dir")
    assert result.exit_code == 0, result.output
    assert "reads no script-level config" in result.stderr
    assert config(script.parent).is_file()


def test_global_with_a_missing_home_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "no-such-home"
    monkeypatch.setenv("HOME", str(gone))
    result = run("set", KEY, "true", "--global")
    assert result.exit_code == 3
    assert f"{gone}: no such directory" in result.stderr
    assert not gone.exists()


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("theme.sidebar.light.primaryColor", "[theme.sidebar.light] is not a valid theme section"),
        ("server.port.x", "server.port is an option, and server.port.x would make it a table"),
        ("theme.sidebar", "'theme.sidebar' is not a table"),
    ],
)
def test_force_still_refuses_what_streamlit_cannot_start_with(
    project: Path, key: str, why: str
) -> None:
    """--force writes a key Streamlit ignores, never one that stops `streamlit run`."""
    path = write_config(project, "[server]\nheadless = true\n")
    result = run("set", key, "red", "--force")
    assert result.exit_code == 2, result.output
    assert why in result.stderr
    assert "Streamlit fails to start" in result.stderr
    assert path.read_text() == "[server]\nheadless = true\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


def test_set_says_it_creates_a_file_and_points_at_a_parent_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a subdirectory of a project, `set` creates sub/.streamlit/config.toml: it says so and
    names the parent's config.toml the user probably meant."""
    parent = write_config(tmp_path / "repo", "[server]\nport = 8600\n")
    sub = tmp_path / "repo" / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    dry = run("set", "--dry-run", "server.port", "8700")
    assert "would create .streamlit/config.toml" in dry.stderr
    result = run("set", "server.port", "8700")
    assert result.exit_code == 0, result.output
    assert "stconfig: created .streamlit/config.toml\n" in result.stderr
    assert f"{parent} is the config of a parent directory" in result.stderr
    assert f"-C {tmp_path / 'repo'}" in result.stderr
    again = run("set", "--json", "server.port", "8800")
    assert json.loads(again.stdout)["created"] is False
    assert "created" not in again.stderr and "parent directory" not in again.stderr
