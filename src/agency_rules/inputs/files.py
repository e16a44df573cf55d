"""An export's bytes as UTF-8 text for the columnar reader: the encoding detected, never guessed silently.

UTF-8 (with or without a byte-order mark) goes to the reader as it is, and the reader itself refuses
bytes that are not UTF-8; such a file is then read as Windows-1252 (what Excel writes) if every byte
is defined there. UTF-16 and UTF-32 with a byte-order mark are converted first. The report names the encoding,
and the file's SHA-256 (computed in a thread while the file is parsed) identifies it.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..tomlfiles import digest

WRITTEN = (
    ".json",
    ".html",
    ".htm",
    ".md",
)  # a report's name, never an export's: an --output left out


@dataclass(frozen=True)
class InputFile:
    """An input as a report names it."""

    path: str
    sha256: str
    rows: int | None
    encoding: str
    kind: str = "engagements"
    sheet: str | None = None
    timed_dates: int = 0  # dates that carried a time of day, of which the calendar day was taken
    pseudonym_key: str | None = (
        None  # the fingerprint of the key a pseudonymised file was made with
    )

    @classmethod
    def setting(cls, path: Path, kind: str, shipped: Path | None = None) -> InputFile:
        """A rules, overlay, caps, waivers, column-map or config file that shaped the run, named with the hash of the bytes loaded.

        A file shipped with the tool is named `agency-rules:rulesets/NAME.toml`, wherever it is installed.
        """
        label = str(path)
        if shipped is not None and path.resolve().is_relative_to(shipped.resolve()):
            label = f"agency-rules:{path.resolve().relative_to(shipped.resolve()).as_posix()}"
        return cls(label, digest(path), None, "utf-8", kind)


class Digest:
    """SHA-256 of the file's bytes, computed beside the parsing (hashlib releases the GIL on large buffers)."""

    def __init__(self, raw: bytes) -> None:
        self._value = ""
        self._thread = threading.Thread(target=self._compute, args=(raw,), daemon=True)
        self._thread.start()

    def _compute(self, raw: bytes) -> None:
        self._value = hashlib.sha256(raw).hexdigest()

    @property
    def value(self) -> str:
        self._thread.join()
        return self._value


@dataclass(frozen=True)
class SourceText:
    path: str
    encoding: str
    digest: Digest = field(repr=False)
    data: bytes = field(repr=False)
    original: bytes = field(repr=False, default=b"")

    @property
    def sha256(self) -> str:
        return self.digest.value

    def as_windows_1252(self) -> SourceText:
        """The same file read as Windows-1252, for when its bytes are not UTF-8; a file that is UTF-8 but for a few bytes is refused."""
        mixed = UTF8_SEQUENCE.search(self.original)
        if mixed is not None:
            bad = _first_invalid(self.original)
            line, example = (self.original.count(b"\n", 0, at) + 1 for at in (bad, mixed.start()))
            raise InputError(
                f"{self.path}, line {line}: the file is UTF-8 (e.g. at line {example}) but not at this line "
                f"(byte 0x{self.original[bad]:02x}), so it would be misread either way; save it again as CSV UTF-8"
            )
        try:
            text = self.original.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                f"{self.path}: the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8"
            ) from None
        return SourceText(self.path, "cp1252", self.digest, text.encode("utf-8"))


UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
MAX_INPUT = 2 << 30
INPUT_SECONDS = 600


def _within_time(path: Path, read: Callable[[], bytes]) -> bytes:
    """A pipe's bytes, or a clear refusal if the writer has not finished within INPUT_SECONDS (a reader stuck waiting is left behind)."""
    seconds = float(os.environ.get("AGENCY_RULES_INPUT_SECONDS", INPUT_SECONDS))
    result: list[bytes | OSError] = []

    def run() -> None:
        try:
            result.append(read())
        except OSError as error:
            result.append(error)

    reader = threading.Thread(target=run, daemon=True)
    reader.start()
    reader.join(seconds)
    if not result:
        raise InputError(
            f"{path}: the input did not finish arriving within {seconds:g} seconds (is anything writing to it?)"
        )
    if isinstance(result[0], OSError):
        raise result[0]
    return result[0]


def _first_invalid(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def _read_some(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def read_bounded(path: Path, most: int = MAX_INPUT) -> bytes:
    """Read once, at most `most` bytes and one more (the caller refuses a longer file in its own words; longer than
    MAX_INPUT is refused here): a device that never ends, or a folder, is refused rather than read; standard input and a
    FIFO must finish arriving within INPUT_SECONDS."""
    most = min(most, MAX_INPUT)
    try:
        if str(path) == "-":
            raw = _within_time(path, lambda: sys.stdin.buffer.read(most + 1))
        else:
            mode = path.stat().st_mode
            if stat.S_ISDIR(mode):
                raise InputError(f"{path}: is a folder, not an export file")
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
                raise InputError(f"{path}: is a device, not an export file")
            if stat.S_ISFIFO(mode):
                raw = _within_time(path, lambda: _read_some(path, most + 1))
            else:
                with path.open("rb") as handle:
                    raw = handle.read(most + 1)
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file"
            + (
                f"; to write the report to this file, name it with --output {path}"
                if path.suffix.lower() in WRITTEN
                else ""
            )
        ) from None
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if len(raw) > MAX_INPUT:
        raise InputError(
            f"{path}: the input is larger than {MAX_INPUT >> 30} GiB; split it into several files"
        )
    return raw


def source_text(path: Path, raw: bytes) -> SourceText:
    """A text export's bytes (read by read_bounded) as UTF-8 for the reader; refuses empty and binary files."""
    if not raw:
        raise InputError(f"{path}: the file is empty; expected a header row")
    digest = Digest(raw)
    for marks, encoding in (
        ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
    ):
        if raw.startswith(marks):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"{path}: the file starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} text"
                ) from None
            if "\x00" in text:
                raise InputError(
                    f"{path}: the file contains NUL characters; it is not a CSV text file"
                )
            return SourceText(str(path), encoding, digest, text.encode("utf-8"))
    if b"\x00" in raw:
        raise InputError(
            f"{path}: the file contains NUL bytes; it is not a CSV text file (binary, or UTF-16 without a byte-order mark)"
        )
    if raw.startswith(codecs.BOM_UTF8):
        return SourceText(str(path), "utf-8-sig", digest, raw[len(codecs.BOM_UTF8) :], original=raw)
    return SourceText(str(path), "utf-8", digest, raw, original=raw)


def same_file(path: Path, other: Path) -> bool:
    """Whether two names are one file, however written (a link, ./region.key): a key given as an export, a report given
    twice."""
    try:
        return os.path.samefile(path, other)
    except OSError:  # either is missing or unreadable: it is said where that file is read
        return False


def given_twice(paths: list[Path]) -> tuple[Path, Path] | None:
    """The first name that is a file given before (the earlier name, then it), or None: one file under two names would be
    counted twice."""
    for i, path in enumerate(paths):
        earlier = next((e for e in paths[:i] if same_file(e, path)), None)
        if earlier is not None:
            return earlier, path
    return None
