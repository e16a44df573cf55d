"""The report: one record of a run (inputs, counts, findings, notices, rejected rows) for every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import __version__
from .evaluation import Evaluation
from .loading import InputFile, RejectedRow
from .outcomes import BREACH, OUTCOMES, UNKNOWN, Finding

SCHEMA_VERSION = 1


@dataclass
class Report:
    ruleset: str
    overlays: list[str]
    as_of: date | None
    inputs: list[InputFile]
    rows_read: int
    rows_checked: int
    rejected_rows: list[RejectedRow]
    evaluation: Evaluation
    rule_titles: dict[str, str] = field(default_factory=dict)
    rejected_history_rows: list[RejectedRow] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def findings(self) -> list[Finding]:
        return self.evaluation.findings

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.evaluation.counts.values())

    def notices(self) -> list[dict[str, Any]]:
        """One entry per rule not evaluated for some engagements, and per rule with data warnings, each with every reason and its count."""
        notices = []
        for kind, per_rule in (("not_evaluated", self.evaluation.not_evaluated), ("data_warning", self.evaluation.data_warnings)):
            for rule_id, reasons in per_rule.items():
                if not reasons:
                    continue
                ranked = reasons.most_common()
                message = ranked[0][0] + (f" (and {len(ranked) - 1} other reason(s))" if len(ranked) > 1 else "")
                notices.append(
                    {
                        "rule_id": rule_id,
                        "count": sum(reasons.values()),
                        "message": message,
                        "kind": kind,
                        "reasons": [{"message": m, "count": n} for m, n in ranked],
                    }
                )
        return notices

    def exit_status(self, fail_on_unknown: bool = False) -> int:
        """0 clean; 1 a breach (or an unknown, if asked); 3 no breach but rejected input rows."""
        if self.total(BREACH) or (fail_on_unknown and self.total(UNKNOWN)):
            return 1
        if self.rejected_rows or self.rejected_history_rows:
            return 3
        return 0

    def as_json(self, findings: bool = True) -> dict[str, Any]:
        """The data contract's JSON report, field for field (without the findings list, for a renderer that streams them)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "agency-rules", "version": __version__},
            "ruleset": self.ruleset,
            "overlays": self.overlays,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "inputs": [{"path": i.path, "sha256": i.sha256, "rows": i.rows} for i in self.inputs],
            "summary": {
                "rows_read": self.rows_read,
                "rows_checked": self.rows_checked,
                "rows_rejected": self.rows_rejected,
                "engagements_with_breaches": self.evaluation.engagements_with_breaches,
                "by_rule": {rule_id: {o: counts[o] for o in OUTCOMES} for rule_id, counts in self.evaluation.counts.items()},
            },
            "findings": [f.as_dict() for f in self.findings] if findings else None,
            "notices": self.notices(),
            "rejected_rows": [rejected_as_dict(r) for r in self.rejected_rows],
            "rejected_history_rows": [rejected_as_dict(r) for r in self.rejected_history_rows],
        }


def rejected_as_dict(rejected: RejectedRow) -> dict[str, Any]:
    record: dict[str, Any] = {
        "row": rejected.row,
        "engagement_id": rejected.engagement_id,
        "errors": [{"column": e.column, "value": e.value, "message": e.message} for e in rejected.errors],
    }
    if rejected.file:
        record["file"] = rejected.file
    return record


@dataclass(frozen=True)
class RenderOptions:
    """`limit` findings shown per rule and outcome in human formats (0 = all); colour for terminals."""

    limit: int = 20
    color: bool = False
    width: int = 120


@dataclass(frozen=True)
class FindingGroup:
    rule_id: str
    title: str
    outcome: str
    shown: list[Finding]
    hidden: int


def grouped(report: Report, limit: int) -> list[FindingGroup]:
    """Findings by rule and outcome (breaches first), at most `limit` shown per group (0 = all)."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.rule_id, finding.outcome), []).append(finding)
    order = {BREACH: 0, "waived": 1, UNKNOWN: 2}
    rule_order = {rule_id: i for i, rule_id in enumerate(report.evaluation.counts)}
    result = []
    for (rule_id, outcome), findings in sorted(groups.items(), key=lambda kv: (order[kv[0][1]], rule_order.get(kv[0][0], 0))):
        shown = findings if limit <= 0 else findings[:limit]
        result.append(FindingGroup(rule_id, report.rule_titles.get(rule_id, ""), outcome, shown, len(findings) - len(shown)))
    return result


def headline(report: Report) -> str:
    return (
        f"{report.rows_read} rows read: {report.rows_checked} checked, {report.rows_rejected} rejected; "
        f"{report.evaluation.engagements_with_breaches} engagement(s) with breaches; "
        f"{report.total(BREACH)} breach, {report.total(UNKNOWN)} unknown, {report.total('waived')} waived finding(s)"
    )
