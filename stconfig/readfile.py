"""Reading a config file's bytes without ever blocking: only a regular file is read.

A FIFO, a device or a directory at a config path would hang `open()` or `read()` (a FIFO with no
writer blocks forever), so the path is opened non-blocking and checked with fstat before any read;
checking the path first (`is_file()`) would leave a window for it to be swapped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from stconfig.problems import NOT_REGULAR


class NotRegularFile(OSError):
    """The path exists but is not a regular file (FIFO, device, socket, directory)."""

    def __init__(self, path: Path) -> None:
        super().__init__(NOT_REGULAR)
        self.path = path
        self.strerror = NOT_REGULAR


def read_regular(path: Path) -> bytes:
    """The file's bytes; FileNotFoundError, NotRegularFile, or another OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:  # Windows cannot open a directory at all
        raise NotRegularFile(path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
