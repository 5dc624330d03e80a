"""durable: the locked, atomic save of a config file (creating it, no-ops, permissions, symlinks,
files it must not touch, the lock)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from stconfig.durable import edit_file, read_document
from stconfig.errors import ConfigFileError, ExitCode
from stconfig.tomledit import set_in_text, unset_in_text

KEY = ("runner", "enforceSerializableSessionState")


def _set(value: object) -> object:
    return lambda text: set_in_text(text, KEY, value)


def test_edit_file_creates_directory_and_file(tmp_path: Path) -> None:
    target = tmp_path / "p" / ".streamlit" / "config.toml"
    target.parent.parent.mkdir()
    done = edit_file(target, _set(True))  # type: ignore[arg-type]
    assert done.written
    assert target.read_text() == "[runner]\nenforceSerializableSessionState = true\n"
    assert not (target.parent / "config.toml.lock").exists()


@pytest.mark.parametrize("make_parent", [True, False])
def test_edit_file_creates_no_chain_of_directories(tmp_path: Path, make_parent: bool) -> None:
    """`.streamlit/` inside an existing directory, never more (as git): a typo in --file or a
    missing $HOME must not become a tree of directories."""
    target = tmp_path / "no-such" / ".streamlit" / "config.toml"
    missing = target.parent.parent if make_parent else target.parent
    with pytest.raises(ConfigFileError, match="no such directory") as caught:
        edit_file(target, _set(True), make_parent=make_parent)  # type: ignore[arg-type]
    assert caught.value.position.path == missing
    assert caught.value.exit_code == ExitCode.FILE
    assert not (tmp_path / "no-such").exists()
    if not make_parent:
        (tmp_path / "no-such").mkdir()
        with pytest.raises(ConfigFileError, match="no such directory"):
            edit_file(target, _set(True), make_parent=False)  # type: ignore[arg-type]
        assert list((tmp_path / "no-such").iterdir()) == []


def test_edit_file_no_op_does_not_touch_the_file(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_text("[runner]\nenforceSerializableSessionState = true\n")
    os.utime(target, (1_000_000, 1_000_000))
    done = edit_file(target, _set(True))  # type: ignore[arg-type]
    assert not done.written
    assert target.stat().st_mtime == 1_000_000
    assert not (tmp_path / "config.toml.lock").exists()


def test_edit_file_keeps_permissions_and_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("[runner]\nx = 1\n")
    real.chmod(0o640)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    done = edit_file(link, _set(True))  # type: ignore[arg-type]
    assert done.path == real
    assert link.is_symlink()
    assert real.read_text() == "[runner]\nx = 1\nenforceSerializableSessionState = true\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xef\xbb\xbf[runner]\n", "byte order mark"),
        (b"[runner]\nx = '\xff'\n", "not valid UTF-8"),
        (b"[runner]\nx = \n", "TOML syntax error"),
    ],
)
def test_edit_file_refuses_unreadable_files_untouched(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    target = tmp_path / "config.toml"
    target.write_bytes(data)
    with pytest.raises(ConfigFileError) as caught:
        edit_file(target, _set(True))  # type: ignore[arg-type]
    assert reason in caught.value.message
    assert caught.value.position.line is not None
    assert target.read_bytes() == data
    assert not (tmp_path / "config.toml.lock").exists()
    with pytest.raises(ConfigFileError):
        read_document(target)


def test_edit_file_refuses_a_directory(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    with pytest.raises(ConfigFileError, match="not a regular file"):
        edit_file(tmp_path / "config.toml", _set(True))  # type: ignore[arg-type]


def test_edit_file_waits_for_the_lock_then_gives_up(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_text("[runner]\n")
    lock = tmp_path / "config.toml.lock"
    lock.write_text("someone else")
    with pytest.raises(ConfigFileError, match=r"config\.toml\.lock") as caught:
        edit_file(target, _set(True), timeout=0.1)  # type: ignore[arg-type]
    assert caught.value.exit_code == ExitCode.FILE
    assert target.read_text() == "[runner]\n"
    assert lock.read_text() == "someone else"


def test_edit_file_missing_without_create_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / ".streamlit" / "config.toml"
    done = edit_file(target, lambda text: unset_in_text(text, KEY), create=False)
    assert done.result is None
    assert not target.parent.exists()
