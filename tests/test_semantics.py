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


CAPS = """
[[cap]]
region = "national"
role = "social_worker"
effective_from = 2025-01-01
pay_rate = 40.00
framework_fee = 1.00
source = "a test table"
"""


@pytest.mark.parametrize(
    "framework, fee, expected",
    [
        ("", "", "not_applicable"),  # engaged directly: no framework, no framework fee
        ("EOE-FW-2024", "", "unknown"),  # a framework whose fee is not recorded
        ("", "1.50", "breach"),  # a fee recorded without a framework is still capped
        ("", "1.00", "pass"),  # equal to the cap
    ],
)
def test_cap003_without_a_framework_or_its_fee_is_not_applicable(tmp_path: Path, framework: str, fee: str, expected: str) -> None:
    caps = tmp_path / "caps.toml"
    caps.write_text(CAPS, encoding="utf-8")
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "framework": framework, "framework_fee": fee}])
    report = api.run([path], api.Options(caps=[caps]))
    counts = report.as_json()["summary"]["by_rule"]["CAP003"]
    assert counts[expected] == 1 and sum(counts.values()) == 1


@pytest.mark.slow
def test_an_export_without_engagement_type_takes_each_as_individual_and_says_so_once(tmp_path: Path) -> None:
    rows = [{k: v for k, v in {**COMPLIANT, "engagement_id": f"E-{i}"}.items() if k != "engagement_type"} for i in range(3)]
    report = api.run([write_csv(tmp_path / "e.csv", rows)], api.Options())
    assert report.as_json()["summary"]["by_rule"]["PROJ001"]["pass"] == 3
    [notice] = [n for n in report.notices if n["kind"] == "assumed_individual"]
    assert notice["rule_id"] == "PROJ001" and notice["count"] == 3 and "has no engagement_type column" in notice["message"]
    with_column = api.run([write_csv(tmp_path / "f.csv", [COMPLIANT])], api.Options())
    assert not [n for n in with_column.notices if n["kind"] == "assumed_individual"]
    only_ref = api.run([write_csv(tmp_path / "g.csv", rows)], api.Options(rules=["REF001"]))
    assert not [n for n in only_ref.notices if n["kind"] == "assumed_individual"]


@pytest.mark.parametrize("ruleset", ["consultation-2023", "statutory-2024"])
def test_pqe_without_pqe_years_says_a_qualification_date_does_not_show_la_experience(tmp_path: Path, ruleset: str) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "pqe_years": "", "qualified_date": "2024-04-01", "start_date": "2029-05-01", "end_date": ""},
            {**COMPLIANT, "engagement_id": "E-2", "pqe_years": "", "qualified_date": ""},
            {**COMPLIANT, "engagement_id": "E-3", "pqe_years": "", "qualified_date": "2025-01-01"}]  # too soon: the date alone proves it
    got, findings = outcomes_by_engagement(tmp_path, rows, "PQE001", ruleset=ruleset)
    by_id = {f["engagement_id"]: f["message"] for f in findings}
    assert got == {"E-1": "unknown", "E-2": "unknown", "E-3": "breach"}
    assert "counts only experience in UK local authority child and family social work, which a qualification date alone does not show" in by_id["E-1"]
    assert "(pqe_years) is not recorded, nor when the worker qualified" in by_id["E-2"]
