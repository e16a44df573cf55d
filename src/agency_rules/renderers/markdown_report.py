"""Markdown, for pasting into a board paper or an issue."""

from __future__ import annotations

from typing import TextIO

from ..outcomes import OUTCOMES
from ..report import RenderOptions, Report, grouped, headline


def cell(text: object) -> str:
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ")


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    overlays = ", ".join(report.overlays) or "none"
    lines = [
        "# Agency rules check",
        "",
        f"Ruleset **{report.ruleset}**, overlays: {overlays}. {headline(report)}.",
        "",
        "## Summary by rule",
        "",
        "| rule | " + " | ".join(OUTCOMES) + " |",
        "|---|" + "---:|" * len(OUTCOMES),
    ]
    for rule_id, counts in report.evaluation.counts.items():
        lines.append(f"| {rule_id} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + " |")
    for group in grouped(report, options.limit):
        lines += ["", f"## {group.rule_id} {cell(group.title)}: {group.outcome}", "", "| row | engagement | finding |", "|---:|---|---|"]
        lines += [f"| {f.row} | {cell(f.engagement_id)} | {cell(f.message)} |" for f in group.shown]
        if group.hidden:
            lines.append(f"| | | … and {group.hidden} more |")
    notices = report.notices()
    if notices:
        lines += ["", "## Notices", ""]
        lines += [f"- {n['rule_id']} ({n['kind'].replace('_', ' ')}): {n['count']} engagement(s): {cell(n['message'])}" for n in notices]
    if report.rejected_rows:
        lines += ["", "## Rejected rows", "", "| row | engagement | column | value | reason |", "|---:|---|---|---|---|"]
        for rejected in report.rejected_rows:
            for error in rejected.errors:
                lines.append(f"| {rejected.row} | {cell(rejected.engagement_id)} | {cell(error.column)} | {cell(error.value)} | {cell(error.message)} |")
    out.write("\n".join(lines) + "\n")
