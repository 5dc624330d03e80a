"""Every command, argument and option of the CLI, declared once.

The Typer app (`commands.py`) and the Typer-free fast path (`fastpath.py`) are both built from this
table, so the two parsers cannot drift apart; both hand the command one frozen `Options`. Typer
(with the pydantic adapters it builds for every parameter) costs about 100 ms to start, half a
`streamlit config show`, which is why the commands scripts call in loops skip it. This module
imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from stconfig.context import Context
    from stconfig.locate import TargetChoice

Kind = Literal["flag", "text", "path", "float", "int", "choice"]
Arity = Literal["one", "optional", "many", "some"]  # 1, 0-1, 0 or more, 1 or more
Completer = Literal["key", "key_or_section", "value"]


@dataclass(frozen=True)
class Opt:
    """A `--name` option. `repeat` options collect every occurrence, in order."""

    names: tuple[str, ...]
    dest: str  # the `Options` field it fills
    kind: Kind
    help: str
    metavar: str | None = None
    repeat: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Arg:
    """A positional argument."""

    dest: str
    metavar: str
    help: str
    arity: Arity = "one"
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    complete: Completer | None = None


@dataclass(frozen=True)
class Command:
    name: str
    summary: str  # one line, for the command list
    help: str  # paragraphs after the summary; the last one is an example
    run: str  # "module:function" under stconfig.cli, imported only when the command runs
    args: tuple[Arg, ...] = ()
    options: tuple[Opt, ...] = ()
    fast: bool = False  # parsed without Typer when the arguments are plain


@dataclass(frozen=True)
class Options:
    """One invocation's arguments and options: what every command's `run_*` function takes."""

    key: str | None = None
    keys: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    pattern: str | None = None
    app: Path | None = None
    shell: str | None = None
    project_dir: Path | None = None
    script: Path | None = None
    no_env: bool = False
    flag: tuple[str, ...] = ()
    json_: bool = False
    quiet: bool = False
    project: bool = False
    global_: bool = False
    script_dir: bool = False
    file: Path | None = None
    show_origin: bool = False
    list_: bool = False
    all_: bool = False
    layers: bool = False
    dry_run: bool = False
    force: bool = False
    strict: bool = False
    expect: str | None = None
    pythons: tuple[Path, ...] = ()
    timeout: float = 30.0
    pages: tuple[Path, ...] = ()
    explore: bool = False
    max_runs: int = 50  # stconfig.probe.audit.DEFAULT_MAX_RUNS
    secrets: Path | None = None
    query: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    allow_app_errors: bool = False
    output: Path | None = None
    directory: Path | None = None

    def context(self, python: Path | None = None) -> Context:
        """The world `streamlit run` would see, as these options describe it, with the Streamlit
        of `python` (one of `pythons`; None: the one the project would use)."""
        from stconfig.context import Context

        return Context.create(
            project_dir=self.project_dir,
            script=self.script,
            use_env=not self.no_env,
            flags=self.flag,
            python=python,
        )

    def target_choice(self) -> TargetChoice:
        from stconfig.locate import TargetChoice

        return TargetChoice(
            project=self.project, global_=self.global_, script_dir=self.script_dir, file=self.file
        )


PROJECT_DIR = Opt(
    ("-C", "--project-dir"),
    "project_dir",
    "path",
    "Directory `streamlit run` starts in (default: the current one).",
    metavar="DIR",
)
SCRIPT = Opt(
    ("--script",),
    "script",
    "path",
    "The app's main script: adds its script-level .streamlit/config.toml.",
    metavar="PATH",
)
NO_ENV = Opt(("--no-env",), "no_env", "flag", "Ignore STREAMLIT_* environment variables.")
FLAG = Opt(
    ("--flag",),
    "flag",
    "text",
    "A `streamlit run --KEY VALUE` flag (repeatable).",
    metavar="KEY=VALUE",
    repeat=True,
)
JSON = Opt(("--json",), "json_", "flag", "Print JSON (a stable contract).")
QUIET = Opt(("-q", "--quiet"), "quiet", "flag", "No messages on stderr.")
PROJECT = Opt(("--project",), "project", "flag", "Target the project file (default for writes).")
GLOBAL = Opt(("--global",), "global_", "flag", "Target ~/.streamlit/config.toml.")
SCRIPT_DIR = Opt(("--script-dir",), "script_dir", "flag", "Target the file next to --script.")
FILE = Opt(("--file",), "file", "path", "Target this config file.", metavar="PATH")
SHOW_ORIGIN = Opt(
    ("--show-origin",), "show_origin", "flag", "Prefix each value with its source and a tab."
)
ALL = Opt(("--all",), "all_", "flag", "Every visible option, set or not.")
ALL_HIDDEN = Opt(("--all",), "all_", "flag", "Include hidden options.")
LIST = Opt(
    ("--list",), "list_", "flag", "One key=value line per option with a value, as `get` prints it."
)
LAYERS = Opt(("--layers",), "layers", "flag", "Every layer's value per option, winner marked.")
DRY_RUN = Opt(
    ("--dry-run",), "dry_run", "flag", "Print the change as a unified diff; write nothing."
)
FORCE = Opt(("--force",), "force", "flag", "Write a key the installed Streamlit does not know.")
STRICT = Opt(("--strict",), "strict", "flag", "Warnings fail too: exit 1 on any finding.")
EXPECT = Opt(
    ("--expect",),
    "expect",
    "choice",
    "Exit 1 unless Streamlit does this (a CI gate).",
    choices=("enforced", "not-enforced"),
)
PYTHONS = Opt(
    ("--python",),
    "pythons",
    "path",
    "The interpreter whose Streamlit to run (repeatable: one run each, in turn; default: the "
    "project's .venv, $VIRTUAL_ENV, this interpreter, then `streamlit` on PATH).",
    metavar="PATH",
    repeat=True,
)
TIMEOUT = Opt(
    ("--timeout",), "timeout", "float", "Give up (exit 4) after this long.", metavar="SECONDS"
)
RUN_TIMEOUT = Opt(
    ("--timeout",),
    "timeout",
    "float",
    "Give up (exit 4) on a script run after this long.",
    metavar="SECONDS",
)
PAGE = Opt(
    ("--page",),
    "pages",
    "path",
    "Audit only this page (repeatable); the main script always runs first.",
    metavar="PATH",
    repeat=True,
)
EXPLORE = Opt(
    ("--explore",),
    "explore",
    "flag",
    "Drive the app as a user would: rerun every page, click every button, flip every "
    "checkbox and toggle, choose every option, send one chat message.",
)
MAX_RUNS = Opt(
    ("--max-runs",), "max_runs", "int", "At most this many script runs in all.", metavar="N"
)
SECRETS = Opt(
    ("--secrets",),
    "secrets",
    "path",
    "The secrets.toml to give the app (default: what Streamlit reads, the project's "
    ".streamlit/secrets.toml and the global one).",
    metavar="FILE",
)
QUERY = Opt(
    ("--query",),
    "query",
    "text",
    "A query parameter (repeatable).",
    metavar="KEY=VALUE",
    repeat=True,
)
STATE = Opt(
    ("--state",),
    "state",
    "text",
    "Seed Session State before the first run (repeatable); VALUE is JSON when it parses as "
    "JSON (true, 3, [1]), else a string.",
    metavar="KEY=VALUE",
    repeat=True,
)
ALLOW_APP_ERRORS = Opt(
    ("--allow-app-errors",),
    "allow_app_errors",
    "flag",
    "Exit 0, not 4, when every value pickles but the app raised or timed out.",
)

OUTPUT = Opt(
    ("-o", "--output"),
    "output",
    "path",
    "Write it to FILE (atomically) instead of stdout.",
    metavar="FILE",
)

KEY_OPTION = Opt(
    ("--key",),
    "key",
    "text",
    "Report this option instead of runner.enforceSerializableSessionState.",
    metavar="KEY",
)
EXPECT_ALL = Opt(
    ("--expect",),
    "expect",
    "choice",
    "Exit 1 unless every app is so (a CI gate; a bool --key).",
    choices=("enforced", "not-enforced"),
)

COMMON = (PROJECT_DIR, SCRIPT, NO_ENV, FLAG, JSON, QUIET)
TARGETS = (PROJECT, GLOBAL, SCRIPT_DIR, FILE)
SHELLS = ("bash", "zsh", "fish", "powershell")

KEY_ARG = Arg("key", "KEY", "Option key, e.g. server.port.", complete="key")

# In the order users reach for them; `stconfig --help` lists them so.
COMMANDS: tuple[Command, ...] = (
    Command(
        "show",
        "The effective config, each value with its source.",
        "A table on a terminal; valid TOML with source comments when piped; JSON with --json; "
        "key=value lines with --list (--show-origin: each after its source and a tab). "
        "Without arguments: every option set in some layer; a section, a glob or part of a key "
        "shows its options that have a value.\n\n"
        "Example: stconfig show runner --layers",
        "read_commands:run_show",
        args=(
            Arg(
                "keys",
                "KEY_OR_SECTION",
                "Only these options or sections.",
                arity="many",
                complete="key_or_section",
            ),
        ),
        options=(*COMMON, ALL, LAYERS, LIST, SHOW_ORIGIN),
        fast=True,
    ),
    Command(
        "get",
        "The effective value of one option, shell-friendly.",
        "true/false, numbers as written, strings bare, lists as JSON. With a target "
        "(--project, --global, --script-dir, --file) only that file counts: exit 1 when the "
        "key is not set there.\n\n"
        'Example: [ "$(stconfig get runner.enforceSerializableSessionState)" = true ]',
        "read_commands:run_get",
        args=(KEY_ARG,),
        options=(*COMMON, *TARGETS, SHOW_ORIGIN),
        fast=True,
    ),
    Command(
        "set",
        "Write an option into one config file, keeping every other byte.",
        "Checks KEY against the installed Streamlit's options and VALUE against its type. "
        "Creates .streamlit/config.toml when missing; writes nothing when the value is already "
        "there. Warns when a higher layer (env, flag, a nearer file) still overrides it.\n\n"
        "Example: stconfig set runner.enforceSerializableSessionState true",
        "write_commands:run_set",
        args=(
            KEY_ARG,
            Arg(
                "values",
                "VALUE...",
                "The value; one per element for list options.",
                arity="some",
                complete="value",
            ),
        ),
        options=(*COMMON, *TARGETS, DRY_RUN, FORCE),
        fast=True,
    ),
    Command(
        "unset",
        "Remove an option from one config file (exit 1 when it is not set there).",
        "Its table header goes too when nothing, not even a comment, is left under it.\n\n"
        "Example: stconfig unset runner.enforceSerializableSessionState --global",
        "write_commands:run_unset",
        args=(KEY_ARG,),
        options=(*COMMON, *TARGETS, DRY_RUN, FORCE),
        fast=True,
    ),
    Command(
        "files",
        "Every layer: its path, whether it exists and parses; the STREAMLIT_* variables; "
        "the Streamlit found.",
        "Example: stconfig files --script app.py --json",
        "read_commands:run_files",
        options=(JSON, PROJECT_DIR, SCRIPT, NO_ENV, QUIET),
        fast=True,
    ),
    Command(
        "check",
        "Validate config as Streamlit reads it: exit 1 on errors, not warnings.",
        "Default: every layer's file and the STREAMLIT_* environment. Checks TOML syntax and "
        "duplicate keys (file:line:col), UTF-8 and BOM, keys outside a table, theme sections, "
        'unknown keys (did you mean?), removed keys, types (a string "false" for a bool is '
        "true to Streamlit), allowed values, env and flag values `streamlit run` rejects, "
        "what Streamlit's start refuses or warns about (a port it cannot bind, "
        "global.developmentMode with a port, CORS off under XSRF protection...), and the theme "
        "file theme.base names. A FILE that does not exist: exit 3; a secrets.toml: exit 2.\n\n"
        "Example: stconfig check --strict .streamlit/config.toml",
        "check_command:run_check",
        args=(
            Arg(
                "files",
                "FILE",
                "Config files to check (default: every layer's file, and the environment).",
                arity="many",
                kind="path",
            ),
        ),
        options=(STRICT, JSON, PROJECT_DIR, SCRIPT, NO_ENV, FLAG, QUIET),
    ),
    Command(
        "edit",
        "Open the target config file in $VISUAL or $EDITOR, then check it.",
        "The project file unless --global, --script-dir or --file says otherwise; created when "
        "missing (and removed again if left empty). Exit 1 when the check finds errors.\n\n"
        'Example: EDITOR="code --wait" stconfig edit --global',
        "write_commands:run_edit",
        options=(*TARGETS, STRICT, PROJECT_DIR, SCRIPT, QUIET),
    ),
    Command(
        "probe",
        "Ask the real Streamlit whether runner.enforceSerializableSessionState is in force.",
        "Starts the real `streamlit run` in the project's context and reports whether "
        "enforcement is on, from where, and whether `show` agrees. The server runs from the "
        "project directory with your environment and --flag arguments, your TLS, "
        "server.baseUrlPath and server.allowedHosts; the probe overrides only what it lists "
        "(headless, a free port on 127.0.0.1, ...). The probe app lives in a temporary "
        "directory (with a copy of the --script directory's config file), so nothing is "
        "written into the project. Exit 4 when your own `streamlit run` would fail here. With "
        "several --python, one probe each, in turn, and the worst exit code (4, then 1, then "
        "0).\n\n"
        "Example: stconfig probe --expect enforced --python .venv/bin/python",
        "probe_commands:run_probe_command",
        options=(EXPECT, PYTHONS, TIMEOUT, *COMMON),
        # Its own start-up counts against the bare `streamlit run` it is measured by.
        fast=True,
    ),
    Command(
        "audit",
        "Run an app with enforcement on and list every Session State value that cannot be pickled.",
        "Runs the app as `streamlit run MAIN.py` serves it (AppTest, enforcement on, every page, "
        "the main script's directory on sys.path) and lists each value that does not pickle: "
        "where it was stored, the path to the culprit inside it, the page and interaction, and "
        "a hint. Widget values and Streamlit's own state are checked, as Streamlit's own check "
        "does; unlike it, every failing key, also after st.stop() and the app's exception.\n\n"
        "Exit 0 when every run finished and every value pickles, 1 when a value does not "
        "pickle, 4 when the app did not run to its end and nothing failed before. With several "
        "--python, one audit each, and the worst exit code (1, then 4, then 0).\n\n"
        "Example: stconfig audit Home.py --explore --secrets ci-secrets.toml",
        "audit_command:run_audit_command",
        args=(Arg("app", "MAIN.py", "The app's main script.", kind="path"),),
        options=(
            PAGE,
            EXPLORE,
            MAX_RUNS,
            SECRETS,
            QUERY,
            STATE,
            ALLOW_APP_ERRORS,
            PYTHONS,
            RUN_TIMEOUT,
            JSON,
            PROJECT_DIR,
            QUIET,
        ),
    ),
    Command(
        "options",
        "Streamlit's option catalog: key, type, default (exit 1 when nothing matches).",
        "Example: stconfig options 'runner.*'",
        "read_commands:run_options",
        args=(
            Arg(
                "pattern",
                "PATTERN",
                "A glob, a section name or part of a key.",
                arity="optional",
                complete="key_or_section",
            ),
        ),
        options=(ALL_HIDDEN, JSON, PROJECT_DIR),
    ),
    Command(
        "describe",
        "Everything the catalog knows about one option, and its value here.",
        "Example: stconfig describe runner.enforceSerializableSessionState",
        "read_commands:run_describe",
        args=(Arg("key", "KEY", "Option key.", complete="key"),),
        options=COMMON,
    ),
    Command(
        "schema",
        "A JSON Schema of config.toml for the installed Streamlit (taplo, Even Better TOML).",
        "Generated from the option catalog of the Streamlit found (as `show` finds it, or "
        "--python): every section and theme sub-section, types, defaults, descriptions, "
        "allowed values; unknown keys are errors, removed keys say what became of them. "
        "Editors then complete and validate config files as they are typed.\n\n"
        "Example: stconfig schema --output .streamlit/config.schema.json",
        "schema_command:run_schema",
        options=(OUTPUT, PYTHONS, PROJECT_DIR, QUIET),
    ),
    Command(
        "scan",
        "Every Streamlit app under DIR: its start directory, layers, the flag's value, errors.",
        "Finds apps by `streamlit run X` in Procfiles, Dockerfiles, shell scripts, Makefiles, "
        "GitHub workflows, pyproject.toml and devcontainer.json (starting where they cd to), "
        "and by entry scripts that import streamlit (streamlit_app.py, app.py, Home.py, "
        "main.py, *_app.py) that are neither pages nor modules of another app. Virtualenvs, "
        ".git, node_modules and build folders are skipped. Each app's config files (global, "
        "project, script-level) are read as `streamlit run` reads them; the environment is not. "
        "Paths in --json are absolute.\n\n"
        "Example: stconfig scan ~/src/monorepo --expect enforced",
        "scan_command:run_scan",
        args=(
            Arg(
                "directory",
                "DIR",
                "Where to look (default: the current directory).",
                arity="optional",
                kind="path",
            ),
        ),
        options=(KEY_OPTION, EXPECT_ALL, JSON, QUIET),
        fast=True,
    ),
    Command(
        "completion",
        "Print the completion script: commands, options, option keys, values.",
        'bash: eval "$(stconfig completion bash)" in ~/.bashrc\n'
        "zsh:  stconfig completion zsh > ~/.zfunc/_stconfig, with fpath+=~/.zfunc before "
        "compinit in ~/.zshrc\n"
        "fish: stconfig completion fish > ~/.config/fish/completions/stconfig.fish\n\n"
        "Example: stconfig completion bash >> ~/.bashrc",
        "completion:run_completion",
        args=(
            Arg("shell", "SHELL", "bash, zsh, fish or powershell.", kind="choice", choices=SHELLS),
        ),
    ),
)

BY_NAME = {command.name: command for command in COMMANDS}


def is_negative_number(arg: str) -> bool:
    """`-1`, `-1.5`, `-1e3`, `-inf`: a value (`set server.port -1`), not an option, in both
    parsers; no declared option name is a number."""
    if not arg.startswith("-") or arg == "-":
        return False
    try:
        float(arg)
    except ValueError:
        return False
    return True


def runner(command: Command) -> Callable[[Options], int]:
    """The command's `run_*` function, imported now."""
    import importlib

    module_name, _, function = command.run.partition(":")
    module = importlib.import_module(f"stconfig.cli.{module_name}")
    run: Callable[[Options], int] = getattr(module, function)
    return run
