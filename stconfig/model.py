"""The words of the resolution model: scopes in precedence order, sources, layers, resolved values.

A *layer* is one place Streamlit reads settings from (a file, the environment, the flags). A
*setting* is one key's value in one layer, with its *source* (file and line, env var or flag). The
*resolution* of a key is the setting of the highest layer that sets it, plus the ones it overrides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

# A value as Streamlit stores it: whatever TOML or click produced (bool, int, str, list...).
Value = Any


class Scope(StrEnum):
    """Where a value comes from (`PRECEDENCE` orders the layers Streamlit reads)."""

    DEFAULT = "default"
    # The TOML theme file theme.base names (Streamlit 1.67's theme inheritance): its values fill
    # only the theme options no other layer sets, so it ranks right above the defaults.
    THEME_FILE = "theme-file"
    GLOBAL = "global"
    PROJECT = "project"
    SCRIPT = "script"
    ENV = "env"
    FLAG = "flag"
    # Not a layer Streamlit reads: a file named with `--file`, outside the precedence order.
    FILE = "file"

    @property
    def is_file(self) -> bool:
        return self in FILE_SCOPES


FILE_SCOPES = (Scope.THEME_FILE, Scope.GLOBAL, Scope.PROJECT, Scope.SCRIPT, Scope.FILE)
# The layers Streamlit reads, lowest precedence first: each one overrides those before it
# (theme.base alone is the theme file's: the file's own base, else "light").
PRECEDENCE = (
    Scope.DEFAULT,
    Scope.THEME_FILE,
    Scope.GLOBAL,
    Scope.PROJECT,
    Scope.SCRIPT,
    Scope.ENV,
    Scope.FLAG,
)


@dataclass(frozen=True)
class Position:
    """A place in a file: its path, and the 1-based line and column where they are known."""

    path: Path | None = None
    line: int | None = None
    column: int | None = None

    def text(self, shown_path: str | None = None) -> str:
        """`file:line:column`, as far as it is known; `shown_path` replaces the path's text."""
        parts = [shown_path if shown_path is not None else str(self.path)]
        for part in (self.line, self.column):
            if part is None:
                break
            parts.append(str(part))
        return ":".join(parts)


@dataclass(frozen=True)
class Source:
    """Where one value was defined: a file line, an env var, a flag, or Streamlit's default."""

    scope: Scope
    position: Position | None = None  # files only
    name: str | None = None  # env var name or flag name
    env_ref: str | None = None  # a file value written as "env:NAME" was read from env var NAME

    @property
    def path(self) -> Path | None:
        return self.position.path if self.position else None

    @property
    def line(self) -> int | None:
        return self.position.line if self.position else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"scope": self.scope.value}
        if self.scope.is_file:
            data["path"] = str(self.path)
            data["line"] = self.line
            if self.env_ref is not None:
                data["env_ref"] = self.env_ref
        elif self.scope in (Scope.ENV, Scope.FLAG):
            data["name"] = self.name
        return data

    def describe(self, shown_path: str | None = None) -> str:
        """Short human form: `project /p/.streamlit/config.toml:3`, `env STREAMLIT_X`, `default`
        (`shown_path`: the file's path as it should read, e.g. relative)."""
        if self.scope.is_file and self.position is not None:
            # No line only when the file could not be scanned for lines.
            text = f"{self.scope.value} {self.position.text(shown_path)}"
            if self.env_ref is not None:
                text += f" (via env:{self.env_ref})"
            return text
        if self.scope is Scope.DEFAULT:
            return "default"
        return f"{self.scope.value} {self.name}"


@dataclass(frozen=True)
class Setting:
    """One key's value in one layer."""

    key: str
    value: Value
    source: Source


@dataclass
class Layer:
    """One place Streamlit reads from, and what it sets there."""

    scope: Scope
    path: Path | None = None  # files only
    exists: bool = False
    error: str | None = None  # why Streamlit would skip (or refuse) this layer
    error_position: Position | None = None  # where in the file, as far as it is known
    settings: dict[str, Setting] = field(default_factory=dict)  # known option keys
    unknown: dict[str, Setting] = field(default_factory=dict)  # keys not in the catalog

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"scope": self.scope.value}
        if self.scope.is_file:
            data["path"] = str(self.path)
            data["exists"] = self.exists
        data["error"] = self.error
        if self.scope.is_file:
            position = self.error_position or Position()
            data["error_line"], data["error_column"] = position.line, position.column
        return data


@dataclass(frozen=True)
class Unknown:
    """A value only Streamlit's start can tell (a computed default), and why."""

    reason: str


@dataclass(frozen=True)
class Resolved:
    """The effective value of one option and how it got there."""

    key: str
    value: Value
    source: Source
    default: Value
    default_computed: bool
    sensitive: bool
    overridden: tuple[Setting, ...] = ()  # lower layers that set it too, nearest first
    type: str = "str"  # the option's type: bool, int, float or str
    # The value Streamlit holds once started: `value`, or what a computed default comes to.
    at_start: Value | Unknown = None

    @property
    def effective(self) -> Value:
        """What Streamlit acts on: a bool option's truthiness (it tests options with a plain
        `if`, so the string "false" is true); None when there is no value or only the start
        can tell."""
        if self.at_start is None or isinstance(self.at_start, Unknown):
            return None
        return bool(self.at_start) if self.type == "bool" else self.at_start

    @property
    def is_default(self) -> bool:
        return self.source.scope is Scope.DEFAULT

    @property
    def is_computed(self) -> bool:
        """The value is Streamlit's computed default: no fixed value to show."""
        return self.is_default and self.default_computed


@dataclass(frozen=True)
class Resolution:
    """Everything `show` needs: the layers read and every option's effective value."""

    streamlit_version: str | None
    project_dir: Path
    home: Path
    layers: tuple[Layer, ...]
    options: dict[str, Resolved]
    warnings: tuple[str, ...] = ()
    # With --script: how `streamlit run` starts it, "script" or "asgi" (an st.App, FastAPI or
    # Starlette app), and what that means for the layers (None for a plain script).
    start_mode: str | None = None
    start_note: str | None = None
