"""Markdown, for pasting into a board paper or an issue."""

from __future__ import annotations

from typing import TextIO

from ..domain import OUTCOMES
from ..report import (
    REJECTED_IN_WORDS,
    WHO_IN_WORDS,
    RenderOptions,
    Report,
    decoding_notes,
    grouped,
    headline,
    rejection_lines,
    row_in_run,
)
from .printable import markdown_cell as cell


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    overlays = ", ".join(report.overlays) or "none"
    lines = [
        "# Agency rules check",
        "",
        f"Ruleset **{cell(report.ruleset)}**, overlays: {cell(overlays)}. {cell(headline(report))}.",
        *(f"\n{cell(note)}." for note in decoding_notes(report)),
        *(f"\n**{cell(line)}**" for line in rejection_lines(report)),
        "",
        "## Summary by rule",
        "",
        "| rule | " + " | ".join(OUTCOMES) + " |",
        "|---|" + "---:|" * len(OUTCOMES),
    ]
    for rule_id, counts in report.counts.items():
        lines.append(f"| {rule_id} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + " |")
    key = None
    for group in grouped(report, options.limit, options.group_by):
        if group.key and group.key != key:
            key = group.key
            lines += ["", f"## {cell(key)}"]
        level = "###" if group.key else "##"
        lines += [
            "",
            f"{level} {group.rule_id} {cell(group.title)}: {group.outcome}",
            "",
            "| row | engagement | worker | council | agency | role | finding |",
            "|---:|---|---|---|---|---|---|",
        ]
        lines += [
            "| " + " | ".join(map(cell, f)) + " |"
            for f in group.shown.select(
                "row", "engagement_id", *WHO_IN_WORDS, "message"
            ).iter_rows()
        ]
        if group.hidden:
            lines.append(f"| | | | | | | … and {group.hidden} more |")
    notices = report.notices
    if notices:
        lines += ["", "## Notices", ""]
        lines += [
            f"- {n['rule_id']} ({n['kind'].replace('_', ' ')}): {n['count']} engagement(s): {cell(n['message'])}"
            for n in notices
        ]
    if report.rejected_rows.height:
        lines += [
            "",
            "## Rejected rows",
            "",
            "| row | engagement | column | value | reason |",
            "|---:|---|---|---|---|",
        ]
        rejected = report.rejected_rows.select(
            row_in_run(report.pooled, report.source_rows), *REJECTED_IN_WORDS[1:]
        )
        for row, engagement, column, value, message in rejected.iter_rows():
            lines.append(
                f"| {cell(row)} | {cell(engagement)} | {cell(column)} | {cell(value)} | {cell(message)} |"
            )
    if report.upcoming is not None:
        lines += ["", f"## {cell(report.upcoming_heading())}", ""]
        if report.upcoming.height:
            lines += [
                "| date | event | engagement | rule | what | file |",
                "|---|---|---|---|---|---|",
            ]
            lines += [
                "| " + " | ".join(cell(v) for v in row) + " |" for row in report.upcoming_rows()
            ]
    out.write("\n".join(lines) + "\n")
