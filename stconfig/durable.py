"""Saving a config file durably: under a lock (git's `config.lock`), the whole new text written and
checked, fsynced, and renamed over the file, so a reader sees the old file or the new one, never
part of either; owner, mode and a symlink are kept.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stconfig.errors import ConfigFileError
from stconfig.problems import NOT_REGULAR
from stconfig.tomledit import EditResult, decode, parse_strict

LOCK_TIMEOUT = 5.0  # seconds a writer waits for another one's lock before giving up


def read_document(path: Path) -> str:
    """The text of an existing config file that parses, or "" when there is none."""
    real = _real_path(path)
    try:
        data = real.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise ConfigFileError(path, f"cannot be read: {error.strerror or error}") from None
    text = decode(data, path)
    parse_strict(text, path)
    return text


@dataclass(frozen=True)
class FileEdit:
    """What `edit_file` did: the file it wrote (a symlink's target), its text before, the edit."""

    path: Path
    before: str
    result: EditResult | None  # None: nothing to do (unset of a key that is not there)
    written: bool


def _real_path(path: Path) -> Path:
    real = Path(os.path.realpath(path))
    if real.exists() and not real.is_file():
        raise ConfigFileError(path, NOT_REGULAR, hint="stconfig edits plain files only")
    return real


def _acquire(lock: Path, timeout: float) -> int:
    """git's config.lock: the lock file, created exclusively, is also where the new text goes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise ConfigFileError(
                    lock,
                    "is held by another writer",
                    hint="if no other stconfig is running, a killed one left it: remove it",
                ) from None
            time.sleep(0.02)
        except OSError as error:
            raise ConfigFileError(lock, f"cannot be created: {error.strerror or error}") from None


def edit_file(
    path: Path,
    edit: Callable[[str], EditResult | None],
    *,
    create: bool = True,
    timeout: float | None = None,
) -> FileEdit:
    """Apply a pure edit to the file under its lock, writing atomically only when it changes.

    The lock is held from the read to the rename, so concurrent writers lose no update.
    `create`: make the file (and its directory) when missing; otherwise a missing file is an
    empty document that is never written.
    """
    real = _real_path(path)
    if not real.exists() and not create:
        return FileEdit(real, "", edit(""), written=False)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigFileError(
            real.parent, f"cannot be created: {error.strerror or error}"
        ) from None
    lock = real.with_name(real.name + ".lock")
    fd = _acquire(lock, LOCK_TIMEOUT if timeout is None else timeout)
    renamed = False
    try:
        try:
            data = real.read_bytes()
            old_stat: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            data, old_stat = b"", None
        except OSError as error:
            raise ConfigFileError(path, f"cannot be read: {error.strerror or error}") from None
        before = decode(data, path)
        parse_strict(before, path)
        result = edit(before)
        if result is None or not result.changed:
            return FileEdit(real, before, result, written=False)
        try:
            _write_all(fd, result.text.encode("utf-8"))
            if old_stat is not None:
                _keep_owner_and_mode(lock, old_stat)
            os.replace(lock, real)
            renamed = True
            _fsync_dir(real.parent)
        except OSError as error:
            raise ConfigFileError(path, f"cannot be written: {error.strerror or error}") from None
    finally:
        os.close(fd)
        # Once renamed, the lock name may already be the next writer's lock: leave it alone.
        if not renamed:
            lock.unlink(missing_ok=True)
    return FileEdit(real, before, result, written=True)


def write_atomically(path: Path, text: str) -> None:
    """Replace (or create) a file that has no lock protocol (stconfig's own caches and outputs)
    with `text`: a temporary file beside it, written whole and fsynced, then renamed over it."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer) and make it durable."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _keep_owner_and_mode(lock: Path, old: os.stat_result) -> None:
    os.chmod(lock, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        current = os.stat(lock)
        if (current.st_uid, current.st_gid) != (old.st_uid, old.st_gid):
            # Only root can give the file back to its owner; anyone else writes it as their own.
            with contextlib.suppress(PermissionError):
                os.chown(lock, old.st_uid, old.st_gid)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a directory for this)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
