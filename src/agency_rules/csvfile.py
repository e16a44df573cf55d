"""CSV files as councils export them: encoding, header, and the data split into byte ranges.

A range boundary always falls just after a newline with an even number of quote characters
before it, so it is never inside a quoted cell; each range can be read by its own process.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

csv.field_size_limit(2**31 - 1)
BLOCK = 1 << 22


class InputError(Exception):
    """The file cannot be read at all (exit 2); bad rows are rejected instead."""


@dataclass(frozen=True, slots=True)
class CsvFile:
    path: Path
    codec: str
    sha256: str
    size: int
    header: list[str]
    data_start: int
    quotes: int


@dataclass(frozen=True, slots=True)
class Part:
    """The byte range [start, end) of a file's data rows."""

    file: CsvFile
    start: int
    end: int


def _scan(path: Path) -> tuple[str, str, int, int]:
    """(codec, sha256, size, quote count). UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 if every byte is defined there."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok = cp1252_ok = True
    first = b""
    nul = False
    size = quotes = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(BLOCK):
                if not first:
                    first = chunk[:4]
                size += len(chunk)
                quotes += chunk.count(b'"')
                digest.update(chunk)
                nul = nul or b"\x00" in chunk
                if utf8_ok:
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError:
                        utf8_ok = False
                if not utf8_ok and cp1252_ok:
                    try:
                        cp1252.decode(chunk)
                    except UnicodeDecodeError:
                        cp1252_ok = False
            if utf8_ok:
                try:
                    utf8.decode(b"", final=True)
                except UnicodeDecodeError:
                    utf8_ok = False
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", digest.hexdigest(), size, quotes
    if nul:
        raise InputError(f"{path}: the file contains NUL bytes; it is not a CSV text file (binary, or UTF-16 without a byte-order mark)")
    if utf8_ok:
        return "utf-8-sig", digest.hexdigest(), size, quotes
    if cp1252_ok:
        return "cp1252", digest.hexdigest(), size, quotes
    raise InputError(f"{path}: the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")


def open_csv(path: Path) -> CsvFile:
    """Detect the encoding, read the header row and find where the data rows start."""
    codec, sha, size, quotes = _scan(path)
    if size == 0:
        raise InputError(f"{path}: the file is empty; expected a header row")
    if codec == "utf-16":
        with path.open(encoding=codec, newline="") as handle:
            header = _first_record(path, handle)
        return CsvFile(path, codec, sha, size, header, -1, quotes)
    with path.open("rb") as handle:
        head = handle.read(BLOCK)
        end = _record_end(head, 0)
        while end < 0 and len(head) < size:
            head += handle.read(BLOCK)
            end = _record_end(head, 0)
    end = len(head) if end < 0 else end
    text = head[:end].decode(codec)
    header = _first_record(path, io.StringIO(text, newline=""))
    return CsvFile(path, codec, sha, size, header, end, quotes)


def _first_record(path: Path, lines: io.TextIOBase) -> list[str]:
    try:
        return next(csv.reader(lines))
    except StopIteration:
        raise InputError(f"{path}: the file is empty; expected a header row") from None
    except csv.Error as error:
        raise InputError(f"{path}, row 1: the header cannot be read ({error})") from None


def _record_end(data: bytes, start: int) -> int:
    """Offset just past the first newline at or after `start` with an even count of quotes since `start`; -1 if none."""
    position = start
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            return -1
        if data.count(b'"', start, newline) % 2 == 0:
            return newline + 1
        position = newline + 1


def split(file: CsvFile, parts: int) -> list[Part]:
    """Up to `parts` ranges of roughly equal size; one range where the file cannot be split safely."""
    whole = [Part(file, file.data_start, file.size)]
    if parts < 2 or file.data_start < 0 or file.quotes % 2:
        return whole
    bounds = [file.data_start]
    with file.path.open("rb") as handle:
        for index in range(1, parts):
            target = file.data_start + (file.size - file.data_start) * index // parts
            if target <= bounds[-1]:
                continue
            if _quotes_between(handle, bounds[-1], target) % 2:
                return whole
            handle.seek(target)
            tail = handle.read(BLOCK)
            end = _record_end(tail, 0)
            if end < 0:
                break
            bounds.append(target + end)
    bounds.append(file.size)
    return [Part(file, a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _quotes_between(handle: BinaryIO, start: int, stop: int) -> int:
    """Quote characters in [start, stop), read block by block rather than as one large read."""
    handle.seek(start)
    count = 0
    while start < stop:
        chunk = handle.read(min(BLOCK, stop - start))
        if not chunk:
            break
        count += chunk.count(b'"')
        start += len(chunk)
    return count


def records(part: Part) -> Iterator[list[str]]:
    """The CSV records of a range, decoded block by block; a UTF-16 file is decoded whole."""
    file = part.file
    if file.data_start < 0:
        reader = csv.reader(io.StringIO(file.path.read_text(encoding=file.codec), newline=""))
        next(reader, None)
        return reader
    return csv.reader(chain.from_iterable(io.StringIO(block, newline="") for block in _blocks(part)))


def _blocks(part: Part) -> Iterator[str]:
    codec = "utf-8" if part.file.codec == "utf-8-sig" else part.file.codec
    with part.file.path.open("rb") as handle:
        handle.seek(part.start)
        remaining = part.end - part.start
        carry = b""
        while remaining > 0:
            chunk = handle.read(min(BLOCK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0 and remaining > 0:
                carry = data
                continue
            if remaining <= 0:
                cut = len(data)
            carry = data[cut:]
            yield data[:cut].decode(codec)
        if carry:
            yield carry.decode(codec)
