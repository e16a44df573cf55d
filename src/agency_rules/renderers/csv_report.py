"""One CSV line per finding, formula-safe so a spreadsheet never runs a cell."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from ..report import RenderOptions, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """Prefix a quote to any cell a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.finding_fields)
    for findings in report.finding_slices():
        for record in findings.select(report.finding_fields).iter_rows():
            writer.writerow([neutralise(value) for value in record])
