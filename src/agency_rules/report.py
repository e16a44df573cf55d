"""The report: one record of a run (inputs, counts, findings, notices, rejected rows) for every renderer and the API."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl

from .domain import BREACH, ROLE_WORDS, UNKNOWN, WAIVED
from .engine.evaluation import Evaluation
from .engine.notices import Notice
from .inputs.columns import ENGAGEMENT_COLUMNS, HISTORY_COLUMNS, SOURCE_ROW
from .inputs.files import InputFile
from .inputs.reasons import REJECTION_CODES
from .messages import row_words
from .regions import council_names
from .shown import excerpt
from .version import __version__

SCHEMA_VERSION = 1
# The column as a reader finds it in their own export: 'Start (start_date)' where a column map renamed it.
COLUMN_AS_WRITTEN = (
    pl.when((pl.col("header") != "") & (pl.col("header").str.to_lowercase() != pl.col("column")))
    .then(pl.format("{} ({})", pl.col("header"), pl.col("column")))
    .otherwise(pl.col("column"))
    .alias("column")
)
REJECTED_IN_WORDS = (
    pl.col("row"),
    pl.col("engagement_id"),
    COLUMN_AS_WRITTEN,
    pl.col("value"),
    pl.col("message"),
)


def row_in_run(pooled: bool, source_rows: bool = False) -> pl.Expr:
    """A row as a reader finds it: 'medway.csv row 2' where several files were checked as one run, 'kent.csv row 22,
    row 25 of the council's file' where a pseudonymised file says which row of the council's it was, else the number."""
    if not (pooled or source_rows):
        return pl.col("row")
    return row_words(
        pl.col("row"), pl.col(SOURCE_ROW) if source_rows else None, pl.col("file")
    ).alias("row")


WHO = (
    "worker_id",
    "council",
    "agency",
    "role",
)  # who and where, beside each finding in the human formats
WHO_IN_WORDS = (
    *WHO[:3],
    pl.col("role").replace_strict(ROLE_WORDS, default=pl.col("role"), return_dtype=pl.String),
)  # 'IRO or CP chair'
FINDING_FIELDS = (
    "engagement_id",
    "row",
    "rule_id",
    "outcome",
    "severity",
    "message",
    "evidence",
    "source",
    "file",
    "worker_id",
    "la_code",
    "council",
    "agency",
    "role",
    "start_date",
    "end_date",
)


@dataclass
class Report:
    """What a check found. `findings` and `rejected_rows` are polars DataFrames: one row per finding, one per reason a row was rejected."""

    ruleset: str
    overlays: list[str]
    as_of: date | None
    inputs: list[InputFile]
    rows_read: int
    rows_checked: int
    rejected_rows: pl.DataFrame
    evaluation: Evaluation
    rule_titles: dict[str, str] = field(default_factory=dict)
    rejected_history_rows: pl.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)
    pooled: bool = False
    missing_columns: dict[str, list[str]] = field(
        default_factory=dict
    )  # optional column not in any export → the rules that read it
    selection: str = ""  # what --council, --agency and --rule narrowed the report to, in words
    checked_by_council: dict[str, int] = field(
        default_factory=dict
    )  # engagements checked per LA code: a board's denominators
    # file, engagement_id of each engagement the report covers, for `diff`
    checked: pl.DataFrame | None = None
    # events inside --horizon (date, kind, engagement_id, rule_id, message, file), soonest first
    upcoming: pl.DataFrame | None = None
    reference_day: date | None = None  # the day waivers and upcoming events are judged from
    horizon: int | None = None  # days after the reference day the upcoming events cover
    source_rows: bool = False  # an input was written by pseudonymise: its rows name the council's own (`source_row`)

    @property
    def findings(self) -> pl.DataFrame:
        return self.evaluation.findings

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        return self.evaluation.counts

    @property
    def finding_fields(self) -> tuple[str, ...]:
        """A finding's fields in the JSON and CSV: the data contract's, and `source_row` where an input had it."""
        return (*FINDING_FIELDS, SOURCE_ROW) if self.source_rows else FINDING_FIELDS

    @property
    def rows_rejected(self) -> int:
        return self.rejected_rows.select("file", "row").unique().height

    @property
    def notices(self) -> list[Notice]:
        return self.evaluation.notices

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def finding_records(self) -> list[dict[str, Any]]:
        """Findings as the JSON report has them (evidence decoded), for code that wants plain dicts."""
        if self.findings.height > IN_MEMORY:
            raise MemoryError(
                f"{self.findings.height:,} findings are too many to hold as Python dicts (about 3 KB each); use "
                "agency_rules.write_json(report, path), which writes them a slice at a time, or the report.findings frame"
            )
        rows = self.findings.select(self.finding_fields).iter_rows(named=True)
        return [{**row, "evidence": json.loads(row["evidence"])} for row in rows]

    def finding_slices(self) -> Iterator[pl.DataFrame]:
        """The findings a slice of engagements at a time, for renderers that write them all."""
        return self.evaluation.finding_slices()

    def finding_rows_in_words(self, fields: tuple[str, ...]) -> Iterator[list[Any]]:
        """Every finding as a row of `fields` with its evidence in words, for spreadsheets (CSV, workbook); streamed."""
        evidence = fields.index("evidence")
        for findings in self.finding_slices():
            for record in findings.select(fields).iter_rows():
                cells = list(record)
                cells[evidence] = evidence_text(cells[evidence])
                yield cells

    def exit_status(self, fail_on_unknown: bool = False) -> int:
        """0 clean; 1 a breach (or an unknown, if asked); 3 no breach but rejected input rows."""
        if self.total(BREACH) or (fail_on_unknown and self.total(UNKNOWN)):
            return 1
        if self.rejected_rows.height or (
            self.rejected_history_rows is not None and self.rejected_history_rows.height
        ):
            return 3
        return 0

    def as_json(self, findings: bool = True, checked: bool = True) -> dict[str, Any]:
        """The data contract's JSON report, field for field (without the findings list or the checked engagements, for a
        renderer that streams them)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "agency-rules", "version": __version__},
            "ruleset": self.ruleset,
            "overlays": self.overlays,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "inputs": [
                {
                    "path": i.path,
                    "sha256": i.sha256,
                    "rows": i.rows,
                    "kind": i.kind,
                    "encoding": i.encoding,
                    **({"sheet": i.sheet} if i.sheet else {}),
                    **({"dates_with_a_time": i.timed_dates} if i.timed_dates else {}),
                    **({"pseudonym_key": i.pseudonym_key} if i.pseudonym_key else {}),
                }
                for i in self.inputs
            ],
            "summary": {
                "rows_read": self.rows_read,
                "rows_checked": self.rows_checked,
                "rows_rejected": self.rows_rejected,
                "engagements_with_breaches": self.evaluation.engagements_with_breaches,
                "by_rule": self.counts,
                "by_council": {
                    code: {"rows_checked": n} for code, n in sorted(self.checked_by_council.items())
                },
                **(
                    {
                        "selection": {
                            "described": self.selection,
                            "engagements": self.evaluation.rows,
                        }
                    }
                    if self.selection
                    else {}
                ),
            },
            "findings": self.finding_records() if findings else None,
            "notices": self.notices,
            "missing_columns": [
                {"column": c, "rules": rules} for c, rules in self.missing_columns.items()
            ],
            "rejection_summary": [
                {
                    "column": r.column,
                    "code": r.code,
                    "reason": r.reason,
                    "rows": r.rows,
                    "values": [{"value": v, "rows": n} for v, n in r.values],
                }
                for r in rejection_reasons(self.rejected_rows)
            ],
            "rejected_rows": rejected_as_dicts(self.rejected_rows, self.pooled, self.source_rows),
            "rejected_history_rows": rejected_as_dicts(
                self.rejected_history_rows, True, self.source_rows
            )
            if self.rejected_history_rows is not None
            else [],
            "checked_engagements": self.checked_engagements() if checked else None,
            **(
                {"upcoming_window": self.upcoming_window(), "upcoming": self.upcoming_records()}
                if self.upcoming is not None
                else {}
            ),
        }

    def upcoming_window(self) -> dict[str, str]:
        """The days the upcoming events were looked for in, both included."""
        if self.reference_day is None or self.horizon is None:
            return {}
        last = self.reference_day + timedelta(days=self.horizon)
        return {"from": self.reference_day.isoformat(), "to": last.isoformat()}

    def upcoming_heading(self) -> str:
        """'Upcoming, 3 Dec 2026 to 3 Mar 2027 (90 days): 2 event(s)', for every human format."""
        if self.upcoming is None or self.reference_day is None or self.horizon is None:
            return ""
        last = self.reference_day + timedelta(days=self.horizon)
        return (
            f"Upcoming, {self.reference_day:%-d %b %Y} to {last:%-d %b %Y} ({self.horizon} days): "
            f"{self.upcoming.height} event(s)"
        )

    def upcoming_rows(self) -> list[tuple[date, str, str, str, str, str]]:
        """(date, kind in words, engagement, rule, message, file) of each upcoming event, soonest first."""
        if self.upcoming is None:
            return []
        return [
            (d, UPCOMING_WORDS.get(kind, kind), engagement, rule or "", message, file)
            for d, kind, engagement, rule, message, file in self.upcoming.select(
                "date", "kind", "engagement_id", "rule_id", "message", "file"
            ).iter_rows()
        ]

    def upcoming_records(self) -> list[dict[str, Any]]:
        """The upcoming events as the JSON has them, soonest first."""
        if self.upcoming is None:
            return []
        return [
            {**row, "date": row["date"].isoformat()}
            for row in self.upcoming.select(
                "date", "kind", "engagement_id", "rule_id", "message", "file"
            ).iter_rows(named=True)
        ]

    def checked_engagements(self) -> list[dict[str, Any]]:
        """Each export's engagement ids the report covers (passes too), so two reports can be compared engagement by
        engagement: one entry per file, in the run's order."""
        found: list[dict[str, Any]] = json.loads(self.checked_engagements_json())
        return found

    def checked_engagements_json(self) -> str:
        """The same list as JSON text, encoded by polars: a million ids as Python strings cost the report 0.2 s."""
        if self.checked is None or self.checked.is_empty():
            return "[]"
        encoded = (
            self.checked.group_by("file", maintain_order=True)
            .agg(pl.col("engagement_id").alias("engagement_ids"))
            .select(pl.struct("file", "engagement_ids").struct.json_encode())
            .to_series()
        )
        return "[" + ",".join(encoded) + "]"


UPCOMING_WORDS = {
    "waiver_expiring": "waiver expiring",
    "cap_changing": "cap changing",
    "statutory_rules_apply": "statutory rules apply",
    "cooling_off_closing": "cooling-off closing",
}

IN_MEMORY = 250_000  # findings as Python dicts: about 3 KB each, so 750 MB at most; a larger report goes to a file


CLOSED = {
    c.name for c in (*ENGAGEMENT_COLUMNS, *HISTORY_COLUMNS) if c.kind.closed
}  # columns whose words a column map translates


@dataclass(frozen=True)
class RejectionReason:
    """One reason shared by several rejected rows, with the distinct values behind it, most frequent first."""

    column: str  # as the export heads it, with the contract's name
    reason: str
    rows: int
    values: list[tuple[str, int]]
    target: str = ""  # the contract column
    code: str = ""  # the reason's stable code (inputs/reasons.py)

    def sentence(self, rows_read: int) -> str:
        seen = values_seen(self.values, 8)
        what = f"{self.column} {self.reason}" if self.column else self.reason
        closed = self.target in CLOSED and not self.reason.startswith(("required value", "cell is"))
        hint = (
            f"; a column map's [values.{self.target}] can translate a council's own words"
            if closed
            else ""
        )
        return (
            f"{self.rows} of {rows_read} rows rejected: {what}"
            + (f"; values seen: {seen}" if seen else "")
            + hint
        )


def values_seen(values: list[tuple[str, int]], most: int) -> str:
    """ "'IRO' (12), 'Social Worker - CiC' (3) and 4 more values": the first `most` values, each by its first characters,
    with their rows."""
    listed = ", ".join(f"'{excerpt(value)}' ({rows})" for value, rows in values[:most])
    return listed + (f" and {len(values) - most} more values" if len(values) > most else "")


def rejection_reasons(errors: pl.DataFrame, least: int = 2) -> list[RejectionReason]:
    """The reasons that `least` or more rows share, most rows first: what to fix first in an export that fails wholesale."""
    if errors.height == 0:
        return []
    keyed = errors.with_columns(
        pl.col("column").alias("target"),
        COLUMN_AS_WRITTEN,
        pl.col("message")
        .str.strip_prefix(pl.concat_str(pl.lit("'"), pl.col("value"), pl.lit("' ")))
        .alias("reason"),
    )
    groups = (  # by code: one reason however its words vary with the value ('did you mean …')
        keyed.group_by("column", "code", "target")
        .agg(
            pl.struct("file", "row").n_unique().alias("rows"),
            pl.col("value").value_counts(sort=True).alias("values"),
            pl.col("reason").first(),
            pl.col("reason").n_unique().alias("wordings"),
        )
        .filter(pl.col("rows") >= least)
        .sort("rows", "column", descending=[True, False])
    )
    return [
        RejectionReason(
            column,
            reason
            if wordings == 1
            else f"has values that are {REJECTION_CODES.get(code, 'not read')}",
            rows,
            [(v["value"], v["count"]) for v in values if v["value"]],
            target,
            code,
        )
        for column, code, reason, wordings, rows, values, target in groups.select(
            "column", "code", "reason", "wordings", "rows", "values", "target"
        ).iter_rows()
    ]


def where(council: str | None, agency: str | None, role: str | None) -> str:
    """Council, agency and role on three lines of a table cell, a blank agency said as such."""
    return "\n".join((council or "", agency or "agency not recorded", role or ""))


def evidence_text(evidence: str) -> str:
    """A finding's evidence (JSON text) as words a spreadsheet user reads: 'pay_rate: 36.5; cap: …; parameters: months 3 (from 2023-02-02, ruleset …)'."""

    def value(item: Any) -> str:
        if isinstance(item, dict):
            return ", ".join(f"{k} {value(v)}" for k, v in item.items() if v is not None)
        if isinstance(item, list):
            return " or ".join(map(value, item))
        if isinstance(item, bool):
            return "yes" if item else "no"
        return (
            "not recorded"
            if item is None
            else f"{item:g}"
            if isinstance(item, float)
            else str(item)
        )

    data = json.loads(evidence)
    parameters = data.pop("parameters", {}) or {}
    parts = [
        f"{key}: {value(item)}"
        for key, item in data.items()
        if key != "parameters_as_of" and not (key == "data_warning" and item is None)
    ]
    parts += [
        f"{name} {value(p['value'])} (in force from {p['in_force_from']}, set by {p['set_by']})"
        for name, p in parameters.items()
    ]
    return "; ".join(parts)


def rejected_as_dicts(
    errors: pl.DataFrame, with_file: bool = False, with_source_row: bool = False
) -> list[dict[str, Any]]:
    """One record per rejected row with every reason, as the data contract shows them; the council's row if asked."""
    grouped = errors.group_by("file", "row", maintain_order=True).agg(
        pl.col("engagement_id").first(),
        pl.col("la_code").first(),
        pl.col(SOURCE_ROW).first(),
        pl.struct("column", "header", "value", "message", "code").alias("errors"),
    )
    extra = (["file"] if with_file else []) + ([SOURCE_ROW] if with_source_row else [])
    return grouped.select("row", "engagement_id", "la_code", "errors", *extra).to_dicts()


@dataclass(frozen=True)
class RenderOptions:
    """`limit` findings shown per rule and outcome in human formats (0 = all); colour for terminals."""

    limit: int = 20
    color: bool = False
    width: int = 120
    group_by: str | None = None


@dataclass(frozen=True)
class FindingGroup:
    rule_id: str
    title: str
    outcome: str
    shown: pl.DataFrame
    hidden: int
    key: str = ""  # the council or agency, when grouped by one


GROUP_COLUMNS = {"council": "la_code", "agency": "agency"}


def grouped(
    report: Report, limit: int, by: str | None = None, most: int | None = None
) -> Iterator[FindingGroup]:
    """Findings by rule and outcome (breaches first), at most `limit` shown per group (0 = all); with `by`, first by council
    or agency, the first `most` of them (all if None), in the order a reader looks them up. Built as they are drawn:
    50,000 agencies' groups held at once took 4.3 GB."""
    if by is None:
        yield from _groups(
            report,
            report.counts,
            "",
            lambda rule_id, outcome: report.evaluation.findings_of(rule_id, outcome, limit),
        )
        return
    column = GROUP_COLUMNS[by]
    names = council_names() if by == "council" else {}
    counts = report.evaluation.counts_by(column)

    def order(value: str | None) -> tuple[bool, str]:
        return value is None, "" if value is None else names.get(value, value).lower()

    values = sorted(report.evaluation.values_of(column), key=order)[:most]
    wanted = pl.Series(column, [v for v in values if v is not None], dtype=pl.String)
    spans: dict[
        tuple[str, str], tuple[pl.DataFrame, dict]
    ] = {}  # (rule, outcome) -> its findings, by value and where each value's lie
    for rule_id, outcome in {
        (r, o)
        for value in values
        for r, n in counts.get(value, {}).items()
        for o in (BREACH, WAIVED, UNKNOWN)
        if n[o]
    }:
        found = report.evaluation.findings_by(rule_id, outcome, limit, column)
        found = found.filter(
            pl.col(column).is_in(wanted.implode())
            | (pl.col(column).is_null() if None in values else pl.lit(False))
        )
        found = found.sort(column, maintain_order=True, nulls_last=True)
        runs = found.select(pl.col(column).rle()).unnest(column)
        starts = runs["len"].cum_sum() - runs["len"]
        spans[(rule_id, outcome)] = (
            found,
            {
                value: (start, length)
                for value, start, length in zip(runs["value"], starts, runs["len"])
            },
        )
    for value in values:
        label = names.get(value, value) if value is not None else f"{by} not recorded"

        def shown(rule_id: str, outcome: str, value: str | None = value) -> pl.DataFrame:
            found, where_ = spans[(rule_id, outcome)]
            return found.slice(*where_[value])

        yield from _groups(report, counts.get(value, {}), label, shown)


def _groups(
    report: Report,
    counts: dict[str, dict[str, int]],
    key: str,
    shown_of: Callable[[str, str], pl.DataFrame],
) -> list[FindingGroup]:
    result = []
    for outcome in (BREACH, WAIVED, UNKNOWN):
        for rule_id, by_outcome in counts.items():
            if by_outcome[outcome]:
                shown = shown_of(rule_id, outcome).with_columns(
                    row_in_run(report.pooled, report.source_rows)
                )
                result.append(
                    FindingGroup(
                        rule_id,
                        report.rule_titles.get(rule_id, ""),
                        outcome,
                        shown,
                        by_outcome[outcome] - shown.height,
                        key,
                    )
                )
    return result


ENCODING_NAMES = {
    "cp1252": "Windows-1252 (an Excel export)",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
}
READ_AS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with a byte-order mark)",
    "workbook": "a workbook",
    "dataframe": "a DataFrame",
    **ENCODING_NAMES,
}


def read_as(encoding: str) -> str:
    """How an input's text was decoded, in a reader's words ('UTF-8', not the codec's name)."""
    return READ_AS.get(encoding, encoding)


def decoding_notes(report: Report) -> list[str]:
    """How each input was read where it could surprise: not UTF-8, a sheet other than the first, no rows, dates with a time of day."""

    def name(path: str) -> str:
        return "standard input" if path == "-" else path

    notes = [
        f"{name(i.path)} was read as {ENCODING_NAMES[i.encoding]}"
        for i in report.inputs
        if i.encoding in ENCODING_NAMES
    ]
    notes += [
        f"{name(i.path)} was read from its sheet '{excerpt(i.sheet)}'"
        for i in report.inputs
        if i.sheet
    ]
    notes += [
        f"{name(i.path)} holds a header row and no engagements: nothing in it was checked"
        for i in report.inputs
        if i.kind in ("engagements", "history") and i.rows == 0
    ]
    return notes + [
        f"{name(i.path)}: {i.timed_dates} date(s) carried a time of day; each was read as its calendar day"
        for i in report.inputs
        if i.timed_dates
    ]


def rejection_lines(report: Report) -> list[str]:
    """What the human formats lead with: the shared reasons for rejected rows, then the columns the export lacks."""
    lines = [r.sentence(report.rows_read) for r in rejection_reasons(report.rejected_rows)]
    if report.missing_columns:
        listed = "; ".join(
            f"{column} (read by {', '.join(rules)})"
            for column, rules in report.missing_columns.items()
        )
        lines.append(
            f"The export has no column for: {listed}. Those rules check only what is there: where they pass, it is on less evidence."
        )
    return lines


def headline(report: Report) -> str:
    shown = (
        f"; reporting {report.evaluation.rows} engagement(s): {report.selection}"
        if report.selection
        else ""
    )
    return (
        f"{report.rows_read} rows read: {report.rows_checked} checked, {report.rows_rejected} rejected{shown}; "
        f"{report.evaluation.engagements_with_breaches} engagement(s) with breaches; "
        f"{report.total(BREACH)} breach, {report.total(UNKNOWN)} unknown, {report.total(WAIVED)} waived finding(s)"
    )
