"""Files written whole or not at all: written under a hidden name beside their own, then given it in one step."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, cast

from .errors import InputError


def write_beside(target: Path, write: Callable[[TextIO], None], mode: int) -> Path:
    """Write a file whole under a hidden `.NAME.….partial` name beside `target` (the same file system, so it can take the
    name in one step) and on disk; if writing fails or is stopped, the partial file goes too."""
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        newline="",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".partial",
        delete=False,
    )
    try:
        with handle:
            write(cast(TextIO, handle))
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


def refuse_overwriting(
    inputs: list[Path | None], output: Path | None, option: str = "--output"
) -> None:
    """An output is never written over a file the run reads (however named: a link, ./x, a file a found config names), nor
    inside a folder the run reads (a contracts folder would read the report as a contract next time), nor over anything
    that is not a plain file (a device, a folder) or through a link; the message names the option that chose it."""
    if output is None:
        return
    if output.is_symlink():
        raise InputError(
            f"{output}: {option} names a link; writing there would replace the link, not its target: give the file itself"
        )
    if output.exists() and not output.is_file():
        raise InputError(
            f"{output}: {option} names something that is not a plain file (a device, a folder, a pipe); "
            "give a file's name"
        )
    target = output.resolve()
    for path in inputs:
        if path is None:
            continue
        if (
            str(path) == "-"
        ):  # standard input redirected from the output file (`< e.csv -o e.csv`) is that file
            if _stdin_is(output):
                raise InputError(
                    f"{output}: {option} is the file standard input reads; writing there would overwrite it"
                )
            continue
        place = path.resolve()
        if place == target or (
            output.exists() and path.exists() and os.path.samefile(path, output)
        ):
            raise InputError(
                f"{output}: {option} names an input of this run ({path}); writing there would overwrite it"
            )
        if path.is_dir() and target.is_relative_to(place):
            raise InputError(
                f"{output}: {option} is inside {path}, a folder this run reads; a report there would be read "
                "as one of its files next time"
            )


def _stdin_is(output: Path) -> bool:
    """Whether standard input is the file `output` names (a shell's `< file`); a pipe never is."""
    try:
        mine, theirs = os.fstat(0), output.stat()
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)
