"""A board's summary of councils' reports: breaches and unknowns by council and rule, agency, role and quarter.

Every count a board sees passes through suppression first; charts are drawn from the suppressed
tables, never from the counts behind them. Nothing here holds a worker or engagement id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ..regions import council_names
from ..terms import BREACH, ROLE_WORDS, UNKNOWN
from .reports import CouncilReport
from .suppression import Shown, suppress, with_totals

TOTAL = "Total"
NOT_READABLE = "council not readable"


@dataclass(frozen=True)
class BoardTable:
    """Rows of shown counts under column headings; with totals, the last row is the total row."""

    key: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[Shown]]]
    note: str = ""


@dataclass(frozen=True)
class BoardSummary:
    produced: date
    ruleset: str
    overlays: list[str]
    least: int
    reports: list[CouncilReport]
    tables: list[BoardTable]
    notes: list[str]

    def table(self, key: str) -> BoardTable:
        return next(t for t in self.tables if t.key == key)

    def preamble(self) -> list[str]:
        """What every format says first: what was summarised, under which rules, and how small counts are hidden."""
        checked = sum(r.rows_checked for r in self.reports)
        return [
            f"Produced {self.produced.isoformat()} from {len(self.reports)} report(s) under ruleset {self.ruleset}"
            f" (overlays: {', '.join(self.overlays) or 'none'}, each where its region's councils engage), {checked:,} engagements checked in all.",
            f"Counts from 1 to {self.least - 1} are shown as <{self.least}; a total shown as * adds up such a count, and is hidden so"
            " that no hidden count can be worked out. Counts are of findings: one engagement may breach several rules.",
            "Quarters are calendar quarters of the engagement's start (Q1 = January to March).",
            *self.notes,
        ]

    def inputs(self) -> list[tuple[str, str, str]]:
        """(report, what it checked, SHA-256): the report files, then the exports each checked."""
        lines = []
        for r in self.reports:
            lines.append((r.path, "report", r.sha256))
            lines += [(r.path, f"{i.get('kind', 'engagements')}: {i.get('path')}", str(i.get("sha256"))) for i in r.inputs
                      if i.get("kind", "engagements") in ("engagements", "history")]
        return lines


def quarter(day: pl.Expr) -> pl.Expr:
    """A calendar quarter, '2025 Q3' (July to September)."""
    return pl.format("{} Q{}", day.dt.year(), day.dt.quarter())


def summarise(reports: list[CouncilReport], notes: list[str], least: int, produced: date) -> BoardSummary:
    every = pl.concat([r.findings for r in reports])
    # One engagement's finding in two reports (quarterly exports that overlap, an export saved twice) is counted once.
    findings = every.unique(subset=["la_code", "engagement_id", "rule_id"], keep="last", maintain_order=True).drop("engagement_id")
    if findings.height < every.height:
        notes = [*notes, f"{every.height - findings.height:,} finding(s) stand in more than one report (the same council, engagement and rule): "
                         "each is counted once, under the last report given; engagements checked count such an engagement once per report"]
    rules = list(dict.fromkeys(rule for r in reports for rule in r.rules))
    names = council_names()
    checked: dict[str, int] = {}
    for r in reports:
        for code, n in r.checked_by_council.items():
            checked[code] = checked.get(code, 0) + n
    rejected = pl.concat([r.rejected for r in reports]).group_by("la_code").len()
    rejected_by = {code: n for code, n in rejected.iter_rows()}
    codes = sorted({*checked, *findings["la_code"].drop_nulls(), *(c for c in rejected_by if c is not None)}, key=lambda c: names.get(c, c).lower())
    council_rows = [names.get(code, code) for code in codes]
    tables = [
        _table("rows_by_council", "Engagements checked and rows rejected, by council", "council", ["engagements checked", "rows rejected"],
               council_rows + ([NOT_READABLE] if None in rejected_by else []),
               [[checked.get(c, 0), rejected_by.get(c, 0)] for c in codes] + ([[0, rejected_by[None]]] if None in rejected_by else []),
               least, row_totals=False, note="A rejected row whose council cell could not be read is counted under 'council not readable'."),
    ]
    for outcome, word in ((BREACH, "Breaches"), (UNKNOWN, "Unknown outcomes")):
        counts = _counts(findings.filter(pl.col("outcome") == outcome), "la_code", "rule_id")
        tables.append(_table(f"{outcome}_by_council_and_rule", f"{word} by council and rule", "council", rules, council_rows,
                             [[counts.get((c, rule), 0) for rule in rules] for c in codes], least))
    for key, column, heading, blank in (("by_agency", "agency", "agency", "agency not recorded"), ("by_role", "role", "role", "role not recorded")):
        counts = _counts(findings, column, "outcome")
        values = sorted({k[0] for k in counts}, key=lambda v: (v is None, str(v).lower()))
        tables.append(_table(key, f"Breaches and unknown outcomes by {heading}", heading, ["breaches", "unknown"],
                             [blank if v is None else ROLE_WORDS.get(str(v), str(v)) if column == "role" else str(v) for v in values],
                             [[counts.get((v, BREACH), 0), counts.get((v, UNKNOWN), 0)] for v in values], least, row_totals=False))
    tables.append(_by_quarter(findings, least))
    return BoardSummary(produced, reports[0].ruleset, sorted({o for r in reports for o in r.overlays}), least, reports, tables, notes)


def _counts(findings: pl.DataFrame, row: str, column: str) -> dict[tuple, int]:
    return {(a, b): n for a, b, n in findings.group_by(row, column).len().iter_rows()}


def _table(key: str, title: str, heading: str, columns: list[str], labels: list[str], counts: list[list[int]], least: int,
           row_totals: bool = True, note: str = "") -> BoardTable:
    if not counts:
        return BoardTable(key, title, heading, columns, [], note)
    grid = suppress(with_totals(counts, row_totals), least, row_totals)
    return BoardTable(key, title, heading, columns + ([TOTAL] if row_totals else []), list(zip([*labels, TOTAL], grid)), note)


def _by_quarter(findings: pl.DataFrame, least: int) -> BoardTable:
    """Breaches and unknowns by the quarter the engagement started, every quarter between the first and last, and the change in breaches."""
    dated = findings.with_columns(quarter(pl.col("start_date")).alias("quarter"))
    counts = _counts(dated, "quarter", "outcome")
    if dated.height:
        first, last = dated["start_date"].min(), dated["start_date"].max()
        span = pl.select(quarter(pl.date_range(first.replace(day=1), last, interval="1mo")).unique(maintain_order=True)).to_series().to_list()
    else:
        span = []
    table = _table("by_quarter", "Breaches and unknown outcomes by quarter of engagement start", "quarter", ["breaches", "unknown"], span,
                   [[counts.get((q, BREACH), 0), counts.get((q, UNKNOWN), 0)] for q in span], least, row_totals=False,
                   note="Change is the difference in breaches from the quarter before; it is hidden where either count is.")
    rows = []
    previous: Shown | None = None
    for label, cells in table.rows:
        if label == TOTAL:
            change: Shown = ""
        elif previous is None:
            change = "-"
        else:
            change = cells[0] - previous if isinstance(cells[0], int) and isinstance(previous, int) else "*"
            change = f"{change:+d}" if isinstance(change, int) else change
        previous = cells[0]
        rows.append((label, [*cells, change]))
    return BoardTable(table.key, table.title, table.row_heading, [*table.columns, "change in breaches"], rows, table.note)
