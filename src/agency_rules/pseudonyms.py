"""Regional pseudonyms: Social Work England numbers replaced by a keyed hash, so councils can pool their files.

Every council holding the region's key gives a worker the same pseudonym, `P-` + the first 20 hex
digits of HMAC-SHA256(key, "SW123456"), so cooling-off is still found across councils. Nobody
without the key can reverse one: an unkeyed hash of a six-digit number is reversed by trying all
million of them, a keyed one is not. Only the data contract's columns are written, so names, dates
of birth, NI numbers and any other column never leave the council.

Registration numbers in the other kept columns (an engagement id `SW310001-A1`, an agency `Locum
SW310001 Ltd`) are replaced by their pseudonyms too, so no written row holds a number beside a
pseudonym; `worker_ids` says how a number is found in text.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import hmac
import os
import re
import secrets
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .inputs.columns import ENGAGEMENT_COLUMNS, HISTORY_COLUMNS, PSEUDONYM_KEY, SOURCE_ROW, Column
from .inputs.config import ColumnMap
from .inputs.engagements import read_raw
from .inputs.files import InputError
from .inputs.records import BLANK, FIELDS, ROW, cell
from .inputs.tables import later_duplicates, read_header, translated
from .shown import HEX_KEY, KEY_BYTES, is_key
from .worker_ids import MAY_HOLD_NUMBER, NUMBER, PSEUDONYM_DIGITS, numbers_in

PASSPHRASE_CHARS = 20
NEW_KEY = "agency-check pseudonymise --new-key FILE"


def new_key(path: Path) -> None:
    """A fresh random key, readable by its owner only, in a folder made for it (the owner's only) if missing; an
    existing file is never replaced (its pseudonyms would be orphaned)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(
            f"{path}: already exists; a new key there would make every pseudonym made with the old one unmatchable. Choose another name"
        ) from None
    except OSError as error:
        raise InputError(f"{path}: cannot write the key ({error.strerror or error})") from None
    with os.fdopen(handle, "w") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(secrets.token_hex(KEY_BYTES) + "\n")


def read_key(path: Path, passphrase: bool = False) -> bytes:
    """The key: 32 bytes written as 64 hex digits or 44 base64 characters, read as the bytes they spell whatever the
    file's encoding; with `passphrase`, the file's text as UTF-8.

    Anything else is refused rather than used as it is (a hex key with a digit lost, raw bytes, a phrase): another key's
    pseudonyms silently never match. So is a key file others can read (they could make every pseudonym) or write (they
    could swap the key). The key is never quoted in a message.
    """
    try:
        status = path.stat()
    except OSError:
        raise InputError(
            f"{path}: no key file there. Every council of a region pseudonymises with the region's one key: ask the"
            f" region's analysts for it (a key of your own makes pseudonyms that match no other council's). To make the"
            f" region's key, once: {NEW_KEY}"
        ) from None
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"{path}: the key must be a regular file")
    try:
        with path.open("rb") as handle:
            text = _key_text(handle.read(64 * 1024))
    except OSError as error:
        raise InputError(f"{path}: cannot read the key ({error.strerror or error})") from None
    if text is not None and not text.strip():
        raise InputError(f"{path}: the key file is empty ({NEW_KEY} makes one)")
    key = _passphrase(path, text) if passphrase else _key_bytes(path, text)
    if (
        status.st_mode & stat.S_IROTH
    ):  # said after 'not a key': chmod is no advice for an export given by mistake
        raise InputError(
            f"{path}: the key is readable by every user of this machine; make it the owner's only (chmod 600 {path})"
        )
    if status.st_mode & stat.S_IWOTH:
        raise InputError(
            f"{path}: the key is writable by every user of this machine, so anyone could replace it; "
            f"make it the owner's only (chmod 600 {path})"
        )
    return key


def _key_bytes(path: Path, text: str | None) -> bytes:
    compact = "".join(text.split()) if text is not None else ""
    if re.fullmatch(r"[0-9A-Fa-f]+", compact) and len(compact) != 2 * KEY_BYTES:
        raise InputError(
            f"{path}: the key has {len(compact)} hex digits, but a key is {KEY_BYTES} bytes, "
            f"{2 * KEY_BYTES} hex digits: one lost or added would make it another key. "
            "Copy the key again from the region's analysts"
        )
    if not is_key(compact):
        raise InputError(
            f"{path}: not a key: a key is {KEY_BYTES} random bytes written as {2 * KEY_BYTES} hex digits "
            f"({NEW_KEY} makes one) or as 44 base64 characters. A key of raw bytes can be written as hex "
            "(xxd -p -c 32 FILE); a passphrase needs --passphrase"
        )
    if (
        not HEX_KEY.fullmatch(compact) and compact.upper() == compact
    ):  # 43 random base64 characters hold small letters
        raise InputError(
            f"{path}: the base64 key has no small letters, as if it were written in capitals (base64 tells "
            "capitals from small letters, so it would be another key); copy the key again from the region's analysts"
        )
    key = bytes.fromhex(compact) if HEX_KEY.fullmatch(compact) else base64.b64decode(compact)
    if len(set(key)) < KEY_BYTES // 2:
        raise InputError(
            f"{path}: the key repeats a few byte values over and over, so it could be guessed; "
            f"make a random one ({NEW_KEY})"
        )
    return key


def _key_text(raw: bytes) -> str | None:
    """A key file's text: UTF-8 with or without a byte-order mark, UTF-16 or UTF-32 with one; None if it is not text."""
    marks = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    encoding = next((name for mark, name in marks if raw.startswith(mark)), "utf-8")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _passphrase(path: Path, text: str | None) -> bytes:
    """A passphrase's UTF-8 bytes (its characters composed and its lines ended by LF, so it is one key however a keyboard
    or an editor wrote it); one too
    short or repetitive to resist guessing is refused, and so is a key given as one, which would become another key."""
    if text is None:
        raise InputError(
            f"{path}: a passphrase must be text (UTF-8, or UTF-16 with a byte-order mark)"
        )
    words = unicodedata.normalize(
        "NFC", "\n".join(text.strip().splitlines())
    )  # one key whatever the line endings
    compact = "".join(words.split())
    if is_key(compact) or (re.fullmatch(r"[0-9A-Fa-f]+", compact) and len(compact) >= KEY_BYTES):
        raise InputError(
            f"{path}: holds a key written as hex or base64, not a passphrase; leave out --passphrase"
        )
    if len(words) < PASSPHRASE_CHARS:
        raise InputError(
            f"{path}: the passphrase has {len(words)} characters; one needs at least {PASSPHRASE_CHARS} "
            f"to resist guessing (a random key is better: {NEW_KEY})"
        )
    if len(set(words)) < PASSPHRASE_CHARS // 2:
        raise InputError(
            f"{path}: the passphrase repeats a few characters over and over, so it could be guessed; "
            f"make a random key ({NEW_KEY})"
        )
    return words.encode("utf-8")


def fingerprint(key: bytes) -> str:
    """Eight hex digits that name a key without revealing it, so councils can confirm they used the same one."""
    return hmac.new(key, b"agency-rules key fingerprint", hashlib.sha256).hexdigest()[:8]


def pseudonym(key: bytes, number: str) -> str:
    """The pseudonym of a registration number written as the reader writes it (SW + digits)."""
    return "P-" + hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_DIGITS]


def pseudonyms(key: bytes, workers: pl.Series) -> pl.Series:
    """Registration numbers (normalised, SW + digits) as pseudonyms; pseudonyms already made stay as they are."""
    numbers = workers.filter(workers.str.starts_with("SW")).unique()
    return workers.replace({number: pseudonym(key, number) for number in numbers})


def with_pseudonyms(text: str, key: bytes) -> str:
    """The text with every registration number in it (see the module's notes) replaced by its pseudonym."""

    def replaced(match: re.Match[str]) -> str:
        if match["pseudonym"]:
            return match[0]
        return pseudonym(
            key, "SW" + (match["prefixed"] or match["bare"] or match["spaced"]).replace(" ", "")
        )

    plain, found = numbers_in(text)
    return NUMBER.sub(replaced, plain) if found else text


@dataclass(frozen=True)
class Pseudonymised:
    """One file with its worker ids replaced: the contract's columns as text, and what was left out."""

    kind: str  # engagements or history
    frame: pl.DataFrame
    dropped: list[str]  # headers not written
    blanked: list[
        int
    ]  # rows whose worker id is not a registration number, left blank so the check rejects them
    unreadable: list[int]  # rows with the wrong number of cells, written as a mark only
    numbers_elsewhere: int  # rows with a registration number in another column, now its pseudonym
    workers: int
    merged: list[
        int
    ]  # rows whose engagement id became an earlier row's once the numbers in it were replaced


def pseudonymise(
    path: Path, key: bytes, column_map: ColumnMap | None = None, sheet: str | None = None
) -> Pseudonymised:
    """Every record of the file, in order, blank ones too, so a CSV's rows keep their numbers; each names its row."""
    raw = read_raw(path, ENGAGEMENT_COLUMNS, column_map, sheet)
    records = raw.records
    kind, columns, where = _kind(str(path), records.header, column_map, records.no_header())
    frame = records.frame
    words = column_map.values if column_map else {}
    cells = {
        c.name: frame[cell(where[c.name])].cast(pl.String).str.strip_chars()
        for c in columns
        if c.name in where
    }
    cells = {
        name: translated(text, words[name]) if name in words else text
        for name, text in cells.items()
    }
    column = {c.name: c for c in columns}
    normal = pl.select(column["worker_id"].value(pl.lit(cells["worker_id"]))).to_series()
    # A row with the wrong number of cells has its cells under the wrong headers (a name under worker_id, a date of birth
    # under la_code): nothing of it is written but a mark, so the check still rejects that row and nothing leaks.
    crooked = ~frame[BLANK] & (frame[FIELDS] != records.width)
    # A worker id that is not a registration number (a name typed in, say) is left blank, so the check rejects the row.
    unreadable = ~frame[BLANK] & ~crooked & normal.is_null() & (cells["worker_id"] != "")
    workers = pl.select(
        pl.when(unreadable).then(pl.lit("")).otherwise(normal.fill_null(""))
    ).to_series()
    written = pl.DataFrame({**cells, "worker_id": pseudonyms(key, workers)})
    written = written.with_columns(
        pl.when(pl.lit(crooked)).then(pl.lit("")).otherwise(pl.all()).name.keep()
    ).with_columns(_source_rows(cells.get(SOURCE_ROW), frame, crooked, column[SOURCE_ROW]))
    before = written["engagement_id"] if kind == "engagements" else None
    written, numbers = _numbers_replaced(written, key)
    written = written.with_columns(_key_named(path, cells.get(PSEUDONYM_KEY), frame, key))
    merged = []
    if before is not None:
        merged = frame.filter(
            later_duplicates(written["engagement_id"]) & ~later_duplicates(before)
        )[ROW].to_list()
    if crooked.any() and kind == "engagements":
        mark = pl.when(pl.lit(crooked)).then(
            pl.format("unreadable row {}", pl.lit(frame[ROW]).cast(pl.String))
        )
        written = written.with_columns(
            mark.otherwise(pl.col("engagement_id")).alias("engagement_id")
        )
    dropped = [
        h for i, h in enumerate(records.header) if i not in set(where.values()) and h.strip()
    ]
    return Pseudonymised(
        kind,
        written,
        dropped,
        frame.filter(unreadable)[ROW].to_list(),
        frame.filter(crooked)[ROW].to_list(),
        numbers,
        written.filter(pl.col("worker_id") != "")["worker_id"].n_unique(),
        merged,
    )


def _key_named(path: Path, given: pl.Series | None, frame: pl.DataFrame, key: bytes) -> pl.Series:
    """The key's fingerprint on every row that is not blank. A file pseudonymised before keeps its pseudonyms, so it must
    have been made with this key: one made with another is refused, since its rows would carry a key they were not made with."""
    named = fingerprint(key)
    if given is not None:
        others = sorted(set(given.drop_nulls().to_list()) - {"", named})
        if others:
            raise InputError(
                f"{path}: pseudonymised already with key {others[0][:16]}, and this is key {named}: its pseudonyms"
                " would stay those of the other key; pseudonymise the council's own export with the region's key"
            )
    return (
        pl.select(pl.when(pl.lit(frame[BLANK])).then(pl.lit("")).otherwise(pl.lit(named)))
        .to_series()
        .alias(PSEUDONYM_KEY)
    )


def _source_rows(
    given: pl.Series | None, frame: pl.DataFrame, crooked: pl.Series, column: Column
) -> pl.Series:
    """Each row's number in the file read, so findings on the written file can name the council's own row; a file
    written by pseudonymise before keeps the rows it names (where they read as row numbers). Blank for a blank row,
    which the check then still skips."""
    if given is None:
        rows = frame[ROW].cast(pl.String)
    else:
        kept = column.value(pl.lit(given)).is_not_null() & ~pl.lit(crooked)
        rows = pl.select(pl.when(kept).then(given).otherwise(pl.lit(""))).to_series()
    return (
        pl.select(pl.when(pl.lit(frame[BLANK])).then(pl.lit("")).otherwise(rows))
        .to_series()
        .alias(SOURCE_ROW)
    )


def _numbers_replaced(frame: pl.DataFrame, key: bytes) -> tuple[pl.DataFrame, int]:
    """Every registration number in a column other than worker_id and source_row replaced by its pseudonym, reading
    only the distinct cells that may hold one; and how many rows held one."""
    changed = pl.repeat(False, frame.height, eager=True)
    for name in frame.columns:
        if name in ("worker_id", SOURCE_ROW, PSEUDONYM_KEY):
            continue
        cells = frame[name]
        candidates = cells.filter(cells.str.contains(MAY_HOLD_NUMBER)).unique()
        mapping = {text: new for text in candidates if (new := with_pseudonyms(text, key)) != text}
        if mapping:
            column = cells.replace(mapping)
            changed = changed | (column != cells)
            frame = frame.with_columns(column)
    return frame, int(changed.sum())


def _kind(
    label: str, header: list[str], column_map: ColumnMap | None, no_header: str
) -> tuple[str, tuple[Column, ...], dict[str, int]]:
    """An engagements export or a history file, told apart by their headers."""
    where, problems = read_header(header, ENGAGEMENT_COLUMNS, column_map, no_header)
    if not problems:
        return "engagements", ENGAGEMENT_COLUMNS, where
    history, history_problems = read_header(header, HISTORY_COLUMNS, column_map, no_header)
    if not history_problems and "engagement_id" not in where:
        return "history", HISTORY_COLUMNS, history
    raise InputError(
        f"{label}: neither an engagements export nor a history file: " + "; and ".join(problems)
    )
