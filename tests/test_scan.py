"""`stconfig scan`: a monorepo built here, with apps found by launch files and by entry names,
pages and modules that are not apps, decoys in a virtualenv and node_modules; each app's start
directory, layers, effective value and source, and its config files' errors; JSON, text,
--expect, --key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import on_terminal, write_config
from typer.testing import CliRunner

from stconfig.cli.commands import app
from stconfig.scan import find_apps

KEY = "runner.enforceSerializableSessionState"
NAME = "enforceSerializableSessionState"
ST = "import streamlit as st\n"
runner = CliRunner()


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def repo(tmp_path: Path, home: Path) -> Path:
    """Five apps, each found another way, with their config files; and what must not count."""
    root = tmp_path / "repo"
    write_config(home, f"[runner]\n{NAME} = false\n[server]\nport = 8600\n")
    # Procfile: the start directory is where it cd's to; the script is not an entry name.
    put(
        root / "Procfile",
        "web: cd services/api_ui && streamlit run dashboard.py --server.port $PORT\n",
    )
    put(root / "services/api_ui/dashboard.py", ST + "st.write('api')\n")
    write_config(root / "services/api_ui", f"[runner]\n{NAME} = true\n")
    # A Dockerfile: the script as copied into the image, found by its path's end.
    put(
        root / "services/worker/Dockerfile",
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
        'CMD ["streamlit", "run", "src/worker_app.py", "--server.port=8501"]\n',
    )
    put(root / "services/worker/src/worker_app.py", ST)
    # A Makefile starts ops from the root: ops' own .streamlit/ is its script-level file.
    put(root / "Makefile", ".PHONY: ops\nops:\n\tpython -m streamlit run apps/ops/main.py\n")
    put(root / "apps/ops/main.py", ST)
    write_config(root / "apps/ops", f"[runner]\n{NAME} = true\n")
    # A workflow starts sales from its directory; its file holds a string "false" (truthy).
    put(
        root / ".github/workflows/ci.yml",
        "jobs:\n  smoke:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n"
        "        working-directory: apps/sales\n    steps:\n"
        "      - run: streamlit run streamlit_app.py --server.headless true &\n",
    )
    put(root / "apps/sales/streamlit_app.py", ST + "st.title('sales')\n")
    write_config(root / "apps/sales", f'[runner]\n{NAME} = "false"\n')
    put(root / "apps/sales/pages/1_Report.py", ST + "from lib.app import chart\n")
    put(root / "apps/sales/pages/app.py", ST)  # an entry name, but a page
    put(root / "apps/sales/lib/__init__.py", "")
    put(root / "apps/sales/lib/app.py", ST + "def chart(): ...\n")  # a module of a page
    # Found by its name only; its project file is broken, so the global value counts.
    put(root / "apps/hr/Home.py", ST)
    write_config(root / "apps/hr", f"[runner]\n{NAME} = \n")
    # st.navigation pages are pages, not apps.
    put(
        root / "apps/nav/streamlit_app.py",
        ST + 'st.navigation([st.Page("views/main.py"), st.Page("views/other_app.py")]).run()\n',
    )
    put(root / "apps/nav/views/main.py", ST)
    put(root / "apps/nav/views/other_app.py", ST)
    # Not apps: a script that does not import streamlit, and decoys where no app lives.
    put(root / "tools/main.py", "print('a tool')\n")
    put(root / ".venv/pyvenv.cfg", "home = /usr/bin\n")
    put(root / ".venv/lib/python3.12/site-packages/demo/app.py", ST)
    put(root / "envs/py312/pyvenv.cfg", "home = /usr/bin\n")
    put(root / "envs/py312/lib/streamlit_app.py", ST)
    put(root / "frontend/node_modules/pkg/app.py", ST)
    put(root / "build/lib/app.py", ST)
    put(root / "deploy/start.sh", "#!/bin/sh\nstreamlit run missing_app.py\n")
    return root


def scan(*args: str) -> Any:
    return runner.invoke(app, ["scan", *args])


def scan_json(root: Path, *args: str) -> list[dict[str, Any]]:
    result = scan(str(root), "--json", *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["root"] == str(root)
    apps: list[dict[str, Any]] = data["apps"]
    return apps


def rel(path: str, root: Path) -> str:
    return str(Path(path).relative_to(root)) or "."


EXPECTED = [
    # script, start directory, found by, enforced, source scope
    ("apps/hr/Home.py", "apps/hr", "entry-name", False, "global"),
    ("apps/nav/streamlit_app.py", "apps/nav", "entry-name", False, "global"),
    ("apps/ops/main.py", ".", "Makefile:3", True, "script"),
    ("apps/sales/streamlit_app.py", "apps/sales", ".github/workflows/ci.yml:8", True, "project"),
    ("services/api_ui/dashboard.py", "services/api_ui", "Procfile:1", True, "project"),
    (
        "services/worker/src/worker_app.py",
        "services/worker",
        "services/worker/Dockerfile:4",
        False,
        "global",
    ),
]


def test_scan_finds_every_app_once_with_its_start_directory_and_value(repo: Path) -> None:
    apps = scan_json(repo)
    found = [
        (
            rel(a["script"], repo),
            rel(a["project_dir"], repo),
            a["found_by"],
            a["enforced"],
            a["source"]["scope"],
        )
        for a in apps
    ]
    assert found == EXPECTED
    sales = apps[3]
    assert sales["value"] == "false"  # stored as a string, which Streamlit treats as true
    assert sales["source"] == {
        "scope": "project",
        "path": str(repo / "apps/sales/.streamlit/config.toml"),
        "line": 2,
    }
    assert sales["key"] == KEY and sales["streamlit_version"] == "1.67.0"


def test_each_app_lists_its_layers(repo: Path, home: Path) -> None:
    by_script = {rel(a["script"], repo): a for a in scan_json(repo)}
    ops = by_script["apps/ops/main.py"]["layers"]
    assert [(layer["scope"], layer["path"], layer["exists"]) for layer in ops] == [
        ("global", str(home / ".streamlit/config.toml"), True),
        ("project", str(repo / ".streamlit/config.toml"), False),
        ("script", str(repo / "apps/ops/.streamlit/config.toml"), True),
    ]
    hr = by_script["apps/hr/Home.py"]["layers"]
    assert hr[1]["error"] is not None and "TOML syntax error" in hr[1]["error"]


def test_each_app_carries_check_errors_of_its_files(repo: Path) -> None:
    errors = {rel(a["script"], repo): [e["code"] for e in a["errors"]] for a in scan_json(repo)}
    assert errors == {
        "apps/hr/Home.py": ["toml-syntax"],
        "apps/nav/streamlit_app.py": [],
        "apps/ops/main.py": [],
        "apps/sales/streamlit_app.py": ["wrong-type"],
        "services/api_ui/dashboard.py": [],
        "services/worker/src/worker_app.py": [],
    }


def test_a_broken_global_file_is_an_error_of_every_app(repo: Path, home: Path) -> None:
    write_config(home, "[runner]\nnosuch = 1\n")
    apps = scan_json(repo)
    assert all([e["code"] for e in a["errors"]][:1] == ["unknown-key"] for a in apps)


def test_text_lines_when_piped(repo: Path) -> None:
    result = scan(str(repo))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "apps/hr/Home.py\tfalse\tglobal ~/.streamlit/config.toml:2\tapps/hr\tentry-name"
    )
    assert lines[1].startswith("  apps/hr/.streamlit/config.toml:2:")
    assert lines[1].endswith("[toml-syntax]")
    assert 'apps/sales/streamlit_app.py\t"false"\tproject apps/sales/.streamlit/config.toml:2' in (
        result.stdout
    )
    assert f"6 apps under {repo}: {KEY} on in 3, off in 3; 2 with errors" in result.stderr
    # A launch file naming a script that is not there is said, not scanned.
    assert "deploy/start.sh:2: streamlit run missing_app.py: no such script here" in result.stderr


def test_expect_fails_when_any_app_differs(repo: Path) -> None:
    result = scan(str(repo), "--expect", "enforced")
    assert result.exit_code == 1
    assert "expected enforced: apps/hr/Home.py is not" in result.stderr
    assert "apps/ops/main.py is not" not in result.stderr
    assert scan(str(repo), "--expect", "not-enforced").exit_code == 1
    # Scanned alone, ops starts from its own directory: its file is the project file.
    assert scan(str(repo / "apps/ops"), "--expect", "enforced").exit_code == 0
    assert scan(str(repo / "services/worker"), "--expect", "not-enforced").exit_code == 0


def test_expect_with_no_app_is_a_negative_answer(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = scan(str(empty))
    assert (result.exit_code, result.stdout) == (0, "")
    assert f"0 apps under {empty}" in result.stderr
    assert scan(str(empty), "--expect", "enforced").exit_code == 1


def test_key_reports_another_option(repo: Path, home: Path) -> None:
    apps = scan_json(repo, "--key", "server.port")
    assert {a["value"] for a in apps} == {8600}
    assert {a["enforced"] for a in apps} == {None}  # not a bool option
    assert apps[0]["source"] == {
        "scope": "global",
        "path": str(home / ".streamlit/config.toml"),
        "line": 4,
    }


def test_key_must_be_an_option_and_expect_needs_a_bool(repo: Path) -> None:
    result = scan(str(repo), "--key", "server.prot")
    assert result.exit_code == 2
    assert "unknown option 'server.prot'" in result.stderr and "server.port" in result.stderr
    result = scan(str(repo), "--key", "server.port", "--expect", "enforced")
    assert result.exit_code == 2
    assert "--expect needs a bool option" in result.stderr


def test_a_directory_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = scan(str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stderr.startswith("stconfig: error: ")
    assert "is not a directory" in result.stderr


def test_scan_defaults_to_the_current_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "apps/sales")
    result = scan("--json")
    assert [rel(a["script"], repo) for a in json.loads(result.stdout)["apps"]] == [
        "apps/sales/streamlit_app.py"
    ]


def test_decoys_pages_and_modules_are_not_apps(repo: Path) -> None:
    apps, skipped = find_apps(repo)
    scripts = {rel(str(a.script), repo) for a in apps}
    for not_an_app in (
        "apps/sales/pages/app.py",
        "apps/sales/lib/app.py",
        "apps/nav/views/main.py",
        "apps/nav/views/other_app.py",
        "tools/main.py",
        ".venv/lib/python3.12/site-packages/demo/app.py",
        "envs/py312/lib/streamlit_app.py",
        "frontend/node_modules/pkg/app.py",
        "build/lib/app.py",
    ):
        assert not_an_app not in scripts
    assert [(s.found_by, s.script) for s in skipped] == [("deploy/start.sh:2", "missing_app.py")]


def test_an_entry_script_of_its_own_is_an_app_even_beside_pages(tmp_path: Path) -> None:
    """`pages/` without a main script beside it is no app's pages: its entry scripts count."""
    root = tmp_path / "r"
    put(root / "pages/app.py", ST)
    apps, _ = find_apps(root)
    assert [rel(str(a.script), root) for a in apps] == ["pages/app.py"]


@pytest.mark.parametrize(
    ("name", "text", "start"),
    [
        ("run.sh", '#!/bin/sh\ncd "$(dirname "$0")"\nexec streamlit run ui/app.py\n', "."),
        ("run.sh", "#!/bin/sh\ncd ui\nstreamlit run app.py\n", "ui"),
        ("pyproject.toml", '[tool.poe.tasks]\nui = "streamlit run ui/app.py"\n', "."),
        (
            ".devcontainer/devcontainer.json",
            '{"postAttachCommand": "cd ui && streamlit run app.py"}\n',
            "ui",
        ),
        ("Procfile", "web: streamlit \\\n  run ui/app.py\n", "."),
        (
            ".github/workflows/smoke.yml",
            "jobs:\n  a:\n    defaults:\n      run:\n        working-directory: nowhere\n"
            "    steps:\n      - name: other\n        working-directory: elsewhere\n"
            "        run: make\n      - name: smoke\n        run: |\n"
            "          streamlit run app.py &\n        working-directory: ui\n",
            "ui",
        ),
        (
            ".github/workflows/smoke.yml",
            "jobs:\n  a:\n    defaults:\n      run:\n        working-directory: ui\n"
            "    steps:\n      - name: other\n        working-directory: elsewhere\n"
            "        run: make\n      - run: streamlit run app.py\n",
            "ui",
        ),
    ],
)
def test_launch_files_give_the_start_directory(
    tmp_path: Path, name: str, text: str, start: str
) -> None:
    root = tmp_path / "r"
    put(root / name, text)
    put(root / "ui/app.py", ST)
    apps, skipped = find_apps(root)
    assert skipped == []
    assert [(rel(str(a.script), root), rel(str(a.project_dir), root)) for a in apps] == [
        ("ui/app.py", start)
    ]
    assert apps[0].found_by.startswith(name + ":")


def test_scan_imports_no_streamlit_nor_typer(repo: Path) -> None:
    """A real process: Streamlit is never imported, and a plain call takes the fast path
    (no Typer); rich only draws tables on a terminal."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'streamlit', 'typer', 'pydantic', 'rich'}), file=sys.stderr))\n"
        f"sys.argv = ['stconfig', 'scan', {str(repo)!r}, '--json']\n"
        "from stconfig.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["apps"]) == len(EXPECTED)
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("dockerfile", "start"),
    [
        ('WORKDIR /app\nCOPY ui/ .\nCMD ["streamlit", "run", "app.py"]\n', "ui"),
        ("WORKDIR /srv\nCOPY . .\nCMD streamlit run /srv/ui/app.py\n", "."),
        ("COPY ui /opt/ui\nCMD streamlit run /opt/ui/app.py\n", "."),
    ],
)
def test_a_dockerfile_script_is_found_as_copied_into_the_image(
    tmp_path: Path, dockerfile: str, start: str
) -> None:
    root = tmp_path / "r"
    put(root / "Dockerfile", dockerfile)
    put(root / "ui/app.py", ST)
    put(root / "other/deeper/ui/app.py", "print('not streamlit')\n")
    apps, skipped = find_apps(root)
    assert skipped == []
    assert [
        (rel(str(a.script), root), rel(str(a.project_dir), root), a.found_by) for a in apps
    ] == [("ui/app.py", start, f"Dockerfile:{dockerfile.count(chr(10))}")]


def test_a_bare_name_in_a_dockerfile_is_not_looked_for_elsewhere(tmp_path: Path) -> None:
    root = tmp_path / "r"
    put(root / "deploy/Dockerfile", "WORKDIR /app\nCMD streamlit run app.py\n")
    put(root / "other/app.py", ST)
    apps, skipped = find_apps(root)
    assert [a.found_by for a in apps] == ["entry-name"]
    assert [(s.found_by, s.script) for s in skipped] == [("deploy/Dockerfile:2", "app.py")]


def test_a_module_of_one_app_does_not_hide_another_app(tmp_path: Path) -> None:
    """`import main` in apps/a means apps/a/main.py, not the main.py at the root."""
    root = tmp_path / "r"
    put(root / "main.py", ST)
    put(root / "apps/a/streamlit_app.py", ST + "import main\n")
    put(root / "apps/a/main.py", ST)
    apps, _ = find_apps(root)
    assert [rel(str(a.script), root) for a in apps] == ["apps/a/streamlit_app.py", "main.py"]


def test_a_secret_is_never_shown(repo: Path) -> None:
    write_config(repo / "apps/ops", "[server]\ncookieSecret = 'hunter2'\n")
    apps = {rel(a["script"], repo): a for a in scan_json(repo, "--key", "server.cookieSecret")}
    assert apps["apps/ops/main.py"]["value"] == "<hidden>"
    result = scan(str(repo), "--key", "server.cookieSecret")
    assert "hunter2" not in result.stdout + result.stderr


def test_a_table_on_a_terminal(repo: Path) -> None:
    """On a terminal: a table with every app, then its files' errors; piped output stays plain."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "200"}
    code, seen = on_terminal([sys.executable, "-m", "stconfig", "scan", str(repo)], env)
    assert code == 0
    text = seen.decode()
    assert "\t" not in text
    assert "starts in" in text and "found by" in text
    for script, _start, found_by, *_ in EXPECTED:
        assert script in text and found_by in text
    assert "error apps/hr/.streamlit/config.toml:2:35: TOML syntax error" in text


def test_each_app_is_read_as_its_own_streamlit_reads_it(
    tmp_path: Path, streamlit_140_python: Path
) -> None:
    """An app whose start directory has a .venv with Streamlit 1.40 gets 1.40's catalog: no
    script-level file, and keys 1.40 does not know are errors there only."""
    root = tmp_path / "r"
    for name in ("new", "old"):
        put(root / name / "app.py", ST)
        put(root / name / "ui" / "main.py", ST)
        put(root / name / "Makefile", "ui:\n\tstreamlit run ui/main.py\n")
        write_config(root / name / "ui", f"[runner]\n{NAME} = true\n")
        write_config(root / name, "[server]\nfolderWatchList = ['src']\n")
    (root / "old" / ".venv").symlink_to(streamlit_140_python.parents[1])
    apps = {rel(a["script"], root): a for a in scan_json(root)}
    assert {k: a["streamlit_version"] for k, a in apps.items()} == {
        "new/app.py": "1.67.0",
        "new/ui/main.py": "1.67.0",
        "old/app.py": "1.40.0",
        "old/ui/main.py": "1.40.0",
    }
    assert apps["new/ui/main.py"]["source"]["scope"] == "script"
    assert apps["new/ui/main.py"]["enforced"] is True
    assert apps["old/ui/main.py"]["source"] == {"scope": "default"}  # 1.40 reads no script file
    assert [layer["scope"] for layer in apps["old/ui/main.py"]["layers"]] == ["global", "project"]
    assert [e["key"] for e in apps["old/app.py"]["errors"]] == ["server.folderWatchList"]
    assert apps["new/app.py"]["errors"] == []
