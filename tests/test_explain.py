"""`agency-check explain`: every rule for one engagement with why, its outcomes the check's own; worked from rules.md."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agency_rules import check
from agency_rules.api import Options, explain_engagement
from agency_rules.cli import app
from agency_rules.errors import InputError

from .conftest import COMPLIANT, REPO, write_csv

FIXTURES = REPO / "fixtures"
SIGNED = 'approved_by = { director_of_childrens_services = "A. Name", chief_executive = "B. Name" }\n'


def why(tmp_path: Path, row: dict[str, str], ruleset: str = "consultation-2023", **options) -> dict[str, dict]:
    export = write_csv(tmp_path / "e.csv", [{**COMPLIANT, **row}])
    explained = explain_engagement([export], Options(ruleset=ruleset, **options), "E-1")
    assert explained.engagement["engagement_id"] == "E-1" and explained.engagement["row"] == 2
    return {r["rule_id"]: r for r in explained.rules}


def test_a_breach_says_what_was_compared_and_each_parameter_with_its_day_and_file(tmp_path: Path) -> None:
    rules = why(tmp_path, {"notice_period_weeks": "4"})
    notice = rules["NOTICE001"]
    assert notice["outcome"] == "breach" and "4 weeks is shorter than the 6 weeks required" in notice["why"]
    assert notice["evidence"]["parameters"]["min_weeks"] == {
        "value": 6, "in_force_from": "2023-02-02", "to": None, "set_by": "ruleset consultation-2023"}


def test_a_pass_says_the_rule_is_met_and_every_rule_of_the_run_is_there(tmp_path: Path) -> None:
    rules = why(tmp_path, {})
    assert list(rules) == ["PQE001", "ASYE001", "INTL001", "COOL001", "NOTICE001", "REF001", "REF002",
                           "CAP001", "CAP002", "CAP003", "PROJ001"]
    assert rules["NOTICE001"]["outcome"] == "pass"
    assert rules["NOTICE001"]["why"].startswith("meets the rule (the values compared and the parameters")


@pytest.mark.slow
@pytest.mark.parametrize("row, words", [
    ({"previous_substantive_la": "E06000035", "previous_substantive_end": "2025-08-03", "previous_leaving_reason": "resignation"},
     "left Medway (South East) on 3 Aug 2025; the 3-month cooling-off allowed agency work in the region from 3 Nov 2025, "
     "on or before the start on 3 Nov 2025"),
    ({"previous_substantive_la": "E06000035", "previous_substantive_end": "2025-08-04", "previous_leaving_reason": "redundancy"},
     "but the worker left by redundancy, which is exempt"),
    ({}, "no substantive role of the worker ending before the start in the same region (or LA) is recorded"),
])
def test_a_cooling_off_pass_says_which_role_and_why(tmp_path: Path, row: dict[str, str], words: str) -> None:
    rule = why(tmp_path, row)["COOL001"]
    assert rule["outcome"] == "pass" and words in rule["why"]
    if row:
        assert rule["evidence"]["previous_role"]["la"] == "Medway (South East)"


@pytest.mark.slow
def test_a_cooling_off_pass_under_an_overlay_says_its_months(tmp_path: Path) -> None:
    row = {"previous_substantive_la": "E06000035", "previous_substantive_end": "2025-05-03", "previous_leaving_reason": "resignation"}
    rule = why(tmp_path, row, overlays=["south-east"])["COOL001"]
    assert rule["outcome"] == "pass" and "the 6-month cooling-off allowed agency work in the region from 3 Nov 2025" in rule["why"]


@pytest.mark.slow
def test_not_applicable_says_the_scope_decision(tmp_path: Path) -> None:
    rules = why(tmp_path, {})
    assert rules["PQE001"]["why"] == "not applicable: the worker qualified on 1 Jul 2015, before 1 Apr 2024"
    assert rules["INTL001"]["why"] == "not applicable: the worker qualified in the UK"
    legacy = why(tmp_path, {"offer_date": "2024-09-01", "start_date": "2024-10-01", "end_date": "2025-09-30"},
                 ruleset="statutory-2024")
    assert legacy["NOTICE001"]["outcome"] == "not_applicable"
    assert legacy["NOTICE001"]["why"] == ("not applicable: a legacy engagement (offered on 1 Sep 2024, before 31 Oct 2024) "
                                          "that ended on 30 Sep 2025, before 1 Oct 2025: the statutory rules do not reach it")


def test_not_evaluated_says_what_the_configuration_lacks(tmp_path: Path) -> None:
    rules = why(tmp_path, {})
    assert rules["CAP001"]["outcome"] == "not_evaluated" and rules["CAP001"]["why"].startswith("not evaluated: ")


def test_an_exemption_shows_in_the_evidence(tmp_path: Path) -> None:
    rules = why(tmp_path, {"previous_substantive_la": "E10000016", "previous_substantive_end": "2025-10-01",
                           "previous_leaving_reason": "redundancy"})
    assert rules["COOL001"]["outcome"] == "pass"
    assert "redundancy" in json.dumps(rules["COOL001"]["evidence"])


def test_a_contradiction_is_unknown_naming_both_values(tmp_path: Path) -> None:
    rules = why(tmp_path, {"reference_received": "no", "references_count": "2"})
    assert rules["REF001"]["outcome"] == "unknown"
    assert "no" in rules["REF001"]["why"] and "2" in rules["REF001"]["why"]


def test_an_unknown_says_what_is_not_recorded(tmp_path: Path) -> None:
    rules = why(tmp_path, {"qualified_date": "2024-06-01", "pqe_years": "", "asye_completed": ""})
    assert rules["ASYE001"]["outcome"] == "unknown" and "not recorded" in rules["ASYE001"]["why"]


@pytest.mark.slow
def test_a_waived_finding_says_who_signed_it_and_one_that_does_not_count_says_why(tmp_path: Path) -> None:
    (tmp_path / "caps.toml").write_text('[[cap]]\nregion = "South East"\nrole = "social_worker"\neffective_from = 2024-01-01\n'
                                        'pay_rate = 30.00\nsource = "test"\n', encoding="utf-8")
    waiver = tmp_path / "waivers.toml"
    waiver.write_text(f'[[waiver]]\nrule_id = "CAP001"\nengagement_id = "E-1"\nreason = "x"\napproved_on = 2025-10-20\n'
                      f"expires_on = 2026-01-31\n{SIGNED}", encoding="utf-8")
    caps = [tmp_path / "caps.toml"]
    judged = why(tmp_path, {}, "statutory-2024", caps=caps, waivers=waiver, as_of=date(2026, 1, 31))
    assert judged["CAP001"]["outcome"] == "waived" and "waived on 20 Oct 2025 by A. Name, B. Name" in judged["CAP001"]["why"]
    late = why(tmp_path, {}, "statutory-2024", caps=caps, waivers=waiver, as_of=date(2026, 2, 1))
    assert late["CAP001"]["outcome"] == "breach" and "it expired on 31 Jan 2026" in late["CAP001"]["why"]


@pytest.mark.slow
def test_an_id_in_no_file_is_refused_with_near_ids_and_one_in_several_needs_its_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no engagement 'E-02' .*did you mean 'E-002', 'E-020'"):
        explain_engagement([FIXTURES / "engagements.csv"], Options(), "E-02")
    a = write_csv(tmp_path / "a.csv", [COMPLIANT])
    b = write_csv(tmp_path / "b.csv", [{**COMPLIANT, "notice_period_weeks": "2"}])
    with pytest.raises(InputError, match=r"engagement 'E-1' is in 2 files .*name one with --file"):
        explain_engagement([a, b], Options(), "E-1")
    chosen = explain_engagement([a, b], Options(), "E-1", file="b.csv")
    assert {r["rule_id"]: r["outcome"] for r in chosen.rules}["NOTICE001"] == "breach"
    with pytest.raises(InputError, match=r"--file 'c.csv': no such file in this run"):
        explain_engagement([a, b], Options(), "E-1", file="c.csv")
    with pytest.raises(InputError, match="--engagement is empty"):
        explain_engagement([a], Options(), " ")
    with pytest.raises(InputError, match="is in a rejected row"):
        explain_engagement([write_csv(tmp_path / "c.csv", [{**COMPLIANT, "start_date": "31/02/2025"}])], Options(), "E-1")


@pytest.mark.slow
def test_its_outcomes_are_the_checks_for_every_rule_on_the_fixtures() -> None:
    options = dict(history=FIXTURES / "history.csv", caps=[FIXTURES / "caps.toml"])
    for ruleset in ("consultation-2023", "statutory-2024"):
        report = check(FIXTURES / "engagements.csv", ruleset=ruleset, history=options["history"], caps=options["caps"])
        reported = {(f["engagement_id"], f["rule_id"]): f["outcome"] for f in report.finding_records()}
        totals: dict[str, dict[str, int]] = {}
        for engagement_id in report.checked["engagement_id"].to_list():
            explained = explain_engagement([FIXTURES / "engagements.csv"], Options(ruleset=ruleset, **options), engagement_id)
            for rule in explained.rules:
                totals.setdefault(rule["rule_id"], {}).setdefault(rule["outcome"], 0)
                totals[rule["rule_id"]][rule["outcome"]] += 1
                if (engagement_id, rule["rule_id"]) in reported:
                    assert rule["outcome"] == reported[(engagement_id, rule["rule_id"])]
                else:
                    assert rule["outcome"] in ("pass", "not_applicable", "not_evaluated")
        assert totals == {rule: {o: n for o, n in counts.items() if n} for rule, counts in report.counts.items()}


@pytest.mark.slow
def test_the_command_writes_each_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    args = ["explain", "fixtures/engagements.csv", "--engagement", "E-002", "--history", "fixtures/history.csv"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["engagement_id"] == "E-002" and {r["rule_id"]: r["outcome"] for r in document["rules"]}["REF002"] == "breach"
    text = CliRunner().invoke(app, args).stdout
    assert "REF002 breach" in text and "why: not applicable: the worker qualified on 1 Jul 2015" in text
    assert "| REF002 | breach |" in CliRunner().invoke(app, [*args, "--format", "md"]).stdout
