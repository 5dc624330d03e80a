"""Which mode `streamlit run SCRIPT` starts a script in: a plain script, or ASGI mode when it
assigns an ASGI app (`app = st.App("dashboard.py")`, FastAPI, Starlette).

A port of Streamlit's own rule, streamlit/web/server/app_discovery.py (1.53+): parse the script
(never run it), map imported names to their modules, find `NAME = Class(...)` and
`NAME: T = Class(...)` assignments anywhere whose constructor resolves to one of the known classes
(the catalog's `asgi_app_classes`), and prefer the names it prefers (`app`, `streamlit_app`), else
the first by line. A file that cannot be read or parsed is a plain script.

What such a start reads, checked against real 1.67 starts: `streamlit run SCRIPT` loads the
config before it looks for the app, so the layers are those of any `streamlit run SCRIPT`
(global, project, SCRIPT's directory, env vars, flags); the App's own script runs in each
session, but its directory's `.streamlit/config.toml` is not read. (Served by uvicorn directly,
without `streamlit run`, Streamlit reads no flags and no `STREAMLIT_*` variable but the sensitive
ones, and takes the App's script directory as the script level: not what `show` models.)
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from stconfig.catalog import Catalog

Mode = Literal["asgi", "script"]


@dataclass(frozen=True)
class StartMode:
    mode: Mode
    app_name: str | None = None  # the variable streamlit run serves
    line: int | None = None
    constructor: str | None = None  # e.g. streamlit.App
    app_script: str | None = None  # st.App's script argument, when a string literal

    @property
    def streamlit_app(self) -> bool:
        return self.constructor is not None and self.constructor.startswith("streamlit.")

    def note(self, script: Path) -> str | None:
        """What `show --script` says about an ASGI start (None for a plain script)."""
        if self.mode != "asgi":
            return None
        what = f"{script.name}:{self.line} assigns {self.app_name} = {self.constructor}(...)"
        text = (
            f"{what}: `streamlit run {script.name}` starts it in ASGI mode, with the layers "
            f"shown (its script level is {script.name}'s directory)"
        )
        if self.app_script is not None:
            target = script.parent / self.app_script
            if target.parent != script.parent:
                text += (
                    f"; the App's script {self.app_script} runs in each session, but "
                    f"{target.parent / '.streamlit' / 'config.toml'} is not read"
                )
        if not self.streamlit_app:
            text += "; the app is not a Streamlit App, so most Streamlit options do not apply"
        return text


SCRIPT = StartMode("script")


def _call_parts(node: ast.Call) -> tuple[str, ...] | None:
    func = node.func
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
        return tuple(reversed(parts))
    return None


def _imports(tree: ast.AST) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _constructor(node: ast.expr | None, imports: dict[str, str], known: set[str]) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    parts = _call_parts(node)
    if not parts:
        return None
    head = imports.get(parts[0], parts[0])
    path = ".".join((head, *parts[1:]))
    return path if path in known else None


def _first_string(node: ast.Call) -> str | None:
    argument = node.args[0] if node.args else None
    for keyword in node.keywords:
        if keyword.arg == "script_path":
            argument = keyword.value
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    return None


def start_mode(script: Path, catalog: Catalog) -> StartMode:
    """How `streamlit run script` starts it, by Streamlit's discovery rules (none before 1.53)."""
    if not catalog.asgi_app_classes:
        return SCRIPT
    try:
        tree = ast.parse(script.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return SCRIPT
    imports = _imports(tree)
    known = set(catalog.asgi_app_classes)
    found: dict[str, tuple[int, str, ast.Call]] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        constructor = _constructor(value, imports, known)
        if constructor is None:
            continue
        assert isinstance(value, ast.Call)
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = (node.lineno, constructor, value)
    if not found:
        return SCRIPT
    preferred = [name for name in catalog.asgi_app_names if name in found]
    name = preferred[0] if preferred else min(found, key=lambda n: found[n][0])
    line, constructor, call = found[name]
    app_script = _first_string(call) if constructor.startswith("streamlit.") else None
    return StartMode("asgi", name, line, constructor, app_script)
