"""Procurement (issue 10): contract files read strictly; a malformed one is refused with the file, the key and the reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from agency_rules.engine.contract_check import check_contract
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
    (('effective_to = 2026-03-31', 'effective_to = 2028-03-31'), "rate South East / social_worker / umbrella: effective_to 2028-03-31 is outside the term (1 Apr 2025 to 31 Mar 2027)"),
    (('effective_to = 2026-03-31', 'effective_to = 2025-03-31'), "rate South East / social_worker / umbrella: effective_to (2025-03-31) is before effective_from (2025-04-01)"),
    (('notice_weeks = 6', 'notice_weeks = true'), "clauses.notice_weeks: must be a number (not True)"),
    (('notice_weeks = 6', 'notice_weeks = "6"'), "clauses.notice_weeks: must be a number (not '6')"),
    (('count = 2', 'count = true'), "clauses.references.count: must be a whole number, without quotes (not True)"),
    (('count = 2', 'count = "2"'), "clauses.references.count: must be a whole number, without quotes (not '2')"),
    (('binds_supplier = true', 'binds_supplier = 1'), "clauses.binds_supplier: must be true or false, without quotes (not 1)"),
    (('binds_supplier = true', 'binds_supplier = "yes"'), "clauses.binds_supplier: must be true or false, without quotes (not 'yes')"),
    (('practice_based = true', 'practice_based = "false"'), "clauses.references.practice_based: must be true or false"),
    (('start = 2025-04-01', 'start = 01/04/2025'), "write a date as YYYY-MM-DD without quotes"),
    (('start = 2025-04-01', 'start = 2025-04-01T09:00:00'), "contract.start: must be a date written as YYYY-MM-DD, without a time of day (not 2025-04-01 09:00:00)"),
    (('pay_rate = 34.0', 'pay_rate = 100000'), "pay_rate: Input should be less than or equal to 10000"),
])
def test_a_malformed_contract_is_refused_with_the_file_the_key_and_the_reason(tmp_path: Path, change: tuple[str, str], says: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as error:
        load_contract(path)
    assert str(path) in str(error.value) and says in str(error.value)



def test_words_are_read_in_any_case_and_a_reference_may_be_all_digits(tmp_path: Path) -> None:
    text = (GOOD.replace('region = "South East"', 'region = "south east"').replace('employment_model = "umbrella"', 'employment_model = "Umbrella"')
            .replace('route = "framework"', 'route = "Framework"').replace('reference = "SE-FW-2025"', 'reference = "2024/017"'))
    contract = load_contract(write(tmp_path, text))
    assert (contract.rate[0].region, contract.rate[0].employment_model, contract.contract.route, contract.contract.reference) == (
        "South East", "umbrella", "framework", "2024/017")
    with pytest.raises(RuleFileError, match="must contain letters or digits"):
        load_contract(write(tmp_path, GOOD.replace('reference = "SE-FW-2025"', 'reference = " - "')))


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
    assert code == 1 and "clause notice\\_weeks" in out and "South East, 1 Apr 2025 to 31 Mar 2026 | Pay of £40.00 an hour is above the pay cap of £37.00 (South East, social worker) |" in out and "£35.50" in out


def test_the_fixture_contracts_one_compliant_one_not_naming_every_failing_term() -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "contracts"
    options = ["--ruleset", "statutory-2024", "--overlay", "south-east", "--caps", str(fixtures.parent / "contract-caps.toml"), "--format", "json"]
    code, out, _ = run("contract", str(fixtures / "compliant-framework.toml"), *options)
    assert code == 0 and json.loads(out)["contracts"][0]["summary"]["breach"] == 0
    code, out, _ = run("contract", str(fixtures / "noncompliant-msp.toml"), *options)
    failing = {(f["item"], f["rule_id"]) for f in json.loads(out)["contracts"][0]["findings"] if f["outcome"] == "breach"}
    assert code == 1 and failing == {
        ("clause cap_breach_sign_off", "CAP001"), ("rate South East / social_worker / umbrella", "CAP001"), ("clause cooling_off_exemptions", "COOL001"),
        ("clause cooling_off_months", "COOL001"), ("clause project_teams.costs_itemised", "PROJ001"), ("clause references.count", "REF001"),
        ("clause quarterly_data_shared", "PROC001"),
    }


def test_the_contract_csv_has_a_line_per_finding_and_is_formula_safe(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('supplier = "Oakfield Locums"', 'supplier = "=HYPERLINK(1)"').replace('reference = "SE-FW-2025"', 'reference = "=SUM(A1)"'))
    code, out, _ = run("contract", str(path), "--format", "csv")
    lines = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert lines[0] == ["contract", "file", "item", "rule_id", "outcome", "message", "evidence"]
    assert len(lines) > 5 and all(line[0] == "'=SUM(A1)" for line in lines[1:])
    assert code == 0 and {line[4] for line in lines[1:]} >= {"pass", "unknown"}


def test_the_contract_workbook_holds_every_finding_of_the_csv_as_text_never_a_formula(tmp_path: Path) -> None:
    import zipfile

    import polars as pl

    path = write(tmp_path, GOOD.replace('supplier = "Oakfield Locums"', 'supplier = "=HYPERLINK(1)"'))
    code, out, _ = run("contract", str(path), "--format", "csv")
    lines = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    book = tmp_path / "check.xlsx"
    assert run("contract", str(path), "-o", str(book), "-q")[0] == code == 0
    findings = pl.read_excel(book, sheet_name="Findings")
    assert findings.columns == ["contract", "file", "item", "rule", "outcome", "finding", "evidence"]
    assert findings.select("item", "outcome").rows() == [(line[2], line[4]) for line in lines[1:]]
    contracts = pl.read_excel(book, sheet_name="Contracts")
    assert contracts.row(0, named=True)["supplier"] == "=HYPERLINK(1)" and contracts.row(0, named=True)["ruleset"] == "consultation-2023"
    with zipfile.ZipFile(book) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    code, _, err = run("contract", str(path), "--format", "xlsx")
    assert code == 2 and "needs --output" in err


# --- engagements held against their contracts (--contracts) ---

CASES = Path(__file__).parent / "cases"
FIXTURES = Path(__file__).parents[1] / "fixtures"
UNDER_CONTRACTS = ["--ruleset", "statutory-2024", "--overlay", "south-east", "--caps", str(FIXTURES / "contract-caps.toml")]


def engagements(tmp_path: Path, frameworks: list[str]) -> Path:
    rows = [f"E-{n},SW30000{n},E10000016,social_worker,2025-11-03,2026-04-30,{framework},umbrella,34.00" for n, framework in enumerate(frameworks, 1)]
    path = tmp_path / "engagements.csv"
    path.write_text("engagement_id,worker_id,la_code,role,start_date,end_date,framework,employment_model,pay_rate\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_framework_not_among_the_contracts_is_listed_once_in_the_notices_with_its_count(tmp_path: Path) -> None:
    path = engagements(tmp_path, ["F-9", "F-1", "F-9", "Direct award", ""])
    code, out, _ = run(str(path), "--ruleset", "statutory-2024", "--contracts", str(CASES / "contract-compliant.toml"), "--format", "json")
    report = json.loads(out)
    procurement = [n for n in report["notices"] if n["rule_id"].startswith("PROC")]
    assert [(n["rule_id"], n["count"]) for n in procurement] == [("PROC001", 3)]
    assert sorted((r["message"], r["count"]) for r in procurement[0]["reasons"]) == [
        ("framework 'Direct award' is not among the contracts given", 1), ("framework 'F-9' is not among the contracts given", 2)]
    assert procurement[0]["message"].count("'F-9'") == 1 and procurement[0]["message"].count("'Direct award'") == 1
    assert report["summary"]["by_rule"]["PROC001"] == {"pass": 1, "breach": 0, "unknown": 0, "not_applicable": 1, "waived": 0, "not_evaluated": 3}
    assert report["summary"]["by_rule"]["PROC002"]["not_applicable"] == 4 and report["summary"]["by_rule"]["PROC002"]["pass"] == 1


def test_without_contracts_the_contract_rules_are_left_out_of_the_run(tmp_path: Path) -> None:
    code, out, _ = run(str(engagements(tmp_path, ["F-1"])), "--format", "json")
    assert not {"PROC001", "PROC002", "PROC003"} & set(json.loads(out)["summary"]["by_rule"])
    code, out, _ = run("rules", "PROC002")
    assert code == 0 and "Runs only when contracts are given" in out


def test_the_fixture_engagements_against_the_fixture_contracts(tmp_path: Path) -> None:
    """The README's example: every engagement's finding worked out from the two fixture contracts."""
    code, out, _ = run(str(FIXTURES / "engagements-under-contracts.csv"), *UNDER_CONTRACTS, "--contracts", str(FIXTURES / "contracts"), "--format", "json")
    report = json.loads(out)
    found = {(f["engagement_id"], f["rule_id"]): f["outcome"] for f in report["findings"] if f["rule_id"].startswith("PROC")}
    assert code == 1 and found == {
        ("C-102", "PROC003"): "breach",  # £34.50 against the line's £33.00
        ("C-103", "PROC002"): "breach",  # starts 1 Sep 2025, before the term
        ("C-104", "PROC002"): "breach",  # Surrey, which the contract does not serve
        ("C-105", "PROC002"): "breach",  # runs to 31 Dec 2026, past the term's end
        ("C-106", "PROC001"): "breach",  # the non-compliant managed service
        ("C-110", "PROC003"): "unknown",  # no employment model
    }
    contracts = [i for i in report["inputs"] if i.get("kind") == "contract"]
    assert sorted(Path(i["path"]).name for i in contracts) == ["compliant-framework.toml", "noncompliant-msp.toml"] and all(len(i["sha256"]) == 64 for i in contracts)
    listed = next(n for n in report["notices"] if n["rule_id"] == "PROC001")["message"]
    assert "'SE-OLD-2019'" in listed and "'Direct award (Northdown)'" in listed
    breach = next(f for f in report["findings"] if (f["engagement_id"], f["rule_id"]) == ("C-106", "PROC001"))
    assert "contract KM-MSP-2024, which falls short of the rules: clause cooling_off_months (COOL001)" in breach["message"]
    assert breach["evidence"]["contract_file"].endswith("noncompliant-msp.toml") and breach["evidence"]["contract_outcome"] == "breach"


@pytest.mark.parametrize("name, text, says", [
    ("twice.toml", GOOD.replace("South East Social Work Framework", "Another"), "reference 'SE-FW-2025' is also the reference of"),
    ("overlap.toml", GOOD + '\n[[rate]]\nregion = "South East"\nrole = "social_worker"\nemployment_model = "umbrella"\npay_rate = 35.0\neffective_from = 2026-03-31\n',
     "rate lines 1 and 2 for South East / social_worker / umbrella (1 Apr 2025 to 31 Mar 2026; 31 Mar 2026 to 31 Mar 2027) are in force on the same days"),
    ("caps.toml", '[[cap]]\nregion = "national"\n', "not a contract file: it has no [contract] table (its keys: cap)"),
    ("apart.toml", GOOD + "".join(f'\n[[rate]]\nregion = "South East"\nrole = "social_worker"\nemployment_model = "{model}"\npay_rate = 35.0\n'
                                  for model in ("paye", "ltd"))
     + '\n[[rate]]\nregion = "South East"\nrole = "social_worker"\nemployment_model = "umbrella"\npay_rate = 35.0\neffective_from = 2025-06-01\n'
     + 'effective_to = 2025-06-30\n',  # lines 1 and 4 meet, with lines of other models between them
     "rate lines 1 and 4 for South East / social_worker / umbrella (1 Apr 2025 to 31 Mar 2026; 1 Jun 2025 to 30 Jun 2025) are in force"),
])
def test_contracts_that_cannot_stand_together_are_refused_naming_the_file(tmp_path: Path, name: str, text: str, says: str) -> None:
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "a.toml").write_text(GOOD, encoding="utf-8")
    if name in ("overlap.toml", "apart.toml"):
        (folder / "a.toml").unlink()
    (folder / name).write_text(text, encoding="utf-8")
    code, _, err = run(str(engagements(tmp_path, ["SE-FW-2025"])), "--contracts", str(folder))
    assert code == 2 and name in err and says in " ".join(err.split()), err
    code, _, err = run("contract", str(folder))
    assert code == 2 and says in " ".join(err.split())


def test_a_folder_of_contracts_is_read_in_name_order_and_an_empty_one_refused(tmp_path: Path) -> None:
    code, out, _ = run("contract", str(FIXTURES / "contracts"), "--format", "json")
    assert code == 1 and [c["reference"] for c in json.loads(out)["contracts"]] == ["SE-FW-2025", "KM-MSP-2024"]
    (tmp_path / "empty").mkdir()
    code, _, err = run("contract", str(tmp_path / "empty"))
    assert code == 2 and "no contract files (*.toml)" in err


def test_a_rule_must_say_it_needs_contracts_exactly_when_its_check_does(tmp_path: Path) -> None:
    head = '[ruleset]\nid = "local"\ntitle = "t"\nstatus = "s"\nsource = "s"\neffective_from = 2024-01-01\n\n[[rule]]\nid = "PROC009"\ntitle = "t"\nsource = "s"\nrequires = "r"\n'
    for body, says in (('check = "contract_term"\n', 'needs contracts: say needs = "contracts"'),
                       ('check = "asye_completed"\nneeds = "contracts"\n', "needs nothing given to the run")):
        path = tmp_path / "local.toml"
        path.write_text(head + body, encoding="utf-8")
        code, _, err = run(str(engagements(tmp_path, ["F-1"])), "--ruleset", str(path))
        assert code == 2 and says in " ".join(err.split()), err


def test_the_project_config_may_name_contracts_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "f1.toml").write_bytes((CASES / "contract-compliant.toml").read_bytes())
    (tmp_path / "settings" / "agency-rules.toml").write_text('ruleset = "statutory-2024"\ncontracts = ["f1.toml"]\n', encoding="utf-8")
    code, out, _ = run(str(engagements(tmp_path, ["F-1"])), "--config", str(tmp_path / "settings" / "agency-rules.toml"), "--format", "json")
    assert json.loads(out)["summary"]["by_rule"]["PROC001"]["pass"] == 1


def test_a_contract_check_says_which_shipped_overlays_of_its_regions_it_was_not_given() -> None:
    path = str(FIXTURES / "contracts" / "compliant-framework.toml")
    code, out, _ = run("contract", path, "--ruleset", "statutory-2024", "--format", "json")
    contract = json.loads(out)["contracts"][0]
    assert code == 0 and contract["overlays_not_chosen"] == ["south-east"] and "not checked against the regional overlay(s) south-east" in contract["verdict"]
    code, out, _ = run("contract", path, "--ruleset", "statutory-2024", "--overlay", "south-east", "--format", "json")
    assert json.loads(out)["contracts"][0]["overlays_not_chosen"] == [] and "overlay" not in json.loads(out)["contracts"][0]["verdict"]



ONE_ANSWER_CAPS = """
[[cap]]
region = "South East"
role = "social_worker"
effective_from = 2025-04-01
pay_rate = 38.00
source = "a test table: umbrella cap only"

[[cap]]
region = "South East"
role = "team_manager"
effective_from = 2025-04-01
pay_rate = 45.00
pay_rate_paye = 39.00
source = "a test table"
"""


@pytest.mark.parametrize("ruleset, role, model, pay, first, last, expected", [
    ("consultation-2023", "social_worker", "paye", "40.00", "2025-11-03", "2026-03-31", "breach"),  # PAYE above the umbrella cap: above any PAYE cap
    ("consultation-2023", "social_worker", "paye", "38.00", "2025-11-03", "2026-03-31", "not_evaluated"),  # at it, no PAYE cap set
    ("consultation-2023", "social_worker", "umbrella", "38.00", "2025-11-03", "2026-03-31", "pass"),
    ("consultation-2023", "team_manager", "paye", "39.01", "2025-11-03", "2026-03-31", "breach"),
    ("consultation-2023", "team_manager", "paye", "39.00", "2025-11-03", "2026-03-31", "pass"),
    ("statutory-2024", "social_worker", "umbrella", "40.00", "2025-04-01", "2025-09-30", "not_applicable"),  # CAP001 reaches only from 1 Oct 2025
    ("statutory-2024", "social_worker", "umbrella", "40.00", "2025-10-01", "2026-03-31", "breach"),
    ("statutory-2024", "social_worker", "paye", "36.00", "2025-10-01", "2026-03-31", "not_evaluated"),
])
def test_an_engagement_paid_its_rate_line_gets_the_rate_lines_cap001_answer(
    tmp_path: Path, ruleset: str, role: str, model: str, pay: str, first: str, last: str, expected: str,
) -> None:
    from agency_rules import api

    from .conftest import COMPLIANT, write_csv

    caps = tmp_path / "caps.toml"
    caps.write_text(ONE_ANSWER_CAPS, encoding="utf-8")
    line = f'\n[[rate]]\nregion = "South East"\nrole = "{role}"\nemployment_model = "{model}"\npay_rate = {pay}\neffective_from = {first}\neffective_to = {last}\n'
    contract = load_contract(write(tmp_path, HEADER.replace("start = 2025-04-01", "start = 2025-01-01") + COMPLIANT_CLAUSES + line))
    loaded, layered = load_rules(ruleset, [])
    rate = {f.outcome for f in check_contract(contract, loaded, layered, load_caps([caps])) if f.rule_id == "CAP001" and f.item.startswith("rate")}
    engagement = {**COMPLIANT, "role": role, "employment_model": model, "pay_rate": pay, "start_date": first, "end_date": last, "offer_date": first}
    report = api.run([write_csv(tmp_path / "e.csv", [engagement])], api.Options(ruleset=ruleset, caps=[caps]))
    counted = {outcome for outcome, n in report.counts["CAP001"].items() if n}
    assert rate == counted == {expected}


def test_the_memo_lists_every_term_met_counts_a_shared_clause_once_and_says_where_and_when(tmp_path: Path) -> None:
    from agency_rules.engine.checked_contract import CheckedContract

    contract = load_contract(write(tmp_path, HEADER + COMPLIANT_CLAUSES + RATE.replace("{pay}", "35.00")))
    (tmp_path / "caps.toml").write_text(CAPS, encoding="utf-8")
    loaded, layered = load_rules("consultation-2023", [])
    findings = check_contract(contract, loaded, layered, load_caps([tmp_path / "caps.toml"]))
    exemptions = [f for f in findings if f.item == "clause cooling_off_exemptions"]
    assert [(f.outcome, f.message) for f in exemptions] == [("pass", "the contract exempts leavers by redundancy, as the rule does")]
    binding = [f for f in findings if f.item == "clause binds_supplier"]
    assert {f.rule_id for f in binding} == {"PQE001", "ASYE001"}
    checked = CheckedContract("c.toml", "", contract, findings)
    assert checked.count("pass") == len({f.item for f in findings if f.outcome == "pass"})  # binds_supplier once, not twice
    assert {f.where_and_when for f in binding} == {"South East, in force on 1 Apr 2025"}
    rate = next(f for f in findings if f.item.startswith("rate") and f.rule_id == "CAP001" and f.outcome == "pass")
    assert rate.where_and_when == "South East, 1 Apr 2025 to 31 Mar 2026"
    code, out, _ = run("contract", str(tmp_path / "contract.toml"), "--caps", str(tmp_path / "caps.toml"), "--format", "md")
    assert "| clause cooling\\_off\\_exemptions | COOL001 | South East, in force on 1 Apr 2025 | the contract exempts leavers by redundancy" in out


def test_a_sign_off_naming_more_approvers_than_required_passes(tmp_path: Path) -> None:
    from .conftest import REPO

    text = (REPO / "rules" / "rulesets" / "statutory-2024.toml").read_text(encoding="utf-8")
    ruleset = tmp_path / "one-approver.toml"
    ruleset.write_text(text.replace('id = "statutory-2024"', 'id = "one-approver"', 1).replace('waiver_approvers = ["director_of_childrens_services", "chief_executive"]',
                                    'waiver_approvers = ["director_of_childrens_services"]'), encoding="utf-8")
    got = outcomes(tmp_path, ruleset=str(ruleset))  # the contract names both the DCS and the chief executive
    assert got[("CAP001", "clause cap_breach_sign_off")] == {"pass"}
    fewer = COMPLIANT_CLAUSES.replace('["director_of_childrens_services", "chief_executive"]', '["chief_executive"]')
    assert outcomes(tmp_path, fewer, ruleset=str(ruleset))[("CAP001", "clause cap_breach_sign_off")] == {"breach"}
