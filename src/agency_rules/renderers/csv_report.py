"""One CSV line per finding for spreadsheets: UTF-8 with a byte-order mark (so Excel keeps `£`), evidence as words,
and formula-safe so a spreadsheet never runs a cell."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from ..report import FINDING_FIELDS, RenderOptions, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """Prefix a quote to any cell a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FINDING_FIELDS)
    for cells in report.finding_rows_in_words():
        writer.writerow([neutralise(value) for value in cells])
