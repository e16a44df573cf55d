"""The quarterly return (data contract section 8): which assignments are in a quarter, waivers judged on its last day,
the monthly cost, and each format; expected figures worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import fastexcel
import jsonschema
import pytest
from typer.testing import CliRunner

from agency_rules.api import Options, draft_return
from agency_rules.cli import app
from agency_rules.errors import InputError
from agency_rules.quarterly import Quarter, parse_quarter
from agency_rules.renderers import RETURN_RENDERERS
from agency_rules.report import RenderOptions

from .conftest import COMPLIANT, REPO, write_csv

Q4 = Quarter(2025, 4)  # 1 Oct to 31 Dec 2025
SIGNED = 'approved_by = { director_of_childrens_services = "A. Name", chief_executive = "B. Name" }\n'


def drafted(tmp_path: Path, rows: list[dict[str, str]], waivers: str = "", caps: bool = True, quarter: Quarter = Q4,
            default_ruleset: bool = False):
    options = Options(ruleset=None if default_ruleset else "statutory-2024")
    if caps:
        (tmp_path / "caps.toml").write_text('[[cap]]\nregion = "South East"\nrole = "social_worker"\neffective_from = 2024-01-01\n'
                                            'pay_rate = 30.00\nsource = "test"\n', encoding="utf-8")
        options = Options(ruleset="statutory-2024", caps=[tmp_path / "caps.toml"])
    if waivers:
        (tmp_path / "waivers.toml").write_text(waivers, encoding="utf-8")
        options = Options(ruleset=options.ruleset, caps=options.caps, waivers=tmp_path / "waivers.toml")
    export = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "engagement_id": f"E-{n}", **row} for n, row in enumerate(rows, 1)])
    return draft_return([export], options, quarter)


def test_quarters_are_calendar_quarters() -> None:
    assert (Q4.first.isoformat(), Q4.last.isoformat()) == ("2025-10-01", "2025-12-31")
    assert parse_quarter("2024q1").months()[1][2].isoformat() == "2024-02-29"
    for text in ("2025-Q5", "2025", "Q3-2025", "1999-Q1"):
        with pytest.raises(ValueError):
            parse_quarter(text)


def test_an_assignment_touching_the_quarter_by_a_day_is_in_and_one_a_day_away_is_not(tmp_path: Path) -> None:
    rows = [
        {"start_date": "2025-12-31", "end_date": ""},            # E-1 starts on the last day: in
        {"start_date": "2025-07-01", "end_date": "2025-10-01"},  # E-2 ends on the first day: in
        {"start_date": "2025-07-01", "end_date": "2025-09-30"},  # E-3 ends the day before: out
        {"start_date": "2026-01-01", "end_date": ""},            # E-4 starts the day after: out
    ]
    (council,) = drafted(tmp_path, rows).returns
    assert [a["engagement_id"] for a in council.assignments] == ["E-1", "E-2"]
    assert {c["rule_id"]: c["in_scope"] for c in council.compliance}["PROJ001"] == 2


@pytest.mark.parametrize("expires, signed_off", [("2025-12-31", True), ("2025-12-30", False)])
def test_a_waiver_is_judged_on_the_quarters_last_day(tmp_path: Path, expires: str, signed_off: bool) -> None:
    waiver = (f'[[waiver]]\nrule_id = "CAP001"\nengagement_id = "E-1"\nreason = "Court work"\napproved_on = 2025-11-01\n'
              f"expires_on = {expires}\n{SIGNED}")
    (council,) = drafted(tmp_path, [{"end_date": ""}], waiver).returns
    (cap,) = council.cap_breaches
    assert (cap["signed_off"], cap["value"], cap["cap"], cap["pay_rate"]) == (signed_off, 34.0, 30.0, 34.0)
    assert cap["approvers"] == {"director_of_childrens_services": "A. Name", "chief_executive": "B. Name"}
    (compliance,) = [c for c in council.compliance if c["rule_id"] == "CAP001"]
    assert (compliance["waived"], compliance["breach"]) == ((1, 0) if signed_off else (0, 1))
    (explained,) = council.explanations
    assert explained["source"] == "waiver" and explained["text"].startswith("Court work")
    if not signed_off:
        assert cap["why_not_signed_off"].startswith("it expired on 30 Dec 2025 (judged on 31 Dec 2025)")
        assert "(the waiver does not count: it expired on 30 Dec 2025" in explained["text"]


def test_an_explanation_reaches_the_return(tmp_path: Path) -> None:
    text = '[[explanation]]\nrule_id = "CAP001"\nla_code = "Kent"\ntext = "Court work"\n'
    (council,) = drafted(tmp_path, [{}], text).returns
    assert council.explanations == [{"rule_id": "CAP001", "engagement_id": "E-1", "text": "Court work", "source": "explanation"}]


def cost(council, month: str) -> dict:
    return next(m for m in council.monthly_cost if m["month"] == month)


def test_the_cost_across_a_month_boundary_counts_each_months_weekdays(tmp_path: Path) -> None:
    # Thu 30 Oct to Tue 4 Nov 2025: 2 weekdays in October, 2 in November (1-2 Nov is a weekend).
    # rate 34.00 + 4.00 + 0.50 = 38.50 an hour; 35 hours a week = 7 a weekday: 269.50 a weekday.
    (council,) = drafted(tmp_path, [{"start_date": "2025-10-30", "end_date": "2025-11-04", "hours_per_week": "35"}]).returns
    assert cost(council, "2025-10") == {"month": "2025-10", "cost": 539.0, "engagements_costed": 1,
                                        "engagements_without_hours": 0, "engagements_without_pay_rate": 0}
    assert cost(council, "2025-11")["cost"] == 539.0
    assert cost(council, "2025-12") == {"month": "2025-12", "cost": 0.0, "engagements_costed": 0,
                                        "engagements_without_hours": 0, "engagements_without_pay_rate": 0}


def test_a_week_of_five_weekdays_costs_the_weeks_hours(tmp_path: Path) -> None:
    # Mon 3 to Sun 9 Nov 2025: 5 weekdays; 38.50 x 37.5 hours = 1,443.75. Blank fees count as 0: 34.00 x 35 = 1,190.00.
    rows = [{"start_date": "2025-11-03", "end_date": "2025-11-09", "hours_per_week": "37.5"},
            {"start_date": "2025-11-03", "end_date": "2025-11-09", "hours_per_week": "35", "agency_fee": "", "framework_fee": ""}]
    (council,) = drafted(tmp_path, rows).returns
    assert cost(council, "2025-11")["cost"] == 1443.75 + 1190.0
    assert cost(council, "2025-11")["engagements_costed"] == 2


def test_an_assignment_without_hours_or_pay_is_counted_not_costed(tmp_path: Path) -> None:
    rows = [{"start_date": "2025-11-03", "end_date": "2025-11-07"},
            {"start_date": "2025-11-03", "end_date": "2025-11-07", "hours_per_week": "35", "pay_rate": ""},
            {"start_date": "2025-11-03", "end_date": "2025-11-07", "hours_per_week": "35"}]
    (council,) = drafted(tmp_path, rows).returns
    assert cost(council, "2025-11") == {"month": "2025-11", "cost": 38.5 * 35, "engagements_costed": 1,
                                        "engagements_without_hours": 1, "engagements_without_pay_rate": 1}
    assert [a["hours_per_week"] for a in council.assignments] == [None, 35.0, 35.0]


def test_rules_not_evaluated_and_rejected_rows_are_said(tmp_path: Path) -> None:
    document = drafted(tmp_path, [{}, {"start_date": "31/02/2025"}], caps=False).as_json()
    (council,) = document["returns"]
    (missing,) = council["not_evaluated"]
    assert missing["rule_id"] == "CAP001" and missing["count"] == 1 and "cap" in missing["why"]
    assert document["summary"]["rows_read"] == 2 and document["summary"]["rows_rejected"] == 1
    assert document["rejected_rows"][0]["errors"][0]["value"] == "31/02/2025"


def test_one_return_per_council(tmp_path: Path) -> None:
    returns = drafted(tmp_path, [{}, {"la_code": "Medway"}]).returns
    assert [(r.la_code, r.council, len(r.assignments)) for r in returns] == [("E06000035", "Medway", 1), ("E10000016", "Kent", 1)]


def test_a_pseudonymised_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"row 3 holds a regional pseudonym \(P-0a0a"):
        drafted(tmp_path, [{}, {"worker_id": "P-" + "0a" * 10}])
    with pytest.raises(InputError, match="source_row column, which only `agency-check pseudonymise` writes"):
        drafted(tmp_path, [{"source_row": "4"}])


def test_the_return_uses_the_statutory_rules_unless_told_and_a_council_without_assignments_makes_a_nil_return(
        tmp_path: Path) -> None:
    returns = drafted(tmp_path, [{}, {"la_code": "Medway", "start_date": "2026-02-02"}], caps=False, default_ruleset=True)
    assert [(r.council, len(r.assignments)) for r in returns.returns] == [("Medway", 0), ("Kent", 1)]
    assert returns.ruleset == "statutory-2024"


def fixture_return():
    folder = REPO / "fixtures" / "return"
    options = Options(ruleset="statutory-2024", caps=[REPO / "fixtures" / "caps.toml"], waivers=folder / "waivers.toml")
    return draft_return([folder / "engagements.csv"], options, Q4)


def rendered(name: str) -> str:
    out = io.StringIO()
    RETURN_RENDERERS[name](fixture_return(), RenderOptions(), out)
    return out.getvalue()


def test_the_fixture_return_has_the_contracts_shape() -> None:
    document = json.loads(rendered("json"))
    assert (document["kind"], document["quarter"], document["period"]) == ("quarterly_return", "2025-Q4",
                                                                           {"from": "2025-10-01", "to": "2025-12-31"})
    kent = next(r for r in document["returns"] if r["council"] == "Kent")
    assert set(kent) >= {"la_code", "council", "assignments", "compliance", "explanations", "cap_breaches", "agencies", "monthly_cost"}
    assert set(kent["assignments"][0]) >= {"engagement_id", "worker_id", "role", "pay_rate", "start_date", "end_date",
                                          "employment_model", "project_team", "agency"}
    assert [(c["engagement_id"], c["signed_off"]) for c in kent["cap_breaches"]] == [("K-1", True), ("K-2", False)]
    assert cost_of(kent, "2025-10") == 13863.9  # K-1 20 weekdays x 42.50 x 7.4 + K-2 23 x 44.50 x 7.4


def cost_of(council: dict, month: str) -> float:
    return next(m["cost"] for m in council["monthly_cost"] if m["month"] == month)


@pytest.mark.slow
def test_the_csv_is_the_assignment_data_one_line_each() -> None:
    lines = list(csv.DictReader(io.StringIO(rendered("csv"))))
    assert [line["engagement_id"] for line in lines] == ["M-1", "M-2", "K-1", "K-2", "K-4", "K-5"]
    assert lines[0]["worker_id"] == "SW200006" and lines[0]["project_team"] == "false"


@pytest.mark.slow
def test_the_markdown_names_each_council_and_the_cost_formula() -> None:
    text = rendered("md")
    assert text.index("## Medway") < text.index("## Kent")
    assert "it expired on 30 Nov 2025 (judged on 31 Dec 2025)" in text and "13,863.90" in text
    assert "x hours a week / 5 x the weekdays" in text


@pytest.mark.slow
def test_the_workbook_reads_back_with_its_sheets_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    with path.open("w", encoding="utf-8") as out:
        RETURN_RENDERERS["xlsx"](fixture_return(), RenderOptions(), out)
    book = fastexcel.read_excel(path)
    assert book.sheet_names == ["Assignment data", "General data", "Monthly cost", "Rejected rows", "Notes"]
    assignments = book.load_sheet("Assignment data").to_polars()
    assert assignments.columns[:7] == ["council code", "council", "assignment", "registration number", "role type",
                                       "hourly pay rate (£)", "start date"]
    assert assignments["registration number"].to_list()[:2] == ["SW200006", "SW200007"]
    general = book.load_sheet("General data", header_row=None).to_polars()
    first = general.to_series(0).to_list()
    assert {"Compliance", "Explanations", "Cap breaches", "Agencies"} <= set(first)
    cost = book.load_sheet("Monthly cost").to_polars()
    assert cost.columns[:4] == ["council code", "council", "month", "cost (£)"]
    assert cost.filter(cost["council"] == "Kent")["cost (£)"].to_list()[0] == 13863.9
    assert book.load_sheet("Rejected rows").to_polars()["value"].to_list() == ["31/02/2025"]


FIXTURE_ARGS = ["return", "fixtures/return/engagements.csv", "--quarter", "2025-Q4", "--ruleset", "statutory-2024",
                "--caps", "fixtures/caps.toml", "--waivers", "fixtures/return/waivers.toml"]


@pytest.mark.slow
def test_the_command_drafts_the_return_and_exits_3_for_the_rejected_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, [*FIXTURE_ARGS, "--format", "json"])
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["summary"]["assignments_in_quarter"] == 6


@pytest.mark.parametrize("args, words", [
    (["--quarter", "2025-Q5"], "--quarter '2025-Q5' is not a quarter; write it as YYYY-Qn"),
    (["--format", "html"], "this report comes as md, json, csv, xlsx"),
    (["--format", "xlsx"], "needs --output FILE.xlsx"),
])
def test_the_command_refuses_what_it_cannot_do(monkeypatch: pytest.MonkeyPatch, args: list[str], words: str) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, [*FIXTURE_ARGS, *args])
    assert result.exit_code == 2 and words in result.stderr and "Traceback" not in result.output


@pytest.mark.slow
def test_the_json_return_is_valid_against_its_schema_and_the_schema_can_refuse() -> None:
    schema = json.loads(resources.files("agency_rules").joinpath("schemas/quarterly_return.schema.json").read_text("utf-8"))
    document = json.loads(rendered("json"))
    jsonschema.validate(document, schema)
    document["returns"][0]["assignments"][0]["worker_id"] = "P-0a0a0a0a0a0a0a0a0a0a"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)
