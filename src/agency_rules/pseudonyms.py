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
    key = path.read_bytes()[: 64 * 1024].strip()
    if not key:
        raise InputError(f"{path}: the key file is empty ({NEW_KEY} makes one)")
    if len(key) < KEY_BYTES:
        raise InputError(f"{path}: the key holds {len(key)} bytes; a key needs at least {KEY_BYTES} ({NEW_KEY} makes one)")
    return key


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
    normal = pl.select(worker.kind.value(cells["worker_id"])).to_series()
    # Not a registration number (a name typed in, say), or on a row with the wrong number of cells, which
    # a CSV of the contract's columns cannot keep: left blank, so the check still rejects the row.
    unreadable = ~frame[BLANK] & ((normal.is_null() & (cells["worker_id"] != "")) | (frame[FIELDS] != records.width))
    cells["worker_id"] = pseudonyms(key, pl.select(pl.when(unreadable).then(pl.lit("")).otherwise(normal.fill_null(""))).to_series())
    written = pl.DataFrame(cells)
    dropped = [h for i, h in enumerate(records.header) if i not in set(where.values()) and h.strip()]
    return Pseudonymised(kind, written, dropped, frame.filter(unreadable)[ROW].to_list(), written.filter(pl.col("worker_id") != "")["worker_id"].n_unique())


def _kind(label: str, header: list[str], column_map: ColumnMap | None, no_header: str) -> tuple[str, tuple[Column, ...], dict[str, int]]:
    """An engagements export or a history file, told apart by their headers."""
    where, problems = read_header(header, ENGAGEMENT_COLUMNS, column_map, no_header)
    if not problems:
        return "engagements", ENGAGEMENT_COLUMNS, where
    history, history_problems = read_header(header, HISTORY_COLUMNS, column_map, no_header)
    if not history_problems and "engagement_id" not in where:
        return "history", HISTORY_COLUMNS, history
    raise InputError(f"{label}: neither an engagements export nor a history file: " + "; and ".join(problems))
