"""Shared helpers: run the real loader and engine on small literal cases."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from agency_rules import api
from agency_rules.report import Report

# The full tier (`.ci/run`): every test, hypothesis at full strength. The default `pytest` runs the fast tier: tests
# marked slow (other processes, a browser, large files) are left out and hypothesis tries a few examples each.
FULL = os.environ.get("AGENCY_RULES_FULL_TESTS") == "1"


def examples(full: int) -> int:
    """How many examples a hypothesis test tries: `full` in the full tier, a handful in the fast one."""
    return full if FULL else max(3, full // 15)


CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).parents[1]

COMPLIANT = {
    "engagement_id": "E-1",
    "worker_id": "SW100001",
    "la_code": "E10000016",
    "role": "social_worker",
    "start_date": "2025-11-03",
    "end_date": "2026-04-30",
    "offer_date": "",
    "engagement_type": "individual",
    "qualified_date": "2015-07-01",
    "qualified_overseas": "no",
    "pqe_years": "9",
    "asye_completed": "yes",
    "notice_period_weeks": "6",
    "notice_reciprocal": "yes",
    "la_substantive_notice_weeks": "8",
    "reference_received": "yes",
    "reference_standard_template": "yes",
    "references_count": "2",
    "employment_model": "umbrella",
    "pay_rate": "34.00",
    "agency_fee": "4.00",
    "framework_fee": "0.50",
}


@pytest.fixture(autouse=True)
def fixed_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same terminal width, whatever the shell that runs it; a test about widths sets its own."""
    monkeypatch.setenv("COLUMNS", "200")


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", header: list[str] | None = None, quoting: int = csv.QUOTE_MINIMAL) -> Path:
    columns = header or list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=quoting)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def outcomes(report: Report) -> dict[str, str]:
    """Per rule, the one outcome of a single-engagement report."""
    result = {}
    for rule_id, counts in report.counts.items():
        hits = [o for o, n in counts.items() if n]
        assert len(hits) == 1, (rule_id, dict(counts))
        result[rule_id] = hits[0]
    return result


@pytest.fixture
def check_one(tmp_path: Path):
    """Check one engagement (compliant defaults overridden by `fields`) and return {rule: outcome}, report."""

    def run(fields: dict[str, str], history: list[str] | None = None, **options) -> tuple[dict[str, str], Report]:
        row = {**COMPLIANT, **fields}
        path = write_csv(tmp_path / "engagements.csv", [row])
        history_path = None
        if history is not None:
            history_path = tmp_path / "history.csv"
            history_path.write_text("worker_id,la_code,employment,start_date,end_date,leaving_reason\n" + "\n".join(history) + "\n")
        report = api.run([path], api.Options(history=history_path, **options))
        assert report.rows_read == 1
        assert report.rows_checked == 1, report.rejected_rows["message"].to_list()
        return outcomes(report), report

    return run


def cap_for(table, region: str, role: str, day):
    """The cap the engine's look-up finds for one engagement of this region, role and start date (None if none)."""
    import polars as pl

    from agency_rules.engine.cap_lookup import with_cap_words, with_caps

    frame = pl.LazyFrame({"__i": [0], "region": [region], "role": [role], "start_date": [day], "end_date": [None]}, schema_overrides={"end_date": pl.Date})
    row = with_cap_words(with_caps(frame, table, existing=False), table).collect().row(0, named=True)
    return {k.removeprefix("cap."): v for k, v in row.items() if k.startswith("cap.")} if row["cap.found"] else None
