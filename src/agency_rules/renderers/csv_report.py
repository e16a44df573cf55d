"""One CSV line per finding for spreadsheets: UTF-8 with a byte-order mark (so Excel keeps `£`), evidence as words,
and formula-safe so a spreadsheet never runs a cell.

Then one line per reason a row was rejected (outcome `rejected`, no rule), engagements' and history's,
so the file is the whole result: a CSV holding only findings would read as "no problem" for rows
the tool could not check.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

import polars as pl

from ..inputs.columns import SOURCE_ROW
from ..report import COLUMN_AS_WRITTEN, RenderOptions, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REJECTED = "rejected"


def neutralise(value: Any) -> str:
    """Prefix a quote to any cell a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.finding_fields)
    for cells in report.finding_rows_in_words(report.finding_fields):
        writer.writerow([neutralise(value) for value in cells])
    for cells in _rejections(report):
        writer.writerow([neutralise(value) for value in cells])
    for day, kind, engagement, rule, message, file in report.upcoming_rows():
        line = dict.fromkeys(report.finding_fields, "")
        line.update(
            engagement_id=engagement,
            rule_id=rule,
            outcome="upcoming",
            message=f"{day.isoformat()}: {message}",
            evidence=f"event: {kind}; date: {day.isoformat()}",
            file=file,
        )
        writer.writerow([neutralise(value) for value in line.values()])
    if report.upcoming is not None and not report.upcoming.height:
        line = dict.fromkeys(report.finding_fields, "")
        line.update(outcome="upcoming", message=report.upcoming_heading())
        writer.writerow([neutralise(value) for value in line.values()])


def _rejections(report: Report) -> Iterator[list[Any]]:
    frames = [
        report.rejected_rows,
        *([report.rejected_history_rows] if report.rejected_history_rows is not None else []),
    ]
    for errors in frames:
        lines = errors.select(
            "engagement_id",
            "row",
            pl.lit(REJECTED).alias("outcome"),
            COLUMN_AS_WRITTEN,
            "value",
            "message",
            "file",
            SOURCE_ROW,
        )
        for (
            engagement_id,
            row,
            outcome,
            column,
            value,
            message,
            path,
            source_row,
        ) in lines.iter_rows():
            line = dict.fromkeys(report.finding_fields, "")
            line.update(
                engagement_id=engagement_id,
                row=row,
                outcome=outcome,
                message=f"{column}: {message}" if column else message,
                evidence=f"column: {column}; value: {value}",
                file=path,
            )
            if report.source_rows:
                line[SOURCE_ROW] = source_row
            yield list(line.values())
