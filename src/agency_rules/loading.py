"""Reading councils' exports into typed engagements and past roles, rejecting bad rows with every reason.

Each row takes the fast path where it can: the cells are mapped through the columns' memos in
C (`map(operator.call, …)`), and the tuple becomes an Engagement. Anything the fast path does not
recognise (a new value, a blank required cell, a bad date, a ragged row, a duplicate) goes to the
slow path, which parses cell by cell, fills the memos and collects every reason. Both paths give
the same result for the same row; the slow path is the reference.
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .csvfile import CsvFile, InputError, Part, open_csv, records, split
from .engagement import CONTRACT_COLUMNS, Engagement, PastRole
from .parsing import (
    CANONICAL_WORKER,
    MAX_CELL,
    Column,
    engagement_columns,
    history_columns,
)
from .regions import region_by_code

__all__ = ["InputError", "CellError", "RejectedRow", "InputFile", "EngagementReader", "read_history", "History"]


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


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each contract column sits in a file's rows; a missing column reads as blank."""

    columns: list[Column]
    positions: tuple[int, ...]
    width: int


def layout(file: CsvFile, columns: list[Column], column_map: dict[str, str] | None) -> Layout:
    aliases = {k.strip().lower(): v.strip().lower() for k, v in (column_map or {}).items()}
    names = [aliases.get(h.strip().lower(), h.strip().lower()) for h in file.header]
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name and name in seen:
            raise InputError(f"{file.path}, row 1: column '{name}' appears twice (columns {seen[name] + 1} and {index + 1})")
        seen[name] = index
    missing = [c.name for c in columns if c.required and c.name not in seen]
    if missing:
        hint = ""
        if len(file.header) == 1 and any(d in file.header[0] for d in ";\t|"):
            hint = "; the header looks like one column: the file must be comma-separated"
        elif not any(c.name in seen for c in columns):
            hint = "; the first row must be the header row"
        raise InputError(f"{file.path}, row 1: missing required column(s) {', '.join(missing)}{hint}")
    width = len(file.header)
    return Layout(columns, tuple(seen.get(c.name, width) for c in columns), width)


def parse_slowly(cells: list[str], shape: Layout) -> tuple[list[Any], list[CellError]]:
    """Every column parsed on its own, every problem kept: the reference for the fast path."""
    errors: list[CellError] = []
    if len(cells) != shape.width:
        errors.append(CellError("", "", f"row has {len(cells)} cells but the header has {shape.width}"))
    values: list[Any] = []
    for column, position in zip(shape.columns, shape.positions):
        raw = cells[position] if position < len(cells) else ""
        try:
            values.append(column.value(raw))
        except ValueError as error:
            values.append(None)
            text = raw.strip()
            errors.append(CellError(column.name, text if len(text) <= MAX_CELL else text[:40] + "…", str(error)))
    return values, errors


def ends_before_start(values: list[Any], start: int, end: int) -> bool:
    return values[start] is not None and values[end] is not None and values[end] < values[start]


def check_period(values: list[Any], start: int, end: int, errors: list[CellError]) -> None:
    if ends_before_start(values, start, end):
        errors.append(CellError("end_date", values[end].isoformat(), f"ends before it starts ({values[start].isoformat()})"))


@dataclass
class Rows:
    """The non-blank records of one range, parsed: numbered as a spreadsheet numbers them, counted as they go.

    Yields (row, values, errors): values in contract column order; errors empty when the row is valid.
    """

    part: Part
    shape: Layout
    read: int = 0
    records: int = 0
    blank: int = 0

    def __iter__(self) -> Iterator[tuple[int, list[Any], list[CellError]]]:
        shape = self.shape
        width = shape.width
        columns = shape.columns
        names = [c.name for c in columns]
        getters = [c.memo.__getitem__ if c.memoised else str.strip for c in columns]
        texts = tuple(i for i, c in enumerate(columns) if not c.memoised)
        optional_texts = tuple(i for i in texts if not columns[i].required)
        required_texts = tuple(i for i in texts if columns[i].required)
        worker = names.index("worker_id") if "worker_id" in names else None
        start, end = names.index("start_date"), names.index("end_date")
        arrange = _arrangement(shape)
        call = operator.call
        no_errors: list[CellError] = []
        number = 0
        try:
            for number, cells in enumerate(records(self.part), 1):
                if not any(cells):
                    self.blank += 1
                    continue
                values = None
                if len(cells) == width:
                    try:
                        values = list(map(call, getters, arrange(cells)))
                    except KeyError:
                        pass
                if values is not None:
                    for index in texts:
                        if len(values[index]) > MAX_CELL:
                            values = None
                            break
                    else:
                        for index in required_texts:
                            if not values[index]:
                                values = None
                                break
                        else:
                            if (worker is not None and not canonical_worker(values[worker])) or ends_before_start(values, start, end):
                                values = None
                            else:
                                for index in optional_texts:
                                    values[index] = values[index] or None
                if values is not None:
                    self.read += 1
                    yield number + 1, values, no_errors
                    continue
                if not any(c.strip() for c in cells):
                    self.blank += 1
                    continue
                self.read += 1
                values, errors = parse_slowly(cells, shape)
                check_period(values, start, end, errors)
                yield number + 1, values, errors
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(f"{self.part.file.path}: the file cannot be read past record {number} of this range ({error})") from None
        finally:
            self.records = number


def _arrangement(shape: Layout) -> Callable[[list[str]], Sequence[str]]:
    """Cells in contract column order: as they are, picked, or picked with a blank for missing columns."""
    if shape.positions == tuple(range(len(shape.positions))):
        return lambda cells: cells
    pick = operator.itemgetter(*shape.positions)
    if max(shape.positions) < shape.width:
        return pick
    return lambda cells: pick(cells + BLANK)


def canonical_worker(worker_id: str) -> bool:
    """Already SW + digits (no leading zero) or P- + lower-case hex: no normalising needed."""
    if worker_id.startswith("SW"):
        digits = worker_id[2:]
        return 0 < len(digits) <= 6 and digits.isascii() and digits.isdigit() and digits[0] != "0"
    return CANONICAL_WORKER(worker_id) is not None


ENGAGEMENT_ID, LA_CODE = (CONTRACT_COLUMNS.index(n) for n in ("engagement_id", "la_code"))
BLANK = [""]


class EngagementReader:
    """Iterate the valid engagements of an export (or one range of it); rejected rows collect on the side.

    Row numbers count from the range's start; checking.merge shifts later ranges' rows.
    """

    def __init__(self, file: CsvFile, shape: Layout, part: Part | None = None) -> None:
        self.file = file
        self.shape = shape
        self.rows = Rows(part or Part(file, file.data_start, file.size), shape)
        self.rejected: list[RejectedRow] = []
        self.first_row: dict[str, int] = {}
        self.checked = 0

    @classmethod
    def open(cls, path: Path, column_map: dict[str, str] | None = None) -> EngagementReader:
        file = open_csv(path)
        return cls(file, layout(file, engagement_columns(), column_map))

    def parts(self, count: int) -> list[Part]:
        return split(self.file, count)

    def info(self, rows: int) -> InputFile:
        """The file as the report names it; `rows` is the count read, by this reader or by its forked ranges."""
        return InputFile(str(self.file.path), self.file.sha256, rows, self.file.codec)

    def __iter__(self) -> Iterator[Engagement]:
        regions = region_by_code()
        first_row = self.first_row
        make = Engagement._make
        for row, values, errors in self.rows:
            engagement_id = values[ENGAGEMENT_ID]
            if engagement_id in first_row:
                errors = [*errors, CellError("engagement_id", engagement_id, f"duplicate engagement_id: first used in row {first_row[engagement_id]}")]
            elif engagement_id is not None:
                first_row[engagement_id] = row
            if errors:
                self.rejected.append(RejectedRow(row, engagement_id, errors))
                continue
            values.append(row)
            values.append(regions[values[LA_CODE]])
            self.checked += 1
            yield make(values)


@dataclass(slots=True)
class History:
    roles: dict[str, list[PastRole]] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    info: InputFile | None = None


def read_history(path: Path, column_map: dict[str, str] | None = None) -> History:
    """Past roles by worker, for cooling-off; bad rows are rejected like engagement rows."""
    file = open_csv(path)
    shape = layout(file, history_columns(), column_map)
    regions = region_by_code()
    history = History()
    rows = Rows(Part(file, file.data_start, file.size), shape)
    label = str(path)
    for row, values, errors in rows:
        if errors:
            history.rejected.append(RejectedRow(row, None, errors, label))
            continue
        worker_id, la_code, employment, _, end, reason = values
        role = PastRole(la_code, regions[la_code], employment, end, reason, f"{path.name} row {row}")
        history.roles.setdefault(worker_id, []).append(role)
    history.info = InputFile(label, file.sha256, rows.read, file.codec)
    return history

