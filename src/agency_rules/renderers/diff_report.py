"""`agency-check diff` in each of its formats: counts by rule and direction first, then each change."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from rich.table import Table
from rich.text import Text

from ..report import RenderOptions
from ..report_diff import DIRECTIONS, ReportDiff
from .csv_report import neutralise
from .printable import markdown_cell as cell
from .printable import printable
from .terminal import report_console, show_table

HEADINGS = [
    "+breach",
    "-breach",
    "+unknown",
    "-unknown",
    "+waived",
    "-waived",
]  # + newly, - no longer
LEGEND = "+ newly, - no longer: +breach counts findings newly breaching, -breach those no longer breaching"


def _lines(diff: ReportDiff) -> list[str]:
    """The header: what was compared, how engagements were matched, what differs between the two runs' settings."""
    lines = [
        f"{diff.old} -> {diff.new}; engagements matched by {diff.matched_by}",
        "settings that differ: " + ("; ".join(diff.settings) if diff.settings else "none"),
        f"{len(diff.changes)} change(s); {len(diff.only_in_old)} engagement(s) only in the old "
        f"report, {len(diff.only_in_new)} only in the new",
        *diff.notes,
    ]
    return lines


def _only_in(diff: ReportDiff) -> list[tuple[str, str, str]]:
    """(which report, engagement, file) of each engagement only one report covered."""
    return [("old", e, f) for f, e in diff.only_in_old] + [
        ("new", e, f) for f, e in diff.only_in_new
    ]


def _where(change_only: str | None) -> str:
    return {"old": " (only in the old report)", "new": " (only in the new report)"}.get(
        change_only or "", ""
    )


def render_table(diff: ReportDiff, options: RenderOptions, out: TextIO) -> None:
    console = report_console(out, options)
    console.print(Text("Agency rules: what changed", style="bold"))
    for line in _lines(diff):
        console.print(Text(printable(line)))
    if diff.counts:
        counts = Table(title="Changes by rule and direction", title_justify="left")
        counts.add_column("rule")
        for heading in HEADINGS:
            counts.add_column(heading, justify="right")
        for rule, by in diff.counts.items():
            counts.add_row(printable(rule), *(str(by[d]) for d in DIRECTIONS))
        show_table(console, counts)
        console.print(Text(LEGEND, style="dim"))
    if diff.changes:
        changes = Table(title="Each change", title_justify="left")
        for heading in ("engagement", "rule", "from", "to", "file"):
            changes.add_column(heading)
        for c in diff.changes[: options.limit or None]:
            changes.add_row(
                printable(c.engagement_id + _where(c.only_in)),
                printable(c.rule_id),
                printable(c.before),
                Text(printable(c.after), style="bold red" if c.after == "breach" else ""),
                printable(c.file),
            )
        show_table(console, changes)
        hidden = len(diff.changes) - len(diff.changes[: options.limit or None])
        if hidden:
            console.print(f"... and {hidden} more change(s) (--limit 0 shows all)")
    if _only_in(diff):
        only = Table(title="Engagements only in one report", title_justify="left")
        for heading in ("only in", "engagement", "file"):
            only.add_column(heading)
        for row in _only_in(diff)[: options.limit or None]:
            only.add_row(*map(printable, row))
        show_table(console, only)


def render_md(diff: ReportDiff, options: RenderOptions, out: TextIO) -> None:
    lines = ["# What changed", "", *(f"- {cell(line)}" for line in _lines(diff)), ""]
    if diff.counts:
        lines += ["| rule | " + " | ".join(HEADINGS) + " |", "|---|" + "---:|" * len(HEADINGS)]
        lines += [
            f"| {cell(rule)} | " + " | ".join(str(by[d]) for d in DIRECTIONS) + " |"
            for rule, by in diff.counts.items()
        ]
        lines += ["", LEGEND + ".", ""]
    if diff.changes:
        lines += ["| engagement | rule | from | to | file |", "|---|---|---|---|---|"]
        lines += [
            f"| {cell(c.engagement_id + _where(c.only_in))} | {cell(c.rule_id)} | {cell(c.before)} | "
            f"{cell(c.after)} | {cell(c.file)} |"
            for c in diff.changes
        ]
    if _only_in(diff):
        lines += ["", "| only in | engagement | file |", "|---|---|---|"]
        lines += [f"| {cell(w)} | {cell(e)} | {cell(f)} |" for w, e, f in _only_in(diff)]
    out.write("\n".join(lines) + "\n")


def render_json(diff: ReportDiff, options: RenderOptions, out: TextIO) -> None:
    json.dump(diff.as_json(), out, ensure_ascii=False, indent=2)
    out.write("\n")


def render_csv(diff: ReportDiff, options: RenderOptions, out: TextIO) -> None:
    """One line per change, formula-safe."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "engagement_id", "rule_id", "from", "to", "directions", "only_in"])
    for c in diff.changes:
        writer.writerow(
            neutralise(v)
            for v in (
                c.file,
                c.engagement_id,
                c.rule_id,
                c.before,
                c.after,
                " ".join(c.directions),
                c.only_in or "",
            )
        )
    for which, engagement, file in _only_in(diff):
        writer.writerow(
            neutralise(v) for v in (file, engagement, "", "", "", f"only_in_{which}", which)
        )
