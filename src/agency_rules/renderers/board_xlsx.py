"""The board summary as a workbook: a Summary sheet (what was summarised, inputs), then one sheet per table."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import TextIO

from ..board.summary import TOTAL, BoardSummary
from ..report import RenderOptions
from .printable import printable
from .xlsx_report import new_workbook

CHANGE = re.compile(r"[+-][0-9]+|0")


def render(summary: BoardSummary, options: RenderOptions, out: TextIO) -> None:
    book = new_workbook(out)
    book.set_properties(
        {
            "title": "Agency rules: board summary",
            "created": datetime.combine(summary.produced, time()),
        }
    )  # the same inputs, the same file
    bold = book.add_format({"bold": True})
    signed = book.add_format({"num_format": "+0;-0;0"})
    front = book.add_worksheet("Summary")
    front.set_column(0, 0, 60)
    front.set_column(1, 2, 40)
    front.write_string(0, 0, "Agency rules: board summary", bold)
    row = 2
    for line in summary.preamble():
        front.write_string(row, 0, printable(line))
        row += 1
    row += 1
    for c, heading in enumerate(("report", "what", "SHA-256")):
        front.write_string(row, c, heading, bold)
    for path, what, digest in summary.inputs():
        row += 1
        for c, value in enumerate((path, what, digest)):
            front.write_string(row, c, printable(value))
    for table in [summary.by_rule(), *summary.tables]:
        sheet = book.add_worksheet(table.key.replace("_", " ")[:31])
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, len(table.columns), 14)
        sheet.write_string(0, 0, table.title, bold)
        for c, heading in enumerate([table.row_heading, *table.columns]):
            sheet.write_string(2, c, heading, bold)
        for r, (label, cells) in enumerate(table.rows, start=3):
            style = bold if label == TOTAL else None
            sheet.write_string(r, 0, printable(label), style)
            for c, shown in enumerate(cells, start=1):
                if isinstance(shown, int):
                    sheet.write_number(r, c, shown, style)
                elif CHANGE.fullmatch(
                    shown
                ):  # the change from the quarter before: a number, signed, so it can be charted
                    sheet.write_number(r, c, int(shown), signed)
                else:
                    sheet.write_string(r, c, printable(shown), style)
        sheet.freeze_panes(3, 1)
        below = len(table.rows) + 4
        for line in [
            table.instead if not table.rows else table.note,
            summary.marks(),
        ]:
            if line:
                sheet.write_string(below, 0, printable(line))
                below += 1
    book.close()
