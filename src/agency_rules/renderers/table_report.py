"""The terminal report: a summary by rule and outcome, then findings grouped by rule, then rejected rows."""

from __future__ import annotations

from typing import TextIO

import polars as pl
from rich.table import Table
from rich.text import Text

from ..domain import BREACH, OUTCOMES, UNKNOWN, WAIVED
from ..report import (
    GROUP_COLUMNS,
    REJECTED_IN_WORDS,
    WHO_IN_WORDS,
    RenderOptions,
    Report,
    decoding_notes,
    grouped,
    headline,
    rejection_lines,
    row_in_run,
    where,
)
from .printable import printable
from .terminal import report_console, show_table

STYLE = {BREACH: "bold red", UNKNOWN: "yellow", WAIVED: "cyan", "pass": "green"}


GROUPS_SHOWN = 50  # councils or agencies drawn in the terminal when grouped; the rest are counted


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    console = report_console(out, options)
    overlays = ", ".join(report.overlays) or "none"
    as_of = f", parameters as of {report.as_of.isoformat()}" if report.as_of else ""
    console.print(
        Text.assemble(
            ("Agency rules check", "bold"),
            printable(f": ruleset {report.ruleset}, overlays: {overlays}{as_of}"),
        )
    )
    console.print(headline(report), markup=False)
    for note in decoding_notes(report):
        console.print(Text(printable(note), style="dim"))
    for line in rejection_lines(report):
        console.print(Text(printable(line), style="bold red"))

    console.print("Outcomes by rule")
    summary = Table()
    summary.add_column("rule", no_wrap=True)
    for outcome in OUTCOMES:
        summary.add_column(outcome.replace("_", " "), justify="right", style=STYLE.get(outcome, ""))
    for rule_id, counts in report.counts.items():
        summary.add_row(rule_id, *(str(counts[o]) for o in OUTCOMES))
    show_table(console, summary)

    key = None
    groups_in_all = (
        len(report.evaluation.values_of(GROUP_COLUMNS[options.group_by])) if options.group_by else 0
    )
    most = None if options.limit == 0 else GROUPS_SHOWN  # 2,000 agencies' tables took 43 s to draw
    for group in grouped(report, options.limit, options.group_by, most):
        if group.key and group.key != key:
            key = group.key
            console.print(Text(printable(f"{options.group_by}: {key}"), style="bold underline"))
        heading = (
            f"{group.rule_id} {group.title}: {group.outcome} ({group.shown.height + group.hidden})"
        )
        console.print(Text(printable(heading), style=STYLE.get(group.outcome, "")))
        table = Table()
        table.add_column("row", justify="right")
        table.add_column("engagement / worker")
        table.add_column("council, agency, role")
        table.add_column("finding")
        for row, engagement, worker, council, agency, role, message in group.shown.select(
            "row", "engagement_id", *WHO_IN_WORDS, "message"
        ).iter_rows():
            table.add_row(
                Text(printable(row)),
                Text(printable(f"{engagement}\n{worker}")),
                Text(printable(where(council, agency, role))),
                Text(printable(message)),
            )
        if group.hidden:
            table.add_row(
                "",
                "",
                "",
                f"… and {group.hidden} more (--limit 0 shows all; --format csv lists every finding)",
            )
        show_table(console, table)
    if most is not None and groups_in_all > most:
        console.print(
            Text(
                printable(
                    f"… and {groups_in_all - most:,} more {options.group_by} groups (--limit 0 shows every one; "
                    "--format md or csv lists them all)"
                ),
                style="bold",
            )
        )

    for notice in report.notices:
        console.print(
            Text.assemble(
                (notice["kind"].replace("_", " "), "dim"),
                printable(
                    f" {notice['rule_id']} for {notice['count']} engagement(s): {notice['message']}"
                ),
            )
        )

    sources = [
        (path, frame)
        for (path,), frame in report.rejected_rows.partition_by(
            "file", as_dict=True, maintain_order=True
        ).items()
    ]
    if report.rejected_history_rows is not None:
        sources.append(
            (
                next(i.path for i in report.inputs if i.kind == "history"),
                report.rejected_history_rows,
            )
        )
    for path, rejected in sources:
        rows = rejected["row"].n_unique()
        if rows:
            console.print(
                Text(f"Rejected rows of {printable(path)} ({rows}): not checked", style="bold red")
            )
            table = _rejected_table(
                rejected, options.limit, row_in_run(report.pooled, report.source_rows)
            )
            show_table(console, table)
    if report.upcoming is not None:
        console.print(Text(printable(report.upcoming_heading()), style="bold"))
        if report.upcoming.height:
            upcoming = Table()
            for name in ("date", "event", "engagement", "rule", "what", "file"):
                upcoming.add_column(name)
            for row in report.upcoming_rows():
                upcoming.add_row(*(Text(printable(v)) for v in row))
            show_table(console, upcoming)


def _rejected_table(rejected: pl.DataFrame, limit: int, row_named: pl.Expr) -> Table:
    table = Table()
    for name in ("row", "engagement", "column", "value", "reason"):
        table.add_column(name)
    rows = rejected["row"].unique(maintain_order=True)
    shown = rows if limit <= 0 else rows.head(limit)
    lines = rejected.filter(pl.col("row").is_in(shown.implode())).select(
        row_named, *REJECTED_IN_WORDS[1:]
    )
    for row, engagement, column, value, message in lines.iter_rows():
        table.add_row(
            *(Text(printable(cell)) for cell in (row, engagement, column, value, message))
        )
    if shown.len() < rows.len():
        table.add_row("", "", "", "", f"… and {rows.len() - shown.len()} more rows")
    return table
