"""A self-contained HTML page, every value escaped."""

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
from .printable import html_text as escape


def _row(cells: list[object], tag: str = "td") -> str:
    return (
        "<tr>"
        + "".join(f"<{tag}>{escape(str('' if c is None else c))}</{tag}>" for c in cells)
        + "</tr>"
    )


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Agency rules check</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}</style></head><body>",
        "<h1>Agency rules check</h1>",
        f"<p>Ruleset <b>{escape(report.ruleset)}</b>, overlays: {escape(', '.join(report.overlays) or 'none')}. {escape(headline(report))}.</p>",
        *(f"<p>{escape(note)}.</p>" for note in decoding_notes(report)),
        *(f"<p><b>{escape(line)}</b></p>" for line in rejection_lines(report)),
        "<h2>Summary by rule</h2><table>",
        _row(["rule", *OUTCOMES], "th"),
    ]
    parts += [
        _row([rule_id, *(counts[o] for o in OUTCOMES)]) for rule_id, counts in report.counts.items()
    ]
    parts.append("</table>")
    for group in grouped(report, options.limit):
        parts.append(
            f"<h2>{escape(group.rule_id)} {escape(group.title)}: {escape(group.outcome)}</h2><table>"
        )
        parts.append(
            _row(["row", "engagement", "worker", "council", "agency", "role", "finding"], "th")
        )
        parts += [
            _row(list(f))
            for f in group.shown.select(
                "row", "engagement_id", *WHO_IN_WORDS, "message"
            ).iter_rows()
        ]
        if group.hidden:
            parts.append(_row(["", "", "", "", "", "", f"… and {group.hidden} more"]))
        parts.append("</table>")
    notices = report.notices
    if notices:
        parts.append("<h2>Notices</h2><ul>")
        parts += [
            f"<li>{escape(n['rule_id'])} ({escape(n['kind'].replace('_', ' '))}): {n['count']} engagement(s): {escape(n['message'])}</li>"
            for n in notices
        ]
        parts.append("</ul>")
    if report.rejected_rows.height:
        parts.append("<h2>Rejected rows</h2><table>")
        parts.append(_row(["row", "engagement", "column", "value", "reason"], "th"))
        rejected = report.rejected_rows.select(
            row_in_run(report.pooled, report.source_rows), *REJECTED_IN_WORDS[1:]
        )
        parts += [_row(list(r)) for r in rejected.iter_rows()]
        parts.append("</table>")
    if report.upcoming is not None:
        parts.append(f"<h2>{escape(report.upcoming_heading())}</h2>")
        if report.upcoming.height:
            parts.append(
                "<table>" + _row(["date", "event", "engagement", "rule", "what", "file"], "th")
            )
            parts += [_row(list(row)) for row in report.upcoming_rows()]
            parts.append("</table>")
    parts.append("</body></html>")
    out.write("\n".join(parts) + "\n")
