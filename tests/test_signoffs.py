"""Waivers with a life and explanations (data contract section 7): selectors, approval, expiry judged on the reference
day, on both sides of every boundary; worked out by hand from the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from agency_rules import check
from agency_rules.errors import RuleFileError

from .conftest import COMPLIANT, write_csv

SIGNED = 'approved_by = { director_of_childrens_services = "A. Name", chief_executive = "B. Name" }\n'
CAPS = ('[[cap]]\nregion = "South East"\nrole = "social_worker"\neffective_from = 2024-01-01\npay_rate = 30.00\n'
        'source = "test"\n')


def run(tmp_path: Path, waivers: str, as_of: str, **changed: str):
    """One engagement of Kent paid £34 against a £30 cap (a CAP001 breach under statutory-2024), with `waivers`."""
    (tmp_path / "caps.toml").write_text(CAPS, encoding="utf-8")
    (tmp_path / "waivers.toml").write_text(waivers, encoding="utf-8")
    row = {**COMPLIANT, "agency": "Northdown Social Care", "framework": "SE-FW-2024", **changed}
    return check(write_csv(tmp_path / "e.csv", [row]), ruleset="statutory-2024", caps=tmp_path / "caps.toml",
                 waivers=tmp_path / "waivers.toml", as_of=as_of)


def cap_finding(report) -> dict:
    [finding] = [f for f in report.as_json()["findings"] if f["rule_id"] == "CAP001"]
    return finding


def waiver(selector: str = 'engagement_id = "E-1"', expires: str = "2026-03-31", approved: str = "2025-10-20",
           signed: str = SIGNED) -> str:
    expiry = f"expires_on = {expires}\n" if expires else ""
    return (f'[[waiver]]\nrule_id = "CAP001"\n{selector}\nreason = "Hard-to-fill court work"\n'
            f"approved_on = {approved}\n{expiry}{signed}")


@pytest.mark.parametrize("as_of, outcome", [("2026-03-31", "waived"), ("2026-04-01", "breach")])
def test_a_waiver_counts_on_its_expiry_day_and_not_the_day_after(tmp_path: Path, as_of: str, outcome: str) -> None:
    finding = cap_finding(run(tmp_path, waiver(), as_of))
    assert finding["outcome"] == outcome
    if outcome == "breach":
        assert "does not count: it expired on 31 Mar 2026 (judged on 1 Apr 2026)" in finding["message"]
        assert finding["evidence"]["waiver_not_valid"]["expires_on"] == "2026-03-31"
    else:
        assert finding["evidence"]["waiver"]["judged_on"] == as_of


@pytest.mark.parametrize("end, outcome", [("2026-03-31", "waived"), ("2026-04-01", "breach"), ("", "breach")])
def test_an_engagement_that_ended_by_the_expiry_stays_waived(tmp_path: Path, end: str, outcome: str) -> None:
    assert cap_finding(run(tmp_path, waiver(), "2026-12-02", end_date=end))["outcome"] == outcome


@pytest.mark.parametrize("as_of, outcome", [("2025-10-20", "waived"), ("2025-10-19", "breach")])
def test_a_waiver_counts_from_its_approval_day(tmp_path: Path, as_of: str, outcome: str) -> None:
    finding = cap_finding(run(tmp_path, waiver(), as_of))
    assert finding["outcome"] == outcome
    if outcome == "breach":
        assert "approved only on 20 Oct 2025, after 19 Oct 2025" in finding["message"]


def test_a_waiver_without_expiry_never_expires(tmp_path: Path) -> None:
    assert cap_finding(run(tmp_path, waiver(expires=""), "2099-01-01"))["outcome"] == "waived"


@pytest.mark.parametrize("selector", [
    'engagement_id = "E-1"', 'worker_id = "sw 100001"', 'agency = "NORTHDOWN  social care"', 'la_code = "Kent County Council"',
    'la_code = "E10000016"', 'framework = "se-fw-2024"', 'agency = "Northdown Social Care"\nla_code = "Kent"',
])
def test_each_selector_matches(tmp_path: Path, selector: str) -> None:
    assert cap_finding(run(tmp_path, waiver(selector), "2026-01-01"))["outcome"] == "waived"


@pytest.mark.parametrize("selector", [
    'engagement_id = "E-2"', 'worker_id = "SW100002"', 'agency = "Northdown"', 'la_code = "Medway"', 'framework = "SE-FW-2025"',
    'agency = "Northdown Social Care"\nla_code = "Medway"',
])
def test_a_selector_that_differs_matches_nothing_and_is_a_notice(tmp_path: Path, selector: str) -> None:
    report = run(tmp_path, waiver(selector), "2026-01-01")
    assert cap_finding(report)["outcome"] == "breach"
    [notice] = [n for n in report.notices if n["kind"] == "unmatched_waiver"]
    assert "matches no engagement in this run, so it waives nothing" in notice["message"]


@pytest.mark.parametrize("signed, lacking", [
    ('approved_by = { director_of_childrens_services = "A. Name" }\n', "the chief executive"),
    ('approved_by = { chief_executive = "B. Name" }\n', "the Director of Children's Services"),
])
def test_a_waiver_missing_an_approver_leaves_the_breach(tmp_path: Path, signed: str, lacking: str) -> None:
    finding = cap_finding(run(tmp_path, waiver(signed=signed), "2026-01-01"))
    assert finding["outcome"] == "breach"
    assert f"does not count: it lacks approval by {lacking} (it names " in finding["message"]


def test_an_extra_approver_still_counts(tmp_path: Path) -> None:
    signed = SIGNED.replace(" }", ', head_of_hr = "C. Name" }')
    assert cap_finding(run(tmp_path, waiver(signed=signed), "2026-01-01"))["outcome"] == "waived"


def test_the_latest_counting_waiver_is_cited_over_an_expired_one(tmp_path: Path) -> None:
    both = waiver(expires="2025-12-31") + "\n" + waiver(selector='agency = "Northdown Social Care"', approved="2026-01-05")
    finding = cap_finding(run(tmp_path, both, "2026-02-01"))
    assert finding["outcome"] == "waived" and finding["evidence"]["waiver"]["approved_on"] == "2026-01-05"


def test_an_explanation_explains_without_waiving(tmp_path: Path) -> None:
    text = '[[explanation]]\nrule_id = "CAP001"\nagency = "northdown social care"\ntext = "Court work at <b>short</b> notice"\n'
    finding = cap_finding(run(tmp_path, text, "2026-01-01"))
    assert finding["outcome"] == "breach"
    assert finding["message"].endswith("; explained: Court work at <b>short</b> notice")
    assert finding["evidence"]["explanations"] == ["Court work at <b>short</b> notice"]


def test_an_explanation_for_a_rule_the_run_lacks_is_a_notice(tmp_path: Path) -> None:
    text = '[[explanation]]\nrule_id = "ASYE001"\nengagement_id = "E-1"\ntext = "x"\n'
    [notice] = [n for n in run(tmp_path, text, "2026-01-01").notices if n["kind"] == "unmatched_waiver"]
    assert "names rule ASYE001, which this run does not check" in notice["message"]


@pytest.mark.parametrize("text, words", [
    (waiver(expires="2026-13-01"), "2026-13-01 is not a real date"),
    (waiver(approved="2025-10-20T09:00:00"), "waiver CAP001 / E-1: approved_on"),
    (waiver(selector='agency = ""').replace('agency = ""\n', ""), "names no engagement: give at least one of"),
    (waiver(selector='worker_id = "XYZ"'), "waiver CAP001 / XYZ: worker_id: 'XYZ' is neither a Social Work England number"),
    (waiver(expires="2025-01-01"), "expires_on 2025-01-01 is before approved_on 2025-10-20"),
    ('[[explanation]]\nrule_id = "CAP001"\nengagement_id = "E-1"\n', "text"),
    (waiver() + 'colour = "red"\n', "unknown key"),
])
def test_a_malformed_waivers_file_is_refused_naming_file_entry_and_key(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(RuleFileError) as refused:
        run(tmp_path, text, "2026-01-01")
    assert "waivers.toml" in str(refused.value) and words in str(refused.value)
