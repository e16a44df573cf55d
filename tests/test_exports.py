"""A council's own export: column maps for headers and words, and the diagnostics when they do not fit (issue 8, points 3-5)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from agency_rules.inputs.config import load_column_map
from agency_rules.inputs.engagements import parse_engagements, read_raw

from .conftest import COMPLIANT, write_csv
from .test_cli import run

REQUIRED = ("engagement_id", "worker_id", "la_code", "role", "start_date")


def map_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_value_maps_translate_a_councils_own_words(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "role": "Senior Practitioner", "employment_model": "Umbrella Company"},
            {**COMPLIANT, "engagement_id": "E-2", "role": "IRO", "employment_model": "PAYE"}]
    path = write_csv(tmp_path / "e.csv", rows)
    mapping = map_file(tmp_path, '[values.role]\n"Senior Practitioner" = "senior_social_worker"\n"iro" = "iro_cp_chair"\n'
                                 '[values.employment_model]\n"umbrella company" = "umbrella"\n')
    code, out, _ = run(str(path), "--column-map", str(mapping), "--format", "json")
    report = json.loads(out)
    assert report["summary"]["rows_checked"] == 2 and code == 0


@pytest.mark.slow
def test_value_maps_translate_booleans_councils_frameworks_and_agencies_and_an_empty_word_is_not_recorded(tmp_path: Path) -> None:
    base = {k: v for k, v in COMPLIANT.items() if k != "asye_completed"}
    rows = [{**base, "engagement_id": "E-1", "ASYE": "Completed", "la_code": "Herts", "framework": "Eastern Framework 2024", "agency": "NDSC"},
            {**base, "engagement_id": "E-2", "ASYE": "In progress", "la_code": "Herts", "framework": "Other", "agency": "Northdown"},
            {**base, "engagement_id": "E-3", "ASYE": "Not known", "la_code": "Kent"},
            {**base, "engagement_id": "E-4", "ASYE": "Maybe", "la_code": "Hurts"}]
    path = write_csv(tmp_path / "e.csv", rows)
    mapping = map_file(tmp_path, '[columns]\nASYE = "asye_completed"\n'
                                 '[values.asye_completed]\nCompleted = "true"\n"In progress" = "false"\n"Not known" = ""\n'
                                 '[values.la_code]\nHerts = "E10000015"\n[values.framework]\n"Eastern Framework 2024" = "EOE-FW-2024"\n'
                                 '[values.agency]\nNDSC = "Northdown"\n')
    code, out, _ = run(str(path), "--column-map", str(mapping), "--format", "json")
    report = json.loads(out)
    assert report["summary"]["rows_checked"] == 3 and [r["engagement_id"] for r in report["rejected_rows"]] == ["E-4"]
    assert {e["column"] for e in report["rejected_rows"][0]["errors"]} == {"asye_completed", "la_code"}
    assert all("of a column map" in e["message"] for e in report["rejected_rows"][0]["errors"])
    loaded = parse_engagements(read_raw(path, column_map=load_column_map(mapping)), load_column_map(mapping))
    by_id = {r["engagement_id"]: r for r in loaded.table.valid.iter_rows(named=True)}
    assert by_id["E-1"]["la_code"] == "E10000015" and by_id["E-1"]["framework"] == "EOE-FW-2024" and by_id["E-1"]["agency"] == "Northdown"
    assert (by_id["E-1"]["asye_completed"], by_id["E-2"]["asye_completed"], by_id["E-3"]["asye_completed"]) == (True, False, None)
    assert by_id["E-2"]["framework"] == "Other" and by_id["E-3"]["la_code"] == "E10000016"


def test_a_value_map_whose_target_the_column_does_not_take_is_refused_naming_the_entry(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    for entry, says in [('[values.asye_completed]\nDone = "maybe"', "[values.asye_completed] 'Done' = 'maybe': 'maybe' is not a yes/no value"),
                        ('[values.la_code]\nHerts = "Hertfordshre"', "[values.la_code] 'Herts' = 'Hertfordshre': 'Hertfordshre' is not the name of a council; did you mean Hertfordshire"),
                        ('[values.agency]\nX = "Nоrthdown"', "holds a look-alike character"),
                        ('[values.engagement_id]\nX = "Y"', "only these columns take value maps")]:
        code, _, err = run(str(path), "--column-map", str(map_file(tmp_path, entry + "\n")))
        assert code == 2 and says in " ".join(err.split()), err


@pytest.mark.slow
def test_unmapped_words_are_rejected_and_listed_once_with_their_counts(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "role": ["Social Worker - Children in Care", "IRO", "social_worker"][i % 3]} for i in range(9)]
    path = write_csv(tmp_path / "e.csv", rows)
    code, out, _ = run(str(path), "--format", "json")
    report = json.loads(out)
    assert code == 3 and report["summary"]["rows_rejected"] == 6
    [reason] = report["rejection_summary"]
    assert reason["column"] == "role" and reason["rows"] == 6
    assert reason["values"] == [{"value": "Social Worker - Children in Care", "rows": 3}, {"value": "IRO", "rows": 3}]
    code, out, _ = run(str(path), "--format", "md")
    assert "6 of 9 rows rejected: role is not one of" in out and "\\[values.role\\]" in out


@pytest.mark.slow
def test_a_report_leads_with_the_reason_most_rows_failed_for(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "start_date": "01/11/2025 23:30"} for i in range(498)] + [
        {**COMPLIANT, "engagement_id": "E-x", "start_date": "31/02/2025"}, {**COMPLIANT, "engagement_id": "E-y"}]
    path = write_csv(tmp_path / "e.csv", rows)
    code, out, _ = run(str(path))
    lines = out.splitlines()
    assert code == 3
    assert lines[2].startswith("498 of 500 rows rejected: start_date has a time from 23:00 to 23:59")


def test_a_column_map_header_the_file_lacks_stops_the_run(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{k: v for k, v in COMPLIANT.items() if k != "pay_rate"}])
    mapping = map_file(tmp_path, '[columns]\n"Hourly Pay" = "pay_rate"\n')
    code, _, err = run(str(path), "--column-map", str(mapping))
    assert code == 2 and "'Hourly Pay' (for pay_rate)" in err and "does not have" in err


def test_a_column_map_target_that_is_no_contract_column_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    mapping = map_file(tmp_path, '[columns]\n"Hourly Pay" = "pay_rat"\n')
    code, _, err = run(str(path), "--column-map", str(mapping))
    assert code == 2 and "'pay_rat' is not a contract column (did you mean 'pay_rate'?)" in err and str(mapping) in err
    mapping = map_file(tmp_path, '[values.role]\n"Senior Practitioner" = "senior"\n')
    code, _, err = run(str(path), "--column-map", str(mapping))
    assert code == 2 and "role is one of" in err
    mapping = map_file(tmp_path, '[values.pay_rate]\n"x" = "1"\n')
    code, _, err = run(str(path), "--column-map", str(mapping))
    assert code == 2 and "only these columns take value maps" in err


def test_when_no_header_matches_the_message_lists_the_headers_and_points_at_column_maps(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    rows = "".join(f"A{i},SW{i},Kent,Social Worker,01/04/2025\n" for i in range(1, 5))  # a shorter file may be a passphrase
    path.write_text("Assignment Ref,Worker,Council,Job Title,Start\n" + rows, encoding="utf-8")
    code, _, err = run(str(path))
    assert code == 2 and "'Assignment Ref', 'Worker', 'Council', 'Job Title', 'Start'" in err and "--column-map" in err


@pytest.mark.slow
def test_an_export_with_only_the_required_columns_says_what_the_rules_lack(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{k: COMPLIANT[k] for k in REQUIRED}])
    code, out, _ = run(str(path), "--format", "json")
    missing = {m["column"]: m["rules"] for m in json.loads(out)["missing_columns"]}
    assert missing["pay_rate"] == ["CAP001"] and missing["notice_period_weeks"] == ["NOTICE001"] and "engagement_id" not in missing
    code, out, _ = run(str(path))
    assert "The export has no column for: end_date (read by REF002)" in out
    code, out, _ = run(str(write_csv(tmp_path / "full.csv", [COMPLIANT])), "--format", "json")
    assert "pay_rate" not in {m["column"] for m in json.loads(out)["missing_columns"]}


@pytest.mark.slow
def test_the_columns_command_shows_how_each_header_and_value_is_read(tmp_path: Path) -> None:
    path = tmp_path / "msp.csv"
    path.write_text("Assignment Ref,Worker,Council,Job Title,Start,Pay Rate\nA1,SW1,Kent,Social Worker,01/04/2025,30\n"
                    "A2,SW2,Kent County Council,IRO,01/04/2025,30\n", encoding="utf-8")
    code, out, _ = run("columns", str(path))
    assert code == 2 and "did you mean pay_rate?" in out and "required: no row can be checked" in out
    mapping = map_file(tmp_path, '[columns]\n"Assignment Ref" = "engagement_id"\nWorker = "worker_id"\nCouncil = "la_code"\n"Job Title" = "role"\n'
                                 'Start = "start_date"\n"Pay Rate" = "pay_rate"\n[values.role]\n"Social Worker" = "social_worker"\n')
    code, out, _ = run("columns", str(path), "--column-map", str(mapping))
    assert code == 0 and "mapped by the column map" in out
    assert "role: words nothing translates and the rules do not know" in out and "'IRO' (1)" in out and "'Social Worker'" not in out
    assert "notice_period_weeks" in out and "NOTICE001" in out
    code, out, _ = run(str(path), "--column-map", str(mapping), "--format", "json")
    assert json.loads(out)["summary"]["rows_checked"] == 1


def test_the_columns_command_lists_words_nothing_translates_in_every_closed_column_and_names_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("engagement_id,worker_id,Council,role,start_date,ASYE,framework,agency\n"
                    "E1,SW1,Herts,social_worker,01/09/2025,Completed,Eastern Framework 2024,Acme\n"
                    "E2,SW2,Hurts,social_worker,01/09/2025,Maybe,Other FW,Acme\n", encoding="utf-8")
    mapping = map_file(tmp_path, '[columns]\nCouncil = "la_code"\nASYE = "asye_completed"\n[values.asye_completed]\nCompleted = "true"\n'
                                 '[values.la_code]\nHerts = "E10000015"\n[values.framework]\n"Eastern Framework 2024" = "EOE-FW-2024"\n')
    code, out, _ = run("columns", str(path), "--column-map", str(mapping))
    flat = " ".join(out.split())
    assert code == 0 and "will be read (UTF-8)" in flat
    assert "la_code: words nothing translates and the rules do not know, which would reject their rows: 'Hurts' (1)" in flat
    assert "asye_completed: words nothing translates and the rules do not know, which would reject their rows: 'Maybe' (1)" in flat
    assert "framework: read as written (no [values.framework] entry translates them): 'Other FW' (1);" in flat
    assert "agency: read as written (no [values.agency] entry translates them): 'Acme' (2);" in flat
    assert "'Herts'" not in flat and "'Completed'" not in flat and "'Eastern Framework 2024'" not in flat


def test_the_columns_command_reads_a_history_file_as_a_history_file_with_the_exports_map(tmp_path: Path) -> None:
    history = tmp_path / "leavers.csv"
    history.write_text("SWE No,Council,employment,start_date,end_date,leaving_reason\nSW1,Herts,Permanent,2020-01-01,2025-06-30,Resigned\n",
                       encoding="utf-8")
    mapping = map_file(tmp_path, '[columns]\n"SWE No" = "worker_id"\nCouncil = "la_code"\n[values.la_code]\nHerts = "E10000015"\n'
                                 '[values.employment]\nPermanent = "substantive"\n')
    code, out, _ = run("columns", "--history", str(history), "--column-map", str(mapping))
    flat = " ".join(out.split())
    assert code == 0 and "mapped by the column map" in flat
    assert "leaving_reason: words nothing translates" in flat and "'Resigned' (1)" in flat
    assert "employment:" not in flat and "la_code:" not in flat and "lacks" not in flat
    code, _, err = run("columns", "--history", str(history))  # without the map its headers are not the contract's
    assert code == 2 and "missing required column(s) worker_id" in err
    code, _, err = run("columns")
    assert code == 2 and "name an export" in err


def test_conventions_short_help_quiet_and_shipped_caps_by_name(tmp_path: Path) -> None:
    assert run("-h")[0] == 0 and "Usage" in run("check", "-h")[1]
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, _, err = run(str(path), "--caps", "london-2016", "--output", str(tmp_path / "r.json"), "--quiet")
    assert code == 0 and err == ""
    inputs = json.loads((tmp_path / "r.json").read_text())["inputs"]
    assert {"path": "agency-rules:caps/london-2016.toml", "kind": "caps"}.items() <= inputs[-1].items()
    code, _, err = run(str(path), "--caps", "paris-2016")
    assert code == 2 and "no cap named 'paris-2016'; available: london-2016" in err


@pytest.mark.slow
def test_council_agency_and_rule_narrow_what_is_reported_and_counts_still_reconcile(tmp_path: Path) -> None:
    rows = [
        {**COMPLIANT, "engagement_id": "E-1", "agency": "Northdown", "notice_period_weeks": "1"},
        {**COMPLIANT, "engagement_id": "E-2", "agency": "Oakfield", "notice_period_weeks": "1"},
        {**COMPLIANT, "engagement_id": "E-3", "la_code": "E09000007", "agency": "Northdown", "notice_period_weeks": "1", "references_count": "0", "reference_received": "no"},
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    code, out, _ = run(str(path), "--council", "Kent County Council", "--agency", "NORTHDOWN", "--format", "json")
    report = json.loads(out)
    assert code == 1 and [f["engagement_id"] for f in report["findings"]] == ["E-1"]
    assert report["summary"]["selection"] == {"described": "council Kent; agency NORTHDOWN", "engagements": 1}
    assert all(sum(c.values()) == 1 for c in report["summary"]["by_rule"].values())
    code, out, _ = run(str(path), "--rule", "ref001", "--format", "json")
    report = json.loads(out)
    assert list(report["summary"]["by_rule"]) == ["REF001"] and [f["engagement_id"] for f in report["findings"]] == ["E-3"]
    code, _, err = run(str(path), "--council", "Kingston")
    assert code == 2 and "could be more than one council" in err
    code, out, _ = run(str(path), "--council", "LB Camden", "--format", "json")
    assert code == 1 and {f["engagement_id"] for f in json.loads(out)["findings"]} == {"E-3"}
    code, _, err = run(str(path), "--council", "Leeds CC")  # a council, but none of this export's
    assert code == 2 and "--council 'Leeds CC' (Leeds, E08000035): no checked engagement is that council's" in err
    assert "the councils are: Camden (E09000007), Kent (E10000016)" in err


@pytest.mark.slow
def test_findings_grouped_by_council_or_agency(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "agency": agency, "la_code": la, "notice_period_weeks": "1"}
            for i, (agency, la) in enumerate([("Oakfield", "E10000016"), ("Northdown", "E09000007"), ("Northdown", "E10000016")])]
    path = write_csv(tmp_path / "e.csv", rows)
    code, out, _ = run(str(path), "--group-by", "council", "--format", "md")
    assert code == 1
    camden, kent = out.index("## Camden"), out.index("## Kent")
    assert camden < out.index("| E-1 |") < kent < out.index("| E-0 |") and out.index("| E-2 |") > kent
    code, out, _ = run(str(path), "--group-by", "agency")
    assert out.index("agency: Northdown") < out.index("agency: Oakfield")


@pytest.mark.slow
def test_the_msp_fixture_is_checked_end_to_end_through_its_column_map(tmp_path: Path) -> None:
    """The README's walk-through: an MSP's workbook, its own headers and words, to a workbook report; every row accounted for."""
    fixtures = Path(__file__).parents[1] / "fixtures"
    out = tmp_path / "report.xlsx"
    args = [str(fixtures / "msp-export.xlsx"), "--column-map", str(fixtures / "msp-column-map.toml"), "--caps", str(fixtures / "caps.toml")]
    code, _, err = run(*args, "--output", str(out))
    assert code == 1 and "10 rows read: 8 checked, 2 rejected" in err and out.is_file()
    code, text, _ = run(*args, "--format", "json")
    report = json.loads(text)
    summary = report["summary"]
    assert summary["rows_read"] == summary["rows_checked"] + summary["rows_rejected"] == 10
    rejected = {r["engagement_id"]: r["errors"][0] for r in report["rejected_rows"]}
    assert rejected["MSP-1008"]["column"] == "start_date" and "has a time from 23:00 to 23:59" in rejected["MSP-1008"]["message"]
    assert rejected["MSP-1009"]["value"] == "Social Work Assistant"
    breaches = {(f["engagement_id"], f["rule_id"]) for f in report["findings"] if f["outcome"] == "breach"}
    assert {("MSP-1002", "COOL001"), ("MSP-1004", "PQE001"), ("MSP-1005", "NOTICE001"), ("MSP-1007", "PROJ001")} <= breaches
    assert {(f["engagement_id"], f["rule_id"]) for f in report["findings"] if f["outcome"] == "unknown"} == {("MSP-1005", "REF001")}  # yes, but 0 references
    assert ("MSP-1006", "COOL001") not in breaches  # left by redundancy: exempt
    assert {f["council"] for f in report["findings"]} <= {"Kent", "Medway", "Surrey"}


def test_messages_name_parameters_and_fields_in_words_not_internal_names(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "notice_reciprocal": "no"}, {**COMPLIANT, "engagement_id": "E-2", "qualified_overseas": "yes"}])
    code, out, _ = run(str(path), "--format", "json")
    report = json.loads(out)
    messages = [f["message"] for f in report["findings"]] + [n["message"] for n in report["notices"]]
    assert any("does not bind both sides (the record says it is not reciprocal)" in m for m in messages)
    assert any("no figure is set for the minimum years of post-qualified experience" in m for m in messages)
    assert not any("notice_reciprocal" in m or "'min_years'" in m for m in messages)


def test_a_data_warning_names_its_engagements(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "pqe_years": "19"}, {**COMPLIANT, "engagement_id": "E-2"}]
    code, out, _ = run(str(write_csv(tmp_path / "e.csv", rows)), "--ruleset", "statutory-2024", "--format", "json")
    [warning] = [n for n in json.loads(out)["notices"] if n["kind"] == "data_warning"]
    assert warning["rule_id"] == "PQE001" and warning["message"].endswith("engagement(s) E-1") and warning["reasons"][0]["engagements"] == ["E-1"]


def test_a_waiver_for_an_engagement_not_in_the_run_is_reported(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nengagement_id = "E-999"\nrule_id = "CAP001"\napproved_on = 2025-10-20\nreason = "Hard-to-fill post"\n'
                       'approved_by = { director_of_childrens_services = "A. Name", chief_executive = "B. Name" }\n', encoding="utf-8")
    code, out, _ = run(str(write_csv(tmp_path / "e.csv", [COMPLIANT])), "--waivers", str(waivers), "--format", "json")
    [unmatched] = [n for n in json.loads(out)["notices"] if n["kind"] == "unmatched_waiver"]
    assert unmatched["rule_id"] == "CAP001" and "engagement 'E-999' matches no engagement" in unmatched["message"]


@pytest.mark.slow
def test_a_rules_heading_says_what_an_overlay_changes() -> None:
    fixtures = Path(__file__).parents[1] / "fixtures"
    code, out, _ = run(str(fixtures / "engagements.csv"), "--history", str(fixtures / "history.csv"), "--overlay", "south-east", "--format", "md")
    assert "## COOL001 Three-month cooling-off after a permanent role in the same region (overlays: months 6 in South East): breach" in out
    code, out, _ = run(str(fixtures / "engagements.csv"), "--history", str(fixtures / "history.csv"), "--format", "md")
    assert "## COOL001 Three-month cooling-off after a permanent role in the same region: breach" in out


def test_cap_and_waiver_messages_read_as_words(tmp_path: Path) -> None:
    caps = tmp_path / "caps.toml"
    caps.write_text('[[cap]]\nregion = "South East"\nrole = "social_worker"\neffective_from = 2025-01-01\npay_rate = 35.00\npay_rate_paye = 30.00\n'
                    'source = "test"\n', encoding="utf-8")
    rows = [{**COMPLIANT, "employment_model": "paye", "pay_rate": "31.00"}, {**COMPLIANT, "engagement_id": "E-2", "notice_period_weeks": "1"}]
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nengagement_id = "E-2"\nrule_id = "NOTICE001"\napproved_on = 2025-10-20\nreason = "x"\n'
                       'approved_by = { director_of_childrens_services = "A. Name", chief_executive = "B. Name" }\n', encoding="utf-8")
    code, out, _ = run(str(write_csv(tmp_path / "e.csv", rows)), "--caps", str(caps), "--waivers", str(waivers), "--format", "json")
    messages = {f["rule_id"]: f["message"] for f in json.loads(out)["findings"]}
    assert messages["CAP001"] == "Pay of £31.00 an hour is above the PAYE pay cap of £30.00 (South East, social worker)"
    assert messages["NOTICE001"].endswith("; the waiver on file does not count: this rule cannot be waived")


def test_a_run_tells_each_stage_as_it_begins_and_the_terminal_spinner_stays_off_the_page(tmp_path: Path, monkeypatch) -> None:
    from agency_rules import api, cli

    heard: list[str] = []
    api.run([write_csv(tmp_path / "e.csv", [COMPLIANT])], api.Options(), heard.append)
    assert heard == ["loading the rules", "reading the exports", "parsing every cell", "checking the rules", "writing the report"]
    with cli.progress(quiet=False) as on_stage:  # the test's stderr is not a terminal
        assert on_stage is None
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True)
    with cli.progress(quiet=True) as on_stage:
        assert on_stage is None
    with cli.progress(quiet=False) as on_stage:
        assert callable(on_stage)
        on_stage("checking the rules")


@pytest.mark.slow
def test_a_mapped_column_is_named_as_the_export_spells_it_wherever_a_row_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("Ref,SWE Number,Council,Job Title,Start,Finish\nA1,SW1,Kent,social_worker,01/11/2025 23:30,\n"
                    "A2,SW2,Kent,Senior Practitioner,01/11/2025,\nA3,SW3,Kent,social_worker,01/11/2025,31/10/2025\n", encoding="utf-8")
    mapping = map_file(tmp_path, '[columns]\nRef = "engagement_id"\n"SWE Number" = "worker_id"\nCouncil = "la_code"\n"Job Title" = "role"\n'
                                 'Start = "start_date"\nFinish = "end_date"\n')
    code, out, _ = run(str(path), "--column-map", str(mapping), "--format", "json")
    errors = {r["engagement_id"]: r["errors"][0] for r in json.loads(out)["rejected_rows"]}
    assert code == 3 and errors["A1"]["column"] == "start_date" and errors["A1"]["header"] == "Start"
    assert "[values.role] of a column map" in errors["A2"]["message"]
    assert errors["A3"]["value"] == "31/10/2025"  # as the export holds it, not re-written
    code, out, _ = run(str(path), "--column-map", str(mapping), "--format", "md")
    assert "| Start (start\\_date) |" in out and "Job Title (role)" in out


@pytest.mark.slow
def test_the_csv_report_carries_every_rejected_row_after_the_findings(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "notice_period_weeks": "1"}, {**COMPLIANT, "engagement_id": "E-2", "start_date": "31/02/2025"}]
    code, out, _ = run(str(write_csv(tmp_path / "e.csv", rows)), "--format", "csv")
    lines = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert code == 1 and [(r["engagement_id"], r["outcome"]) for r in lines] == [("E-1", "breach"), ("E-2", "rejected")]
    assert lines[1]["row"] == "3" and lines[1]["rule_id"] == "" and "start_date: '31/02/2025' is not a real day" in lines[1]["message"]
    code, out, _ = run(str(write_csv(tmp_path / "all.csv", rows[1:])), "--format", "csv")
    assert code == 3 and len(list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))) == 1


def test_an_agency_no_engagement_has_is_refused_with_the_agencies_there_are(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "agency": "Meridian Recruitment"}, {**COMPLIANT, "engagement_id": "E-2", "agency": "Oakfield"}]
    path = write_csv(tmp_path / "e.csv", rows)
    code, _, err = run(str(path), "--agency", "meridian")
    assert code == 2 and "no checked engagement has that agency (did you mean 'Meridian Recruitment'?)" in err and "'Oakfield'" in err
    assert run(str(path), "--agency", "MERIDIAN recruitment ")[0] == 0


def test_the_columns_command_refuses_what_the_check_refuses_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("Ref,SWE Number,Council,Job Title,Start,Agency,Worker Name\nA1,SW1,Kent,social_worker,01/11/2025,Acme,Jo\n", encoding="utf-8")
    base = '[columns]\nRef = "engagement_id"\n"SWE Number" = "worker_id"\nCouncil = "la_code"\n"Job Title" = "role"\nStart = "start_date"\n'
    for extra, says in [('"End Date" = "end_date"\n', "'End Date' (for end_date) that the file does not have"),
                        ('Agency = "la_code"\n', "the headers 'Council' (column 3) and 'Agency' (column 6) are both read as la_code (the column map reads")]:
        mapping = map_file(tmp_path, base + extra)
        code, out, err = run("columns", str(path), "--column-map", str(mapping))
        assert code == 2 and says in err and "a check would refuse" in err
        code, _, err = run(str(path), "--column-map", str(mapping))
        assert code == 2 and says in err
    code, out, _ = run("columns", str(path), "--column-map", str(map_file(tmp_path, base)))
    assert code == 0 and "did you mean worker_id" not in out  # already read from 'SWE Number'


def test_an_unknown_key_in_a_settings_file_suggests_the_one_meant(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, _, err = run(str(path), "--column-map", str(map_file(tmp_path, '[column]\n"A" = "agency"\n')))
    assert code == 2 and "column: unknown key (did you mean 'columns'?)" in err
    caps = tmp_path / "caps.toml"
    caps.write_text('[[cap]]\nregion = "London"\nrole = "social_worker"\neffective_from = 2025-01-01\npay_rat = 3\nsource = "x"\n', encoding="utf-8")
    code, _, err = run(str(path), "--caps", str(caps))
    assert code == 2 and "pay_rat: unknown key (did you mean 'pay_rate'?)" in err


def test_a_report_file_with_an_extension_no_format_has_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, _, err = run(str(path), "--output", str(tmp_path / "report.pdf"))
    assert code == 2 and "no report format has the extension '.pdf'" in err and not (tmp_path / "report.pdf").exists()
    code, _, err = run(str(path), "--output", str(tmp_path / "report.pdf"), "--format", "md")  # Markdown in a .pdf would mislead
    assert code == 2 and "no report format has the extension '.pdf'" in err and not (tmp_path / "report.pdf").exists()


@pytest.mark.slow
def test_a_terminal_report_grouped_by_many_agencies_draws_the_first_fifty_and_counts_the_rest(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "worker_id": f"SW{100000 + i}", "agency": f"Agency {i:03d}", "notice_period_weeks": "1"}
            for i in range(60)]
    path = write_csv(tmp_path / "e.csv", rows)
    code, out, _ = run(str(path), "--group-by", "agency")
    assert code == 1 and "agency: Agency 049" in out and "agency: Agency 050" not in out
    assert "… and 10 more agency groups (--limit 0 shows every one" in " ".join(out.split())
    code, out, _ = run(str(path), "--group-by", "agency", "--limit", "0")
    assert "agency: Agency 059" in out and "more agency groups" not in out


@pytest.mark.slow
def test_roles_read_the_same_in_every_human_format(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "role": "iro_cp_chair", "notice_period_weeks": "1"}])
    for output_format in ("table", "md", "html"):
        code, out, _ = run(str(path), "--format", output_format)
        assert code == 1 and "IRO or CP chair" in out and "iro_cp_chair" not in out and "iro cp chair" not in out


@pytest.mark.slow
def test_a_header_with_no_rows_says_it_holds_no_engagements(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(",".join(REQUIRED) + "\n", encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 0 and f"{path} holds a header row and no engagements: nothing in it was checked" in " ".join(out.split())
    code, out, _ = run(str(write_csv(tmp_path / "full.csv", [COMPLIANT])))
    assert "holds a header row and no engagements" not in out


@pytest.mark.slow
def test_a_web_page_named_like_a_spreadsheet_is_said_to_be_one(tmp_path: Path) -> None:
    pages = {"page.xls": "<html><body><table><tr><td>Assignment Ref</td></tr></table></body></html>",
             "bom.xls": "\ufeff\r\n<!DOCTYPE html><html></html>",
             "excel-2003.xls": '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'}
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        for command in ([], ["columns"]):
            code, _, err = run(*command, str(tmp_path / name))
            assert code == 2 and "this is a web page (HTML or XML), not a spreadsheet" in err and "save it as an Excel workbook (.xlsx) or CSV" in err
            assert "Assignment Ref" not in err
    (tmp_path / "board.html").write_text("<!doctype html><html><body><p>A board paper</p></body></html>")
    code, _, err = run(str(write_csv(tmp_path / "e.csv", [COMPLIANT])), str(tmp_path / "board.html"))
    assert code == 2 and "board.html: this is a web page, not an export (an HTML report or board paper" in err
    assert "named like one" not in err  # an .html file is named like a web page, not like a spreadsheet
    path = tmp_path / "notes.csv"
    path.write_text("engagement_id,worker_id,la_code,role,start_date,agency\nE-1,SW1,Kent,social_worker,2025-11-03,<html> Agency\n", encoding="utf-8")
    assert run(str(path))[0] != 2  # markup inside a cell is data


@pytest.mark.parametrize("columns", ["70", "90", "100", "110", "120", "140"])
def test_the_terminal_table_wraps_an_identifier_and_never_cuts_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    ident = "ENG-2025-LONGID-0000-ABCDEFGH"
    rows = [{**COMPLIANT, "engagement_id": ident, "agency": "Northdown Social Care Limited Partnership Services", "notice_period_weeks": "1"}]
    path = write_csv(tmp_path / "a-long-export-name-from-the-portal-2025-q3.csv", rows)
    for args in ([str(path), "--rule", "NOTICE001"], ["columns", str(path)]):
        code, out, _ = run(*args)
        assert "…" not in out
        cells = "".join(part.strip() for line in out.splitlines() for part in line.split("│")[2:3])  # the second column, joined
        assert args[0] == "columns" or ident in cells.replace(" ", "") or ident in out


@pytest.mark.slow
def test_council_filter_reads_the_maps_words_counts_notices_it_reports_and_accepts_a_council_with_only_rejected_rows(tmp_path: Path) -> None:
    base = {k: v for k, v in COMPLIANT.items() if k != "engagement_type"}
    rows = [{**base, "engagement_id": "E-1", "la_code": "Herts"}, {**base, "engagement_id": "E-2", "la_code": "Kent"},
            {**base, "engagement_id": "E-3", "la_code": "Kent"}, {**base, "engagement_id": "E-4", "la_code": "St Helens", "start_date": "2025-11-03 23:30"}]
    path = write_csv(tmp_path / "e.csv", rows)
    mapping = map_file(tmp_path, '[values.la_code]\nHerts = "E10000015"\n')
    code, out, _ = run(str(path), "--column-map", str(mapping), "--council", "Herts", "--format", "json")
    report = json.loads(out)
    assert code == 3 and report["summary"]["selection"]["engagements"] == 1
    assert [n["count"] for n in report["notices"] if n["kind"] == "assumed_individual"] == [1]
    code, out, _ = run(str(path), "--column-map", str(mapping), "--council", "Saint Helens", "--format", "json")
    report = json.loads(out)
    assert code == 3 and report["summary"]["selection"]["engagements"] == 0 and [r["engagement_id"] for r in report["rejected_rows"]] == ["E-4"]
    assert not [n for n in report["notices"] if n["kind"] == "assumed_individual"]


@pytest.mark.slow
def test_an_option_error_of_the_check_points_at_the_checks_own_help(tmp_path: Path) -> None:
    from .test_cli import agency_check

    result = agency_check(str(write_csv(tmp_path / "e.csv", [COMPLIANT])), "--fromat", "json")
    assert result.returncode == 2 and result.stderr.rstrip().endswith("(agency-check check -h lists the options)")
    result = agency_check("summary", "--fromat", "json")
    assert result.stderr.rstrip().endswith("(agency-check summary -h lists the options)")


def test_missing_required_columns_point_at_column_maps_even_when_some_headers_match(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("engagement_id,SWE No,la_code,role,start_date\nE-1,SW1,Kent,social_worker,2025-11-03\n", encoding="utf-8")
    code, _, err = run(str(path))
    assert code == 2 and "missing required column(s) worker_id; if the file names them otherwise, map its headers with --column-map" in err


def test_every_reason_a_reader_gives_has_a_code_in_the_catalogue_and_the_docs_are_generated_from_it() -> None:
    import importlib.util

    import polars as pl

    from agency_rules.inputs.columns import ENGAGEMENT_COLUMNS, HISTORY_COLUMNS
    from agency_rules.inputs.reasons import REJECTION_CODES

    from .conftest import REPO

    codes = {code for c in (*ENGAGEMENT_COLUMNS, *HISTORY_COLUMNS) for _, code, _ in c.kind.reasons(pl.lit("x"))}
    codes |= {"missing-value", "cell-too-long", "cell-count", "ends-before-start", "duplicate-key"}
    assert codes <= set(REJECTION_CODES), codes - set(REJECTION_CODES)
    from typing import get_args

    from agency_rules.engine.notices import NoticeKind
    from agency_rules.inputs.reasons import NOTICE_KINDS

    assert set(get_args(NoticeKind)) == set(NOTICE_KINDS)  # every kind of notice is typed and catalogued
    spec = importlib.util.spec_from_file_location("make_error_docs", REPO / "tools" / "make_error_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "errors.md").read_text(encoding="utf-8") == module.document()


@pytest.mark.slow
def test_rejected_rows_carry_codes_and_the_summary_groups_by_them(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "la_code": "Hertfordshre"}, {**COMPLIANT, "engagement_id": "E-2", "la_code": "Bradfrod"},
            {**COMPLIANT, "engagement_id": "E-3", "start_date": "03/11/2025 23:30"}, {**COMPLIANT, "engagement_id": "E-3"}]
    code, out, _ = run(str(write_csv(tmp_path / "e.csv", rows)), "--format", "json")
    report = json.loads(out)
    errors = {r["engagement_id"] + "/" + str(r["row"]): [e["code"] for e in r["errors"]] for r in report["rejected_rows"]}
    assert errors == {"E-1/2": ["near-council"], "E-2/3": ["near-council"], "E-3/4": ["time-of-day"], "E-3/5": ["duplicate-key"]}
    [summary] = report["rejection_summary"]  # two different 'did you mean' messages, one reason
    assert summary["code"] == "near-council" and summary["rows"] == 2 and summary["reason"] == "has values that are not a council's name, but close to one"
