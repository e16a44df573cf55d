"""`agency-check explain`: one engagement, every rule of the run, each outcome with why, as plain data.

Why is the finding's own message (what was compared, any exemption, contradiction, waiver or explanation), or for a
rule that did not apply the scope decision (the regime, a date, the role), or for one not evaluated what the
configuration lacks; the evidence is the finding's: the values compared and each parameter in force, with the day it
took effect and the file that set it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl

from .report import Report
from .version import __version__


@dataclass(frozen=True)
class Explained:
    engagement: dict[
        str, Any
    ]  # engagement_id, file, row, worker_id, la_code, council, agency, role, dates
    ruleset: str
    overlays: list[str]
    as_of: str | None
    rules: list[dict[str, Any]]  # rule_id, title, outcome, why, evidence, source

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "kind": "explanation",
            "tool": {"name": "agency-rules", "version": __version__},
            "ruleset": self.ruleset,
            "overlays": self.overlays,
            "as_of": self.as_of,
            **self.engagement,
            "rules": self.rules,
        }


WHO = (
    "engagement_id",
    "file",
    "row",
    "worker_id",
    "la_code",
    "council",
    "agency",
    "role",
    "start_date",
    "end_date",
)


def explained(rows: pl.DataFrame, report: Report) -> Explained:
    """The explanation from the engine's rows for the engagement (one per rule, in the run's order)."""
    first = rows.row(0, named=True)
    return Explained(
        {key: first[key] for key in WHO},
        report.ruleset,
        report.overlays,
        report.as_of.isoformat() if report.as_of else None,
        [
            {
                "rule_id": row["rule_id"],
                "title": report.rule_titles.get(row["rule_id"], ""),
                "outcome": row["outcome"],
                "why": row["message"],
                "evidence": json.loads(row["evidence"]),
                "source": row["source"],
            }
            for row in rows.iter_rows(named=True)
        ],
    )
