"""A workbook for HR: Summary, Findings, Rejected rows and Notices sheets, typed cells, filters and frozen headers.

Every text cell is written as a string, so nothing from an input becomes a formula or a link. The
findings are written a slice at a time in xlsxwriter's constant-memory mode, and continue on a
further sheet past Excel's 1,048,576 rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TextIO

from ..domain import OUTCOMES, ROLE_WORDS
from ..inputs.columns import SOURCE_ROW
from ..report import (
    REJECTED_IN_WORDS,
    RenderOptions,
    Report,
    decoding_notes,
    headline,
    read_as,
    rejection_lines,
)
from .printable import printable

if TYPE_CHECKING:
    from xlsxwriter import Workbook
    from xlsxwriter.worksheet import Worksheet

MAX_ROWS = 1_048_576
DATES = ("start_date", "end_date")
# Column headings in the words of the people who read the workbook; the JSON and CSV keep the contract's names.
HEADINGS = {
    "engagement_id": "engagement",
    "rule_id": "rule",
    "message": "finding",
    "worker_id": "worker",
    "la_code": "council code",
    "start_date": "start date",
    "end_date": "end date",
    "for_example": "for example",
    SOURCE_ROW: "row of the council's file",
}
WIDTHS = {
    "message": 80,
    "evidence": 80,
    "source": 30,
    "file": 30,
    "agency": 28,
    "council": 22,
    "value": 24,
}


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """Writes to the binary stream under `out` (an output file; the command line refuses a workbook on the terminal)."""
    book = new_workbook(out, constant_memory=True)
    bold = book.add_format({"bold": True})
    _summary(book.add_worksheet("Summary"), report, bold)
    _findings(book, report, bold)
    rejected = report.rejected_rows.select(
        "file", *REJECTED_IN_WORDS, *([SOURCE_ROW] if report.source_rows else [])
    )
    write_rows(
        book.add_worksheet("Rejected rows"), list(rejected.columns), rejected.iter_rows(), bold
    )
    notices = [
        (
            n["rule_id"],
            n["kind"],
            reason["count"],
            reason["message"],
            ", ".join(reason.get("engagements", [])),
        )
        for n in report.notices
        for reason in (
            n["reasons"] or [{"count": n["count"], "message": n["message"], "engagements": []}]
        )
    ]
    write_rows(
        book.add_worksheet("Notices"),
        ["rule_id", "kind", "engagements", "reason", "for_example"],
        iter(notices),
        bold,
    )
    if report.upcoming is not None:
        upcoming = book.add_worksheet("Upcoming")
        when = book.add_format({"num_format": "yyyy-mm-dd"})
        rows = (
            [(datetime.combine(row[0], time()), when), *row[1:]] for row in report.upcoming_rows()
        )
        write_rows(upcoming, ["date", "event", "engagement", "rule", "what", "file"], rows, bold)
        upcoming.set_column(4, 4, 100)
        if not report.upcoming.height:
            upcoming.write_string(1, 0, report.upcoming_heading())
    book.close()


def new_workbook(out: TextIO, constant_memory: bool = False) -> Workbook:
    """A workbook written to the binary stream under `out` (an output file; the command line refuses a workbook on the
    terminal), where no text becomes a formula, a link or a number. xlsxwriter is imported only here, when a workbook
    is written."""
    import xlsxwriter

    out.flush()
    return xlsxwriter.Workbook(
        out.buffer,
        {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def _summary(sheet: Worksheet, report: Report, bold: Any) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 7, 14)
    lines: list[list[Any]] = [
        ["Agency rules check"],
        ["ruleset", report.ruleset],
        ["overlays", ", ".join(report.overlays) or "none"],
        [
            "parameters as of",
            report.as_of.isoformat() if report.as_of else "each engagement's start date",
        ],
        ["result", headline(report)],
        ["rows read", report.rows_read],
        ["rows checked", report.rows_checked],
        ["rows rejected", report.rows_rejected],
        ["engagements with breaches", report.evaluation.engagements_with_breaches],
        *(["note", line] for line in [*decoding_notes(report), *rejection_lines(report)]),
        [],
        ["rule", "title", *(o.replace("_", " ") for o in OUTCOMES)],
        *(
            [rule_id, report.rule_titles.get(rule_id, ""), *(counts[o] for o in OUTCOMES)]
            for rule_id, counts in report.counts.items()
        ),
        [],
        ["input", "kind", "rows", "encoding", "sheet", "sha256"],
        *([i.path, i.kind, i.rows, read_as(i.encoding), i.sheet, i.sha256] for i in report.inputs),
    ]
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            _cell(
                sheet,
                r,
                c,
                value,
                bold if r == 0 or (line and line[0] in ("rule", "input")) else None,
            )


def _findings(book: Workbook, report: Report, bold: Any) -> None:
    """Engagement dates as Excel dates, so HR can sort and filter by them. The rule's severity is left out: beside an
    `unknown` outcome, "breach" reads as the finding's verdict."""
    fields = tuple(name for name in report.finding_fields if name != "severity")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    dated = [fields.index(name) for name in DATES]
    role = fields.index("role")

    def rows() -> Iterator[list[Any]]:
        for cells in report.finding_rows_in_words(fields):
            for c in dated:
                cells[c] = (date.fromisoformat(cells[c]), day) if cells[c] else None
            cells[role] = ROLE_WORDS.get(cells[role], cells[role]) if cells[role] else None
            yield cells

    left: Iterator | None = rows()
    part = 1
    while left is not None:
        left = write_rows(
            book.add_worksheet("Findings" if part == 1 else f"Findings {part}"),
            list(fields),
            left,
            bold,
        )
        part += 1


def write_rows(sheet: Worksheet, header: list[str], rows: Iterator, bold: Any) -> Iterator | None:
    """Header, then rows up to the sheet's last; the rows left over for another sheet, if any."""
    for c, name in enumerate(header):
        sheet.set_column(c, c, WIDTHS.get(name, 14))
        sheet.write_string(0, c, HEADINGS.get(name, name), bold)
    sheet.freeze_panes(1, 0)
    written = 0
    for values in rows:
        written += 1
        for c, value in enumerate(values):
            _cell(sheet, written, c, value)
        if written == MAX_ROWS - 1:
            break
    sheet.autofilter(0, 0, max(written, 1), len(header) - 1)
    following = next(rows, None)
    return None if following is None else itertools.chain([following], rows)


def _cell(sheet: Worksheet, r: int, c: int, value: Any, style: Any = None) -> None:
    """A (date, format) pair is a date cell; every other non-number is written as text."""
    if value is None:
        return
    if isinstance(value, tuple):
        sheet.write_datetime(r, c, *value)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        sheet.write_string(r, c, printable(value), style)
    else:
        sheet.write_number(r, c, value, style)
