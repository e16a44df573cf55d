"""The corrections of docs/semantics.md: records that disagree never pass; a past role on any of a worker's rows counts for all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from agency_rules import api

from .conftest import COMPLIANT, write_csv

LEFT_MEDWAY = {"previous_substantive_la": "E06000035", "previous_substantive_end": "2025-05-31", "previous_leaving_reason": "resignation"}


def outcomes_by_engagement(tmp_path: Path, rows: list[dict[str, str]], rule: str, **options) -> tuple[dict[str, str], list[dict]]:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, **row} for row in rows])
    report = api.run([path], api.Options(**options))
    assert report.rows_checked == len(rows)
    findings = [f for f in report.finding_records() if f["rule_id"] == rule]
    got = {row["engagement_id"]: "pass" for row in rows}
    got.update({f["engagement_id"]: f["outcome"] for f in findings})
    return got, findings


@pytest.mark.parametrize(
    "start, expected",
    [
        ("2025-08-30", "breach"),  # 31 May + 3 months = 31 Aug: the day before breaches
        ("2025-08-31", "pass"),  # the first allowed day
        ("2025-05-31", "pass"),  # started on the day the role ended: not a previous role
    ],
)
def test_a_role_recorded_on_one_row_counts_for_the_workers_other_rows(tmp_path: Path, start: str, expected: str) -> None:
    rows = [
        {"engagement_id": "A", "start_date": "2025-09-15", "end_date": "", **LEFT_MEDWAY},
        {"engagement_id": "B", "start_date": start, "end_date": ""},
    ]
    got, findings = outcomes_by_engagement(tmp_path, rows, "COOL001")
    assert got == {"A": "pass", "B": expected}
    if expected == "breach":
        [finding] = findings
        assert finding["evidence"]["previous_role"]["recorded_in"] == "the previous-role columns of engagement A"
        assert "left Medway (South East) on 31 May 2025" in finding["message"]


def test_the_role_on_the_engagements_own_row_is_named_as_such(tmp_path: Path) -> None:
    got, [finding] = outcomes_by_engagement(tmp_path, [{"engagement_id": "A", "start_date": "2025-07-01", **LEFT_MEDWAY}], "COOL001")
    assert got == {"A": "breach"}
    assert finding["evidence"]["previous_role"]["recorded_in"] == "this engagement's previous-role columns"


def test_another_workers_role_does_not_count(tmp_path: Path) -> None:
    rows = [
        {"engagement_id": "A", "worker_id": "SW100001", "start_date": "2025-09-15", **LEFT_MEDWAY},
        {"engagement_id": "B", "worker_id": "SW100002", "start_date": "2025-07-01"},
    ]
    assert outcomes_by_engagement(tmp_path, rows, "COOL001")[0] == {"A": "pass", "B": "pass"}


def test_a_pooled_role_in_another_region_does_not_count(tmp_path: Path) -> None:
    rows = [
        {"engagement_id": "A", "start_date": "2025-09-15", **LEFT_MEDWAY},
        {"engagement_id": "B", "la_code": "E09000007", "start_date": "2025-07-01"},
    ]
    assert outcomes_by_engagement(tmp_path, rows, "COOL001")[0] == {"A": "pass", "B": "pass"}


def test_a_pooled_role_without_its_end_is_unknown_for_the_workers_rows_in_its_region(tmp_path: Path) -> None:
    rows = [
        {"engagement_id": "A", "start_date": "2025-09-15", "previous_substantive_la": "E06000035"},
        {"engagement_id": "B", "start_date": "2025-07-01"},
        {"engagement_id": "C", "la_code": "E09000007", "start_date": "2025-07-01"},
    ]
    assert outcomes_by_engagement(tmp_path, rows, "COOL001")[0] == {"A": "unknown", "B": "unknown", "C": "pass"}


def test_pooled_roles_use_each_engagements_own_overlay(tmp_path: Path) -> None:
    """A South East engagement gets the overlay's 6 months even when the role was recorded on another row."""
    rows = [
        {"engagement_id": "A", "start_date": "2026-01-05", **LEFT_MEDWAY},
        {"engagement_id": "B", "start_date": "2025-11-29"},
        {"engagement_id": "C", "start_date": "2025-11-30"},
    ]
    got, _ = outcomes_by_engagement(tmp_path, rows, "COOL001", overlays=["south-east"])
    assert got == {"A": "pass", "B": "breach", "C": "pass"}


@pytest.mark.parametrize("received, count", [("no", "1"), ("yes", "0"), ("n", "3")])
def test_disagreeing_reference_records_name_both_values(tmp_path: Path, received: str, count: str) -> None:
    got, [finding] = outcomes_by_engagement(tmp_path, [{"engagement_id": "A", "reference_received": received, "references_count": count}], "REF001")
    assert got == {"A": "unknown"}
    word = "received" if received == "yes" else "not received"
    assert f"a reference is recorded as {word} but the count of references received is {count}" in finding["message"]
