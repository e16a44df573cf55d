"""Excel and OpenDocument workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) as records, read with calamine (fastexcel).

Cells come as Excel shows their values: a date as `2025-04-01 00:00:00` (then read like any date
cell, so a time of day is refused), a number as `34.5`. Rows are numbered as in the sheet, and rows
above the header row (a title, a blank line) are not data.
"""

from __future__ import annotations

from collections.abc import Sequence

import fastexcel
import polars as pl

from ..shown import excerpt, quote
from .files import InputError
from .records import BLANK, FIELDS, ROW, Records, cell

MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # a zip (xlsx, xlsm, ods) or an OLE file (xls)
HEADER_SEARCH = 50  # rows looked at for the header row


def is_workbook(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def sheet_names(label: str, raw: bytes) -> list[str]:
    return _reader(label, raw).sheet_names


def _reader(label: str, raw: bytes) -> fastexcel.ExcelReader:
    try:
        return fastexcel.read_excel(raw)
    except Exception as error:  # calamine's errors are one family per format; any of them means the same to a user
        raise InputError(f"{label}: not a readable workbook ({excerpt(str(error).splitlines()[0])})") from None


def read_workbook(label: str, raw: bytes, sheet: str | None, names: Sequence[str]) -> Records:
    """The sheet's records (the first sheet unless one is named), which say which sheet it is.

    The header row is the first row with a cell that is one of `names` (contract columns and
    column-map headers, any case), else the first of the fullest rows (a title has one cell).
    """
    reader = _reader(label, raw)
    if sheet is not None and sheet not in reader.sheet_names:
        listed = ", ".join(map(quote, reader.sheet_names))
        raise InputError(f"{label}: no sheet named {quote(sheet)}; the sheets are {listed}")
    chosen = sheet if sheet is not None else reader.sheet_names[0]
    try:
        table = reader.load_sheet(chosen, header_row=None, skip_rows=0, dtypes="string").to_polars()
    except Exception as error:
        reason = excerpt(str(error).splitlines()[0])
        raise InputError(f"{label}: sheet {quote(chosen)} cannot be read ({reason})") from None
    table = table.select(pl.all().fill_null("").str.strip_chars())
    if table.width == 0 or table.height == 0:
        raise InputError(f"{label}: sheet {quote(chosen)} is empty; expected a header row")
    wanted = {n.strip().lower() for n in names}
    head = table.head(HEADER_SEARCH).rows()
    filled = [i for i, row in enumerate(head) if any(row)]
    if not filled:
        raise InputError(f"{label}: sheet {quote(chosen)} has nothing in its first {HEADER_SEARCH} rows; "
                         "expected a header row")
    widest = max(filled, key=lambda i: (sum(map(bool, head[i])), -i))
    at = next((i for i in filled if wanted & {c.lower() for c in head[i]}), widest)
    header = list(head[at])
    while header and not header[-1]:
        header.pop()
    rows = table.slice(at + 1)
    width, beyond = len(header), rows.columns[len(header):]
    overflowing = pl.any_horizontal(pl.col(c) != "" for c in beyond) if beyond else pl.lit(False)
    frame = rows.select(
        *(pl.col(name).alias(cell(i)) for i, name in enumerate(rows.columns[:width])),
        (pl.int_range(pl.len(), dtype=pl.Int64) + at + 2).alias(ROW),
        pl.when(overflowing).then(width + 1).otherwise(width).cast(pl.Int32).alias(FIELDS),  # a cell past the header's last: too many cells
        pl.all_horizontal(pl.col(name) == "" for name in rows.columns[:width]).alias(BLANK),
    )
    return Records(header, frame, at + 1, chosen, tuple(name for name in reader.sheet_names if name != chosen))
