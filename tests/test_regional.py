"""Regional boards (issue 9): pseudonyms under the region's key, and pooled runs of several councils' files."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import polars as pl
import pytest

from .conftest import COMPLIANT, REPO, write_csv
from .test_cli import run

KENT, MEDWAY = "E10000016", "E06000035"


def make_key(path: Path) -> Path:
    code, _, err = run("pseudonymise", "--new-key", str(path))
    assert code == 0, err
    return path


def councils(tmp_path: Path, worker: str = "SW123456", medway_worker: str | None = None) -> tuple[Path, Path]:
    """Kent knows the worker left its permanent post on 31 May 2025 (recorded on its own later engagement); Medway took the
    worker on as agency staff on 1 Jul 2025, inside the 3-month cooling-off, without knowing it."""
    kent = write_csv(tmp_path / "kent.csv", [{**COMPLIANT, "engagement_id": "E-1", "worker_id": worker, "la_code": KENT, "start_date": "2025-12-01",
                                              "previous_substantive_la": KENT, "previous_substantive_end": "2025-05-31", "previous_leaving_reason": "resignation"}])
    medway = write_csv(tmp_path / "medway.csv", [{**COMPLIANT, "engagement_id": "E-1", "worker_id": medway_worker or worker, "la_code": MEDWAY,
                                                  "start_date": "2025-07-01"}])
    return kent, medway


def cooling_off(*args: str) -> dict[tuple[str, str], str]:
    code, out, err = run(*args, "--format", "json", "--rule", "COOL001")
    assert code in (0, 1), err
    return {(f["file"].rsplit("/", 1)[-1], f["engagement_id"]): f["outcome"] for f in json.loads(out)["findings"]}


@pytest.mark.slow
def test_a_cross_council_cooling_off_breach_is_found_pooled_and_missed_in_either_file_alone(tmp_path: Path) -> None:
    kent, medway = councils(tmp_path)
    assert cooling_off(str(kent)) == {} and cooling_off(str(medway)) == {}
    assert cooling_off(str(kent), str(medway)) == {("medway.csv", "E-1"): "breach"}
    code, out, _ = run(str(kent), str(medway), "--format", "json")
    [finding] = [f for f in json.loads(out)["findings"] if f["rule_id"] == "COOL001"]
    assert finding["row"] == 2 and finding["evidence"]["previous_role"]["recorded_in"] == f"the previous-role columns of engagement E-1 in {kent}"


@pytest.mark.slow
def test_the_same_worker_gets_the_same_pseudonym_in_two_councils_files_and_the_pooled_breach_survives(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    kent, medway = councils(tmp_path, worker="sw123456", medway_worker="123456")  # written differently by each council
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run("pseudonymise", str(kent), str(medway), "--key-file", str(key), "--output-dir", str(out))
    assert code == 0, err
    kent_id = (out / "kent.csv").read_text().splitlines()[1].split(",")[1]
    medway_id = (out / "medway.csv").read_text().splitlines()[1].split(",")[1]
    assert kent_id == medway_id and kent_id.startswith("P-") and len(kent_id) == 22
    assert cooling_off(str(out / "kent.csv"), str(out / "medway.csv")) == {("medway.csv", "E-1"): "breach"}


def test_different_keys_give_different_pseudonyms(tmp_path: Path) -> None:
    kent, _ = councils(tmp_path)
    made = []
    for name in ("a", "b"):
        key = make_key(tmp_path / f"{name}.key")
        (tmp_path / name).mkdir()
        assert run("pseudonymise", str(kent), "--key-file", str(key), "--output-dir", str(tmp_path / name))[0] == 0
        made.append((tmp_path / name / "kent.csv").read_text().splitlines()[1].split(",")[1])
    assert made[0] != made[1]


def test_exports_pseudonymised_with_different_keys_are_refused_pooled_and_in_a_summary_naming_each_key(tmp_path: Path) -> None:
    """Two keys give one worker two pseudonyms, and the cross-council breach pooling exists to find was silently missed:
    each written row names its key's fingerprint, and a run or a summary mixing two is refused."""
    kent, medway = councils(tmp_path)
    keys = [make_key(tmp_path / "a.key"), make_key(tmp_path / "b.key")]
    for name, export, key in (("a", kent, keys[0]), ("b", medway, keys[1]), ("c", medway, keys[0])):
        assert run("pseudonymise", str(export), "--key-file", str(key), "--output-dir", str(tmp_path / name))[0] == 0
    code, _, err = run(str(tmp_path / "a" / "kent.csv"), str(tmp_path / "b" / "medway.csv"))
    flat = " ".join(err.split())
    assert code == 2 and "pseudonymised with different keys" in flat and "a/kent.csv" in flat and "b/medway.csv" in flat
    assert cooling_off(str(tmp_path / "a" / "kent.csv"), str(tmp_path / "c" / "medway.csv")) == {("medway.csv", "E-1"): "breach"}
    reports = []
    for name, export in (("a", "kent.csv"), ("b", "medway.csv")):
        reports.append(tmp_path / f"{name}.json")
        code, _, err = run(str(tmp_path / name / export), "--format", "json", "--output", str(reports[-1]))
        assert code in (0, 1), err
        assert len(json.loads(reports[-1].read_text())["inputs"][0]["pseudonym_key"]) == 8
    code, _, err = run("summary", *map(str, reports))
    assert code == 2 and "pseudonymised with different keys" in " ".join(err.split())
    code, _, err = run(str(kent), "--history", str(tmp_path / "b" / "medway.csv"))  # no key named beside a raw export: no refusal on keys
    assert "different keys" not in err


def test_a_file_pseudonymised_with_one_key_is_not_pseudonymised_again_with_another_and_a_missing_key_points_to_the_region(
        tmp_path: Path) -> None:
    kent, _ = councils(tmp_path)
    first, second = make_key(tmp_path / "a.key"), make_key(tmp_path / "b.key")
    assert run("pseudonymise", str(kent), "--key-file", str(first), "--output-dir", str(tmp_path / "a"))[0] == 0
    code, _, err = run("pseudonymise", str(tmp_path / "a" / "kent.csv"), "--key-file", str(second), "--output-dir", str(tmp_path / "b"))
    assert code == 2 and "pseudonymised already with key" in " ".join(err.split())
    code, _, err = run("pseudonymise", str(tmp_path / "a" / "kent.csv"), "--key-file", str(first), "--output-dir", str(tmp_path / "c"))
    assert code == 0 and (tmp_path / "c" / "kent.csv").read_text() == (tmp_path / "a" / "kent.csv").read_text(), err
    code, _, err = run("pseudonymise", str(kent), "--key-file", str(tmp_path / "missing.key"), "--output-dir", str(tmp_path / "d"))
    assert code == 2 and "ask the region's analysts for it" in " ".join(err.split())


@pytest.mark.slow
def test_neither_the_key_nor_any_registration_number_appears_in_any_output(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    secret = key.read_text().strip()
    path = tmp_path / "export.csv"
    path.write_text("engagement_id,worker_id,la_code,role,start_date,Worker Name,NI Number,Date of Birth\n"
                    "E-1,SW123456,E10000016,social_worker,2025-05-01,Jo Bloggs,QQ123456C,1980-01-01\n"
                    "E-2,Jo Bloggs,E10000016,social_worker,2025-05-01,Jo Bloggs,QQ123457C,1981-01-01\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run("pseudonymise", str(path), "--key-file", str(key), "--output-dir", str(out))
    written = (out / "export.csv").read_text()
    assert code == 0
    assert "'Worker Name', 'NI Number', 'Date of Birth'" in err and "row 3 had a worker id that is not" in err
    for text in (written, stdout, err):
        assert secret not in text and "SW123456" not in text
        assert "Jo Bloggs" not in text and "QQ12345" not in text and "1980" not in text
    assert written.splitlines()[0] == "engagement_id,worker_id,la_code,role,start_date,source_row,pseudonym_key"
    code, report, _ = run(str(out / "export.csv"), "--format", "json")
    assert secret not in report and "SW123456" not in report
    assert json.loads(report)["summary"]["rows_rejected"] == 1  # the row whose worker id was a name


@pytest.mark.parametrize("content, mode, says", [
    (None, 0o600, "no key file"), (b"", 0o600, "is empty"), (b"x" * 31 + b"\n", 0o600, "not a key"),
    (bytes(range(32)).hex().encode(), 0o644, "readable by every user"),
    (bytes(range(32)).hex().encode(), 0o602, "writable by every user"),  # a sound key: what is wrong is who may use it
])
def test_a_key_that_is_missing_empty_short_or_readable_or_writable_by_all_is_refused(
    tmp_path: Path, content: bytes | None, mode: int, says: str,
) -> None:
    key = tmp_path / "region.key"
    if content is not None:
        key.write_bytes(content)
        key.chmod(mode)
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    (tmp_path / "out").mkdir()
    code, out, err = run("pseudonymise", str(path), "--key-file", str(key), "--output-dir", str(tmp_path / "out"))
    assert code == 2 and says in err and not (tmp_path / "out" / "e.csv").exists()
    if content:
        assert content.decode().strip() not in err + out


def test_a_new_key_is_random_readable_by_its_owner_only_and_never_replaces_one(tmp_path: Path) -> None:
    first, second = make_key(tmp_path / "a.key"), make_key(tmp_path / "b.key")
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600
    assert len(first.read_text().strip()) == 64 and first.read_text() != second.read_text()
    before = first.read_text()
    code, _, err = run("pseudonymise", "--new-key", str(first))
    assert code == 2 and "already exists" in err and first.read_text() == before


@pytest.mark.slow
def test_a_run_mixing_registration_numbers_and_pseudonyms_is_refused(tmp_path: Path) -> None:
    kent, medway = councils(tmp_path, medway_worker="P-0a1b2c3d4e5f60718293")
    code, _, err = run(str(kent), str(medway))
    assert code == 2 and "mixed in one run" in err and "kent.csv" in err and "medway.csv" in err
    history = tmp_path / "history.csv"
    history.write_text("worker_id,la_code,employment,start_date,end_date,leaving_reason\nP-0a1b,E10000016,substantive,2020-01-01,2025-05-31,resignation\n")
    code, _, err = run(str(kent), "--history", str(history))
    assert code == 2 and "mixed in one run" in err


@pytest.mark.slow
def test_an_engagement_id_may_repeat_across_files_but_not_within_one(tmp_path: Path) -> None:
    kent, medway = councils(tmp_path)
    code, out, _ = run(str(kent), str(medway), "--format", "json")
    assert json.loads(out)["summary"]["rows_rejected"] == 0
    twice = write_csv(tmp_path / "twice.csv", [COMPLIANT, COMPLIANT])
    code, out, _ = run(str(twice), str(medway), "--format", "json")
    [rejected] = json.loads(out)["rejected_rows"]
    assert rejected["file"] == str(twice) and "duplicate engagement_id" in rejected["errors"][0]["message"]


@pytest.mark.slow
def test_in_a_pooled_run_the_human_formats_name_each_findings_and_rejected_rows_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    councils(tmp_path)
    write_csv(tmp_path / "bad.csv", [{**COMPLIANT, "engagement_id": "B-1", "worker_id": "SW9", "start_date": "31/02/2025"}])
    monkeypatch.chdir(tmp_path)
    for fmt in ("md", "html", "table"):
        code, out, _ = run("kent.csv", "medway.csv", "bad.csv", "--format", fmt, "--rule", "COOL001")
        words = " ".join(out.replace("│", " ").split())
        assert code == 1 and ("medway.csv row 2" in words or fmt == "table" and "medway.csv row" in words), fmt
        assert "bad.csv row 2" in words or fmt == "table" and "Rejected rows of bad.csv" in words, fmt


@pytest.mark.slow
def test_the_readmes_regional_walk_through_on_the_fixtures(tmp_path: Path) -> None:
    region = Path(__file__).parents[1] / "fixtures" / "region"
    key = make_key(tmp_path / "region.key")
    pooled = tmp_path / "pooled"
    pooled.mkdir()
    code, _, err = run("pseudonymise", str(region / "kent.csv"), str(region / "medway.csv"), "--key-file", str(key), "--output-dir", str(pooled))
    assert code == 0 and "not written (not contract columns): 'Worker Name', 'Date of Birth'" in err
    assert cooling_off(str(region / "medway.csv")) == {} and cooling_off(str(region / "kent.csv")) == {}
    assert cooling_off(str(pooled / "kent.csv"), str(pooled / "medway.csv")) == {("medway.csv", "M-001"): "breach"}
    report = tmp_path / "region.json"
    assert run(str(pooled / "kent.csv"), str(pooled / "medway.csv"), "--output", str(report), "--quiet")[0] == 1
    page = tmp_path / "board.html"
    code, _, err = run("summary", str(report), "--output", str(page))
    assert code == 0 and "<svg" in page.read_text() and "SW3" not in page.read_text()


@pytest.mark.slow
def test_a_row_whose_cells_have_shifted_is_written_as_a_mark_only_so_nothing_leaks(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    path = tmp_path / "shifted.csv"
    path.write_text("engagement_id,Worker Name,worker_id,Date of Birth,la_code,role,start_date\n"
                    "E-1,Patel, Sam,SW310002,02/03/1985,E10000016,social_worker,2025-04-07\n"  # an unquoted comma shifts every cell
                    "SW310001-A1,Jo,SW310001,01/01/1990,E10000016,social_worker,2025-04-07\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    code, _, err = run("pseudonymise", str(path), "--key-file", str(key), "--output-dir", str(tmp_path / "out"))
    written = (tmp_path / "out" / "shifted.csv").read_text()
    assert code == 0 and "row 2 had more or fewer cells than the header" in err
    assert "SW31000" not in written and "1985" not in written and "Sam" not in written and "Patel" not in written
    first, second = written.splitlines()[1:]
    assert first.startswith("unreadable row 2,") and set(first.split(",")[1:-2]) == {'""'}
    assert first.split(",")[-2] == "2"  # its source_row, then the key's fingerprint
    pseudonym = second.split(",")[1]
    assert second.startswith(pseudonym + "-A1,") and "1 row(s) had a registration number in another column" in err
    code, out, _ = run(str(tmp_path / "out" / "shifted.csv"), "--format", "json")
    assert json.loads(out)["summary"]["rows_rejected"] == 1 and "SW31000" not in out


def test_a_hex_key_is_the_same_key_in_either_case_and_a_guessable_key_is_refused(tmp_path: Path) -> None:
    kent, _ = councils(tmp_path)
    lower = make_key(tmp_path / "lower.key")
    upper = tmp_path / "upper.key"
    upper.write_text(lower.read_text().upper())
    upper.chmod(0o600)
    made, prints = [], []
    for key in (lower, upper):
        out = tmp_path / key.stem
        out.mkdir()
        code, _, err = run("pseudonymise", str(kent), "--key-file", str(key), "--output-dir", str(out))
        assert code == 0 and lower.read_text().strip() not in err
        made.append((out / "kent.csv").read_text())
        prints.append(err.split("key ")[1][:8])
    assert made[0] == made[1] and prints[0] == prints[1]
    weak = tmp_path / "weak.key"
    weak.write_text("a" * 64)
    weak.chmod(0o600)
    code, _, err = run("pseudonymise", str(kent), "--key-file", str(weak), "--output-dir", str(tmp_path / "lower"))
    assert code == 2 and "could be guessed" in err


def pooled_workbook(tmp_path: Path) -> Path:
    """Kent's workbook (a title and a blank line above the header, so its rows 4-7 become rows 2-5 of the CSV),
    pseudonymised: E-2 is rejected (a day that does not exist), E-3 breaches NOTICE001, and row 7 repeats E-1's id."""
    from .test_workbooks import write_workbook

    rows = [{**COMPLIANT, "engagement_id": "E-1", "worker_id": "SW310001"},
            {**COMPLIANT, "engagement_id": "E-2", "start_date": "31/02/2025"},
            {**COMPLIANT, "engagement_id": "E-3", "notice_period_weeks": "2"}, {**COMPLIANT, "engagement_id": "E-1"}]
    workbook = write_workbook(tmp_path / "kent.xlsx", rows)
    key = make_key(tmp_path / "region.key")
    code, _, err = run("pseudonymise", str(workbook), "--key-file", str(key), "--output-dir", str(tmp_path / "pooled"))
    assert code == 0, err
    return tmp_path / "pooled" / "kent.csv"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_findings_and_rejected_rows_of_a_pseudonymised_file_name_the_councils_own_row(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.chdir(tmp_path)
    pooled_workbook(Path("."))
    code, out, _ = run("pooled/kent.csv", "--rule", "NOTICE001", "--format", fmt)
    words = " ".join(out.replace("│", " ").split()).replace("&#x27;", "'")
    assert code == 1
    assert "pooled/kent.csv row 4, row 6 of the council's file" in words  # the finding
    assert "pooled/kent.csv row 3, row 5 of the council's file" in words  # the rejected row
    assert "first used in row 2, row 4 of the council's file" in words


@pytest.mark.slow
def test_the_json_csv_and_workbook_give_the_councils_row_beside_the_files(tmp_path: Path) -> None:
    pooled = pooled_workbook(tmp_path)
    code, out, _ = run(str(pooled), "--rule", "NOTICE001", "--format", "json")
    report = json.loads(out)
    [finding] = report["findings"]
    assert (finding["row"], finding["source_row"]) == (4, 6)
    assert {(r["row"], r["source_row"]) for r in report["rejected_rows"]} == {(3, 5), (5, 7)}
    code, out, _ = run(str(pooled), "--rule", "NOTICE001", "--format", "csv")
    lines = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    found = {(line["outcome"], line["row"], line["source_row"]) for line in lines}
    assert found == {("breach", "4", "6"), ("rejected", "3", "5"), ("rejected", "5", "7")}
    book = tmp_path / "report.xlsx"
    run(str(pooled), "--rule", "NOTICE001", "--output", str(book))
    findings = pl.read_excel(book, sheet_name="Findings")
    assert findings["row of the council's file"].to_list() == [6]
    rows = [{**COMPLIANT, "notice_period_weeks": "2"}, {**COMPLIANT, "engagement_id": "E-2", "role": "x"}]
    raw = write_csv(tmp_path / "raw.csv", rows)  # a council's own export: the JSON and CSV are the contract's
    report = json.loads(run(str(raw), "--rule", "NOTICE001", "--format", "json")[1])
    assert "source_row" not in report["findings"][0] and "source_row" not in report["rejected_rows"][0]
    header = next(csv.reader(io.StringIO(run(str(raw), "--format", "csv")[1].lstrip("\ufeff"))))
    assert "source_row" not in header


def test_a_pseudonymised_history_names_the_councils_row_in_the_evidence(tmp_path: Path) -> None:
    from .test_workbooks import write_workbook

    key = make_key(tmp_path / "region.key")
    role = {"worker_id": "SW123456", "la_code": MEDWAY, "employment": "substantive", "start_date": "2020-01-01",
            "end_date": "2025-05-31", "leaving_reason": "resignation"}
    history = write_workbook(tmp_path / "history.xlsx", [role])
    engaged = {**COMPLIANT, "worker_id": "SW123456", "la_code": KENT, "start_date": "2025-07-01"}
    engagements = write_csv(tmp_path / "kent.csv", [engaged])
    pooled = tmp_path / "pooled"
    files = [str(engagements), str(history)]
    code, _, err = run("pseudonymise", *files, "--key-file", str(key), "--output-dir", str(pooled))
    assert code == 0 and "history.xlsx -> " in err and ": history," in err
    args = ["--history", str(pooled / "history.csv"), "--format", "json", "--rule", "COOL001"]
    code, out, _ = run(str(pooled / "kent.csv"), *args)
    [finding] = json.loads(out)["findings"]
    assert finding["evidence"]["previous_role"]["recorded_in"] == "history.csv row 2, row 4 of the council's file"


@pytest.mark.slow
def test_rule_narrows_the_notice_of_missing_columns_to_what_that_rule_reads() -> None:
    medway = str(REPO / "fixtures" / "region" / "medway.csv")
    _, everything, _ = run(medway)
    assert "pay_rate (read by CAP001)" in everything  # what the narrowing is measured against
    _, cooling_off, _ = run(medway, "--rule", "COOL001")
    assert "has no column for" not in cooling_off
    _, notice, _ = run(medway, "--rule", "NOTICE001")
    assert "has no column for: la_substantive_notice_weeks (read by NOTICE001)." in notice.replace("\n", " ")


def test_a_history_file_given_as_an_export_and_an_export_given_as_history_say_which_option_they_belong_to(tmp_path: Path) -> None:
    history = tmp_path / "leavers.csv"
    history.write_text("worker_id,la_code,employment,start_date,end_date,leaving_reason\n"
                       "SW1,E10000016,substantive,2020-01-01,2025-06-30,resignation\n", encoding="utf-8")
    export = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    code, _, err = run(str(history))
    assert code == 2 and "give it with --history FILE" in " ".join(err.split()) and "--column-map" not in err
    code, _, err = run(str(export), "--history", str(export))
    assert code == 2 and "give it as a FILE to check, not --history" in " ".join(err.split())


@pytest.mark.parametrize("command", [[], ["summary"]])
def test_an_output_in_a_folder_that_does_not_exist_is_refused_naming_the_folder(tmp_path: Path, command: list[str]) -> None:
    export = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    given = str(export)
    if command:
        given = str(tmp_path / "r.json")
        assert run(str(export), "--format", "json", "--output", given)[0] == 0
    code, _, err = run(*command, given, "--output", str(tmp_path / "nodir" / "out.html"))
    flat = " ".join(err.split())
    assert code == 2 and f"the folder {tmp_path / 'nodir'} does not exist" in flat and not (tmp_path / "nodir").exists()
