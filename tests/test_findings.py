"""What a finding and a notice say: evidence an HR officer can act on, data warnings that are not lost."""

from __future__ import annotations


def test_recorded_pqe_above_the_time_since_qualifying_is_a_data_warning_on_a_pass(check_one) -> None:
    got, report = check_one({"qualified_date": "2020-01-01", "pqe_years": "9"}, ruleset="statutory-2024")
    assert got["PQE001"] == "pass"
    [notice] = [n for n in report.notices if n["kind"] == "data_warning"]
    assert notice["rule_id"] == "PQE001" and notice["count"] == 1


def test_a_pass_within_the_bound_gives_no_warning(check_one) -> None:
    _, report = check_one({"qualified_date": "2015-01-01", "pqe_years": "9"}, ruleset="statutory-2024")
    assert [n for n in report.notices if n["kind"] == "data_warning"] == []


def test_the_upper_bound_breach_carries_the_data_warning_in_its_evidence(check_one) -> None:
    got, report = check_one({"qualified_date": "2024-04-01", "pqe_years": "6"})
    assert got["PQE001"] == "breach"
    [finding] = [f for f in report.finding_records() if f["rule_id"] == "PQE001"]
    assert "more than the 1.6 years since qualifying" in finding["evidence"]["data_warning"]
    assert finding["evidence"]["min_pqe_reached_on"] == "2029-04-01"
    assert finding["evidence"]["parameters"]["min_years"] == {"value": 5, "in_force_from": "2023-02-02", "to": None, "set_by": "ruleset consultation-2023"}


def test_cap_breach_evidence_names_the_cap_and_its_source(check_one) -> None:
    from .conftest import CASES

    _, report = check_one({"pay_rate": "35.01"}, caps=[CASES / "caps.toml"])
    [finding] = [f for f in report.finding_records() if f["rule_id"] == "CAP001"]
    assert finding["message"] == "Pay of £35.01 an hour is above the pay cap of £35.00 (South East, social worker)"
    assert finding["evidence"]["cap"] == 35.0 and finding["evidence"]["cap_in_force"] == "2024-04-01 to 2026-03-31"
    assert finding["evidence"]["cap_source"] == "test figure"


def test_not_evaluated_notice_says_why_and_how_many(check_one) -> None:
    _, report = check_one({})
    by_rule = {n["rule_id"]: n for n in report.notices if n["kind"] == "not_evaluated"}
    assert set(by_rule) == {"CAP001", "CAP002", "CAP003"}
    assert by_rule["CAP001"]["count"] == 1
    assert by_rule["CAP001"]["message"].startswith("no caps file was given, so no cap can be checked")
    from .conftest import CASES

    _, report = check_one({"role": "team_manager", "la_code": "E09000007"}, caps=[CASES / "caps.toml"])
    by_rule = {n["rule_id"]: n for n in report.notices if n["kind"] == "not_evaluated"}
    assert "no cap configured for London (or national) / team manager" in by_rule["CAP001"]["message"]
