"""Procurement (issue 10): contract files read strictly; a malformed one is refused with the file, the key and the reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from agency_rules.engine.clauses import check_contract
from agency_rules.engine.rulebook import load_rules
from agency_rules.inputs.caps import load_caps
from agency_rules.inputs.contracts import load_contract
from agency_rules.tomlfiles import RuleFileError

from .test_cli import run

GOOD = """
[contract]
name = "South East Social Work Framework"
reference = "SE-FW-2025"
route = "framework"
supplier = "Oakfield Locums"
councils = ["Kent County Council", "E06000035"]
start = 2025-04-01
end = 2027-03-31

[clauses]
binds_supplier = true
notice_weeks = 6
references = { count = 2, practice_based = true }

[[rate]]
region = "South East"
role = "social_worker"
employment_model = "umbrella"
pay_rate = 34.0
effective_from = 2025-04-01
effective_to = 2026-03-31
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_contract_is_read_with_councils_by_name_or_code_and_silent_clauses_left_unknown(tmp_path: Path) -> None:
    contract = load_contract(write(tmp_path, GOOD))
    assert contract.contract.councils == ["E10000016", "E06000035"]
    assert contract.clauses.notice_weeks == 6 and contract.clauses.references.count == 2
    assert contract.clauses.notice_reciprocal is None and contract.clauses.cooling_off_months is None  # silent: unknown, never a pass
    assert contract.rate[0].pay_rate == 34.0


@pytest.mark.parametrize("change, says", [
    (('notice_weeks = 6', 'notice_week = 6'), "clauses.notice_week: unknown key (did you mean 'notice_weeks'?)"),
    (('start = 2025-04-01', 'start = "1 April 2025"'), "contract.start: must be a date written as YYYY-MM-DD"),
    (('start = 2025-04-01', 'start = 2025-02-30'), "2025-02-30 is not a real date"),
    (('end = 2027-03-31', 'end = 2024-03-31'), "end is before start"),
    (('role = "social_worker"', 'role = "boss"'), "rate South East / boss / umbrella: role"),
    (('region = "South East"', 'region = "Narnia"'), "unknown region 'Narnia'"),
    (('"E06000035"', '"Kingston"'), "'Kingston' could be more than one council"),
    (('"E06000035"', '"Gotham"'), "Gotham"),
    (('pay_rate = 34.0', 'pay_rate = "lots"'), "pay_rate: must be a number (not 'lots')"),
    (('route = "framework"', 'route = "handshake"'), "contract.route"),
    (('effective_to = 2026-03-31', 'effective_to = 2028-03-31'), "outside the term"),
])
def test_a_malformed_contract_is_refused_with_the_file_the_key_and_the_reason(tmp_path: Path, change: tuple[str, str], says: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as error:
        load_contract(path)
    assert str(path) in str(error.value) and says in str(error.value)



COMPLIANT_CLAUSES = """
[clauses]
binds_supplier = true
binds_second_tier = true
notice_weeks = 6
notice_reciprocal = true
references = { count = 2, practice_based = true, standard_template = true }
cooling_off_months = 3
cooling_off_exemptions = ["redundancy"]
project_teams = { supplied = false }
quarterly_data_shared = true
expenses_not_to_exceed_cap = true
cap_breach_sign_off = ["director_of_childrens_services", "chief_executive"]
"""
HEADER = """
[contract]
name = "Test framework"
reference = "T-1"
route = "framework"
supplier = "Oakfield Locums"
councils = ["Kent"]
start = 2025-04-01
end = 2027-03-31
"""
CAPS = """
[[cap]]
region = "South East"
role = "social_worker"
effective_from = 2025-04-01
effective_to = 2026-03-31
pay_rate = 37.00
agency_fee = 4.50
source = "example for a test, not an official figure"

[[cap]]
region = "South East"
role = "social_worker"
effective_from = 2026-04-01
effective_to = 2026-12-31
pay_rate = 35.50
source = "example for a test, not an official figure"
"""


def outcomes(tmp_path: Path, clauses: str = COMPLIANT_CLAUSES, rates: str = "", ruleset: str = "consultation-2023", overlays: tuple[str, ...] = ()) -> dict[tuple[str, str], set[str]]:
    contract = load_contract(write(tmp_path, HEADER + clauses + rates))
    (tmp_path / "caps.toml").write_text(CAPS, encoding="utf-8")
    loaded, layered = load_rules(ruleset, list(overlays))
    found: dict[tuple[str, str], set[str]] = {}
    for f in check_contract(contract, loaded, layered, load_caps([tmp_path / "caps.toml"])):
        found.setdefault((f.rule_id, f.item), set()).add(f.outcome)
    return found


@pytest.mark.parametrize("ruleset, weeks, expected", [
    ("consultation-2023", "6", "pass"), ("consultation-2023", "5.9", "breach"),
    ("statutory-2024", "4", "pass"), ("statutory-2024", "3.5", "unknown"),  # under 4 weeks meets the rule only where the council's notice is as short
])
def test_the_notice_clause_against_each_regime_on_both_sides_of_its_minimum(tmp_path: Path, ruleset: str, weeks: str, expected: str) -> None:
    got = outcomes(tmp_path, COMPLIANT_CLAUSES.replace("notice_weeks = 6", f"notice_weeks = {weeks}"), ruleset=ruleset)
    assert got[("NOTICE001", "clause notice_weeks")] == {expected}


@pytest.mark.parametrize("months, overlays, expected", [
    ("3", (), "pass"), ("2", (), "breach"), ("6", ("south-east",), "pass"), ("5", ("south-east",), "breach"),
])
def test_the_cooling_off_clause_is_held_to_the_overlay_where_the_contract_serves_its_region(tmp_path: Path, months: str, overlays: tuple[str, ...], expected: str) -> None:
    got = outcomes(tmp_path, COMPLIANT_CLAUSES.replace("cooling_off_months = 3", f"cooling_off_months = {months}"), overlays=overlays)
    assert got[("COOL001", "clause cooling_off_months")] == {expected}


def test_an_overlay_for_another_region_leaves_the_contract_alone(tmp_path: Path) -> None:
    assert outcomes(tmp_path, overlays=("london",))[("COOL001", "clause cooling_off_months")] == {"pass"}


@pytest.mark.parametrize("change, key, expected", [
    (("references = { count = 2, practice_based = true, standard_template = true }", "references = { count = 0, practice_based = true, standard_template = true }"),
     ("REF001", "clause references.count"), {"breach"}),  # the consultation needs one for every candidate
    (("references = { count = 2, practice_based = true, standard_template = true }", "references = { count = 2, practice_based = true }"),
     ("REF002", "clause references.standard_template"), {"unknown"}),
    (("project_teams = { supplied = false }", "project_teams = { supplied = true, workers_identified = true, costs_itemised = true, la_practice_control = true }"),
     ("PROJ001", "clause project_teams.supplied"), {"breach"}),  # the consultation allows no project teams at all
    (("cooling_off_exemptions = [\"redundancy\"]", "cooling_off_exemptions = [\"redundancy\", \"retirement\"]"),
     ("COOL001", "clause cooling_off_exemptions"), {"breach"}),
    (("binds_second_tier = true\n", ""), ("PQE001", "clause binds_second_tier"), {"unknown"}),
    (("cap_breach_sign_off = [\"director_of_childrens_services\", \"chief_executive\"]", "cap_breach_sign_off = [\"chief_executive\"]"),
     ("CAP001", "clause cap_breach_sign_off"), {"breach"}),
])
def test_a_clause_that_falls_short_breaches_and_a_silent_one_is_unknown(tmp_path: Path, change: tuple[str, str], key: tuple[str, str], expected: set[str]) -> None:
    ruleset = "statutory-2024" if key[0] == "CAP001" else "consultation-2023"
    assert outcomes(tmp_path, COMPLIANT_CLAUSES.replace(*change), ruleset=ruleset)[key] == expected


def test_project_teams_under_the_statutory_rules_need_all_three_safeguards(tmp_path: Path) -> None:
    teams = "project_teams = { supplied = true, workers_identified = true, costs_itemised = false, la_practice_control = true }"
    got = outcomes(tmp_path, COMPLIANT_CLAUSES.replace("project_teams = { supplied = false }", teams), ruleset="statutory-2024")
    assert got[("PROJ001", "clause project_teams.costs_itemised")] == {"breach"} and got[("PROJ001", "clause project_teams.workers_identified")] == {"pass"}


RATE = """
[[rate]]
region = "South East"
role = "social_worker"
employment_model = "umbrella"
pay_rate = {pay}
agency_fee = 4.50
"""


@pytest.mark.parametrize("pay, expected", [("35.50", {"pass"}), ("35.51", {"pass", "breach"}), ("37.00", {"pass", "breach"}), ("37.01", {"breach"})])
def test_a_rate_line_is_held_to_every_cap_in_its_term_on_both_sides_of_a_change(tmp_path: Path, pay: str, expected: set[str]) -> None:
    got = outcomes(tmp_path, rates=RATE.replace("{pay}", pay))
    assert {o for o in got[("CAP001", "rate South East / social_worker / umbrella")] if o != "not_evaluated"} == expected


def test_days_of_the_term_no_cap_covers_are_not_evaluated_never_passed(tmp_path: Path) -> None:
    contract = load_contract(write(tmp_path, HEADER + COMPLIANT_CLAUSES + RATE.replace("{pay}", "30")))
    (tmp_path / "caps.toml").write_text(CAPS, encoding="utf-8")
    loaded, layered = load_rules("consultation-2023", [])
    findings = [f for f in check_contract(contract, loaded, layered, load_caps([tmp_path / "caps.toml"])) if f.rule_id == "CAP001" and f.item.startswith("rate")]
    uncovered = [f for f in findings if f.outcome == "not_evaluated"]
    assert [(f.evidence["from"], f.evidence["to"]) for f in uncovered] == [("2027-01-01", "2027-03-31")]
    agency = [f for f in check_contract(contract, loaded, layered, load_caps([tmp_path / "caps.toml"])) if f.rule_id == "CAP002"]
    assert {f.outcome for f in agency} == {"pass", "not_evaluated"}  # 4.50 equals the first cap; the second sets no agency fee


def test_the_command_exits_1_naming_every_failing_term_and_0_for_a_compliant_contract(tmp_path: Path) -> None:
    (tmp_path / "caps.toml").write_text(CAPS, encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(HEADER + COMPLIANT_CLAUSES + RATE.replace("{pay}", "35.00").replace("2027-03-31", "2026-12-31"), encoding="utf-8")
    code, out, err = run("contract", str(good), "--caps", str(tmp_path / "caps.toml"), "--format", "json")
    report = json.loads(out)["contracts"][0]
    assert code == 0, err
    assert report["summary"]["breach"] == 0 and report["summary"]["unknown"] == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(HEADER + COMPLIANT_CLAUSES.replace("notice_weeks = 6", "notice_weeks = 2") + RATE.replace("{pay}", "40"), encoding="utf-8")
    code, out, _ = run("contract", str(bad), "--caps", str(tmp_path / "caps.toml"), "--format", "md")
    assert code == 1 and "clause notice\\_weeks" in out and "£40.00 an hour is above the cap of £37.00" in out and "£35.50" in out


def test_the_fixture_contracts_one_compliant_one_not_naming_every_failing_term() -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "contracts"
    options = ["--ruleset", "statutory-2024", "--overlay", "south-east", "--caps", str(fixtures / "example-caps.toml"), "--format", "json"]
    code, out, _ = run("contract", str(fixtures / "compliant-framework.toml"), *options)
    assert code == 0 and json.loads(out)["contracts"][0]["summary"]["breach"] == 0
    code, out, _ = run("contract", str(fixtures / "noncompliant-msp.toml"), *options)
    failing = {(f["item"], f["rule_id"]) for f in json.loads(out)["contracts"][0]["findings"] if f["outcome"] == "breach"}
    assert code == 1 and failing == {
        ("clause cap_breach_sign_off", "CAP001"), ("rate South East / social_worker / umbrella", "CAP001"), ("clause cooling_off_exemptions", "COOL001"),
        ("clause cooling_off_months", "COOL001"), ("clause project_teams.costs_itemised", "PROJ001"), ("clause references.count", "REF001"),
        ("clause quarterly_data_shared", "procurement"),
    }


def test_the_contract_csv_has_a_line_per_finding_and_is_formula_safe(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('supplier = "Oakfield Locums"', 'supplier = "=HYPERLINK(1)"').replace('reference = "SE-FW-2025"', 'reference = "=SUM(A1)"'))
    code, out, _ = run("contract", str(path), "--format", "csv")
    lines = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert lines[0] == ["contract", "file", "item", "rule_id", "outcome", "message", "evidence"]
    assert len(lines) > 5 and all(line[0] == "'=SUM(A1)" for line in lines[1:])
    assert code == 0 and {line[4] for line in lines[1:]} >= {"pass", "unknown"}
