"""One CSV line per finding, formula-safe so a spreadsheet never runs a cell."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from ..report import RenderOptions, Report

FIELDS = ("engagement_id", "row", "rule_id", "outcome", "severity", "message", "evidence", "source")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """Prefix a quote to any cell a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for finding in report.findings:
        record = finding.as_dict()
        record["evidence"] = json.dumps(record["evidence"], ensure_ascii=False, sort_keys=True)
        writer.writerow([neutralise(record[f]) for f in FIELDS])
