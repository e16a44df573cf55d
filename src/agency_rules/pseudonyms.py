"""Regional pseudonyms: Social Work England numbers replaced by a keyed hash, so councils can pool their files.

Every council holding the region's key gives a worker the same pseudonym, `P-` + the first 20 hex
digits of HMAC-SHA256(key, "SW123456"), so cooling-off is still found across councils. Nobody
without the key can reverse one: an unkeyed hash of a six-digit number is reversed by trying all
million of them, a keyed one is not. Only the data contract's columns are written, so names, dates
of birth, NI numbers and any other column never leave the council.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .inputs.columns import ENGAGEMENT_COLUMNS, HISTORY_COLUMNS, Column
from .inputs.config import ColumnMap
from .inputs.engagements import read_raw
from .inputs.files import InputError
from .inputs.records import BLANK, FIELDS, ROW, cell
from .inputs.tables import read_header, translated

KEY_BYTES = 32
PSEUDONYM_DIGITS = 20  # 80 bits: no two of a region's workers share one
NEW_KEY = "agency-check pseudonymise --new-key FILE"


def new_key(path: Path) -> None:
    """A fresh random key, readable by its owner only; an existing file is never replaced (its pseudonyms would be orphaned)."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(f"{path}: already exists; a new key there would make every pseudonym made with the old one unmatchable. Choose another name") from None
    except OSError as error:
        raise InputError(f"{path}: cannot write the key ({error.strerror or error})") from None
    with os.fdopen(handle, "w") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(secrets.token_hex(KEY_BYTES) + "\n")


def read_key(path: Path) -> bytes:
    """The key's bytes (surrounding white space aside); a key others can read, or one too short to resist guessing, is refused."""
    try:
        status = path.stat()
    except OSError:
        raise InputError(f"{path}: no key file there ({NEW_KEY} makes one)") from None
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"{path}: the key must be a regular file")
    if status.st_mode & stat.S_IROTH:
        raise InputError(f"{path}: the key is readable by every user of this machine; make it the owner's only (chmod 600 {path})")
    text = path.read_bytes()[: 64 * 1024].strip()
    if not text:
        raise InputError(f"{path}: the key file is empty ({NEW_KEY} makes one)")
    key = _unhex(text)
    if len(key) < KEY_BYTES:
        raise InputError(f"{path}: the key holds {len(key)} bytes; a key needs at least {KEY_BYTES} ({NEW_KEY} makes one)")
    if len(set(key)) < KEY_BYTES // 2:
        raise InputError(f"{path}: the key repeats a few byte values over and over, so it could be guessed; make a random one ({NEW_KEY})")
    return key


def _unhex(text: bytes) -> bytes:
    """A key written as hex (as --new-key and `openssl rand -hex 32` write it) is its bytes, in either case; any other text is itself."""
    try:
        return bytes.fromhex(text.decode("ascii")) if len(text) % 2 == 0 else text
    except (UnicodeDecodeError, ValueError):
        return text


def fingerprint(key: bytes) -> str:
    """Eight hex digits that name a key without revealing it, so councils can confirm they used the same one."""
    return hmac.new(key, b"agency-rules key fingerprint", hashlib.sha256).hexdigest()[:8]


def pseudonyms(key: bytes, workers: pl.Series) -> pl.Series:
    """Registration numbers (normalised, SW + digits) as pseudonyms; pseudonyms already made stay as they are."""
    numbers = workers.filter(workers.str.starts_with("SW")).unique()
    made = {number: "P-" + hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_DIGITS] for number in numbers}
    return workers.replace(made)


@dataclass(frozen=True)
class Pseudonymised:
    """One file with its worker ids replaced: the contract's columns as text, and what was left out."""

    kind: str  # engagements or history
    frame: pl.DataFrame
    dropped: list[str]  # headers not written
    blanked: list[int]  # rows whose worker id is not a registration number, left blank so the check rejects them
    unreadable: list[int]  # rows with the wrong number of cells, written as a mark only
    numbers_elsewhere: int  # rows with a registration number in another column, now its pseudonym
    workers: int


def pseudonymise(path: Path, key: bytes, column_map: ColumnMap | None = None, sheet: str | None = None) -> Pseudonymised:
    """Every record of the file, in order, blank ones too, so a CSV's rows keep their numbers."""
    raw = read_raw(path, ENGAGEMENT_COLUMNS, column_map, sheet)
    records = raw.records
    kind, columns, where = _kind(str(path), records.header, column_map, records.no_header())
    frame = records.frame
    words = column_map.values if column_map else {}
    cells = {c.name: frame[cell(where[c.name])].cast(pl.String).str.strip_chars() for c in columns if c.name in where}
    cells = {name: translated(text, words[name]) if name in words else text for name, text in cells.items()}
    worker = next(c for c in columns if c.name == "worker_id")
    normal = pl.select(worker.value(cells["worker_id"])).to_series()
    # A row with the wrong number of cells has its cells under the wrong headers (a name under worker_id, a date of birth
    # under la_code): nothing of it is written but a mark, so the check still rejects that row and nothing leaks.
    crooked = ~frame[BLANK] & (frame[FIELDS] != records.width)
    # A worker id that is not a registration number (a name typed in, say) is left blank, so the check rejects the row.
    unreadable = ~frame[BLANK] & ~crooked & normal.is_null() & (cells["worker_id"] != "")
    cells["worker_id"] = pseudonyms(key, pl.select(pl.when(unreadable | crooked).then(pl.lit("")).otherwise(normal.fill_null(""))).to_series())
    written = pl.DataFrame(cells)
    if crooked.any():
        mark = pl.format("unreadable row {}", pl.lit(frame[ROW]).cast(pl.String))
        written = written.with_columns(
            pl.when(pl.lit(crooked)).then(mark if name == "engagement_id" else pl.lit("")).otherwise(pl.col(name)).alias(name) for name in written.columns
        )
    # A registration number written in any other kept column (an engagement id 'SW310001-A1') would pair it with its pseudonym.
    written, numbers = _pseudonymise_numbers_in(written, key, worker)
    dropped = [h for i, h in enumerate(records.header) if i not in set(where.values()) and h.strip()]
    return Pseudonymised(kind, written, dropped, frame.filter(unreadable)[ROW].to_list(), frame.filter(crooked)[ROW].to_list(), numbers,
                         written.filter(pl.col("worker_id") != "")["worker_id"].n_unique())


REGISTRATION = r"(?i)\bSW ?[1-9][0-9]{0,5}\b"


def _pseudonymise_numbers_in(frame: pl.DataFrame, key: bytes, worker: Column) -> tuple[pl.DataFrame, int]:
    """Every registration number inside another column's text replaced by its pseudonym; how many cells held one."""
    others = [name for name in frame.columns if name != "worker_id"]
    found = pl.concat([frame[name].str.extract_all(REGISTRATION).explode() for name in others]).drop_nulls().unique() if others else pl.Series([], dtype=pl.String)
    if not found.len():
        return frame, 0
    made = pseudonyms(key, pl.select(worker.value(pl.lit(found))).to_series())
    holding = frame.select(pl.any_horizontal(pl.col(name).str.contains(REGISTRATION) for name in others)).to_series().sum()
    return frame.with_columns(pl.col(name).str.replace_many(found.to_list(), made.to_list()) for name in others), int(holding)


def _kind(label: str, header: list[str], column_map: ColumnMap | None, no_header: str) -> tuple[str, tuple[Column, ...], dict[str, int]]:
    """An engagements export or a history file, told apart by their headers."""
    where, problems = read_header(header, ENGAGEMENT_COLUMNS, column_map, no_header)
    if not problems:
        return "engagements", ENGAGEMENT_COLUMNS, where
    history, history_problems = read_header(header, HISTORY_COLUMNS, column_map, no_header)
    if not history_problems and "engagement_id" not in where:
        return "history", HISTORY_COLUMNS, history
    raise InputError(f"{label}: neither an engagements export nor a history file: " + "; and ".join(problems))
