"""Reading councils' CSV exports into typed records, rejecting bad rows with every reason.

Speed matters (a national run is a million rows), so each column is parsed by a plain function,
low-variety columns (dates, codes, flags) through a cache, and pydantic is kept off this path.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .dates import parse_date
from .engagement import (
    EMPLOYMENT_MODELS,
    EMPLOYMENTS,
    ENGAGEMENT_TYPES,
    LEAVING_REASONS,
    ROLES,
    Engagement,
    PastRole,
)
from .regions import local_authorities

MAX_CELL = 1000
MAX_MONEY = 10_000.0
csv.field_size_limit(2**31 - 1)


class InputError(Exception):
    """The file cannot be read at all (exit 2); bad rows are rejected instead."""


@dataclass(frozen=True, slots=True)
class CellError:
    column: str
    value: str
    message: str


@dataclass(slots=True)
class RejectedRow:
    row: int
    engagement_id: str | None
    errors: list[CellError]
    file: str = ""


@dataclass(slots=True)
class InputFile:
    path: str
    sha256: str
    rows: int
    encoding: str


# --- cell parsers: text (already stripped, non-blank) → value, or ValueError with a message ---

_SW = re.compile(r"^(?:SW)?([1-9]\d{0,5})$")
_PSEUDONYM = re.compile(r"^P-([0-9A-F]+)$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def parse_worker_id(text: str) -> str:
    """Social Work England numbers normalise to SW + digits; regional pseudonyms to P- + lower-case hex."""
    upper = text.upper().replace(" ", "")
    match = _SW.match(upper)
    if match:
        return "SW" + match.group(1)
    match = _PSEUDONYM.match(upper)
    if match:
        return "P-" + match.group(1).lower()
    raise ValueError(f"'{text}' is neither a Social Work England number (SW + 1-6 digits) nor a pseudonym (P- + hex)")


def parse_la_code(text: str) -> str:
    code = text.upper()
    if code not in local_authorities():
        raise ValueError(f"'{text}' is not the ONS code of one of England's 153 local authorities")
    return code


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"'{text}' is not a yes/no value (true/false, yes/no, y/n, 1/0)")


def _number(text: str, what: str, maximum: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number ({what})") from None
    if not math.isfinite(value):
        raise ValueError(f"'{text}' is not a finite number ({what})")
    if value < 0:
        raise ValueError(f"'{text}' is negative ({what})")
    if value > maximum:
        raise ValueError(f"'{text}' is more than {maximum:g}, not a plausible value ({what})")
    return value


def parse_money(text: str) -> float:
    return _number(text.removeprefix("£").strip(), "pounds per hour", MAX_MONEY)


def parse_years(text: str) -> float:
    return _number(text, "years", 70)


def parse_weeks(text: str) -> float:
    return _number(text, "weeks", 520)


def parse_count(text: str) -> int:
    value = _number(text, "a count", 100)
    if value != int(value):
        raise ValueError(f"'{text}' is not a whole number")
    return int(value)


def enum_parser(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.lower().replace(" ", "_").replace("-", "_")
        if value not in allowed:
            raise ValueError(f"'{text}' is not one of: {', '.join(allowed)}")
        return value

    return parse


def text_value(text: str) -> str:
    return text


def cached(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Memoise a parser of a low-variety column; errors are re-raised from the cache too."""
    memo: dict[str, tuple[bool, Any]] = {}

    def parse_cached(text: str) -> Any:
        hit = memo.get(text)
        if hit is None:
            try:
                hit = (True, parse(text))
            except ValueError as error:
                hit = (False, str(error))
            if len(memo) < 100_000:
                memo[text] = hit
        if hit[0]:
            return hit[1]
        raise ValueError(hit[1])

    return parse_cached


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    required: bool = False


def engagement_columns() -> list[Column]:
    """The data contract's engagements.csv columns, each with a fresh (cached) parser."""
    date_ = cached(parse_date)
    flag = cached(parse_bool)
    la = cached(parse_la_code)
    return [
        Column("engagement_id", text_value, True),
        Column("worker_id", cached(parse_worker_id), True),
        Column("la_code", la, True),
        Column("role", cached(enum_parser(ROLES)), True),
        Column("start_date", date_, True),
        Column("end_date", date_),
        Column("offer_date", date_),
        Column("agency", text_value),
        Column("framework", text_value),
        Column("engagement_type", cached(enum_parser(ENGAGEMENT_TYPES))),
        Column("team_workers_identified", flag),
        Column("team_costs_itemised", flag),
        Column("team_la_practice_control", flag),
        Column("qualified_date", date_),
        Column("qualified_overseas", flag),
        Column("pqe_years", cached(parse_years)),
        Column("asye_completed", flag),
        Column("notice_period_weeks", cached(parse_weeks)),
        Column("notice_reciprocal", flag),
        Column("la_substantive_notice_weeks", cached(parse_weeks)),
        Column("reference_received", flag),
        Column("reference_standard_template", flag),
        Column("references_count", cached(parse_count)),
        Column("employment_model", cached(enum_parser(EMPLOYMENT_MODELS))),
        Column("pay_rate", cached(parse_money)),
        Column("agency_fee", cached(parse_money)),
        Column("framework_fee", cached(parse_money)),
        Column("expenses_per_hour", cached(parse_money)),
        Column("previous_substantive_la", la),
        Column("previous_substantive_end", date_),
        Column("previous_leaving_reason", cached(enum_parser(LEAVING_REASONS))),
    ]


def history_columns() -> list[Column]:
    date_ = cached(parse_date)
    return [
        Column("worker_id", cached(parse_worker_id), True),
        Column("la_code", cached(parse_la_code), True),
        Column("employment", cached(enum_parser(EMPLOYMENTS)), True),
        Column("start_date", date_),
        Column("end_date", date_),
        Column("leaving_reason", cached(enum_parser(LEAVING_REASONS))),
    ]


# --- files ---


def detect_encoding(path: Path) -> tuple[str, str]:
    """Return (codec, sha256). UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 if every byte is defined there."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    cp1252_ok = True
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    first = b""
    nul = False
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                if not first:
                    first = chunk[:4]
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
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", digest.hexdigest()
    if nul:
        raise InputError(f"{path}: the file contains NUL bytes; it is not a CSV text file (binary, or UTF-16 without a byte-order mark)")
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if utf8_ok:
        return "utf-8-sig", digest.hexdigest()
    if cp1252_ok:
        return "cp1252", digest.hexdigest()
    raise InputError(f"{path}: the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")


@dataclass(slots=True)
class Table:
    """A CSV file opened for reading: its header mapped to known columns, its rows still to come."""

    path: Path
    info: InputFile
    columns: list[Column]
    positions: list[int | None]
    width: int
    rows: Iterator[list[str]]
    blank_rows: int = 0


def open_table(path: Path, columns: list[Column], column_map: dict[str, str] | None = None) -> tuple[Table, Any]:
    """Check the header; the caller iterates `records(table)` and must close the returned handle."""
    codec, sha = detect_encoding(path)
    handle = path.open(encoding=codec, newline="")
    try:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty; expected a header row with {columns[0].name}, …") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(f"{path}, row 1: the header cannot be read ({error})") from None
        aliases = {k.strip().lower(): v.strip().lower() for k, v in (column_map or {}).items()}
        names = [aliases.get(h.strip().lower(), h.strip().lower()) for h in header]
        seen: dict[str, int] = {}
        for index, name in enumerate(names):
            if name and name in seen:
                raise InputError(f"{path}, row 1: column '{name}' appears twice (columns {seen[name] + 1} and {index + 1})")
            seen[name] = index
        missing = [c.name for c in columns if c.required and c.name not in seen]
        if missing:
            hint = ""
            if len(header) == 1 and any(d in header[0] for d in ";\t|"):
                hint = "; the header looks like one column: the file must be comma-separated"
            elif not any(c.name in seen for c in columns):
                hint = "; the first row must be the header row"
            raise InputError(f"{path}, row 1: missing required column(s) {', '.join(missing)}{hint}")
        positions = [seen.get(c.name) for c in columns]
        info = InputFile(str(path), sha, 0, codec)
        return Table(path, info, columns, positions, len(header), reader), handle
    except BaseException:
        handle.close()
        raise


def records(table: Table) -> Iterator[tuple[int, dict[str, Any], list[CellError]]]:
    """(spreadsheet row, parsed values, errors) per non-blank row; counts rows into table.info."""
    columns = list(zip(table.columns, table.positions))
    row_number = 1
    iterator = iter(table.rows)
    while True:
        try:
            cells = next(iterator)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(f"{table.path}, row {row_number + 1}: the file cannot be read past this point ({error})") from None
        row_number += 1
        if not cells or not any(c.strip() for c in cells):
            table.blank_rows += 1
            continue
        table.info.rows += 1
        values: dict[str, Any] = {}
        errors: list[CellError] = []
        if len(cells) != table.width:
            errors.append(CellError("", "", f"row has {len(cells)} cells but the header has {table.width}"))
        for column, position in columns:
            text = cells[position].strip() if position is not None and position < len(cells) else ""
            if not text:
                if column.required:
                    errors.append(CellError(column.name, "", "required value is missing"))
                continue
            if len(text) > MAX_CELL:
                errors.append(CellError(column.name, text[:40] + "…", f"cell is {len(text)} characters long; at most {MAX_CELL} are accepted"))
                continue
            try:
                values[column.name] = column.parse(text)
            except ValueError as error:
                errors.append(CellError(column.name, text, str(error)))
        yield row_number, values, errors


def check_period(values: dict[str, Any], errors: list[CellError]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.append(CellError("end_date", end.isoformat(), f"ends before it starts ({start.isoformat()})"))


@dataclass(slots=True)
class Engagements:
    engagements: list[Engagement]
    rejected: list[RejectedRow]
    info: InputFile
    blank_rows: int = 0

    @property
    def rows_read(self) -> int:
        return self.info.rows


def read_engagements(path: Path, column_map: dict[str, str] | None = None) -> Engagements:
    """Every row either becomes an Engagement or a RejectedRow with all its reasons."""
    table, handle = open_table(path, engagement_columns(), column_map)
    regions = {code: la.region for code, la in local_authorities().items()}
    first_row: dict[str, int] = {}
    engagements: list[Engagement] = []
    rejected: list[RejectedRow] = []
    with handle:
        for row, values, errors in records(table):
            engagement_id = values.get("engagement_id")
            if engagement_id is not None:
                if engagement_id in first_row:
                    errors.append(CellError("engagement_id", engagement_id, f"duplicate engagement_id: first used in row {first_row[engagement_id]}"))
                else:
                    first_row[engagement_id] = row
            check_period(values, errors)
            if errors:
                rejected.append(RejectedRow(row, engagement_id, errors))
                continue
            engagements.append(Engagement(row=row, region=regions[values["la_code"]], **values))
    return Engagements(engagements, rejected, table.info, table.blank_rows)


@dataclass(slots=True)
class History:
    roles: dict[str, list[PastRole]] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    info: InputFile | None = None


def read_history(path: Path, column_map: dict[str, str] | None = None) -> History:
    """Past roles by worker, for cooling-off; bad rows are rejected like engagement rows."""
    table, handle = open_table(path, history_columns(), column_map)
    regions = {code: la.region for code, la in local_authorities().items()}
    history = History(info=table.info)
    label = str(path)
    with handle:
        for row, values, errors in records(table):
            check_period(values, errors)
            if errors:
                history.rejected.append(RejectedRow(row, None, errors, label))
                continue
            role = PastRole(
                la_code=values["la_code"],
                region=regions[values["la_code"]],
                employment=values["employment"],
                end_date=values.get("end_date"),
                leaving_reason=values.get("leaving_reason"),
                source=f"{path.name} row {row}",
            )
            history.roles.setdefault(values["worker_id"], []).append(role)
    return history

