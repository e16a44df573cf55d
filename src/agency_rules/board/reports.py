"""Councils' JSON reports read for a board: checked to be whole runs of one ruleset, each counted once, workers dropped."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..inputs.files import InputError, read_bounded
from ..report import SCHEMA_VERSION
from ..terms import REPORTED

FINDING_COLUMNS = {"engagement_id": pl.String, "la_code": pl.String, "agency": pl.String, "role": pl.String, "rule_id": pl.String,
                   "outcome": pl.String, "start_date": pl.Date}  # the engagement id only to count a finding in two reports once; never shown
MOST = 10**9  # more rows than any council has: a larger count is damage, not data


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
    findings: pl.DataFrame  # FINDING_COLUMNS, and `report` (its path)
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
        if kept and report.ruleset != kept[0].ruleset:
            raise InputError(f"{report.path}: checked under ruleset {report.ruleset}, but {kept[0].path} under {kept[0].ruleset}; "
                             "a summary counts one ruleset's outcomes")
        same = next((k for k in kept if k.checked_files == report.checked_files), None)
        if same is not None:
            notes.append(f"{report.path} checked the same export(s) as {same.path} (the same SHA-256), so it is counted once")
            continue
        overlap = next((k for k in kept if k.checked_files & report.checked_files), None)
        if overlap is not None:
            raise InputError(f"{report.path}: checked some but not all of the exports {overlap.path} checked; "
                             "its engagements would be counted twice. Summarise reports of separate exports")
        kept.append(report)
    if len({tuple(r.overlays) for r in kept}) > 1:
        notes.append("The reports were checked under different overlays: " + "; ".join(f"{r.path}: {', '.join(r.overlays) or 'none'}" for r in kept))
    return kept, notes


def _read(path: Path) -> CouncilReport:
    data = read_bounded(path)
    try:
        report = json.loads(data)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a JSON report of agency-check (it is not UTF-8 text)") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not a JSON report of agency-check (not valid JSON at line {error.lineno}: {error.msg}; was it cut short?)") from None
    if isinstance(report, dict) and report.get("kind") == "board_summary":
        raise InputError(f"{path}: this is a board summary; a summary combines councils' reports (agency-check FILE --format json)")
    if not isinstance(report, dict) or not isinstance(report.get("tool"), dict) or report["tool"].get("name") != "agency-rules":
        raise InputError(f"{path}: not a JSON report of agency-check (agency-check FILE --format json writes one)")
    if report.get("schema_version") != SCHEMA_VERSION:
        raise InputError(f"{path}: report schema version {report.get('schema_version')!r}; this summary reads version {SCHEMA_VERSION}")
    summary = report.get("summary") or {}
    if "selection" in summary:
        raise InputError(f"{path}: the report was narrowed ({summary['selection'].get('described')}); a summary needs whole runs")
    if "by_council" not in summary:
        raise InputError(f"{path}: the report does not say how many engagements each council had (summary.by_council); "
                         "it was made by an older agency-check: check the export again")
    try:
        rules = list(summary["by_rule"])
        findings = pl.DataFrame([{k: f.get(k) for k in FINDING_COLUMNS} for f in report["findings"]],
                                schema={**FINDING_COLUMNS, "start_date": pl.String}, orient="row")
        findings = findings.with_columns(pl.col("start_date").str.to_date("%Y-%m-%d"), pl.lit(str(path)).alias("report"))
        rejected = pl.DataFrame({"la_code": [r.get("la_code") for r in report["rejected_rows"]]}, schema={"la_code": pl.String})
        counts = [_count(summary[name], name) for name in ("rows_read", "rows_checked", "rows_rejected")]
        by_council = {str(code): _count(n["rows_checked"], f"by_council.{code}") for code, n in summary["by_council"].items()}
    except (KeyError, TypeError, ValueError, AttributeError, pl.exceptions.PolarsError) as error:
        raise InputError(f"{path}: the report is incomplete or damaged ({_said(error)})") from None
    strange = findings.filter(~pl.col("outcome").is_in(REPORTED) | ~pl.col("rule_id").is_in(rules) | pl.col("la_code").is_null())
    if strange.height:
        raise InputError(f"{path}: the report is damaged: a finding has outcome {strange['outcome'][0]!r}, rule {strange['rule_id'][0]!r} "
                         f"and council {strange['la_code'][0]!r}, which a report of ruleset {report.get('ruleset')} cannot hold")
    if not any(i.get("kind", "engagements") == "engagements" for i in report["inputs"]):
        raise InputError(f"{path}: the report is damaged: it names no export it checked")
    return CouncilReport(str(path), hashlib.sha256(data).hexdigest(), str(report["ruleset"]), list(report["overlays"]), list(report["inputs"]),
                         *counts, rules, by_council, findings, rejected)


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST:
        shown = repr(value) if len(repr(value)) <= 20 else repr(value)[:17] + "..."
        raise ValueError(f"{name} is {shown}, not a count of rows")
    return value


def _said(error: Exception) -> str:
    """A reason in words: which key is missing, or what was wrong with a value."""
    if isinstance(error, KeyError):
        return f"it has no {error.args[0]!r}"
    return str(error).splitlines()[0][:200]
