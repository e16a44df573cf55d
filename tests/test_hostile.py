"""The robustness corpus (tests/hostile): a clear message or a rejected row with its reason, never a traceback, nothing dropped."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest

from .conftest import COMPLIANT, write_csv
from .test_cli import run

HOSTILE = Path(__file__).parent / "hostile"
PWNED = Path("/tmp/agency-rules-pwned")
CASES = tomllib.loads((HOSTILE / "manifest.toml").read_text())["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] + " " + " ".join(c.get("args", [])) for c in CASES])
def test_hostile_input(case: dict) -> None:
    args = [str(HOSTILE / case["file"]), *(a.format(dir=HOSTILE) for a in case.get("args", []))]
    code, out, err = run(*args)
    assert code == case["exit"], out + err
    assert "Traceback" not in out + err
    if code == 2:
        assert "agency-check: error:" in err
        assert case["says"] in err
    elif "says" in case:
        assert case["says"] in run(*args, "--format", "md")[1]
    if "counts" in case:
        code, out, _ = run(*args, "--format", "json")
        summary = json.loads(out)["summary"]
        assert [summary["rows_read"], summary["rows_checked"], summary["rows_rejected"]] == case["counts"]
        assert summary["rows_read"] == summary["rows_checked"] + summary["rows_rejected"]
    assert not PWNED.exists()


def test_every_corpus_file_is_in_the_manifest() -> None:
    named = {c["file"] for c in CASES} | {a.split("/")[-1] for c in CASES for a in c.get("args", []) if "/" in a}
    assert {p.name for p in HOSTILE.iterdir()} - {"manifest.toml"} == named


def test_formula_payloads_are_neutralised_in_the_csv_report() -> None:
    code, out, _ = run(str(HOSTILE / "formula_injection.csv"), "--format", "csv")
    assert code == 1
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert len(cells) > 8 * 8
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=1+1-0" in cells


def test_a_cell_that_spans_lines_keeps_spreadsheet_row_numbers() -> None:
    _, out, _ = run(str(HOSTILE / "quoted_newline.csv"), "--format", "json")
    [finding] = [f for f in json.loads(out)["findings"] if f["rule_id"] == "NOTICE001"]
    assert (finding["engagement_id"], finding["row"]) == ("E-2", 3)


def test_windows_1252_is_said_and_decoded() -> None:
    code, out, _ = run(str(HOSTILE / "cp1252_excel.csv"))
    assert code == 0 and "read as Windows-1252" in out


def test_a_ten_megabyte_cell_is_a_rejected_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "agency": "A" * 10_000_000}, {**COMPLIANT, "engagement_id": "E-2"}])
    code, out, _ = run(str(path), "--format", "json")
    report = json.loads(out)
    assert code == 3
    assert report["summary"]["rows_checked"] == 1
    [error] = report["rejected_rows"][0]["errors"]
    assert error["column"] == "agency" and "10000000 characters" in error["message"] and len(error["value"]) < 50


@pytest.mark.parametrize("columns", ["20", "80", "400"])
def test_plain_lines_never_wrap_whatever_the_terminal_width_or_path_length(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    deep = tmp_path / ("a-rather-long-folder-name-for-a-clone" * 3)
    deep.mkdir()
    path = deep / "cp1252_excel.csv"
    path.write_bytes((HOSTILE / "cp1252_excel.csv").read_bytes())
    code, out, _ = run(str(path))
    assert code == 0
    assert f"{path} was read as Windows-1252" in out
    assert "1 rows read: 1 checked, 0 rejected; 0 engagement(s) with breaches" in out
