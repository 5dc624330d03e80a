"""Find every Streamlit app under a directory and what its config files make of one option.

An app is a main script and the directory `streamlit run` starts in. They are found two ways:
`streamlit run X` in the files that start apps (Procfiles, Dockerfiles, shell scripts, Makefiles,
GitHub workflows, pyproject.toml task tables, devcontainer.json), with the start directory taken
from the file where it can be (`cd DIR &&`, `WORKDIR`, `working-directory:`); and entry scripts by
name (`streamlit_app.py`, `app.py`, `Home.py`, `main.py`, `*_app.py`) that import streamlit and
are not a page (`pages/` beside a main script, `st.Page("...")`) or a module another app imports.
Virtualenvs, `.git`, `node_modules`, caches and build folders are not entered. Only the start of
each script is read (`HEAD`), and Streamlit is never imported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stconfig.catalog import Catalog
from stconfig.check import Finding, check_layers
from stconfig.environment import StreamlitInstall
from stconfig.model import Layer, Resolved
from stconfig.resolve import Context, resolve

# The probe's option (stconfig.probe.OPTION, not imported: that package pulls in the audit).
DEFAULT_KEY = "runner.enforceSerializableSessionState"
HEAD = 64 * 1024  # bytes of a script read to see its imports
LAUNCH_FILE_LIMIT = 1024 * 1024  # a launch file larger than this is not a launch file
SKIP_DIRS = frozenset(
    {
        "node_modules",
        "site-packages",
        "dist-packages",
        "__pycache__",
        "build",
        "dist",
        "venv",
        "env",
        "htmlcov",
        "__pypackages__",
    }
)
# Hidden directories are skipped (.git, .venv, .tox, .mypy_cache...), except these two.
HIDDEN_KEPT = frozenset({".github", ".devcontainer"})
ENTRY_NAMES = frozenset(
    {"streamlit_app.py", "app.py", "Home.py", "home.py", "main.py", "Main.py", "Hello.py"}
)
ENTRY_SUFFIX = "_app.py"
ENTRY_RULE = "entry-name"

_STREAMLIT_IMPORT = re.compile(rb"^[ \t]*(?:import|from)[ \t]+streamlit\b", re.MULTILINE)
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([\w., \t]+))",
    re.MULTILINE,
)
_PAGE_REF = re.compile(r"""\bPage\(\s*(?:page\s*=\s*)?(?:Path\()?\s*r?["']([^"'\n]+\.py)["']""")
_TOKEN = re.compile(r"""[^\s"'`\[\],;&|()]+""")
_CD = ("cd", "pushd")
_WORKDIR = re.compile(r"^\s*WORKDIR\s+(\S+)", re.IGNORECASE)
_WORKING_DIRECTORY = re.compile(r"^\s*(?:-\s*)?working-directory:\s*['\"]?([^'\"#\s]+)")


@dataclass(frozen=True)
class App:
    """One Streamlit app: its main script, where it starts, and the rule that found it."""

    script: Path
    project_dir: Path
    found_by: str  # "Procfile:3", "deploy/Dockerfile:12", "entry-name"


@dataclass(frozen=True)
class AppReport:
    """What one app's config files say about one option, and what `check` finds in them."""

    app: App
    streamlit_version: str | None
    layers: tuple[Layer, ...]  # the file layers, lowest precedence first
    resolved: Resolved
    errors: tuple[Finding, ...]

    @property
    def enforced(self) -> bool | None:
        """For a bool option, whether Streamlit acts on it as on (None: not a bool option, or
        only Streamlit's start can tell)."""
        if self.resolved.type != "bool":
            return None
        effective = self.resolved.effective
        return None if effective is None else bool(effective)


@dataclass(frozen=True)
class Skipped:
    """A `streamlit run` whose script is not under the directory: reported, not scanned."""

    found_by: str
    script: str


@dataclass
class _Walk:
    python: list[str] = field(default_factory=list)
    launch_files: list[tuple[str, str]] = field(default_factory=list)  # (kind, path)


def _launch_kind(directory: str, name: str) -> str | None:
    if name == "Procfile" or name.startswith("Procfile."):
        return "procfile"
    if name in ("Dockerfile", "Containerfile") or name.startswith("Dockerfile."):
        return "docker"
    if name.endswith((".Dockerfile", ".dockerfile")):
        return "docker"
    if name.endswith(".sh"):
        return "shell"
    if name in ("Makefile", "makefile", "GNUmakefile") or name.endswith(".mk"):
        return "make"
    if name.endswith((".yml", ".yaml")) and directory.endswith(
        os.path.join(".github", "workflows")
    ):
        return "workflow"
    if name == "pyproject.toml":
        return "pyproject"
    if name in ("devcontainer.json", ".devcontainer.json"):
        return "devcontainer"
    return None


def _walk(root: str) -> _Walk:
    found = _Walk()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            continue
        if directory != root and any(entry.name == "pyvenv.cfg" for entry in entries):
            continue  # a virtualenv, whatever its name
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                hidden = name.startswith(".") and name not in HIDDEN_KEPT
                if not hidden and name not in SKIP_DIRS and not name.endswith(".egg-info"):
                    stack.append(entry.path)
            elif name.endswith(".py"):
                found.python.append(entry.path)
            else:
                kind = _launch_kind(directory, name)
                if kind is not None:
                    found.launch_files.append((kind, entry.path))
    found.python.sort()
    found.launch_files.sort(key=lambda item: item[1])
    return found


def _read(path: str, limit: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""


@dataclass(frozen=True)
class _Launch:
    """`streamlit run SCRIPT` on one line of a launch file, and where it may start."""

    found_by: str
    script: str  # as written
    bases: tuple[str, ...]  # candidate start directories, most likely first
    relocated: bool  # a container: the script may sit anywhere its path ends like this


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, line) with backslash continuations joined."""
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending.append(line.rstrip()[:-1])
            continue
        pending.append(line)
        yield start, " ".join(pending)
        pending = []
    if pending:
        yield start, " ".join(pending)


def _run_target(tokens: Sequence[str]) -> tuple[str, str | None] | None:
    """(script, directory of a `cd DIR` before it) of a `streamlit run` in one line's tokens."""
    for index in range(len(tokens) - 1):
        word = tokens[index]
        if (word == "streamlit" or word.endswith("/streamlit")) and tokens[index + 1] == "run":
            script = next((t for t in tokens[index + 2 :] if t.endswith(".py")), None)
            if script is None:
                return None
            cd = None
            for before in range(index - 1):
                if tokens[before] in _CD:
                    cd = tokens[before + 1]
            return script, cd
    return None


def _list_items(lines: Sequence[str]) -> list[int | None]:
    """For each YAML line, the line number of the innermost list item (`- ...`) holding it: a
    workflow step's keys share their step's, a job's `defaults:` have none."""
    items: list[int | None] = []
    open_items: list[tuple[int, int]] = []  # (indent of the dash, line index)
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if not stripped.strip():
            items.append(open_items[-1][1] if open_items else None)
            continue
        indent = len(line) - len(stripped)
        while open_items and open_items[-1][0] >= indent:
            open_items.pop()
        if stripped.startswith("- ") or stripped == "-":
            open_items.append((indent, index))
        items.append(open_items[-1][1] if open_items else None)
    return items


def _workflow_directory(lines: Sequence[str], items: Sequence[int | None], at: int) -> str | None:
    """The `working-directory:` for the step on line `at`: its own, else the last one outside
    any step before it (`defaults: run:`); `items` is `_list_items(lines)`."""
    default = None
    for index, line in enumerate(lines):
        match = _WORKING_DIRECTORY.match(line)
        if match is None:
            continue
        if items[index] is not None and items[index] == items[at]:
            return match[1]
        if items[index] is None and index < at:
            default = match[1]
    return default


def _join(base: str, relative: str | None) -> str:
    if relative is None or relative.startswith("$"):
        return base  # `cd "$(dirname "$0")"` is the file's own directory; other variables unknown
    return os.path.normpath(os.path.join(base, os.path.expanduser(relative)))


def _launches(kind: str, path: str, root: str) -> Iterator[_Launch]:
    data = _read(path, LAUNCH_FILE_LIMIT)
    if b"streamlit" not in data:
        return
    text = data.decode("utf-8", errors="replace")
    here = os.path.dirname(path)
    shown = os.path.relpath(path, root)
    workdir: str | None = None  # a Dockerfile's WORKDIR
    shell_dir = here
    lines = text.splitlines()
    items = _list_items(lines) if kind == "workflow" else []
    for number, line in _logical_lines(text):
        if kind == "docker" and (match := _WORKDIR.match(line)):
            workdir = match[1] if workdir is None else os.path.join(workdir, match[1])
            continue
        tokens = _TOKEN.findall(line)
        if kind == "shell" and len(tokens) == 2 and tokens[0] in _CD:
            shell_dir = _join(shell_dir, tokens[1])
            continue
        if "streamlit" not in line:
            continue
        target = _run_target(tokens)
        if target is None:
            continue
        script, cd = target
        found_by = f"{shown}:{number}"
        if kind == "docker":
            bases: tuple[str, ...] = (here,)
        elif kind == "workflow":
            repository = os.path.dirname(os.path.dirname(here))
            directory = _workflow_directory(lines, items, number - 1)
            bases = (_join(_join(repository, directory), cd),)
        elif kind == "devcontainer":
            workspace = os.path.dirname(here) if os.path.basename(here) == ".devcontainer" else here
            bases = (_join(workspace, cd),)
        elif kind == "shell":
            bases = tuple(dict.fromkeys((_join(shell_dir, cd), _join(root, cd))))
        else:
            bases = (_join(here, cd),)
        if kind == "docker" and workdir and os.path.isabs(script):
            # `streamlit run /app/src/app.py` under WORKDIR /app is src/app.py of the build.
            inside = os.path.relpath(script, workdir)
            script = script if inside.startswith("..") else inside
        yield _Launch(found_by, script, bases, relocated=kind == "docker")


def _resolve_launch(launch: _Launch, python: Sequence[str]) -> App | None:
    if os.path.isabs(launch.script) and not launch.relocated:
        script = os.path.normpath(launch.script)
        return (
            App(Path(script), Path(launch.bases[0]), launch.found_by)
            if os.path.isfile(script)
            else None
        )
    for base in launch.bases:
        script = os.path.normpath(os.path.join(base, launch.script))
        if os.path.isfile(script):
            return App(Path(script), Path(base), launch.found_by)
    if not launch.relocated:
        return None
    # Copied into an image: a script whose path ends as written, the shallowest one under the
    # Dockerfile's directory first. An absolute path outside WORKDIR may have been copied
    # anywhere: its shorter tails are tried too. A bare file name elsewhere in the tree is
    # too weak a clue (every app has an app.py).
    parts = os.path.normpath(launch.script).strip(os.sep).split(os.sep)
    tails = [parts[i:] for i in range(len(parts))] if os.path.isabs(launch.script) else [parts]
    for tail_parts in tails:
        tail = os.sep + os.path.join(*tail_parts)
        matches = [p for p in python if p.endswith(tail)]
        near = [p for p in matches if p.startswith(launch.bases[0] + os.sep)]
        chosen = near or (matches if len(tail_parts) > 1 else [])
        if chosen:
            script = min(chosen, key=lambda p: (p.count(os.sep), p))
            return App(Path(script), Path(script[: -len(tail)] or os.sep), launch.found_by)
    return None


def _imports_streamlit(head: bytes) -> bool:
    return _STREAMLIT_IMPORT.search(head) is not None


def _module_paths(path: str, head: bytes, app_dir: str, start: str | None) -> Iterator[str]:
    """The files a script's imports and `st.Page("x.py")` references may name. `app_dir` is its
    main script's directory: Streamlit puts it on sys.path and resolves pages from it; `start`,
    where the app starts, is on sys.path too with `python -m streamlit run`."""
    text = head.decode("utf-8", errors="replace")
    here = os.path.dirname(path)
    for match in _PAGE_REF.finditer(text):
        yield os.path.normpath(os.path.join(app_dir, match[1]))
    bases = tuple(dict.fromkeys(b for b in (here, app_dir, start) if b))
    for match in _IMPORT.finditer(text):
        names: list[str] = []
        search: tuple[str, ...] = bases
        if match[3] is not None:
            names = [n.split(" as ")[0].strip() for n in match[3].split(",")]
        else:
            module = match[1]
            dots = len(module) - len(module.lstrip("."))
            if dots:
                parent = here
                for _ in range(dots - 1):
                    parent = os.path.dirname(parent)
                search = (parent,)
                module = module[dots:]
            imported = [n.split(" as ")[0].strip() for n in match[2].split(",")]
            names = [module] if module else []
            names += [f"{module}.{n}" if module else n for n in imported if n and n != "*"]
        for name in names:
            if not name:
                continue
            relative = name.replace(".", os.sep)
            for base in search:
                yield os.path.join(base, relative + ".py")
                yield os.path.join(base, relative, "__init__.py")


def find_apps(root: Path) -> tuple[list[App], list[Skipped]]:
    """Every app under `root`, in path order (launch-file apps first for a script both find),
    and the `streamlit run` commands whose script is not there."""
    base = os.path.abspath(root)
    walk = _walk(base)
    apps: dict[tuple[str, str], App] = {}
    skipped: list[Skipped] = []
    for kind, path in walk.launch_files:
        for launch in _launches(kind, path, base):
            app = _resolve_launch(launch, walk.python)
            if app is None:
                skipped.append(Skipped(launch.found_by, launch.script))
            else:
                apps.setdefault((str(app.script), str(app.project_dir)), app)
    launched = {str(app.script) for app in apps.values()}

    heads: dict[str, bytes] = {}
    candidates: list[str] = []
    for path in walk.python:
        name = os.path.basename(path)
        is_entry = name in ENTRY_NAMES or name.endswith(ENTRY_SUFFIX)
        is_page = os.path.basename(os.path.dirname(path)) == "pages"
        if path in launched or is_entry or is_page:
            heads[path] = _read(path, HEAD)
        if is_entry and path not in launched and _imports_streamlit(heads[path]):
            candidates.append(path)
    mains = launched | set(candidates)
    starts = {str(app.script): str(app.project_dir) for app in apps.values()}
    referenced: dict[str, set[str]] = {}  # file -> the streamlit scripts that import or name it
    for path, head in heads.items():
        if not _imports_streamlit(head):
            continue
        directory = os.path.dirname(path)
        app_dir = (
            os.path.dirname(directory) if os.path.basename(directory) == "pages" else directory
        )
        for module in _module_paths(path, head, app_dir, starts.get(path)):
            referenced.setdefault(module, set()).add(path)
    for path in candidates:
        directory = os.path.dirname(path)
        page = os.path.basename(directory) == "pages" and any(
            os.path.dirname(main) == os.path.dirname(directory) for main in mains
        )
        if page or referenced.get(path, set()) - {path}:
            continue
        apps.setdefault((path, directory), App(Path(path), Path(directory), ENTRY_RULE))
    return sorted(apps.values(), key=lambda a: (str(a.script), str(a.project_dir))), skipped


def _report(
    apps: Sequence[App],
    key: str,
    home: Path,
    env: Mapping[str, str],
    catalogs: _Catalogs,
) -> list[AppReport]:
    """Each app's file layers (global, project, script), the option's value there with its
    source, and `check`'s errors in those files. The environment is not a layer here: it is
    the scanning shell's, not the apps'."""
    reports = []
    for app in apps:
        context = Context(
            project_dir=app.project_dir, home=home, env=env, script=app.script, use_env=False
        )
        catalog = catalogs.get(context.streamlit)
        spec = catalog.require(key)
        resolution = resolve(context, catalog, keys=(spec.key,))
        checked = check_layers(context, catalog)
        reports.append(
            AppReport(
                app=app,
                streamlit_version=catalog.streamlit_version,
                layers=tuple(layer for layer in resolution.layers if layer.scope.is_file),
                resolved=resolution.options[spec.key],
                errors=tuple(f for f in checked.findings if f.severity == "error"),
            )
        )
    return reports


@dataclass
class _Catalogs:
    """One catalog per Streamlit install: apps sharing an interpreter share its catalog."""

    loaded: dict[StreamlitInstall | None, Catalog] = field(default_factory=dict)

    def get(self, install: StreamlitInstall | None) -> Catalog:
        if install not in self.loaded:
            from stconfig.catalog.store import load_catalog

            self.loaded[install] = load_catalog(install)
        return self.loaded[install]


def scan(
    root: Path, key: str, home: Path, env: Mapping[str, str]
) -> tuple[list[AppReport], list[Skipped], list[Catalog]]:
    """Find the apps under `root` and report `key` for each; also the catalogs used (so that the
    caller can say when one stood in for a Streamlit it could not read)."""
    apps, skipped = find_apps(root)
    catalogs = _Catalogs()
    return _report(apps, key, home, env, catalogs), skipped, list(catalogs.loaded.values())
