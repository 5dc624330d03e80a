"""Which Streamlit the user's `streamlit run` would be: its interpreter and version, found without
importing it.

Search order (the same for the read side and the probe): an explicit `--python`, the project's
`.venv`, `$VIRTUAL_ENV`, the interpreter running stconfig, then the `streamlit` script on PATH.
Versions are read from `streamlit-X.Y.Z.dist-info` folder names, so this costs a few `stat`s.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

_DIST_PREFIX = "streamlit-"
_DIST_SUFFIX = ".dist-info"


def version_tuple(version: str) -> tuple[int, ...]:
    """`1.40.0` -> (1, 40, 0); a pre-release part such as `0rc1` counts by its leading digits."""
    parts = []
    for part in version.split(".")[:3]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        parts.append(int(digits or 0))
    return tuple(parts + [0] * (3 - len(parts)))


@dataclass(frozen=True)
class StreamlitInstall:
    """One interpreter that can `import streamlit`, and that Streamlit's version."""

    python: Path
    version: str
    found_via: str  # "--python", "project .venv", "$VIRTUAL_ENV", "current interpreter", "PATH"
    dist_info: Path | None = None  # its `streamlit-X.Y.Z.dist-info`, when found on disk

    @property
    def installed_normally(self) -> bool | None:
        """Installed into site-packages, not editable from a source tree (Streamlit's own test for
        `global.developmentMode`); None when it cannot be told from here."""
        if self.dist_info is None:
            return None
        if not any(part in ("site-packages", "dist-packages") for part in self.dist_info.parts):
            return None
        try:
            direct_url = (self.dist_info / "direct_url.json").read_text(encoding="utf-8")
        except OSError:
            return True  # installed from an index: no direct URL recorded
        import json

        try:
            editable = json.loads(direct_url).get("dir_info", {}).get("editable", False)
        except (ValueError, AttributeError):
            return None
        return not editable


def _dist_info_in(site_dirs: Iterable[str | Path]) -> tuple[str, Path] | None:
    """Streamlit's version and dist-info folder in the first of `site_dirs` that has one."""
    for entry in site_dirs:
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in sorted(names):
            if name.startswith(_DIST_PREFIX) and name.endswith(_DIST_SUFFIX):
                version = name[len(_DIST_PREFIX) : -len(_DIST_SUFFIX)]
                # `streamlit-nightly-...` or `streamlit_extras-...` are other distributions.
                if version[:1].isdigit():
                    return version, Path(entry) / name
    return None


def _venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return None


def _venv_site_dirs(venv: Path) -> list[Path]:
    return [*venv.glob("lib/python3*/site-packages"), venv / "Lib" / "site-packages"]


def _venv_root(python: Path) -> Path | None:
    """The virtualenv an interpreter belongs to (its `pyvenv.cfg` sits one level above bin/)."""
    root = python.absolute().parent.parent
    return root if (root / "pyvenv.cfg").is_file() else None


def _probe_interpreter(python: Path) -> str | None:
    """Ask an interpreter outside any virtualenv for its Streamlit version (rare, slow path)."""
    import subprocess

    code = (
        "import importlib.metadata as m\n"
        "try: print(m.version('streamlit'))\n"
        "except m.PackageNotFoundError: pass\n"
    )
    try:
        result = subprocess.run(
            [str(python), "-c", code], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    version = result.stdout.strip()
    return version or None


def _install_for_python(python: Path, found_via: str) -> StreamlitInstall | None:
    venv = _venv_root(python)
    if venv is None:
        version = _probe_interpreter(python)
        return StreamlitInstall(python, version, found_via) if version else None
    found = _dist_info_in(_venv_site_dirs(venv))
    return StreamlitInstall(python, found[0], found_via, found[1]) if found else None


def _shebang_python(script: Path) -> Path | None:
    try:
        with open(script, "rb") as handle:
            first = handle.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode(errors="replace").split()
    if not words:
        return None
    if Path(words[0]).name == "env" and len(words) > 1:
        import shutil

        found = shutil.which(words[1])
        return Path(found) if found else None
    return Path(words[0])


def find_streamlit(
    project_dir: Path, env: Mapping[str, str], python: Path | None = None
) -> StreamlitInstall | None:
    """The Streamlit that `streamlit run` in `project_dir` would use, or None if there is none."""
    if python is not None:
        return _install_for_python(python, "--python")

    project_venv = project_dir / ".venv"
    venv_python = _venv_python(project_venv)
    if venv_python is not None:
        found = _dist_info_in(_venv_site_dirs(project_venv))
        if found:
            return StreamlitInstall(venv_python, found[0], "project .venv", found[1])

    active = env.get("VIRTUAL_ENV")
    if active:
        active_python = _venv_python(Path(active))
        found = _dist_info_in(_venv_site_dirs(Path(active)))
        if active_python is not None and found:
            return StreamlitInstall(active_python, found[0], "$VIRTUAL_ENV", found[1])

    found = _dist_info_in(sys.path)
    if found:
        return StreamlitInstall(Path(sys.executable), found[0], "current interpreter", found[1])

    import shutil  # only reached when no virtualenv or interpreter of ours has Streamlit

    script = shutil.which("streamlit", path=env.get("PATH", os.defpath))
    if script is not None:
        script_python = _shebang_python(Path(script))
        if script_python is not None:
            return _install_for_python(script_python, "PATH")
    return None
