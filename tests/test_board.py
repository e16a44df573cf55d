"""Board summaries (issue 9): small counts hidden with their complements, each report counted once, no worker named."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import fastexcel
import pytest

from .conftest import COMPLIANT, REPO, write_csv
from .test_cli import run
from .test_disclosure import audit

KENT, MEDWAY = "E10000016", "E06000035"


def engagements(tmp_path: Path, name: str, code: str, breaches: int, clean: int, agency: str = "Oakfield", start: str = "2025-11-03") -> Path:
    rows = [{**COMPLIANT, "engagement_id": f"{name}-{i}", "worker_id": f"SW{700000 + i}", "la_code": code, "agency": agency,
             "start_date": start, "notice_period_weeks": "1" if i < breaches else "6"} for i in range(breaches + clean)]
    return write_csv(tmp_path / f"{name}.csv", rows)


def report(tmp_path: Path, export: Path, *options: str) -> Path:
    out = tmp_path / (export.stem + ".json")
    code, _, err = run(str(export), "--output", str(out), "--quiet", *options)
    assert code in (0, 1, 3), err
    return out


def board(*args: str) -> dict:
    code, out, err = run("summary", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def rows_of(summary: dict, key: str) -> dict[str, list]:
    table = next(t for t in summary["tables"] if t["key"] == key)
    return {row["label"]: row["cells"] for row in table["rows"]}


@pytest.mark.slow
def test_a_board_summary_counts_by_council_and_rule_and_hides_small_counts(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=3, clean=10))
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=12, clean=2))
    summary = board(str(kent), str(medway))
    notice = rows_of(summary, "breach_by_council_and_rule")
    column = next(t for t in summary["tables"] if t["key"] == "breach_by_council_and_rule")["columns"].index("NOTICE001")
    assert notice["Kent"][column] == "<5" and notice["Kent"][-1] == "<5"
    assert notice["Total"][column] == 15 and notice["Total"][-1] == 15  # the region's totals are published
    assert notice["Medway"][column] == "*"  # 15 - 12 would give Kent's 3: Medway's count is hidden with it
    assert audit(summary) == []
    assert rows_of(summary, "rows_by_council") == {"Kent": [13, 0], "Medway": [14, 0], "Total": [27, 0]}
    assert rows_of(summary, "by_quarter")["2025 Q4"] == [15, 0, "n/a"]
    assert rows_of(summary, "by_agency") == {"Oakfield": [15, 0], "Total": [15, 0]}
    assert board(str(kent), str(medway), "--suppress-below", "3")["tables"][1]["rows"][0]["cells"][column] == 3


def test_the_same_report_given_twice_is_counted_once(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0))
    copy = tmp_path / "copy-of-kent.json"
    copy.write_bytes(kent.read_bytes())
    summary = board(str(kent), str(copy))
    assert rows_of(summary, "breach_by_council_and_rule")["Total"][-1] == 6
    assert any("copy-of-kent.json checked the same export(s) as" in note and f"so only {kent} is counted" in note
               for note in summary["notes"])
    assert not any("council not readable" in note for note in summary["notes"])  # no such row: no note of one


def test_two_checks_of_one_export_under_other_settings_are_refused_in_either_order(tmp_path: Path) -> None:
    """With caps and without, with the overlay and without: the paper would depend on which came first."""
    export = engagements(tmp_path, "kent", KENT, breaches=6, clean=0)
    plain = report(tmp_path, export)
    overlaid = plain.rename(tmp_path / "plain.json").with_name("overlaid.json")
    run(str(export), "--overlay", "south-east", "--output", str(overlaid), "--quiet")
    for given in ([tmp_path / "plain.json", overlaid], [overlaid, tmp_path / "plain.json"]):
        code, _, err = run("summary", *map(str, given))
        assert code == 2 and "checked the same export(s) under different settings (overlay:" in err
        assert f"no overlay in {tmp_path / 'plain.json'}" in err and "give one of them" in err


@pytest.mark.slow
def test_no_worker_or_engagement_identifier_appears_in_any_board_format(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1))
    for fmt in ("json", "md", "html", "table"):
        code, out, _ = run("summary", str(kent), "--format", fmt)
        assert code == 0 and not re.search(r"SW7\d{5}|kent-\d", out), fmt
    book = tmp_path / "board.xlsx"
    assert run("summary", str(kent), "--output", str(book))[0] == 0
    reader = fastexcel.read_excel(book)
    text = " ".join(str(v) for name in reader.sheet_names for row in reader.load_sheet(name, header_row=None).to_polars().rows() for v in row)
    assert "Breaches by council and rule" in text and not re.search(r"SW7\d{5}|kent-\d", text)
    for name in reader.sheet_names[1:]:  # each table's sheet carries the key to its marks
        sheet = " ".join(str(v) for row in reader.load_sheet(name, header_row=None).to_polars().rows() for v in row)
        assert "Marks: <5 is a count from 1 to 4" in sheet, name


@pytest.mark.slow
@pytest.mark.parametrize("damage, says", [
    (lambda r: {**r, "schema_version": 2}, "report schema version 2"),
    (lambda r: {**r, "schema_version": True}, "report schema version true"),
    (lambda r: {**r, "schema_version": 1.0}, "report schema version 1.0"),
    (lambda r: {**r, "ruleset": "statutory-2024"}, "under ruleset statutory-2024"),
    (lambda r: {**r, "findings": "many"}, "incomplete or damaged"),
    (lambda r: {**r, "tool": {"name": "something else"}}, "not a JSON report of agency-check"),
])
def test_reports_that_cannot_be_counted_together_are_refused_naming_the_file(tmp_path: Path, damage, says: str) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=1, clean=1))
    medway.write_text(json.dumps(damage(json.loads(medway.read_text()))))
    code, _, err = run("summary", str(kent), str(medway))
    assert code == 2 and str(medway) in err and says in err


@pytest.mark.slow
def test_a_narrowed_a_corrupt_or_an_overlapping_report_is_refused(tmp_path: Path) -> None:
    kent_csv = engagements(tmp_path, "kent", KENT, breaches=1, clean=1)
    medway_csv = engagements(tmp_path, "medway", MEDWAY, breaches=1, clean=1)
    narrowed = tmp_path / "narrowed.json"
    run(str(kent_csv), "--rule", "NOTICE001", "--output", str(narrowed), "--quiet")
    code, _, err = run("summary", str(narrowed))
    assert code == 2 and "was narrowed to 'rule NOTICE001'" in err and "(dict)" not in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "tool": ')
    code, _, err = run("summary", str(broken))
    assert code == 2 and "broken.json: not a JSON report" in err and "cut short" in err
    code, _, err = run("summary", str(kent_csv))  # an export given where a report belongs
    assert code == 2 and "kent.csv: not a JSON report" in err and "--format json --output report.json" in err
    pooled = tmp_path / "pooled.json"
    run(str(kent_csv), str(medway_csv), "--output", str(pooled), "--quiet")
    kent = report(tmp_path, kent_csv)
    for given in ([kent, pooled], [pooled, kent]):  # which holds which is said the same way, whichever comes first
        code, _, err = run("summary", *map(str, given))
        assert code == 2 and "counted twice" in err and f"{pooled} already holds every export {kent} checked" in err
        assert "give either the pooled report or the councils' own reports, not both" in err


def test_a_report_given_twice_and_a_paper_given_as_a_report_are_refused_saying_what_to_do(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    code, _, err = run("summary", str(kent), str(tmp_path / "." / "kent.json"))
    assert code == 2 and "kent.json: given twice" in err and "give each report once" in err
    for paper in ("board.html", "board.md", "board.xlsx"):  # the output's name without --output: missing, then there
        code, _, err = run("summary", str(kent), str(tmp_path / paper))
        assert code == 2 and f"{paper}: no such report; to write the paper to this file, name it with --output" in err
        (tmp_path / paper).write_text("<p>an earlier paper</p>")
        code, _, err = run("summary", str(kent), str(tmp_path / paper))
        assert code == 2 and "not a JSON report" in err and "name it with --output" in err
    code, _, err = run("summary", str(kent), str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json: no such file" in err


def test_personal_data_and_an_overlay_not_applied_are_warned_of_on_the_terminal_as_well_as_in_the_paper(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=1))
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=6, clean=1), "--overlay", "south-east")
    code, out, err = run("summary", str(kent), str(medway), "--format", "md")
    assert code == 0 and f"warning: {kent}, {medway} name workers by registration number" in err
    assert f"warning: checked without its region's overlay: {kent} (Kent: --overlay south-east)" in err
    assert "without their region's overlay" in out and str(medway) not in err.split("overlay:")[1]
    code, _, err = run("summary", str(kent), str(medway), "--format", "md", "--quiet")
    assert code == 0 and err == ""


@pytest.mark.slow
def test_quarters_run_from_the_first_to_the_last_with_the_change_in_breaches(tmp_path: Path) -> None:
    a = report(tmp_path, engagements(tmp_path, "a", KENT, breaches=6, clean=0, start="2025-02-10"))
    b = report(tmp_path, engagements(tmp_path, "b", MEDWAY, breaches=9, clean=0, start="2025-08-01"))
    quarters = rows_of(board(str(a), str(b)), "by_quarter")
    assert quarters == {"2025 Q1": [6, 0, "n/a"], "2025 Q2": [0, 0, "-6"], "2025 Q3": [9, 0, "+9"], "Total": [15, 0, ""]}


@pytest.mark.slow
def test_a_report_of_another_ruleset_is_refused_even_for_the_same_export(tmp_path: Path) -> None:
    export = engagements(tmp_path, "kent", KENT, breaches=2, clean=2)
    consultation = report(tmp_path, export)
    statutory = tmp_path / "statutory.json"
    run(str(export), "--ruleset", "statutory-2024", "--output", str(statutory), "--quiet")
    code, _, err = run("summary", str(consultation), str(statutory))
    assert code == 2 and "under ruleset statutory-2024" in err


@pytest.mark.slow
def test_a_finding_in_two_reports_is_counted_once(tmp_path: Path) -> None:
    """An export saved again with a blank line has another hash, but its engagements are the same ones."""
    export = engagements(tmp_path, "kent", KENT, breaches=6, clean=0)
    again = tmp_path / "kent-again.csv"
    again.write_text(export.read_text() + "\n")
    summary = board(str(report(tmp_path, export)), str(report(tmp_path, again)))
    assert rows_of(summary, "breach_by_council_and_rule")["Total"][-1] == 6
    assert any("Some findings stand in more than one report" in note for note in summary["notes"])
    assert "12 engagements checked (an engagement in two of these reports" in summary["notes"][0]  # the headline says so


def first(r: dict, **changes) -> dict:
    return {**r, "findings": [{**r["findings"][0], **changes}, *r["findings"][1:]]}


@pytest.mark.parametrize("damage, says", [
    (lambda r: {**r, "summary": {**r["summary"], "rows_checked": -5}}, "summary.rows_checked: Input should be greater than or equal to 0"),
    (lambda r: {**r, "summary": {**r["summary"], "rows_read": 10**300}}, "summary.rows_read: Input should be less than or equal to"),
    (lambda r: first(r, outcome="weird"), "findings[0].outcome: Input should be 'breach', 'unknown' or 'waived' (it is 'weird')"),
    (lambda r: first(r, start_date="soon"), "findings[0].start_date: not a date written YYYY-MM-DD"),
    (lambda r: first(r, start_date="0001-01-01"), "findings[0].start_date: a date outside 1900-2099"),
    (lambda r: first(r, start_date="9999-12-31"), "findings[0].start_date: a date outside 1900-2099"),
    (lambda r: first(r, start_date=None), "findings[0].start_date: not a date written YYYY-MM-DD"),
    (lambda r: first(r, la_code=10000016), "findings[0].la_code: Input should be a valid string"),
    (lambda r: first(r, la_code="E99999999"), "findings[0].la_code: not the ONS code of an English council"),
    (lambda r: first(r, agency=["a list"]), "findings[0].agency: Input should be a valid string"),
    (lambda r: {**r, "inputs": [{k: v for k, v in i.items() if k != "sha256"} for i in r["inputs"]]}, "inputs[0].sha256: Field required"),
    (lambda r: {**r, "summary": {**r["summary"], "by_council": {"E99999999": {"rows_checked": 2}}}}, "summary.by_council.E99999999 (as a key): not the ONS code of an English council"),
    (lambda r: {**r, "summary": {**r["summary"], "by_council": {}}}, "summary.by_council adds up to 0 engagements, not rows_checked (2)"),
    (lambda r: {**r, "summary": {**r["summary"], "rows_read": 3}}, "summary.rows_read is 3, not rows_checked + rows_rejected (2 + 0)"),
    (lambda r: {**r, "summary": {**r["summary"], "by_rule": {**r["summary"]["by_rule"], "NOTICE001": {**r["summary"]["by_rule"]["NOTICE001"], "breach": 0}}}},
     "summary.by_rule.NOTICE001.breach is 0, but the findings hold 1"),
    (lambda r: {**r, "findings": r["findings"] * 2}, "summary.by_rule.NOTICE001.breach is 1, but the findings hold 2"),
    (lambda r: first(r, file="made-up.csv"), "findings hold file 'made-up.csv', which is not among the exports"),
    (lambda r: first(r, engagement_id=" "), "findings hold a finding with no engagement id"),
    (lambda r: {**r, "summary": {**r["summary"], "by_rule": {**r["summary"]["by_rule"], "REF001": {**r["summary"]["by_rule"]["REF001"], "pass": 7}}}},
     "summary.by_rule.REF001 counts 7 outcomes, but every engagement checked (2) has one"),
    (lambda r: {**r, "summary": {k: v for k, v in r["summary"].items() if k != "by_council"}}, "older agency-check"),
    (lambda r: {"schema_version": 1, "kind": "board_summary"}, "this is a board summary"),
])
def test_a_damaged_report_is_refused_in_words(tmp_path: Path, damage, says: str) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    kent.write_text(json.dumps(damage(json.loads(kent.read_text()))))
    code, _, err = run("summary", str(kent))
    assert code == 2 and says in err and "Error" not in err and "Traceback" not in err


def test_a_json_report_given_to_the_check_points_at_the_summary(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    code, _, err = run(str(kent))
    assert code == 2 and "this is JSON, not an export" in err and "agency-check summary" in err
    assert run("summary", str(kent), "--suppress-below", "1")[0] == 2
    assert run("summary", str(kent), "--suppress-below", "2")[0] == 2  # a count shown as <2 is a 1: no secret


def test_a_pooled_report_whose_files_reuse_engagement_ids_is_counted_whole(tmp_path: Path) -> None:
    """Two files of one council, each with ids kent-0..kent-5: twelve findings, not six, and no note of findings in two reports."""
    first = engagements(tmp_path, "kent", KENT, breaches=6, clean=0)
    (tmp_path / "later").mkdir()
    second = engagements(tmp_path / "later", "kent", KENT, breaches=6, clean=0, start="2025-12-01")
    pooled = tmp_path / "pooled.json"
    run(str(first), str(second), "--output", str(pooled), "--quiet")
    summary = board(str(pooled))
    assert rows_of(summary, "breach_by_council_and_rule")["Total"][-1] == 12
    assert not any("more than one report" in note for note in summary["notes"])


@pytest.mark.slow
def test_separate_reports_say_that_cooling_off_across_them_went_unchecked(tmp_path: Path) -> None:
    kent = engagements(tmp_path, "kent", KENT, breaches=6, clean=1)
    medway = engagements(tmp_path, "medway", MEDWAY, breaches=6, clean=1)
    separate = board(str(report(tmp_path, kent)), str(report(tmp_path, medway)))
    note = next(note for note in separate["notes"] if "checked separately" in note)
    assert "cooling-off was checked across the councils of one report, not across reports" in note
    assert "kent.json: Kent" in note and "medway.json: Medway" in note, note  # which councils each report pooled
    pooled = tmp_path / "pooled.json"
    run(str(kent), str(medway), "--output", str(pooled), "--quiet")
    assert not any("checked separately" in note for note in board(str(pooled))["notes"])


@pytest.mark.slow
def test_every_format_names_each_rule_with_its_title_and_region_total(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1))
    rules = {r["rule_id"]: r for r in board(str(kent))["rules"]}
    assert rules["NOTICE001"] == {"rule_id": "NOTICE001", "title": "Six weeks' reciprocal notice", "breaches": 7,
                                  "evaluated_for": "every engagement it applies to"}
    for fmt in ("table", "md", "html"):
        code, out, _ = run("summary", str(kent), "--format", fmt)
        out = html.unescape(out) if fmt == "html" else out
        assert code == 0 and "Six weeks' reciprocal notice" in out and "Three-month cooling-off" in out, fmt


def test_markdown_writes_counts_and_marks_as_themselves_and_an_agency_s_markup_escaped(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=3, clean=1))
    code, out, _ = run("summary", str(kent), "--format", "md")
    assert code == 0 and "| <5 |" in out and "&lt;" not in out
    a = report(tmp_path, engagements(tmp_path, "a", KENT, breaches=6, clean=0, start="2025-02-10", agency="*Star* Locums"))
    b = report(tmp_path, engagements(tmp_path, "b", MEDWAY, breaches=13, clean=0, start="2025-05-12", agency="*Star* Locums"))
    code, out, _ = run("summary", str(a), str(b), "--format", "md")
    assert code == 0 and "| 2025 Q2 | 13 | 0 | +7 |" in out and "\\+" not in out
    assert "| \\*Star\\* Locums |" in out  # an agency's name is text from a file: never markup


@pytest.mark.slow
def test_text_that_looks_like_mathematics_is_drawn_as_text(tmp_path: Path) -> None:
    """matplotlib reads $...$ as mathematics and fails on some; a board's labels are never read so."""
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0, agency="$\\frac{a}{$ Locums"))
    code, out, err = run("summary", str(kent), "--format", "html")
    assert code == 0 and "Traceback" not in err and "$\\frac{a}{$ Locums" in out


@pytest.mark.slow
@pytest.mark.parametrize("agency", ["Locum SW310001 Ltd", "Locum sw 310001", "Agency_310001-A", "P-0123456789abcdef0123 Staffing"])
def test_a_worker_id_inside_an_agency_name_never_reaches_the_paper(tmp_path: Path, agency: str) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0, agency=agency))
    for fmt in ("json", "md", "html", "table"):
        code, out, _ = run("summary", str(kent), "--format", fmt)
        assert code == 0 and "worker id" in out and not re.search(r"(?i)310001|0123456789abcdef0123", out), fmt


def test_a_council_with_more_findings_of_a_rule_than_engagements_checked_is_refused(tmp_path: Path) -> None:
    """Every count agrees but one: Kent holds two NOTICE001 breaches though it had one engagement checked."""
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    document = json.loads(kent.read_text())
    document["findings"].append({**document["findings"][0], "engagement_id": "made-up"})
    document["summary"]["by_rule"]["NOTICE001"] = {**document["summary"]["by_rule"]["NOTICE001"], "breach": 2, "pass": 0}
    document["summary"]["by_council"] = {KENT: {"rows_checked": 1}, MEDWAY: {"rows_checked": 1}}
    kent.write_text(json.dumps(document))
    code, _, err = run("summary", str(kent))
    assert code == 2 and "hold 2 outcomes of rule NOTICE001 at E10000016, which summary.by_council says had 1 engagements checked" in err


@pytest.mark.parametrize("text, says", [
    ('"findings": [], "findings": []', "the key 'findings' stands twice in one object"),
    ('"padding": ' + "9" * 5000, "a number thousands of digits long"),
])
def test_a_report_with_a_key_twice_or_a_number_too_long_is_refused_in_words(tmp_path: Path, text: str, says: str) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    kent.write_text("{" + text + ", " + kent.read_text().lstrip()[1:])
    code, _, err = run("summary", str(kent))
    assert code == 2 and says in err and "Traceback" not in err and "internal error" not in err


@pytest.mark.slow
def test_reports_under_rulesets_of_one_name_but_other_rules_are_refused(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=1, clean=1))
    document = json.loads(medway.read_text())
    document["inputs"] = [{**i, "sha256": "0" * 64} if i["kind"] == "ruleset" else i for i in document["inputs"]]
    medway.write_text(json.dumps(document))
    code, _, err = run("summary", str(kent), str(medway))
    assert code == 2 and "medway.json: checked under a ruleset file called consultation-2023 that differs" in err


def test_the_board_json_writes_controls_in_names_as_escapes(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0, agency="Oak\x07field"))
    code, out, _ = run("summary", str(kent), "--format", "json")
    assert code == 0 and "\x07" not in out and "\\u0007" in out


def test_a_rule_evaluated_for_no_engagement_says_so_and_is_never_a_zero(tmp_path: Path) -> None:
    """Without a cap table the cap rules evaluate nothing: the board reads 'not evaluated', not 0 breaches."""
    kent = json.loads(report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1)).read_text())
    assert kent["summary"]["by_rule"]["CAP001"]["not_evaluated"] == 8  # what the test stands on
    paper = board(str(tmp_path / "kent.json"))
    rules = {r["rule_id"]: r for r in paper["rules"]}
    assert rules["CAP001"]["breaches"] == "not evaluated" and rules["CAP001"]["evaluated_for"] == "no engagement"
    assert "CAP001" not in next(t for t in paper["tables"] if t["key"] == "breach_by_council_and_rule")["columns"]
    code, out, _ = run("summary", str(tmp_path / "kent.json"), "--format", "md")
    assert code == 0 and "| CAP001 |" in out and "not evaluated" in out and "not known, not zero" in out


@pytest.mark.parametrize("breaches, clean, said", [(7, 1, "Kent (South East), breaches and unknowns on engagements starting 2025 Q4 to 2025 Q4: 8 engagements checked; 7 breaches; 0 unknown"),
                                                 (2, 1, "fewer than 5 engagements checked; fewer than 5 breaches")])
def test_the_preamble_says_the_engagements_checked_as_the_paper_publishes_them(tmp_path: Path, breaches: int, clean: int, said: str) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=breaches, clean=clean))
    assert said in board(str(kent))["notes"][0]


@pytest.mark.slow
def test_a_rule_title_says_what_the_overlay_changed_and_the_terms_are_named(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1), "--overlay", "south-east")
    paper = board(str(kent))
    cooling_off = next(r for r in paper["rules"] if r["rule_id"] == "COOL001")
    assert cooling_off["title"] == "Three-month cooling-off after a permanent role in the same region (overlays: months 6 in South East)"
    assert "regional terms: South East Memorandum of Understanding, for its region's councils" in paper["notes"][1]
    plain = board(str(report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=7, clean=1))))
    assert "regional terms: none" in plain["notes"][1]


@pytest.mark.slow
def test_a_report_named_after_a_worker_is_not_named_on_the_paper(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1))
    named = kent.rename(tmp_path / "SW310004.json")
    for fmt in ("table", "md", "json", "html"):
        code, out, _ = run("summary", str(named), "--format", fmt)
        joined = "".join(out.split())  # a narrow table wraps a cell's words over lines
        assert code == 0 and "SW310004" not in joined and "310004.json" not in joined, fmt
        assert fmt == "table" or "worker id" in html.unescape(out), fmt


def test_a_contract_check_given_as_a_report_is_named_for_what_it_is(tmp_path: Path) -> None:
    checked = tmp_path / "contracts.json"
    run("contract", str(REPO / "fixtures" / "contracts"), "--ruleset", "statutory-2024", "--format", "json", "-o", str(checked))
    code, _, err = run("summary", str(checked))
    assert code == 2 and "this is a contract check" in err and "damaged" not in err


SOCIAL_WORKER_CAP = """[[cap]]
region = "South East"
role = "social_worker"
effective_from = 2024-04-01
pay_rate = 35.00
pay_rate_paye = 30.50
agency_fee = 4.50
framework_fee = 0.75
source = "a test's figure"
"""


@pytest.mark.slow
def test_a_council_whose_report_evaluated_a_rule_for_none_of_its_engagements_shows_n_e_not_0(tmp_path: Path) -> None:
    """Kent checked with a cap for social workers only (two of its three engagements evaluated), Medway with no caps at all:
    Medway's cap cells are n/e in both council tables and the heat map's key, never a 0; Kent's are counts, with a note
    naming its report as evaluated for some engagements only. The by-rule table says 'some'."""
    caps = tmp_path / "caps.toml"
    caps.write_text(SOCIAL_WORKER_CAP)
    rows = [{**COMPLIANT, "engagement_id": f"k-{i}", "worker_id": f"SW{720000 + i}", "la_code": KENT,
             "role": "team_manager" if i == 2 else "social_worker", "pay_rate": "36.00" if i == 0 else "34.00"} for i in range(3)]
    kent = report(tmp_path, write_csv(tmp_path / "kent.csv", rows), "--caps", str(caps))
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=6, clean=1))
    counts = json.loads(kent.read_text())["summary"]["by_rule"]["CAP001"]
    assert (counts["breach"], counts["pass"], counts["not_evaluated"]) == (1, 1, 1)  # what the test stands on
    paper = board(str(kent), str(medway))
    table = next(t for t in paper["tables"] if t["key"] == "breach_by_council_and_rule")
    column = table["columns"].index("CAP001")
    for key in ("breach_by_council_and_rule", "unknown_by_council_and_rule"):
        cells = rows_of(paper, key)
        assert cells["Medway"][column] == "n/e" and cells["Kent"][column] != "n/e", key
    assert rows_of(paper, "breach_by_council_and_rule")["Kent"][column] == "<5"
    assert {r["rule_id"]: r for r in paper["rules"]}["CAP001"]["evaluated_for"] == "some engagements it applies to"
    notes = " ".join(paper["notes"])
    assert "n/e is a rule not evaluated for any of that council's engagements" in notes
    assert f"CAP001, CAP002, CAP003 in {kent}; CAP001, CAP002, CAP003 in {medway} (for none of its engagements: n/e" in notes
    assert "Some rules were not evaluated for every engagement, so their counts are of those evaluated" in paper["notes"][0]
    assert audit(paper) == []
    code, out, _ = run("summary", str(kent), str(medway), "--format", "md")
    assert code == 0 and "| Medway |" in out and re.search(r"\| Medway \|[^\n]*\| n/e \| n/e \|", out)
    alone = board(str(report(tmp_path, engagements(tmp_path, "kent2", KENT, breaches=6, clean=1), "--caps", str(caps))))
    assert "n/e" not in json.dumps(alone) and "not evaluated for every" not in json.dumps(alone)  # every engagement evaluated


@pytest.mark.slow
def test_a_rule_not_applicable_to_any_engagement_and_not_evaluated_for_the_rest_is_not_evaluated(tmp_path: Path) -> None:
    """Four engagements a cap cannot be checked for and four it does not apply to: it was evaluated for none of them, so
    'not evaluated', though fewer engagements were not evaluated than were checked."""
    rows = [{**COMPLIANT, "engagement_id": f"e-{i}", "worker_id": f"SW{710000 + i}", "la_code": KENT,
             "start_date": "2024-06-03" if i < 4 else "2025-11-03", "end_date": "2024-09-30" if i < 4 else ""}
            for i in range(8)]  # four ended before the statutory rules applied; no cap table for the other four
    kent = report(tmp_path, write_csv(tmp_path / "kent.csv", rows), "--ruleset", "statutory-2024")
    counts = json.loads(kent.read_text())["summary"]["by_rule"]
    assert (counts["CAP001"]["not_applicable"], counts["CAP001"]["not_evaluated"]) == (4, 4)  # what the test stands on
    rules = {r["rule_id"]: r for r in board(str(kent))["rules"]}
    assert rules["CAP001"]["breaches"] == "not evaluated"
    for rule, found in rules.items():
        evaluated = sum(counts[rule].get(o, 0) for o in ("pass", "breach", "unknown", "waived"))
        if evaluated == 0 and counts[rule].get("not_evaluated", 0):
            assert found["breaches"] == "not evaluated" and found["evaluated_for"] == "no engagement", rule
        elif evaluated == 0:
            assert found["breaches"] == 0 and found["evaluated_for"].startswith("none: it applies to no"), rule
        else:
            assert found["evaluated_for"].endswith("it applies to"), rule


@pytest.mark.slow
def test_a_hidden_change_between_quarters_is_said_in_words_not_as_a_count_of_five_or_more(tmp_path: Path) -> None:
    first = engagements(tmp_path, "kent", KENT, breaches=6, clean=1, start="2025-08-04")
    second = engagements(tmp_path, "medway", MEDWAY, breaches=2, clean=1, start="2025-11-03")
    summary = board(str(report(tmp_path, first)), str(report(tmp_path, second)))
    quarters = rows_of(summary, "by_quarter")
    assert quarters["2025 Q4"][0] == "<5" and quarters["2025 Q4"][-1] == "hidden", quarters
    assert all(cells[-1] != "*" for cells in quarters.values())


@pytest.mark.slow
def test_a_summary_of_an_export_with_no_engagement_counts_zeros_and_hides_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(COMPLIANT) + "\n", encoding="utf-8")
    paper = board(str(report(tmp_path, empty)))
    opening = paper["notes"][0]
    assert opening.startswith("No council: 0 engagements checked; 0 breaches; 0 unknown outcomes"), opening
    assert {r["breaches"] for r in paper["rules"]} <= {0, "not evaluated"}


def test_the_paper_warns_against_publishing_it_beside_an_overlapping_one(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1))
    assert any("Do not publish this paper beside another" in note for note in board(str(kent))["notes"])


@pytest.mark.slow
def test_the_html_charts_say_how_a_hidden_count_is_drawn(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=2, clean=1))
    code, out, _ = run("summary", str(kent), "--format", "html")
    text = html.unescape(out)
    assert code == 0 and "a hidden count (<5 or *) has no bar, only its mark" in text
    assert "a quarter whose count is hidden is a grey band" in text


@pytest.mark.slow
def test_the_paper_says_which_columns_an_export_lacked_and_which_rules_read_them(tmp_path: Path) -> None:
    rows = [{k: v for k, v in {**COMPLIANT, "engagement_id": f"e-{i}", "worker_id": f"SW{720000 + i}", "la_code": KENT}.items()
             if k != "engagement_type"} for i in range(6)]
    kent = report(tmp_path, write_csv(tmp_path / "kent.csv", rows))
    note = next(note for note in board(str(kent))["notes"] if "lacked columns" in note)
    assert "the exports checked by" in note and "kent.json lack engagement_type" in note and "PROJ001" in note, note
    with_type = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=1, clean=5))
    assert not any("engagement_type" in note for note in board(str(with_type))["notes"])
    rows = [{**row, "engagement_id": f"m-{i}", "worker_id": f"SW{730000 + i}", "la_code": MEDWAY} for i, row in enumerate(rows)]
    medway = report(tmp_path, write_csv(tmp_path / "medway-bare.csv", rows))
    [note] = [note for note in board(str(kent), str(medway))["notes"] if "lacked columns" in note]
    assert note.count("engagement_type") == 1 and "kent.json, " in note, note  # reports lacking the same columns said once


def test_the_paper_names_the_rulesets_title_so_proposals_are_not_read_as_guidance_in_force(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1))
    said = board(str(kent))["notes"][1]
    assert "under ruleset consultation-2023 (DfE consultation proposals (2023))" in said, said


def test_a_report_whose_findings_name_a_council_its_counts_lack_is_refused_in_words(tmp_path: Path) -> None:
    """Two findings of one rule at Kent, while summary.by_council names only Medway: refused naming Kent, not an internal error."""
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=2, clean=0))
    damaged = json.loads(kent.read_text())
    damaged["summary"]["by_council"] = {MEDWAY: {"rows_checked": 2}}
    kent.write_text(json.dumps(damaged))
    code, _, err = run("summary", str(kent))
    assert code == 2 and KENT in err and "internal error" not in err and "Traceback" not in err, err


def test_a_report_far_over_the_limit_is_refused_without_being_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import agency_rules.board.reports as reports
    from agency_rules.inputs.files import read_bounded

    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(200 << 20)  # sparse: 200 MiB of nothing
    reads: list[int] = []

    def counted(path: Path, most: int) -> bytes:
        reads.append(len(data := read_bounded(path, most)))
        return data

    monkeypatch.setattr(reports, "read_bounded", counted)
    code, _, err = run("summary", str(big))
    assert code == 2 and "larger than 64 MiB" in err and reads == [(64 << 20) + 1], (reads, err)


@pytest.mark.parametrize("command", ["summary", "contract"])
def test_output_dash_is_standard_output_for_the_summary_and_the_contract_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    if command == "summary":
        args = [str(report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1)))]
    else:
        args = [str(REPO / "fixtures" / "contracts"), "--caps", str(REPO / "fixtures" / "contract-caps.toml")]
    code, out, _ = run(command, *args, "--format", "json", "-o", "-")
    assert code in (0, 1) and json.loads(out) and not (tmp_path / "-").exists()


def test_the_paper_says_why_a_rule_was_not_evaluated_in_the_reports_words(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=7, clean=1))
    paper = board(str(kent))
    note = paper["rules_note"]
    assert "CAP001: no caps file was given" in note and "CAP003: no caps file" in note, note
    assert "kent-" not in note  # the notices' engagement ids stay out


def test_a_rule_title_an_overlay_changed_says_which_reports_were_checked_without_it(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0), "--overlay", "south-east")
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=6, clean=0))
    titles = {r["rule_id"]: r["title"] for r in board(str(kent), str(medway))["rules"]}
    assert "(overlays: months 6 in South East)" in titles["COOL001"] and "[not applied in " in titles["COOL001"]
    assert "medway.json]" in titles["COOL001"] and "not applied" not in titles["NOTICE001"]
    alone = {r["rule_id"]: r["title"] for r in board(str(kent))["rules"]}
    assert "not applied" not in alone["COOL001"]


def test_a_report_of_registration_numbers_is_said_to_be_personal_data_and_a_pseudonymised_one_is_not(tmp_path: Path) -> None:
    raw = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0))
    assert any("checked exports with registration numbers, not pseudonyms" in n for n in board(str(raw))["notes"])
    key = tmp_path / "region.key"
    assert run("pseudonymise", "--new-key", str(key))[0] == 0
    assert run("pseudonymise", str(tmp_path / "kent.csv"), "--key-file", str(key), "--output-dir", str(tmp_path / "p"))[0] == 0
    pseudonymised = report(tmp_path, tmp_path / "p" / "kent.csv")
    assert not any("registration numbers, not pseudonyms" in n for n in board(str(pseudonymised))["notes"])


@pytest.mark.slow
def test_a_council_whose_name_holds_a_comma_reads_as_one_council_in_the_headline(tmp_path: Path) -> None:
    """'Herefordshire, County of' (the DfE's name) among others: the list is split by semicolons, not commas."""
    reports = [report(tmp_path, engagements(tmp_path, name, code, breaches=6, clean=1))
               for name, code in (("hereford", "E06000019"), ("coventry", "E08000026"), ("sandwell", "E08000028"))]
    headline = board(*map(str, reports))["notes"][0]
    assert headline.startswith("Coventry; Herefordshire, County of; and Sandwell (West Midlands)")
    assert board(*map(str, reports[1:]))["notes"][0].startswith("Coventry and Sandwell (West Midlands)")


@pytest.mark.slow
def test_a_start_date_typed_a_century_early_costs_one_row_of_quarters_not_four_hundred(tmp_path: Path) -> None:
    """1925 Q2 to 2025 Q4 is 403 quarters, each a line the disclosure control solves over (800 took minutes): the last 39
    are listed and the earlier counted together, with a note, a warning, and no change across the row of many."""
    early = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0, start="1925-05-12"))
    late = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=7, clean=0, start="2025-11-03"))
    code, out, err = run("summary", str(early), str(late), "--format", "json")
    paper = json.loads(out)
    quarters = rows_of(paper, "by_quarter")
    assert code == 0 and len(quarters) == 40 + 1  # 39 quarters, the earlier ones, the total
    assert list(quarters)[:2] == ["before 2016 Q2", "2016 Q2"] and list(quarters)[-2:] == ["2025 Q4", "Total"]
    assert quarters["before 2016 Q2"] == [6, 0, "n/a"] and quarters["2016 Q2"] == [0, 0, "n/a"]
    assert quarters["2025 Q4"] == [7, 0, "+7"] and quarters["Total"][:2] == [13, 0]
    assert "starting from before 2016 Q2 to 2025 Q4" in paper["notes"][0]
    assert "The quarters before 2016 Q2 are counted together" in json.dumps(paper)
    assert "warning: the findings' start dates span more than 10 years" in err
    assert audit(paper) == []
    near = board(str(late), str(report(tmp_path, engagements(tmp_path, "b", MEDWAY, breaches=6, clean=0, start="2016-02-01"))))
    assert "before" not in " ".join(rows_of(near, "by_quarter"))  # 2016 Q1 to 2025 Q4 is 40 quarters: each listed


def test_regional_terms_this_tool_does_not_ship_are_said_to_be_missing_from_the_rule_titles(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=1), "--overlay", "south-east")
    document = json.loads(kent.read_text())
    document["overlays"] = ["kent-own-terms"]
    kent.write_text(json.dumps(document))
    code, out, err = run("summary", str(kent), "--format", "json")
    paper = json.loads(out)
    assert code == 0 and "kent-own-terms is not an overlay this tool ships" in err
    assert any("Regional terms kent-own-terms is not an overlay this tool ships" in note and str(kent) in note for note in paper["notes"])
    assert "(overlays:" not in next(r for r in paper["rules"] if r["rule_id"] == "COOL001")["title"]  # what it stands on


def test_workbooks_write_control_characters_from_a_file_as_visible_escapes(tmp_path: Path) -> None:
    """xlsxwriter would store ESC as _x001B_, which Excel turns back into ESC: a workbook shows it as \\x1b instead."""
    export = engagements(tmp_path, "kent", KENT, breaches=6, clean=0, agency="Oak\x1b[2Jfield\x07")
    kent = report(tmp_path, export)
    for args, book in ((["summary", str(kent)], tmp_path / "board.xlsx"), ([str(export)], tmp_path / "check.xlsx")):
        code, _, err = run(*args, "--output", str(book))
        assert code in (0, 1), err
        reader = fastexcel.read_excel(book)
        text = " ".join(str(v) for name in reader.sheet_names
                        for row in reader.load_sheet(name, header_row=None).to_polars().rows() for v in row)
        assert "Oak\\x1b[2Jfield\\x07" in text and "\x1b" not in text and "\x07" not in text, book
