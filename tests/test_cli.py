"""The command line end to end: formats, exit statuses, `rules`, refused files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agency_rules.cli import app, implied_check

from .conftest import COMPLIANT, REPO, write_csv

FIXTURES = REPO / "fixtures"
FIXTURE_ARGS = [str(FIXTURES / "engagements.csv"), "--history", str(FIXTURES / "history.csv"), "--caps", str(FIXTURES / "caps.toml")]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args] if implied_check(list(args)) else list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_the_fixture_example_reports_breaches_and_exits_1() -> None:
    code, out, _ = run(*FIXTURE_ARGS)
    assert code == 1
    assert "31 rows read: 26 checked, 5 rejected" in out
    assert "left Medway (South East) on 31 May 2025" in out
    assert "Rejected rows" in out and "31/02/2025" in out


@pytest.mark.slow
def test_json_matches_the_data_contract_field_for_field(tmp_path: Path) -> None:
    out_file = tmp_path / "report.json"
    code, _, err = run(*FIXTURE_ARGS, "--format", "json", "--output", str(out_file))
    assert code == 1 and "report written" in err
    report = json.loads(out_file.read_text())
    assert {"schema_version", "tool", "ruleset", "overlays", "as_of", "inputs", "summary", "findings", "notices", "rejected_rows"} <= set(report)
    assert report["schema_version"] == 1 and report["tool"]["name"] == "agency-rules"
    assert report["ruleset"] == "consultation-2023" and report["overlays"] == [] and report["as_of"] is None
    assert set(report["inputs"][0]) == {"path", "sha256", "rows", "kind", "encoding"} and len(report["inputs"][0]["sha256"]) == 64
    assert [(i["kind"], i["rows"] is None) for i in report["inputs"]] == [("engagements", False), ("history", False), ("ruleset", True), ("caps", True)]
    assert all(len(i["sha256"]) == 64 for i in report["inputs"])
    summary = report["summary"]
    assert set(summary) == {"rows_read", "rows_checked", "rows_rejected", "engagements_with_breaches", "by_rule", "by_council"}
    assert summary["rows_read"] == summary["rows_checked"] + summary["rows_rejected"] == 31
    for counts in summary["by_rule"].values():
        assert set(counts) == {"pass", "breach", "unknown", "not_applicable", "waived", "not_evaluated"}
        assert sum(counts.values()) == summary["rows_checked"]
    finding = report["findings"][0]
    assert set(finding) == {"engagement_id", "row", "rule_id", "outcome", "severity", "message", "evidence", "source",
                            "file", "worker_id", "la_code", "council", "agency", "role", "start_date", "end_date"}
    assert (finding["file"], finding["la_code"], finding["council"]) == (str(REPO / "fixtures" / "engagements.csv"), "E10000016", "Kent")
    assert {f["outcome"] for f in report["findings"]} <= {"breach", "unknown", "waived"}
    breaches = sum(c["breach"] for c in summary["by_rule"].values())
    assert breaches == sum(f["outcome"] == "breach" for f in report["findings"])
    assert report["notices"][0]["rule_id"] == "INTL001" and report["notices"][0]["count"] == 1
    rejected = report["rejected_rows"][0]
    assert rejected == {"row": 28, "engagement_id": "E-027", "la_code": "E10000016", "errors": [{"column": "start_date", "header": "start_date", "value": "31/02/2025", "message": "'31/02/2025' is not a real day", "code": "not-a-real-day"}]}


@pytest.mark.slow
def test_evidence_names_values_and_dated_parameters() -> None:
    code, out, _ = run(*FIXTURE_ARGS, "--format", "json", "--overlay", "south-east")
    finding = next(f for f in json.loads(out)["findings"] if f["engagement_id"] == "E-007" and f["rule_id"] == "COOL001")
    assert finding["outcome"] == "breach"
    months = finding["evidence"]["parameters"]["months"]
    assert months["value"] == 6 and months["set_by"] == "overlay south-east" and months["in_force_from"] == "2023-02-02"
    assert finding["evidence"]["allowed_from"] == "2025-11-30"


def test_csv_one_line_per_finding_and_formula_safe(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "engagement_id": "=HYPERLINK(\"http://x\")", "notice_period_weeks": "1"}])
    code, out, _ = run(str(path), "--format", "csv")
    assert code == 1 and out.startswith("\ufeffengagement_id,")  # a byte-order mark, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [r["rule_id"] for r in rows] == ["NOTICE001"]
    assert rows[0]["engagement_id"].startswith("'=")
    assert "notice_period_weeks: 1;" in rows[0]["evidence"] and "min_weeks 6 (in force from" in rows[0]["evidence"]
    assert (rows[0]["council"], rows[0]["worker_id"], rows[0]["role"]) == ("Kent", "SW100001", "social_worker")


@pytest.mark.parametrize("fmt, marker", [("md", "| NOTICE001 |"), ("html", "<table>"), ("table", "NOTICE001")])
def test_human_formats(tmp_path: Path, fmt: str, marker: str) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "notice_period_weeks": "1", "agency": "<script>alert(1)</script>"}])
    code, out, _ = run(str(path), "--format", fmt)
    assert code == 1 and marker in out and "Kent" in out
    if fmt == "table":
        assert "<script>alert(1)</script>" in out  # a terminal shows it as the text it is
    else:
        assert "<script>" not in out


def test_exit_0_when_clean(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    assert run(str(path))[0] == 0


@pytest.mark.slow
def test_exit_3_when_no_breach_but_rows_rejected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT, {**COMPLIANT, "engagement_id": "E-2", "start_date": "31/02/2025"}])
    assert run(str(path))[0] == 3


@pytest.mark.slow
def test_unknown_fails_only_when_asked(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "notice_period_weeks": ""}])
    assert run(str(path))[0] == 0
    assert run(str(path), "--fail-on", "unknown")[0] == 1


@pytest.mark.parametrize(
    "args, words",
    [
        (["missing.csv"], "no such file"),
        (["{e}", "{e}.json"], "e.csv.json: no such file; to write the report to this file, name it with --output"),
        (["{e}", "{e}.html"], "e.csv.html: no such file; to write the report to this file, name it with --output"),
        (["{e}", "--ruleset", "statutory-2099"], "no ruleset named"),
        (["{e}", "--overlay", "wales"], "no overlay named"),
        (["{e}", "--caps", "{bad}"], "unknown region"),
        (["{e}", "--ruleset", "{bad}"], "unknown key"),
        (["{e}", "--as-of", "31/02/2025"], "not a real day"),
        (["{e}", "--format", "xml"], "xml"),
    ],
)
def test_exit_2_when_it_cannot_run(tmp_path: Path, args: list[str], words: str) -> None:
    engagements = write_csv(tmp_path / "e.csv", [COMPLIANT])
    bad = tmp_path / "bad.toml"
    bad.write_text('[[cap]]\nregion = "Wessex"\nrole = "social_worker"\neffective_from = 2025-01-01\nsource = "x"\n[ruleset]\nx = 1\n')
    code, out, err = run(*(a.format(e=engagements, bad=bad) for a in args))
    assert code == 2
    assert words in out + err
    assert "Traceback" not in out + err


def test_rules_lists_and_explains() -> None:
    code, out, _ = run("rules")
    assert code == 0 and "PQE001" in out and "PROJ001" in out
    code, out, _ = run("rules", "COOL001", "--overlay", "west-midlands")
    assert code == 0 and "Q6" in out and "12" in out and "overlay west-midlands" in out
    code, out, _ = run("rules", "NOTICE001", "--ruleset", "statutory-2024")
    assert code == 0 and "2024-10-31" in out and "4" in out
    code, _, err = run("rules", "NOPE001")
    assert code == 2 and "no rule NOPE001" in err
    code, out, _ = run("rules", "COOL001", "--overlay", "south-east", "--format", "json")
    explained = json.loads(out)["explained"]
    assert code == 0 and explained["id"] == "COOL001"
    assert any(p["set_by"].startswith("overlay south-east") for p in explained["params"])
    code, _, err = run("rules", "--format", "csv")
    assert code == 2 and "this report comes as table, json" in err


def test_columns_says_how_an_export_is_read_as_json(tmp_path: Path) -> None:
    engagements = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, out, _ = run("columns", str(engagements), "--format", "json")
    (view,) = json.loads(out)
    assert code == 0 and view["file"].endswith("e.csv")
    assert {"header": "engagement_id", "read_as": "engagement_id", "how": "read as is"} in view["headers"]


@pytest.mark.slow
def test_the_console_command_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "agency_rules", *FIXTURE_ARGS, "--format", "json"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["rows_rejected"] == 5


@pytest.mark.slow
@pytest.mark.parametrize("option, value, choices", [
    ("--format", "foo", "table, json, csv, md, html, xlsx"), ("--group-by", "worker", "council, agency"), ("--fail-on", "never", "breach, unknown"),
])
def test_a_bad_choice_is_refused_in_plain_words_naming_the_option(option: str, value: str, choices: str) -> None:
    result = subprocess.run([sys.executable, "-m", "agency_rules", str(FIXTURES / "engagements.csv"), option, value],
                            capture_output=True, text=True, cwd=REPO, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 2
    assert f"Invalid value for '{option}': '{value}' is not one of {choices}" in result.stderr
    assert "Value error" not in result.stderr and "Usage:" not in result.stderr
    assert result.stderr.startswith("agency-check: error: Invalid value") and len(result.stderr.splitlines()) == 1
    assert "(agency-check check -h lists the options)" in result.stderr


def agency_check(*args: str, columns: str = "200") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agency_rules", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "COLUMNS": columns})


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["40", "60", "80", "200"])
@pytest.mark.parametrize("command", [[], ["check"], ["columns"], ["summary"], ["contract"], ["pseudonymise"], ["rules"]])
def test_help_is_plain_text_without_python_types_and_never_breaks_a_word(command: list[str], columns: str) -> None:
    result = agency_check(*command, "-h", columns=columns)
    text = result.stdout
    assert result.returncode == 0 and text.startswith("Usage: agency-check")
    assert not any(mark in text for mark in ("<bool>", "<list", "list[", "<Path", "<str", "╭", "│", "─"))
    words = set(text.split())
    if command in ([], ["check"]):
        assert "Examples:" in text and "agency-check engagements.csv" in text and "Exit status:" in text
        assert all(f"  {status}  " in text for status in "0123")
    if command == ["check"]:
        assert "[table|json|csv|md|html|xlsx]" in words and "agency-rules.toml" in words and "west-midlands" in words
        assert all(len(line) <= max(int(columns), 80) or line.lstrip().startswith(("agency-check", "--")) for line in text.splitlines())


@pytest.mark.slow
@pytest.mark.parametrize("args, says", [
    (["--fromat", "json"], "No such option: --fromat (Possible options: --format)"),
    (["--limit", "many"], "Invalid value for '--limit'"),
    (["summary"], "Missing argument 'REPORT'"),
])
def test_every_option_error_is_one_plain_line(args: list[str], says: str) -> None:
    result = agency_check(*([str(FIXTURES / "engagements.csv")] if args[0] != "summary" else []), *args)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("agency-check: error: ") and says in line and "Usage:" not in line


@pytest.mark.slow
@pytest.mark.parametrize("typed, meant", [("chek", "check"), ("colums", "columns"), ("sumary", "summary"), ("contracts", "contract")])
def test_a_first_argument_close_to_a_command_that_is_no_file_is_said_as_that_command(typed: str, meant: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "agency_rules", typed], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"agency-check: error: {typed}: no such file; did you mean `agency-check {meant}`?"
    (tmp_path / typed).write_text("engagement_id\n", encoding="utf-8")  # a file of that name is read as the file it is
    result = subprocess.run([sys.executable, "-m", "agency_rules", typed], capture_output=True, text=True, cwd=tmp_path)
    assert "did you mean" not in result.stderr and result.returncode == 2


def test_options_take_any_case_and_the_output_short_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, _, _ = run(str(path), "--format", "JSON", "-o", str(tmp_path / "r.json"), "--as-of", "1 October 2025", "--quiet")
    assert code == 0 and json.loads((tmp_path / "r.json").read_text())["as_of"] == "2025-10-01"
    code, _, err = run(str(path), "--as-of", "31/02/2025")
    assert code == 2 and "Invalid value for '--as-of'" in err and "31/02/2025" in err


@pytest.mark.slow
def test_project_config_in_the_working_folder_sets_standing_choices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "caps").mkdir()
    (tmp_path / "caps" / "se.toml").write_text((FIXTURES / "caps.toml").read_text())
    (tmp_path / "agency-rules.toml").write_text('ruleset = "statutory-2024"\noverlays = ["south-east"]\ncaps = ["caps/se.toml"]\n')
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "pay_rate": "35.01"}])
    monkeypatch.chdir(tmp_path)
    code, out, err = run(str(path), "--format", "json")
    report = json.loads(out)
    assert (report["ruleset"], report["overlays"]) == ("statutory-2024", ["south-east"])
    assert report["summary"]["by_rule"]["CAP001"]["breach"] == 1 and code == 1
    assert "using project config" in err
    code, out, _ = run(str(path), "--format", "json", "--ruleset", "consultation-2023", "--overlay", "london")
    assert (json.loads(out)["ruleset"], json.loads(out)["overlays"]) == ("consultation-2023", ["south-east", "london"])


def test_a_project_config_may_name_a_shipped_cap_table_as_the_command_line_does(tmp_path: Path) -> None:
    (tmp_path / "agency-rules.toml").write_text('caps = ["london-2016"]\n')
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "la_code": "E09000007", "role": "team_manager", "pay_rate": "42.01"}])
    code, out, _ = run(str(path), "--config", str(tmp_path / "agency-rules.toml"), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["summary"]["by_rule"]["CAP001"]["breach"] == 1
    assert any(i["path"] == "agency-rules:caps/london-2016.toml" for i in report["inputs"])


def test_a_broken_project_config_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "agency-rules.toml").write_text('rulesets = "statutory-2024"\n')
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    monkeypatch.chdir(tmp_path)
    code, _, err = run(str(path))
    assert code == 2 and "rulesets: unknown key" in err


def test_column_map_file_maps_headers_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    row = {**COMPLIANT}
    row["Assignment Ref"] = row.pop("engagement_id")
    path = write_csv(tmp_path / "e.csv", [row])
    good = tmp_path / "map.toml"
    good.write_text('[columns]\n"Assignment Ref" = "engagement_id"\n')
    assert run(str(path), "--column-map", str(good))[0] == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('columns = "engagement_id"\n')
    code, _, err = run(str(path), "--column-map", str(bad))
    assert code == 2 and str(bad) in err


def test_a_report_written_to_a_file_is_announced_on_one_line_whatever_the_width(tmp_path: Path) -> None:
    """In a log (stderr not a terminal) a line broken at 80 columns would break mid-sentence."""
    output = tmp_path / ("a-folder-name-long-enough-to-push-the-line-past-eighty-columns" * 2) / "report.json"
    output.parent.mkdir()
    code, _, err = run(*FIXTURE_ARGS, "--format", "json", "--output", str(output))
    announced = [line for line in err.splitlines() if "report written to" in line]
    assert code == 1 and len(announced) == 1 and announced[0].rstrip().endswith("waived finding(s)"), err
