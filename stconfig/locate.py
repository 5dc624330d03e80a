"""Where each config file layer lives, following Streamlit's own path rules.

global: `$HOME/.streamlit/config.toml`; project: `<cwd>/.streamlit/config.toml` (no parent search);
script: `<dir of abspath(main script)>/.streamlit/config.toml`, skipped when it is another one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stconfig.errors import UsageError
from stconfig.model import Scope

CONFIG_DIR = ".streamlit"
CONFIG_FILE = "config.toml"
SECRETS_FILE = "secrets.toml"


def config_file_in(directory: Path) -> Path:
    return directory / CONFIG_DIR / CONFIG_FILE


def home_dir(env: Mapping[str, str]) -> Path:
    """`Path.home()` as Streamlit sees it: `$HOME` when set, else the password database."""
    home = env.get("HOME")
    return Path(home) if home else Path.home()


def project_dir_from(option: Path | None) -> Path:
    """The directory `streamlit run` would start in; `os.getcwd()` there is the physical path."""
    if option is None:
        return Path.cwd()
    if not option.is_dir():
        raise UsageError(f"project directory {str(option)!r} is not a directory")
    return option.resolve()


@dataclass(frozen=True)
class FileLayerPath:
    scope: Scope
    path: Path


def file_layer_paths(
    home: Path, project_dir: Path, script: Path | None, reads_script_config: bool
) -> list[FileLayerPath]:
    """The config files Streamlit reads, lowest precedence first, each path once."""
    global_path = config_file_in(home)
    project_path = config_file_in(project_dir)
    paths = [FileLayerPath(Scope.GLOBAL, global_path)]
    # With the project directory at $HOME Streamlit reads the same file twice; once is the truth.
    if project_path != global_path:
        paths.append(FileLayerPath(Scope.PROJECT, project_path))
    if script is not None and reads_script_config:
        script_path = script_config_path(script)
        if script_path not in (global_path, project_path):
            paths.append(FileLayerPath(Scope.SCRIPT, script_path))
    return paths


def script_config_path(script: Path) -> Path:
    # abspath, not resolve: Streamlit does not follow symlinks here.
    return config_file_in(Path(os.path.abspath(script)).parent)


def parent_config_file(project_dir: Path, home: Path) -> Path | None:
    """The nearest parent's `.streamlit/config.toml` when the project has none: Streamlit will
    not read it. A parent `.streamlit/` holding only secrets.toml or local_id.txt is no config;
    `$HOME/.streamlit/config.toml` is the global layer, which Streamlit does read."""
    if config_file_in(project_dir).exists():
        return None
    for parent in project_dir.parents:
        candidate = config_file_in(parent)
        if parent != home and candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class TargetChoice:
    """Which one of --project, --global, --script-dir and --file the user gave."""

    project: bool = False
    global_: bool = False
    script_dir: bool = False
    file: Path | None = None


@dataclass(frozen=True)
class Target:
    """The one file a write (or a scoped `get`) works on."""

    scope: Scope  # global, project, script, or file for --file
    path: Path


def choose_target(
    home: Path, project_dir: Path, script: Path | None, choice: TargetChoice
) -> Target | None:
    """The file named by --project/--global/--script-dir/--file, or None when none is given."""
    chosen = [
        flag
        for flag, on in (
            ("--project", choice.project),
            ("--global", choice.global_),
            ("--script-dir", choice.script_dir),
            ("--file", choice.file is not None),
        )
        if on
    ]
    if len(chosen) > 1:
        raise UsageError(f"choose one target, not {' and '.join(chosen)}")
    if choice.global_:
        return Target(Scope.GLOBAL, config_file_in(home))
    if choice.script_dir:
        if script is None:
            raise UsageError("--script-dir needs --script PATH")
        return Target(Scope.SCRIPT, script_config_path(script))
    if choice.file is not None:
        return Target(Scope.FILE, Path(os.path.abspath(choice.file)))
    if choice.project:
        return Target(Scope.PROJECT, config_file_in(project_dir))
    return None


def display_path(path: Path) -> str:
    """The path relative to the current directory when it is below it, else absolute."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=64)
def _display_path(path: str, cwd: str) -> str:
    # Cached: `check` names the same file in each of its (maybe thousands of) findings.
    try:
        return str(Path(os.path.abspath(path)).relative_to(cwd))
    except ValueError:
        return path
