"""An export's bytes as UTF-8 text for the columnar reader: the encoding detected, never guessed silently.

UTF-8 (with or without a byte-order mark) is read as it is; UTF-16 with a byte-order mark and
Windows-1252 (what Excel writes) are converted before the reader ever sees them. The report names
the encoding, and the file's SHA-256 identifies it.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path


class InputError(Exception):
    """The file cannot be read at all (exit 2); bad rows are rejected instead."""


@dataclass(frozen=True)
class InputFile:
    """An input as a report names it."""

    path: str
    sha256: str
    rows: int
    encoding: str


@dataclass(frozen=True)
class SourceText:
    path: str
    encoding: str
    sha256: str
    data: bytes

    def info(self, rows: int) -> InputFile:
        return InputFile(self.path, self.sha256, rows, self.encoding)


def read_source(path: Path) -> SourceText:
    """UTF-8 bytes of the file, whatever it was written in; refuses binary files and unknown encodings."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    digest = hashlib.sha256(raw).hexdigest()
    if not raw:
        raise InputError(f"{path}: the file is empty; expected a header row")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return SourceText(str(path), "utf-16", digest, raw.decode("utf-16").encode("utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"{path}: the file starts with a UTF-16 byte-order mark but is not UTF-16 text") from None
    if b"\x00" in raw:
        raise InputError(f"{path}: the file contains NUL bytes; it is not a CSV text file (binary, or UTF-16 without a byte-order mark)")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        raw.decode("utf-8")
        return SourceText(str(path), "utf-8-sig", digest, raw)
    except UnicodeDecodeError:
        pass
    try:
        return SourceText(str(path), "cp1252", digest, raw.decode("cp1252").encode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8") from None
