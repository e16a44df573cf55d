"""Board summaries (issue 9): small counts hidden with their complements, each report counted once, no worker named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import fastexcel
import pytest

from agency_rules.board.suppression import suppress, with_totals

from .conftest import COMPLIANT, write_csv
from .test_cli import run

KENT, MEDWAY = "E10000016", "E06000035"


def test_small_counts_are_hidden_and_so_is_every_total_that_adds_one_up() -> None:
    grid = with_totals([[3, 10, 12], [20, 30, 40]])  # row totals 25, 90; column totals 23, 40, 52; 115
    assert suppress(grid, 5) == [["<5", 10, 12, "*"], [20, 30, 40, 90], ["*", 40, 52, "*"]]


def test_no_hidden_count_can_be_worked_out_from_what_is_shown() -> None:
    """Every hidden count can be any value from 1 to 4 with everything shown unchanged: the README's two councils, by brute force."""
    from itertools import product

    counts = [[0, 3, 1, 1, 0], [1, 5, 0, 1, 0]]  # Kent and Medway, five rules: the case a reader once solved exactly
    shown = suppress(with_totals(counts), 5)
    hidden = [(r, c) for r, row in enumerate(counts) for c, v in enumerate(row) if 0 < v < 5]
    for cell in hidden:
        possible = set()
        for values in product(range(1, 5), repeat=len(hidden)):
            trial = [row[:] for row in counts]
            for (r, c), v in zip(hidden, values):
                trial[r][c] = v
            if all(a == b or isinstance(a, str) for row_a, row_b in zip(suppress(with_totals(trial), 5), shown) for a, b in zip(row_a, row_b)):
                if [[isinstance(a, str) for a in row] for row in suppress(with_totals(trial), 5)] == [[isinstance(a, str) for a in row] for row in shown]:
                    possible.add(values[hidden.index(cell)])
        assert possible == {1, 2, 3, 4}, cell


def test_counts_of_five_and_zeros_are_shown_and_a_table_without_row_totals_hides_its_column_totals() -> None:
    assert suppress(with_totals([[5, 0], [6, 0]]), 5) == [[5, 0, 5], [6, 0, 6], [11, 0, 11]]
    assert suppress(with_totals([[4, 7], [0, 30], [9, 1]], row_totals=False), 5, row_totals=False) == [["<5", 7], [0, 30], [9, "<5"], ["*", "*"]]
    assert suppress(with_totals([[1]], row_totals=False), 5, row_totals=False) == [["<5"], ["<5"]]  # a small total is hidden itself
    assert suppress(with_totals([[6, 7], [0, 0]]), 5) == [[6, 7, 13], [0, 0, 0], [6, 7, 13]]


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


def test_a_board_summary_counts_by_council_and_rule_and_hides_small_counts(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=3, clean=10))
    medway = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=12, clean=2))
    summary = board(str(kent), str(medway))
    notice = rows_of(summary, "breach_by_council_and_rule")
    column = next(t for t in summary["tables"] if t["key"] == "breach_by_council_and_rule")["columns"].index("NOTICE001")
    assert notice["Kent"][column] == "<5" and notice["Medway"][column] == 12
    assert notice["Kent"][-1] == "<5" and notice["Total"][column] == "*" and notice["Total"][-1] == "*"  # 15 - 12 would give Kent's 3
    assert rows_of(summary, "rows_by_council") == {"Kent": [13, 0], "Medway": [14, 0], "Total": [27, 0]}
    assert rows_of(summary, "by_quarter")["2025 Q4"] == [15, 0, "-"]
    assert rows_of(summary, "by_agency") == {"Oakfield": [15, 0], "Total": [15, 0]}
    assert board(str(kent), str(medway), "--suppress-below", "3")["tables"][1]["rows"][0]["cells"][column] == 3


def test_the_same_report_given_twice_is_counted_once(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=6, clean=0))
    copy = tmp_path / "copy-of-kent.json"
    copy.write_bytes(kent.read_bytes())
    summary = board(str(kent), str(copy))
    assert rows_of(summary, "breach_by_council_and_rule")["Total"][-1] == 6
    assert any("copy-of-kent.json checked the same export(s) as" in note for note in summary["notes"])


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


@pytest.mark.parametrize("damage, says", [
    (lambda r: {**r, "schema_version": 2}, "report schema version 2"),
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


def test_a_narrowed_a_corrupt_or_an_overlapping_report_is_refused(tmp_path: Path) -> None:
    kent_csv = engagements(tmp_path, "kent", KENT, breaches=1, clean=1)
    medway_csv = engagements(tmp_path, "medway", MEDWAY, breaches=1, clean=1)
    narrowed = tmp_path / "narrowed.json"
    run(str(kent_csv), "--rule", "NOTICE001", "--output", str(narrowed), "--quiet")
    code, _, err = run("summary", str(narrowed))
    assert code == 2 and "was narrowed" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "tool": ')
    code, _, err = run("summary", str(broken))
    assert code == 2 and "broken.json: not a JSON report" in err
    pooled = tmp_path / "pooled.json"
    run(str(kent_csv), str(medway_csv), "--output", str(pooled), "--quiet")
    code, _, err = run("summary", str(report(tmp_path, kent_csv)), str(pooled))
    assert code == 2 and "counted twice" in err


def test_quarters_run_from_the_first_to_the_last_with_the_change_in_breaches(tmp_path: Path) -> None:
    a = report(tmp_path, engagements(tmp_path, "a", KENT, breaches=6, clean=0, start="2025-02-10"))
    b = report(tmp_path, engagements(tmp_path, "b", MEDWAY, breaches=9, clean=0, start="2025-08-01"))
    quarters = rows_of(board(str(a), str(b)), "by_quarter")
    assert quarters == {"2025 Q1": [6, 0, "-"], "2025 Q2": [0, 0, "-6"], "2025 Q3": [9, 0, "+9"], "Total": [15, 0, ""]}


def test_a_report_of_another_ruleset_is_refused_even_for_the_same_export(tmp_path: Path) -> None:
    export = engagements(tmp_path, "kent", KENT, breaches=2, clean=2)
    consultation = report(tmp_path, export)
    statutory = tmp_path / "statutory.json"
    run(str(export), "--ruleset", "statutory-2024", "--output", str(statutory), "--quiet")
    code, _, err = run("summary", str(consultation), str(statutory))
    assert code == 2 and "under ruleset statutory-2024" in err


def test_a_finding_in_two_reports_is_counted_once(tmp_path: Path) -> None:
    """An export saved again with a blank line has another hash, but its engagements are the same ones."""
    export = engagements(tmp_path, "kent", KENT, breaches=6, clean=0)
    again = tmp_path / "kent-again.csv"
    again.write_text(export.read_text() + "\n")
    summary = board(str(report(tmp_path, export)), str(report(tmp_path, again)))
    assert rows_of(summary, "breach_by_council_and_rule")["Total"][-1] == 6
    assert any("6 finding(s) stand in more than one report" in note for note in summary["notes"])


@pytest.mark.parametrize("damage, says", [
    (lambda r: {**r, "summary": {**r["summary"], "rows_checked": -5}}, "rows_checked is -5"),
    (lambda r: {**r, "summary": {**r["summary"], "rows_read": 10**300}}, "not a count of rows"),
    (lambda r: {**r, "findings": [{**r["findings"][0], "outcome": "weird"}]}, "outcome 'weird'"),
    (lambda r: {**r, "findings": [{**r["findings"][0], "start_date": "soon"}]}, "incomplete or damaged"),
    (lambda r: {**r, "summary": {k: v for k, v in r["summary"].items() if k != "by_council"}}, "older agency-check"),
    (lambda r: {"schema_version": 1, "kind": "board_summary"}, "this is a board summary"),
])
def test_a_damaged_report_is_refused_in_words(tmp_path: Path, damage, says: str) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    kent.write_text(json.dumps(damage(json.loads(kent.read_text()))))
    code, _, err = run("summary", str(kent))
    assert code == 2 and says in err and "Error" not in err


def test_a_json_report_given_to_the_check_points_at_the_summary(tmp_path: Path) -> None:
    kent = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=1, clean=1))
    code, _, err = run(str(kent))
    assert code == 2 and "this is JSON, not an export" in err and "agency-check summary" in err
    assert run("summary", str(kent), "--suppress-below", "1")[0] == 2
