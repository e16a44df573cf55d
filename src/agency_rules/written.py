"""Files written whole or not at all: written under a hidden name beside their own, then given it in one step."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_beside(target: Path, write: Callable[[TextIO], None], mode: int) -> Path:
    """Write a file whole under a hidden `.NAME.….partial` name beside `target` (the same file system, so it can take the
    name in one step) and on disk; if writing fails or is stopped, the partial file goes too."""
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".partial", delete=False)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
    except BaseException:
        os.unlink(handle.name)
        raise
    return Path(handle.name)


def new_file_mode() -> int:
    """The permissions a new file gets from the process's umask, as `open` would give them."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
