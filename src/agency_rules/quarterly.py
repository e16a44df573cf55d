"""The DfE quarterly agency data return, drafted from a check: one return per council, as plain data.

The check runs as usual with two differences: its report covers the assignments active in the quarter (start on or
before its last day, end blank or on or after its first day), and waivers are judged on the quarter's last day. Every
engagement of the export is still evaluated, so a past role on a row outside the quarter still counts for cooling-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl

from .domain import BREACH, NOT_APPLICABLE, OUTCOMES, WAIVED
from .regions import council_names
from .report import Report
from .version import __version__

E = pl.col


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: 2025-Q3 is 1 July to 30 September 2025."""

    year: int
    number: int

    @property
    def first(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> date:
        return self.months()[-1][2]

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    def months(self) -> list[tuple[str, date, date]]:
        """(YYYY-MM, first day, last day) of each month of the quarter."""
        months = []
        for month in range(3 * self.number - 2, 3 * self.number + 1):
            first = date(self.year, month, 1)
            following = date(self.year + month // 12, month % 12 + 1, 1)
            months.append((f"{self.year}-{month:02d}", first, following - timedelta(days=1)))
        return months

    def active(self) -> pl.Expr:
        """Assignments running on at least one day of the quarter."""
        return (E("start_date") <= self.last) & (
            E("end_date").is_null() | (E("end_date") >= self.first)
        )


def parse_quarter(text: str) -> Quarter:
    """`2025-Q3` (also `2025Q3`, `2025-q3`); years 2000 to 2099."""
    found = re.fullmatch(r"\s*(20[0-9]{2})\s*-?\s*[Qq]([1-4])\s*", text)
    if not found:
        raise ValueError(f"{text!r} is not a quarter; write it as YYYY-Qn, e.g. 2025-Q3")
    return Quarter(int(found[1]), int(found[2]))


ASSIGNMENT_FIELDS = (
    "engagement_id",
    "worker_id",
    "role",
    "pay_rate",
    "start_date",
    "end_date",
    "employment_model",
    "project_team",
    "agency",
    "hours_per_week",
    "file",
)


@dataclass(frozen=True)
class CouncilReturn:
    la_code: str
    council: str
    assignments: list[dict[str, Any]]
    compliance: list[dict[str, Any]]
    explanations: list[dict[str, Any]]
    cap_breaches: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    monthly_cost: list[dict[str, Any]]
    not_evaluated: list[dict[str, Any]]


@dataclass(frozen=True)
class QuarterlyReturn:
    quarter: Quarter
    ruleset: str
    overlays: list[str]
    inputs: list[dict[str, Any]]
    returns: list[CouncilReturn]
    summary: dict[str, Any]
    notices: list[dict[str, Any]]
    rejected_rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "kind": "quarterly_return",
            "tool": {"name": "agency-rules", "version": __version__},
            "quarter": self.quarter.label,
            "period": {"from": self.quarter.first.isoformat(), "to": self.quarter.last.isoformat()},
            "ruleset": self.ruleset,
            "overlays": self.overlays,
            "inputs": self.inputs,
            "summary": self.summary,
            "returns": [
                {
                    "la_code": r.la_code,
                    "council": r.council,
                    "assignments": r.assignments,
                    "compliance": r.compliance,
                    "explanations": r.explanations,
                    "cap_breaches": r.cap_breaches,
                    "agencies": r.agencies,
                    "monthly_cost": r.monthly_cost,
                    "not_evaluated": r.not_evaluated,
                }
                for r in self.returns
            ],
            "notices": self.notices,
            "rejected_rows": self.rejected_rows,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _assignments(active: pl.DataFrame, team_recorded: bool) -> list[dict[str, Any]]:
    frame = active.select(
        "engagement_id",
        "worker_id",
        "role",
        "pay_rate",
        "start_date",
        "end_date",
        "employment_model",
        (E("engagement_type") == "project_team").alias("project_team")
        if team_recorded
        else pl.lit(None, pl.Boolean).alias("project_team"),
        "agency",
        "hours_per_week",
        "file",
    )
    return [
        {**row, "start_date": _iso(row["start_date"]), "end_date": _iso(row["end_date"])}
        for row in frame.iter_rows(named=True)
    ]


def monthly_cost(active: pl.DataFrame, quarter: Quarter) -> list[dict[str, Any]]:
    """Each month: (pay + agency fee + framework fee, a blank fee as 0) x hours a week / 5 x the weekdays the assignment
    runs that month, summed over assignments with hours and pay; the others counted, not costed."""
    rate = E("pay_rate") + E("agency_fee").fill_null(0) + E("framework_fee").fill_null(0)
    months = []
    for label, first, last in quarter.months():
        start = pl.max_horizontal(E("start_date"), pl.lit(first))
        end = pl.min_horizontal(E("end_date").fill_null(pl.lit(last)), pl.lit(last))
        runs = start <= end
        weekdays = pl.business_day_count(start, end.dt.offset_by("1d"))
        costed = runs & E("hours_per_week").is_not_null() & E("pay_rate").is_not_null()
        totals = active.select(
            pl.when(costed).then(rate * E("hours_per_week") / 5 * weekdays).sum().alias("cost"),
            costed.sum().alias("costed"),
            (runs & E("hours_per_week").is_null()).sum().alias("without_hours"),
            (runs & E("hours_per_week").is_not_null() & E("pay_rate").is_null())
            .sum()
            .alias("without_pay"),
        ).row(0, named=True)
        months.append(
            {
                "month": label,
                "cost": round(float(totals["cost"] or 0.0), 2),
                "engagements_costed": int(totals["costed"]),
                "engagements_without_hours": int(totals["without_hours"]),
                "engagements_without_pay_rate": int(totals["without_pay"]),
            }
        )
    return months


def _compliance(outcomes: pl.DataFrame, titles: dict[str, str]) -> list[dict[str, Any]]:
    rules = [c.removesuffix(".outcome") for c in outcomes.columns if c.endswith(".outcome")]
    counts = outcomes.select(
        (E(f"{rule}.outcome") == o).sum().alias(f"{rule}|{o}") for rule in rules for o in OUTCOMES
    ).row(0, named=True)
    rows = []
    for rule in rules:
        by = {o: int(counts[f"{rule}|{o}"]) for o in OUTCOMES}
        rows.append(
            {
                "rule_id": rule,
                "title": titles.get(rule, ""),
                "in_scope": outcomes.height - by[NOT_APPLICABLE],
                **{o: by[o] for o in OUTCOMES if o != NOT_APPLICABLE},
            }
        )
    return rows


def _from_findings(
    findings: list[dict[str, Any]], pay: dict[tuple[str, str], float | None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The explanations (waivers' reasons and explanations) and the cap breaches with their sign-off."""
    explanations: list[dict[str, Any]] = []
    caps: list[dict[str, Any]] = []
    for f in findings:
        evidence = f["evidence"]
        waiver = evidence.get("waiver") if f["outcome"] == WAIVED else None
        if waiver:
            explanations.append(
                {
                    "rule_id": f["rule_id"],
                    "engagement_id": f["engagement_id"],
                    "text": waiver["reason"],
                    "source": "waiver",
                }
            )
        refused = evidence.get("waiver_not_valid")
        if refused:
            explanations.append(
                {
                    "rule_id": f["rule_id"],
                    "engagement_id": f["engagement_id"],
                    "text": f"{refused['reason']} (the waiver does not count: {refused['why']})",
                    "source": "waiver",
                }
            )
        explanations += [
            {
                "rule_id": f["rule_id"],
                "engagement_id": f["engagement_id"],
                "text": text,
                "source": "explanation",
            }
            for text in evidence.get("explanations", [])
        ]
        if "cap_field" in evidence and f["outcome"] in (BREACH, WAIVED):
            on_file = waiver or evidence.get("waiver_not_valid") or {}
            caps.append(
                {
                    "engagement_id": f["engagement_id"],
                    "worker_id": f["worker_id"],
                    "rule_id": f["rule_id"],
                    "pay_rate": pay.get((f["file"], f["engagement_id"])),
                    "compared": evidence["cap_field"],
                    "value": evidence.get(str(evidence["cap_field"]).removesuffix("_paye")),
                    "cap": evidence.get("cap"),
                    "signed_off": bool(waiver),
                    "approvers": on_file.get("approved_by", {}),
                    "approved_on": on_file.get("approved_on"),
                    "expires_on": on_file.get("expires_on"),
                    "why_not_signed_off": None if waiver else on_file.get("why"),
                }
            )
    return explanations, caps


def _agencies(outcomes: pl.DataFrame) -> list[dict[str, Any]]:
    rules = [c for c in outcomes.columns if c.endswith(".outcome")]
    grouped = (
        outcomes.group_by("agency")
        .agg(
            pl.len().alias("engagements"),
            *((E(c) == BREACH).sum().alias(c.removesuffix(".outcome")) for c in rules),
            *((E(c) == WAIVED).sum().alias("waived " + c.removesuffix(".outcome")) for c in rules),
        )
        .sort("agency", nulls_last=True)
    )
    return [
        {
            "agency": row["agency"],
            "engagements": row["engagements"],
            "breaches": {
                c.removesuffix(".outcome"): row[c.removesuffix(".outcome")]
                for c in rules
                if row[c.removesuffix(".outcome")]
            },
            "waived": {
                c.removesuffix(".outcome"): row["waived " + c.removesuffix(".outcome")]
                for c in rules
                if row["waived " + c.removesuffix(".outcome")]
            },
        }
        for row in grouped.iter_rows(named=True)
    ]


def draft_returns(
    report: Report,
    active: pl.DataFrame,
    quarter: Quarter,
    team_recorded: bool,
    councils: list[str],
) -> QuarterlyReturn:
    """The return of each of `councils` (a council with no assignment in the quarter makes a nil return), from the
    check's report over the assignments active in the quarter (`active`, the typed engagements)."""
    document = report.as_json()
    findings = document["findings"]
    outcomes = report.evaluation.outcomes
    names = council_names()
    not_evaluated = {
        n["rule_id"]: n["message"] for n in report.notices if n["kind"] == "not_evaluated"
    }
    returns = []
    for code in councils:
        mine = active.filter(E("la_code") == code)
        own = outcomes.filter(E("la_code") == code)
        pay = {
            (r[0], r[1]): r[2] for r in mine.select("file", "engagement_id", "pay_rate").iter_rows()
        }
        explanations, caps = _from_findings([f for f in findings if f["la_code"] == code], pay)
        compliance = _compliance(own, report.rule_titles)
        returns.append(
            CouncilReturn(
                code,
                names.get(code, code),
                _assignments(mine, team_recorded),
                compliance,
                explanations,
                caps,
                _agencies(own),
                monthly_cost(mine, quarter),
                [
                    {
                        "rule_id": c["rule_id"],
                        "count": c["not_evaluated"],
                        "why": not_evaluated.get(c["rule_id"], ""),
                    }
                    for c in compliance
                    if c["not_evaluated"]
                ],
            )
        )
    summary = document["summary"]
    return QuarterlyReturn(
        quarter,
        report.ruleset,
        report.overlays,
        document["inputs"],
        returns,
        {
            "rows_read": summary["rows_read"],
            "rows_checked": summary["rows_checked"],
            "rows_rejected": summary["rows_rejected"],
            "assignments_in_quarter": active.height,
            "waivers_judged_on": quarter.last.isoformat(),
        },
        [dict(n) for n in report.notices],
        document["rejected_rows"],
    )
