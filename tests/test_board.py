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


def test_small_counts_are_hidden_and_so_is_a_cell_that_would_give_one_back() -> None:
    grid = with_totals([[3, 10, 12], [20, 30, 40]])  # row totals 25, 90; column totals 23, 40, 52; 115
    shown = suppress(grid, 5)
    assert shown[0][0] == "<5"
    # Kent's row would give the 3 back from its total: the next smallest count of the row, 10, is hidden too,
    # and so, for its columns, are 20 and then 30 below them; no row or column has a single hidden cell left.
    assert shown[0][1] == "*" and shown[1][0] == "*" and shown[1][1] == "*"
    assert shown[0][2] == 12 and shown[0][3] == 25 and shown[2][3] == 115
    for line in [*shown, *zip(*shown)]:
        assert sum(isinstance(cell, str) for cell in line) != 1


def test_counts_of_five_and_zeros_are_shown_and_a_column_without_row_totals_is_protected_by_its_total() -> None:
    assert suppress(with_totals([[5, 0], [6, 0]]), 5) == [[5, 0, 5], [6, 0, 6], [11, 0, 11]]
    shown = suppress(with_totals([[4], [0], [9]], row_totals=False), 5, row_totals=False)
    assert shown == [["<5"], [0], ["*"], [13]]  # 13 - 0 would give 4 back; the 9 is hidden rather than the 0
    assert suppress(with_totals([[1]], row_totals=False), 5, row_totals=False) == [["<5"], ["<5"]]  # a small total is hidden itself
    assert suppress(with_totals([[2, 7]]), 3) == [["<3", "*", 9], ["<3", "*", 9]]  # 9 = 2 + 7, but which is which stays hidden


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
    assert notice["Kent"][column] == "<5" and notice["Medway"][column] == "*"  # 12 hidden: the total 15 would give Kent's 3 back
    assert notice["Kent"][-1] == "<5" and notice["Total"][column] == 15
    assert rows_of(summary, "rows_by_council") == {"Kent": [13, 0], "Medway": [14, 0], "Total": [27, 0]}
    assert rows_of(summary, "by_quarter")["2025 Q4"] == [15, 0, "-"]
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
