"""What a workbook's files say beyond the values calamine reads: how far they expand, and, for an Excel sheet, its
formulas and merged cells.

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
from dataclasses import dataclass, field
from io import BytesIO
from xml.etree import ElementTree

from .files import InputError

EXPANDS_TO = 512 << 20  # a sheet of 300,000 engagements is about 400 MB of XML; a bomb is gigabytes
REPEATED = 100_000  # an OpenDocument row with content repeated more often than this is a bomb, not data
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@dataclass
class SheetXml:
    """An Excel sheet's formulas and merged ranges, by row and column from 1, and its first column that holds a cell
    (calamine's table starts there, and at row 1)."""

    formulas: list[tuple[int, str]] = field(default_factory=list)  # (row, the cell as Excel names it: D2)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first column, last row, last column
    first_column: int = 0
    beyond: list[tuple[int, int, str, str]] = field(default_factory=list)  # styled numbers past Excel's dates: row, column, cell, value


def measured(label: str, raw: bytes) -> None:
    """A zip workbook that expands beyond EXPANDS_TO, or an OpenDocument sheet that repeats a row of content beyond
    REPEATED times, is refused before calamine reads it (a 6.7 MB file once took 362 s and 9.4 GB)."""
    if not raw.startswith(b"PK\x03\x04"):
        return
    try:
        with zipfile.ZipFile(BytesIO(raw)) as book:
            members = book.infolist()
            size = sum(member.file_size for member in members)
            if size > EXPANDS_TO:
                raise InputError(f"{label}: the workbook expands to {size >> 20:,} MB, more than {EXPANDS_TO >> 20} MB "
                                 "(a workbook built to exhaust memory, or too large to read as one): save it as CSV")
            if "content.xml" in book.namelist():
                content = book.read("content.xml")
                for repeat in re.finditer(rb'<table:table-row[^>]*number-rows-repeated="([0-9]+)"[^>]*>(.{0,2000}?)</table:table-row>',
                                          content, re.DOTALL):
                    if int(repeat[1]) > REPEATED and b"<text:p" in repeat[2]:
                        raise InputError(f"{label}: a row of the sheet is repeated {int(repeat[1]):,} times, a workbook built "
                                         "to exhaust memory, not an export: save the data as CSV")
    except zipfile.BadZipFile:
        return  # calamine says what is wrong with it


def excel_sheet(label: str, raw: bytes, sheet: str) -> SheetXml | None:
    """The named sheet's formulas and merges; None for a workbook that is not Excel's zip (xls, ods)."""
    try:
        book = zipfile.ZipFile(BytesIO(raw))
    except zipfile.BadZipFile:
        return None
    with book:
        names = set(book.namelist())
        if "xl/workbook.xml" not in names:
            return None
        targets = {rel.get("Id"): rel.get("Target", "") for rel in ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
                   .iter(f"{PACKAGE}Relationship")}
        ids = {entry.get("name"): entry.get(f"{RELATIONSHIPS}id") for entry in ElementTree.fromstring(book.read("xl/workbook.xml"))
               .iter(f"{MAIN}sheet")}
        target = targets.get(ids.get(sheet), "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if path not in names:
            return None
        found = SheetXml()
        with book.open(path) as stream:
            for _, element in ElementTree.iterparse(stream):
                if element.tag == f"{MAIN}c":
                    reference = element.get("r", "")
                    place = _place(reference)
                    if place and element.find(f"{MAIN}f") is not None:
                        found.formulas.append((place[0], reference))
                    value = element.find(f"{MAIN}v")
                    if place and (value is not None or element.find(f"{MAIN}is") is not None):
                        found.first_column = min(found.first_column or place[1], place[1])
                    if place and value is not None and element.get("s") and element.get("t", "n") == "n" and _past_dates(value.text):
                        found.beyond.append((place[0], place[1], reference, value.text or ""))
                    element.clear()
                elif element.tag == f"{MAIN}mergeCell":
                    first, _, last = element.get("ref", "").partition(":")
                    start, end = _place(first), _place(last or first)
                    if start and end:
                        found.merged.append((start[0], start[1], end[0], end[1]))
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
