"""What a workbook's files say beyond the values calamine reads: how far they expand, and each sheet's formulas and
merged cells.

calamine hands over the values a sheet shows, which is right for nearly every cell. Three kinds it
cannot tell us about would be read wrong without a word: a formula's value is the one the program
that saved the file last calculated (a script that writes `=25*2` may leave 0 there); a merged cell
holds its value in its top-left cell only, though a reader sees it across the rows beneath; a
number beyond Excel's dates but formatted as one (1e10) reads as blank, an end date silently
open-ended. And a few kilobytes of zip can expand to gigabytes of XML. So the zip is measured before anything is read,
and an Excel sheet's XML is read once, as a stream, for these.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from xml.etree import ElementTree

from ..shown import excerpt, quote
from .files import InputError

EXPANDS_TO = 512 << 20  # a sheet of 300,000 engagements is about 400 MB of XML; a bomb is gigabytes
MOST_CELLS = 12_000_000  # cells of content: 300,000 engagements of 30 columns are 9 million
MOST_ROWS = 500_000  # rows of content in an OpenDocument sheet: calamine took minutes over 5 million repeats of one cell
MOST_MERGES = (
    10_000  # merged ranges in a sheet: an export has a few; each costs a pass over the table
)
REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@dataclass
class SheetXml:
    """A sheet's formulas and merged ranges, by row and column from 1, and its first column that holds a cell
    (calamine's table starts there, and at row 1); the rows and columns its content spans, which calamine fills in whole."""

    formulas: list[tuple[int, str]] = field(
        default_factory=list
    )  # (row, the cell as Excel names it: D2)
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # first row, first column, last row, last column
    extent: list[int] = field(
        default_factory=lambda: [0, 0, 0, 0]
    )  # first row, last row, first column, last column of content
    beyond: list[tuple[int, int, str, str]] = field(
        default_factory=list
    )  # read as blank: an error (#N/A), a number past every date

    @property
    def first_column(self) -> int:
        return self.extent[2]

    def holds(self, row: int, column: int) -> None:
        first_row, last_row, first_column, last_column = self.extent
        self.extent = [
            min(first_row or row, row),
            max(last_row, row),
            min(first_column or column, column),
            max(last_column, column),
        ]

    def refuse_sparse(self, label: str, sheet: str) -> None:
        """calamine holds a sheet as every cell from its first cell of content to its last: one cell at XFD1048576 beside
        an export's five rows asked for 512 GB (a 1.6 KB file); one at CV1000000 took 5 GB."""
        first_row, last_row, first_column, last_column = self.extent
        rows, columns = last_row - first_row + 1, last_column - first_column + 1
        if last_row and (rows > MOST_ROWS or rows * columns > MOST_CELLS):
            raise InputError(
                f"{label}: sheet {quote(sheet)} spans {rows:,} rows by {columns:,} columns from its first cell to its last "
                f"(more than {MOST_ROWS:,} rows or {MOST_CELLS:,} cells: a cell far from the data, or a workbook built to "
                "exhaust memory); clear the cells beyond the data, or save it as CSV"
            )


def measured(label: str, raw: bytes) -> dict[str, SheetXml]:
    """What each sheet of a zip workbook (xlsx, xlsm, ods) says beyond its values, by name, read before calamine reads
    anything: a workbook that expands beyond EXPANDS_TO (counted as it is inflated: a zip's own sizes can lie), an
    OpenDocument sheet with more than MOST_ROWS rows or MOST_CELLS cells of content once its repeats are counted, or a
    sheet whose content spans more than those, is refused (a 6.7 MB file once took 362 s and 9.4 GB; a 1 KB one grew past
    15 GB). An xls (not a zip) says nothing here."""
    sheets: dict[str, SheetXml] = {}
    if not raw.startswith(b"PK\x03\x04"):
        return sheets
    try:
        with zipfile.ZipFile(BytesIO(raw)) as book:
            size = 0
            for member in book.infolist():
                with book.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        size += len(chunk)
                        if size > EXPANDS_TO:
                            raise InputError(
                                f"{label}: the workbook expands to more than {EXPANDS_TO >> 20} MB (a workbook built "
                                "to exhaust memory, or too large to read as one): save it as CSV"
                            )
            if "content.xml" in book.namelist():
                with book.open("content.xml") as stream:
                    sheets = _ods_cells(label, stream)
            else:
                sheets = _excel_sheets(book)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ElementTree.ParseError,
        KeyError,
        ValueError,
    ) as error:
        raise InputError(
            f"{label}: not a readable workbook (damaged: {excerpt(str(error))})"
        ) from None
    for name, sheet in sheets.items():
        sheet.refuse_sparse(label, name)
    return sheets


def _ods_cells(label: str, stream) -> dict[str, SheetXml]:
    """The cells of content an OpenDocument workbook declares, its rows' and columns' repeats multiplied out; and each
    sheet's formulas (whose stored values may be stale, as an Excel formula's may), merged ranges and extent."""
    cells = rows = 0
    sheets: dict[str, SheetXml] = {}
    found = SheetXml()
    row = column = in_row = row_repeats = (
        0  # the row and column of the cell at hand, counted from 1 with their repeats
    )
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        name = _local(element.tag)
        if event == "start" and name == "table":
            found = sheets.setdefault(
                next((v for key, v in element.attrib.items() if _local(key) == "name"), ""),
                SheetXml(),
            )
            row = 1
        elif event == "start" and name == "table-row":
            column, in_row, row_repeats = 1, 0, _repeat(element, "number-rows-repeated")
        elif event == "end" and name in ("table-cell", "covered-table-cell"):
            repeats = _repeat(element, "number-columns-repeated")
            if any(_local(key) == "formula" for key in element.attrib):
                found.formulas.append((row, _reference(row, column)))
            if any(
                _local(key)
                in ("value", "date-value", "boolean-value", "time-value", "string-value")
                for key in element.attrib
            ) or len(element):  # a covered cell's content is read too
                in_row += repeats
                found.holds(row, column)
                found.holds(row + row_repeats - 1, column + repeats - 1)
            if name == "table-cell":
                down, across = (
                    _repeat(element, "number-rows-spanned"),
                    _repeat(element, "number-columns-spanned"),
                )
                if (down > 1 or across > 1) and len(found.merged) <= MOST_MERGES:
                    found.merged.append((row, column, row + down - 1, column + across - 1))
            column += repeats
            element.clear()
        elif event == "end" and name == "table-row":
            row += row_repeats
            if in_row:
                cells, rows = cells + in_row * row_repeats, rows + row_repeats
            element.clear()
            if cells > MOST_CELLS or rows > MOST_ROWS:
                raise InputError(
                    f"{label}: the sheet repeats its rows or cells of content past {MOST_ROWS:,} rows or {MOST_CELLS:,} "
                    "cells (a workbook built to exhaust memory, not an export): save the data as CSV"
                )
    return sheets


def _reference(row: int, column: int) -> str:
    """(12, 4) as 'D12', as a spreadsheet names the cell."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _repeat(element: ElementTree.Element, name: str) -> int:
    """A repeat or span as calamine reads it: `+900000` is 900,000."""
    value = next((v for key, v in element.attrib.items() if _local(key) == name), "1")
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


def _local(tag: str) -> str:
    """A tag or attribute's name without its namespace: Excel's Strict Open XML names the same elements in another."""
    return tag.rsplit("}", 1)[-1]


def _excel_sheets(book: zipfile.ZipFile) -> dict[str, SheetXml]:
    """Every sheet of an Excel workbook, by name. Tags are matched by their local names, so Excel's Strict Open XML
    (another namespace) is read as its transitional form is."""
    names = set(book.namelist())
    if "xl/workbook.xml" not in names:
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        if _local(rel.tag) == "Relationship"
    }
    ids = {
        entry.get("name"): next((v for k, v in entry.attrib.items() if _local(k) == "id"), None)
        for entry in ElementTree.fromstring(book.read("xl/workbook.xml")).iter()
        if _local(entry.tag) == "sheet"
    }
    sheets = {}
    for sheet, sheet_id in ids.items():
        target = targets.get(sheet_id, "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if sheet is not None and path in names:
            with book.open(path) as stream:
                sheets[sheet] = _excel_sheet(stream)
    return sheets


def _excel_sheet(stream) -> SheetXml:
    """A row or cell may leave out its reference, or write it in lower case: calamine places it after the one before,
    as Excel does, and so must this, or a far cell or a formula goes unseen."""
    found = SheetXml()
    row = column = 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "row":
                number = element.get("r", "")
                row, column = (int(number) if number.isdigit() else row + 1), 0
            continue
        if name == "c":
            reference = element.get("r", "").upper()
            place = _place(reference) if reference else (row, column + 1)
            if place:
                row, column = place
                reference = reference or _reference(*place)
            parts = {_local(child.tag): child for child in element}
            value = parts.get("v")
            kind = element.get("t", "n")
            if place and "f" in parts:
                found.formulas.append((place[0], reference))
            if place and (
                "is" in parts or (value is not None and (value.text or kind != "n"))
            ):  # as calamine counts a cell
                found.holds(*place)
            if (
                place
                and value is not None
                and (kind == "e" or (element.get("s") and kind == "n" and _past_dates(value.text)))
            ):
                found.beyond.append((place[0], place[1], reference, value.text or ""))
            element.clear()
        elif name == "mergeCell":
            first, _, last = element.get("ref", "").upper().partition(":")
            start, end = _place(first), _place(last or first)
            if start and end:
                found.merged.append((start[0], start[1], end[0], end[1]))
        elif name == "row":
            element.clear()
    return found


LAST_SERIAL = 2_958_465  # 9999-12-31, Excel's last date


def _past_dates(text: str | None) -> bool:
    """A number no date can be (beyond 9999-12-31, or before 1900): shown as a date, calamine reads it as nothing."""
    try:
        number = float(text or "")
    except ValueError:
        return False
    return number > LAST_SERIAL or number < 0


def _place(reference: str) -> tuple[int, int] | None:
    """'D12' as (12, 4)."""
    match = REFERENCE.fullmatch(reference)
    if not match:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - 64
    return int(match[2]), column
