"""`stconfig edit`'s core: run the user's editor on one config file, creating it first when it is
missing and removing it again when it is left empty.

The editor command is split like a shell would split it (`EDITOR="code --wait"` works), but run
without a shell: the path is one argument, never interpolated.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from stconfig.errors import ConfigFileError, StconfigError, UsageError
from stconfig.locate import Target
from stconfig.model import Scope
from stconfig.problems import NOT_REGULAR


def editor_command(env: Mapping[str, str]) -> list[str]:
    """$VISUAL, else $EDITOR, else vi (as git does), split like a shell would split it."""
    editor = env.get("VISUAL") or env.get("EDITOR")
    if not editor:
        if shutil.which("vi") is None:
            raise UsageError(
                "no editor: VISUAL and EDITOR are not set and vi is not on PATH",
                hint="export EDITOR=nano (or your editor) and try again",
            )
        editor = "vi"
    try:
        words = shlex.split(editor)
    except ValueError as error:
        raise UsageError(f"cannot parse the editor command {editor!r}: {error}") from None
    if not words:
        raise UsageError(f"the editor command {editor!r} is empty", hint="set VISUAL or EDITOR")
    return words


def _run_editor(words: list[str], path: Path) -> None:
    try:
        result = subprocess.run([*words, str(path)], check=False)
    except OSError as error:
        raise UsageError(
            f"cannot run the editor {shlex.join(words)!r}: {error.strerror or error}",
            hint="set VISUAL or EDITOR to an editor on PATH",
        ) from None
    if result.returncode != 0:
        raise StconfigError(
            f"the editor {shlex.join(words)!r} exited with status {result.returncode}; "
            f"{path} is as the editor left it",
            hint=f"check it with: stconfig check {shlex.quote(str(path))}",
        )


def edit_in_editor(target: Target, env: Mapping[str, str]) -> bool:
    """Open the target file in the user's editor; False when a file created for it was left
    empty (and is gone again, with a `.streamlit/` made for it)."""
    from stconfig.durable import make_directory

    path = target.path
    words = editor_command(env)
    created_dir = not path.parent.exists()
    created = not path.exists()
    if created:
        make_directory(path, make_parent=target.scope is not Scope.FILE)
        try:
            path.touch()
        except OSError as error:
            raise ConfigFileError(path, f"cannot be created: {error.strerror or error}") from None
    elif not path.is_file():
        raise ConfigFileError(path, NOT_REGULAR, hint="stconfig edits plain files only")
    _run_editor(words, path)
    if created and path.is_file() and path.stat().st_size == 0:
        path.unlink()
        if created_dir:
            with contextlib.suppress(OSError):  # the editor may have left a swap file there
                path.parent.rmdir()
        return False
    return True
