"""Excel and OpenDocument workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) as records, read with calamine (fastexcel).

Cells come as Excel shows their values: a date as `2025-04-01 00:00:00` (then read like any date
cell, so a time of day gives its calendar day, and 23:00-23:59 is refused as a midnight moved by a
time zone), a number as `34.5`. Rows are numbered as in the sheet, and rows above the header row
(a title, a blank line) are not data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from ..shown import excerpt, quote
from .files import InputError
from .records import BLANK, FIELDS, MOST_COLUMNS, ROW, Records, cell
from .sheet_xml import MOST_MERGES, SheetXml, measured

if TYPE_CHECKING:
    import fastexcel

MAGIC = (
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
)  # a zip (xlsx, xlsm, ods) or an OLE file (xls)
HEADER_SEARCH = 50  # rows looked at for the header row


def is_workbook(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def sheet_names(label: str, raw: bytes) -> list[str]:
    return _reader(label, raw).sheet_names


def _reader(label: str, raw: bytes) -> fastexcel.ExcelReader:
    """calamine is imported only here, when a workbook is read: a CSV run never loads it."""
    import fastexcel

    try:
        return fastexcel.read_excel(raw)
    except (
        Exception
    ) as error:  # calamine's errors are one family per format; any of them means the same to a user
        raise InputError(
            f"{label}: not a readable workbook ({excerpt(str(error).splitlines()[0])})"
        ) from None


def read_workbook(label: str, raw: bytes, sheet: str | None, names: Sequence[str]) -> Records:
    """The sheet's records (the first sheet unless one is named), which say which sheet it is.

    The header row is the first row with a cell that is one of `names` (contract columns and
    column-map headers, any case), else the first of the fullest rows (a title has one cell).
    """
    sheets = measured(label, raw)
    reader = _reader(label, raw)
    if not reader.sheet_names:
        raise InputError(f"{label}: the workbook has no sheet")
    if sheet is not None and sheet not in reader.sheet_names:
        listed = ", ".join(map(quote, reader.sheet_names))
        raise InputError(f"{label}: no sheet named {quote(sheet)}; the sheets are {listed}")
    chosen = sheet if sheet is not None else _first_visible(label, reader)
    try:
        table = reader.load_sheet(chosen, header_row=None, skip_rows=0, dtypes="string").to_polars()
    except Exception as error:
        reason = excerpt(str(error).splitlines()[0])
        raise InputError(f"{label}: sheet {quote(chosen)} cannot be read ({reason})") from None
    table = table.select(pl.all().fill_null("").str.strip_chars())
    xml = sheets.get(chosen)
    if xml is not None:
        table = _merges_filled(label, chosen, table, xml)
    if table.width == 0 or table.height == 0:
        raise InputError(f"{label}: sheet {quote(chosen)} is empty; expected a header row")
    wanted = {n.strip().lower() for n in names}
    head = table.head(HEADER_SEARCH).rows()
    filled = [i for i, row in enumerate(head) if any(row)]
    if not filled:
        raise InputError(
            f"{label}: sheet {quote(chosen)} has nothing in its first {HEADER_SEARCH} rows; "
            "expected a header row"
        )
    widest = max(filled, key=lambda i: (sum(map(bool, head[i])), -i))
    at = next((i for i in filled if wanted & {c.lower() for c in head[i]}), widest)
    header = list(head[at])
    while header and not header[-1]:
        header.pop()
    if len(header) > MOST_COLUMNS:
        raise InputError(
            f"{label}: sheet {quote(chosen)} has a header row of more than {MOST_COLUMNS:,} columns (an export has "
            "tens): not an export this tool can check"
        )
    formulas = [reference for row, reference in (xml.formulas if xml else []) if row > at + 1]
    if formulas:
        listed = ", ".join(formulas[:5]) + (
            f" and {len(formulas) - 5:,} more" if len(formulas) > 5 else ""
        )
        raise InputError(
            f"{label}: sheet {quote(chosen)} holds formulas in its data ({listed}); a formula's value is the one the "
            "program that saved the file last calculated, which may be stale: save the sheet as values "
            "(copy, Paste Special, Values) or export it as CSV"
        )
    offset = max(xml.first_column, 1) if xml else 1
    blank = [
        f"{reference} ({value})"
        for row, column, reference, value in (xml.beyond if xml else [])
        if at + 1 < row <= table.height
        and 0 <= column - offset < table.width
        and table[row - 1, column - offset] == ""
    ]
    if blank:
        raise InputError(
            f"{label}: sheet {quote(chosen)} holds cells that would read as blank though they are not: an error value "
            f"or a number formatted as a date but beyond any date ({', '.join(blank[:5])}{' and more' if len(blank) > 5 else ''}); "
            "correct them, or clear them"
        )
    rows = table.slice(at + 1)
    width, beyond = len(header), rows.columns[len(header) :]
    overflowing = pl.any_horizontal(pl.col(c) != "" for c in beyond) if beyond else pl.lit(False)
    frame = rows.select(
        *(pl.col(name).alias(cell(i)) for i, name in enumerate(rows.columns[:width])),
        (pl.int_range(pl.len(), dtype=pl.Int64) + at + 2).alias(ROW),
        pl.when(overflowing)
        .then(width + 1)
        .otherwise(width)
        .cast(pl.Int32)
        .alias(FIELDS),  # a cell past the header's last: too many cells
        (
            pl.all_horizontal(pl.col(name) == "" for name in rows.columns[:width]) & ~overflowing
        ).alias(BLANK),  # a row with only
        # cells past the header's last is no blank row: it is rejected for them, as in a CSV file
    )
    return Records(
        header, frame, at + 1, chosen, tuple(name for name in reader.sheet_names if name != chosen)
    )


def _first_visible(label: str, reader: fastexcel.ExcelReader) -> str:
    """The first sheet a reader sees: a hidden sheet before it (a lookup list, an old copy) is not the data."""
    for name in reader.sheet_names:
        try:
            if (
                reader.load_sheet(name, header_row=None, n_rows=1, dtypes="string").visible
                == "visible"
            ):
                return name
        except (
            Exception
        ):  # a sheet calamine cannot open is not the one to choose; reading it says why if named
            continue
    return reader.sheet_names[0]


def _merges_filled(label: str, sheet: str, table: pl.DataFrame, xml: SheetXml) -> pl.DataFrame:
    """Each merged range's value in every cell of it, as a reader sees it (a council's name merged down four rows is
    that council's in each); calamine gives it to the top-left cell only."""
    if len(xml.merged) > MOST_MERGES:
        raise InputError(
            f"{label}: sheet {quote(sheet)} has more than {MOST_MERGES:,} merged ranges; unmerge the cells and save it"
        )
    offset = max(xml.first_column, 1)
    index = pl.int_range(pl.len()) + 1  # the sheet's row numbers
    for first_row, first_col, last_row, last_col in xml.merged:
        top, left = first_row - 1, first_col - offset
        if not (0 <= top < table.height and 0 <= left < table.width):
            continue
        value = table[top, left]
        columns = table.columns[left : last_col - offset + 1]
        table = table.with_columns(
            pl.when(index.is_between(first_row, last_row))
            .then(pl.lit(value))
            .otherwise(pl.col(c))
            .alias(c)
            for c in columns
        )
    return table
