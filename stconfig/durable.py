"""Saving a config file durably: under a lock (git's `config.lock`), the whole new text written and
checked, fsynced, and renamed over the file, so a reader sees the old file or the new one, never
part of either; owner, mode and a symlink are kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stconfig.errors import ConfigFileError
from stconfig.problems import NO_SUCH_DIRECTORY, NOT_REGULAR, not_written
from stconfig.readfile import NotRegularFile, read_regular
from stconfig.tomledit import EditResult, decode, parse_strict

LOCK_TIMEOUT = 5.0  # seconds a writer waits for another one's lock before giving up


def read_document(path: Path) -> str:
    """The text of an existing config file that parses, or "" when there is none."""
    real = _real_path(path)
    try:
        data = read_regular(real)
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise _read_error(path, error) from None
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
        raise ConfigFileError(path, NOT_REGULAR, hint=_PLAIN_FILES)
    return real


_PLAIN_FILES = "stconfig reads and edits plain files only"


def _read_error(path: Path, error: OSError) -> ConfigFileError:
    if isinstance(error, NotRegularFile):
        return ConfigFileError(path, NOT_REGULAR, hint=_PLAIN_FILES)
    return ConfigFileError(path, f"cannot be read: {error.strerror or error}")


def make_directory(path: Path, *, make_parent: bool) -> None:
    """The directory a new config file goes into: it must exist, or with `make_parent` be one
    directory (`.streamlit/`) inside an existing one. Never a chain of directories, as git
    never creates one: a typo in a path must not become a tree."""
    directory = path.parent
    if directory.is_dir():
        return
    if not make_parent or not directory.parent.is_dir():
        missing = directory if not make_parent else directory.parent
        raise ConfigFileError(
            missing,
            NO_SUCH_DIRECTORY,
            hint=f"create it first: stconfig does not create directories for {path.name}"
            if not make_parent
            else f"create it first: stconfig only creates {directory.name}/ inside it",
        )
    try:
        directory.mkdir(exist_ok=True)
    except OSError as error:
        raise ConfigFileError(directory, f"cannot be created: {error.strerror or error}") from None


def _mode_of(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _read_error(path, error) from None


def _acquire(lock: Path, timeout: float, like: os.stat_result | None) -> int:
    """git's config.lock: the lock file, created exclusively, is also where the new text goes.

    It gets the file's mode (and owner) before it holds a byte: the new text of a 0600 file is
    never readable by others, not even in a lock a killed writer left behind."""
    # A new file gets the usual 0666 & ~umask; an existing one's mode is set exactly by fchmod
    # below, so until then the lock is at most owner-only.
    mode = 0o666 if like is None else stat.S_IMODE(like.st_mode) & 0o600
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | _CLOEXEC, mode)
            break
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
    try:
        if like is not None:
            _take_owner_and_mode(fd, lock, like)
    except OSError as error:
        os.close(fd)
        lock.unlink(missing_ok=True)
        raise ConfigFileError(lock, f"cannot be created: {error.strerror or error}") from None
    return fd


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def edit_file(
    path: Path,
    edit: Callable[[str], EditResult | None],
    *,
    create: bool = True,
    make_parent: bool = True,
    timeout: float | None = None,
) -> FileEdit:
    """Apply a pure edit to the file under its lock, writing atomically only when it changes.

    The lock is held from the read to the rename, so concurrent writers lose no update.
    `create`: make the file when missing (and with `make_parent` its `.streamlit/` directory);
    otherwise a missing file is an empty document that is never written.
    """
    real = _real_path(path)
    if not real.exists() and not create:
        return FileEdit(real, "", edit(""), written=False)
    make_directory(real, make_parent=make_parent)
    lock = real.with_name(real.name + ".lock")
    fd = _acquire(lock, LOCK_TIMEOUT if timeout is None else timeout, _mode_of(real))
    renamed = False
    try:
        try:
            data = read_regular(real)
            old_stat: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            data, old_stat = b"", None
        except OSError as error:
            raise _read_error(path, error) from None
        before = decode(data, path)
        parse_strict(before, path)
        result = edit(before)
        if result is None or not result.changed:
            return FileEdit(real, before, result, written=False)
        try:
            if old_stat is not None:
                # Another writer may have changed it between our first look and the lock.
                _take_owner_and_mode(fd, lock, old_stat)
            _write_checked(fd, result.text.encode("utf-8"))
            os.replace(lock, real)
        except OSError as error:
            raise ConfigFileError(path, not_written(error.strerror or str(error))) from None
        renamed = True
        _fsync_dir(real.parent)
    finally:
        os.close(fd)
        # Once renamed, the lock name may already be the next writer's lock: leave it alone.
        if not renamed:
            lock.unlink(missing_ok=True)
    return FileEdit(real, before, result, written=True)


def write_atomically(path: Path, text: str) -> None:
    """Replace (or create) a file that has no lock protocol (stconfig's own caches and outputs)
    with `text`: a temporary file beside it, written whole, checked and fsynced, then renamed
    over it. ConfigFileError (the file unchanged) when any of that fails."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise ConfigFileError(path, not_written(error.strerror or str(error))) from None
    try:
        try:
            _write_checked(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise ConfigFileError(path, not_written(error.strerror or str(error))) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_checked(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer; a full disk or a file-size limit stops it
    part way), make it durable, then read it back: only the whole text may be renamed."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]
    os.fsync(fd)
    if os.fstat(fd).st_size != len(data) or _read_back(fd, len(data)) != data:
        raise OSError(errno.EIO, "what was written reads back differently")


def _read_back(fd: int, size: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, left = [], size
    while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _take_owner_and_mode(fd: int, lock: Path, old: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        current = os.fstat(fd)
        if (current.st_uid, current.st_gid) != (old.st_uid, old.st_gid):
            # Only root can give the file back to its owner; anyone else writes it as their own.
            with contextlib.suppress(PermissionError):
                os.fchown(fd, old.st_uid, old.st_gid)
    # After chown, which may clear set-id bits; umask never applies to a chmod.
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode))
    else:  # Windows before 3.13
        os.chmod(lock, stat.S_IMODE(old.st_mode))


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a directory for this)."""
    if os.name != "posix":
        return
    # The rename is done: a directory that refuses fsync changes nothing about the result.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
