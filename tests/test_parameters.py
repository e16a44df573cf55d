"""Dated parameters: the value in force on the engagement's start date applies, `to` is inclusive, --as-of overrides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agency_rules.engine.rulebook import rules_dir

DATED_OVERLAY = """
[overlay]
id = "dated"
title = "A dated test overlay"
region = "South East"
source = "test"

[[change]]
rule = "COOL001"
param = "months"
values = [{ from = 2025-01-01, to = 2025-06-30, value = 6 }, { from = 2025-07-01, value = 9 }]
"""


def left_before(start: str, months_ago_end: str) -> dict[str, str]:
    return {"start_date": start, "end_date": "", "previous_substantive_la": "E06000035", "previous_substantive_end": months_ago_end, "previous_leaving_reason": "resignation"}


@pytest.fixture
def overlay(tmp_path: Path) -> str:
    path = tmp_path / "dated.toml"
    path.write_text(DATED_OVERLAY)
    return str(path)


@pytest.mark.parametrize(
    "start, left, expected, months",
    [
        ("2024-12-31", "2024-07-31", "pass", 3),
        ("2025-06-30", "2024-12-31", "pass", 6),  # last day of the 6-month value: 31 Dec + 6 = 30 Jun, allowed
        ("2025-06-30", "2025-01-01", "breach", 6),
        ("2025-07-01", "2025-01-01", "breach", 9),  # first day of the 9-month value
        ("2025-10-01", "2025-01-01", "pass", 9),
    ],
)
def test_the_value_in_force_on_the_start_date_applies(check_one, overlay: str, start: str, left: str, expected: str, months: int) -> None:
    got, report = check_one(left_before(start, left), overlays=[overlay])
    assert got["COOL001"] == expected
    if expected == "breach":
        [finding] = [f for f in report.finding_records() if f["rule_id"] == "COOL001"]
        assert finding["evidence"]["parameters"]["months"]["value"] == months


def test_dec_2024_start_uses_the_base_3_months(check_one, overlay: str) -> None:
    got, _ = check_one(left_before("2024-11-29", "2024-08-31"), overlays=[overlay])
    assert got["COOL001"] == "breach"


@pytest.mark.slow
def test_as_of_applies_the_values_in_force_that_day(check_one, overlay: str) -> None:
    fields = left_before("2025-03-01", "2024-07-31")
    assert check_one(fields, overlays=[overlay])[0]["COOL001"] == "pass"
    got, report = check_one(fields, overlays=[overlay], as_of=date(2025, 8, 1))
    assert got["COOL001"] == "breach"
    assert report.as_json()["as_of"] == "2025-08-01"


@pytest.mark.slow
def test_a_parameter_with_no_value_in_force_is_not_evaluated(check_one, tmp_path: Path) -> None:
    shipped = (rules_dir() / "rulesets" / "consultation-2023.toml").read_text()
    ended = shipped.replace("params.months = [{ from = 2023-02-02, value = 3 }]", "params.months = [{ from = 2023-02-02, to = 2025-06-30, value = 3 }]")
    ended = ended.replace('id = "consultation-2023"', 'id = "consultation-2023-ended"')
    assert ended != shipped
    path = tmp_path / "ended.toml"
    path.write_text(ended)
    assert check_one(left_before("2025-06-30", "2025-06-01"), ruleset=str(path))[0]["COOL001"] == "breach"
    got, report = check_one(left_before("2025-07-01", "2025-06-01"), ruleset=str(path))
    assert got["COOL001"] == "not_evaluated"
    assert "no value of the months of cooling-off is in force on 1 Jul 2025" in report.notices[0]["message"]


def test_engagements_before_a_rulesets_start_use_its_first_values(check_one) -> None:
    got, report = check_one({**left_before("2022-06-01", "2022-04-30"), "end_date": "2022-12-31"})
    assert got["COOL001"] == "breach"
    [finding] = report.finding_records()
    assert finding["evidence"]["parameters_as_of"] == "2023-02-02"
