"""The options of get, show, set and unset, declared once for Typer and for the fast path.

Typer (with the pydantic adapters it builds) costs ~130 ms to start, half a `streamlit config show`.
`get`, `show`, `set` and `unset` are what scripts call in loops, so `fast_command` parses their
arguments itself when they use nothing but these options, and everything else (help, errors, the
other commands) goes through Typer. A test checks that both parsers accept exactly the same options.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Opt:
    names: tuple[str, ...]
    dest: str  # the command function's parameter
    kind: Literal["flag", "value", "path", "multi"]
    help: str


PROJECT_DIR = Opt(
    ("-C", "--project-dir"),
    "project_dir",
    "path",
    "Directory `streamlit run` starts in (default: the current one).",
)
SCRIPT = Opt(
    ("--script",),
    "script",
    "path",
    "The app's main script: adds its script-level .streamlit/config.toml.",
)
NO_ENV = Opt(("--no-env",), "no_env", "flag", "Ignore STREAMLIT_* environment variables.")
FLAG = Opt(("--flag",), "flag", "multi", "A `streamlit run --KEY VALUE` flag (repeatable).")
JSON = Opt(("--json",), "json_", "flag", "Print JSON (a stable contract).")
QUIET = Opt(("-q", "--quiet"), "quiet", "flag", "No messages on stderr.")
PROJECT = Opt(("--project",), "project", "flag", "Target the project file (default for writes).")
GLOBAL = Opt(("--global",), "global_", "flag", "Target ~/.streamlit/config.toml.")
SCRIPT_DIR = Opt(("--script-dir",), "script_dir", "flag", "Target the file next to --script.")
FILE = Opt(("--file",), "file", "path", "Target this config file.")
SHOW_ORIGIN = Opt(
    ("--show-origin",), "show_origin", "flag", "Prefix the value with its source and a tab."
)
ALL = Opt(("--all",), "all_", "flag", "Every visible option, set or not.")
LAYERS = Opt(("--layers",), "layers", "flag", "Every layer's value per option, winner marked.")
DRY_RUN = Opt(
    ("--dry-run",), "dry_run", "flag", "Print the change as a unified diff; write nothing."
)
FORCE = Opt(("--force",), "force", "flag", "Write a key the installed Streamlit does not know.")

COMMON = (PROJECT_DIR, SCRIPT, NO_ENV, FLAG, JSON, QUIET)
TARGETS = (PROJECT, GLOBAL, SCRIPT_DIR, FILE)
FAST_OPTIONS: dict[str, tuple[Opt, ...]] = {
    "get": (*COMMON, *TARGETS, SHOW_ORIGIN),
    "show": (*COMMON, ALL, LAYERS),
    "set": (*COMMON, *TARGETS, DRY_RUN, FORCE),
    "unset": (*COMMON, *TARGETS, DRY_RUN, FORCE),
}


def parse_fast(argv: Sequence[str]) -> tuple[str, list[str], dict[str, Any]] | None:
    """(command, positionals, options) for a plain `get`/`show` call, None for anything else."""
    if not argv or argv[0] not in FAST_OPTIONS:
        return None
    by_name = {name: opt for opt in FAST_OPTIONS[argv[0]] for name in opt.names}
    values: dict[str, Any] = {}
    positionals: list[str] = []
    args = list(argv[1:])
    while args:
        arg = args.pop(0)
        if not arg.startswith("-") or arg == "-":
            positionals.append(arg)
            continue
        name, eq, inline = arg.partition("=")
        opt = by_name.get(name)
        if opt is None:
            return None  # --help, --, bundled short options, mistakes: Typer's job
        if opt.kind == "flag":
            if eq:
                return None
            values[opt.dest] = True
            continue
        if not eq:
            if not args:
                return None
            inline = args.pop(0)
        if opt.kind == "multi":
            values.setdefault(opt.dest, []).append(inline)
        else:
            values[opt.dest] = Path(inline) if opt.kind == "path" else inline
    return argv[0], positionals, values


def fast_command(argv: Sequence[str]) -> Callable[[], int | None] | None:
    parsed = parse_fast(argv)
    if parsed is None:
        return None
    command, positionals, values = parsed
    if command in ("set", "unset"):
        from stconfig.cli import writing

        if command == "set" and len(positionals) >= 2:
            return lambda: writing.run_set(positionals[0], positionals[1:], **values)
        if command == "unset" and len(positionals) == 1:
            return lambda: writing.run_unset(positionals[0], **values)
        return None
    from stconfig.cli import reading

    if command == "get":
        if len(positionals) != 1:
            return None
        return lambda: reading.run_get(positionals[0], **values)
    return lambda: reading.run_show(positionals, **values)
