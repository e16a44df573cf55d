"""Councils' JSON reports read for a board: checked to be whole runs of one ruleset, each counted once, workers dropped."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..inputs.files import InputError, read_bounded
from ..report import SCHEMA_VERSION

FINDING_COLUMNS = {"file": pl.String, "la_code": pl.String, "agency": pl.String, "role": pl.String, "rule_id": pl.String,
                   "outcome": pl.String, "start_date": pl.String}


@dataclass(frozen=True)
class CouncilReport:
    """One report as a board sees it: what it was, its findings and rejected rows without any worker or engagement id."""

    path: str
    sha256: str
    ruleset: str
    overlays: list[str]
    inputs: list[dict]
    rows_read: int
    rows_checked: int
    rows_rejected: int
    rules: list[str]
    checked_by_council: dict[str, int]
    findings: pl.DataFrame  # FINDING_COLUMNS
    rejected: pl.DataFrame  # la_code, one row per rejected row

    @property
    def checked_files(self) -> frozenset[str]:
        """The hashes of the exports it checked: two reports with the same ones are the same check."""
        return frozenset(i["sha256"] for i in self.inputs if i.get("kind", "engagements") == "engagements")


def read_reports(paths: list[Path]) -> tuple[list[CouncilReport], list[str]]:
    """The reports to count, and a note for each one left out because the same check was given already.

    Reports of another ruleset, another schema version, narrowed by --council, --agency or --rule,
    partly overlapping another, or not a report at all are refused, naming the file and why.
    """
    kept: list[CouncilReport] = []
    notes: list[str] = []
    for path in paths:
        report = _read(path)
        same = next((k for k in kept if k.checked_files == report.checked_files), None)
        if same is not None:
            notes.append(f"{report.path} checked the same export(s) as {same.path} (the same SHA-256), so it is counted once")
            continue
        overlap = next((k for k in kept if k.checked_files & report.checked_files), None)
        if overlap is not None:
            raise InputError(f"{report.path}: checked some but not all of the exports {overlap.path} checked; "
                             "its engagements would be counted twice. Summarise reports of separate exports")
        if kept and report.ruleset != kept[0].ruleset:
            raise InputError(f"{report.path}: checked under ruleset {report.ruleset}, but {kept[0].path} under {kept[0].ruleset}; "
                             "a summary counts one ruleset's outcomes")
        kept.append(report)
    return kept, notes


def _read(path: Path) -> CouncilReport:
    data = read_bounded(path)
    try:
        report = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a JSON report of agency-check ({error})") from None
    if not isinstance(report, dict) or report.get("tool", {}).get("name") != "agency-rules":
        raise InputError(f"{path}: not a JSON report of agency-check (agency-check FILE --format json writes one)")
    if report.get("schema_version") != SCHEMA_VERSION:
        raise InputError(f"{path}: report schema version {report.get('schema_version')!r}; this summary reads version {SCHEMA_VERSION}")
    summary = report.get("summary") or {}
    if "selection" in summary:
        raise InputError(f"{path}: the report was narrowed ({summary['selection'].get('described')}); a summary needs whole runs")
    try:
        findings = pl.DataFrame([{k: f.get(k) for k in FINDING_COLUMNS} for f in report["findings"]], schema=FINDING_COLUMNS)
        rejected = pl.DataFrame({"la_code": [r.get("la_code") for r in report["rejected_rows"]]}, schema={"la_code": pl.String})
        return CouncilReport(
            str(path), hashlib.sha256(data).hexdigest(), str(report["ruleset"]), list(report["overlays"]), list(report["inputs"]),
            int(summary["rows_read"]), int(summary["rows_checked"]), int(summary["rows_rejected"]), list(summary["by_rule"]),
            {str(code): int(n["rows_checked"]) for code, n in summary.get("by_council", {}).items()}, findings, rejected,
        )
    except (KeyError, TypeError, ValueError, AttributeError, pl.exceptions.PolarsError) as error:
        raise InputError(f"{path}: the report is incomplete or damaged ({type(error).__name__}: {error})") from None
