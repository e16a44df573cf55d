"""The robustness corpus (tests/hostile): a clear message or a rejected row with its reason, never a traceback, nothing dropped."""

from __future__ import annotations

import csv
import io
import json
import os
import tomllib
from pathlib import Path

import pytest

from .conftest import COMPLIANT, REPO, write_csv
from .test_cli import run

pytestmark = pytest.mark.slow  # other processes, large files, a browser: the full tier (.ci/run)

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


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_windows_1252_is_said_and_decoded(fmt: str) -> None:
    code, out, _ = run(str(HOSTILE / "cp1252_excel.csv"), "--format", fmt)
    assert code == 0 and "read as Windows-1252" in out
    _, out, _ = run(str(HOSTILE / "cp1252_excel.csv"), "--format", "json")
    assert json.loads(out)["inputs"][0]["encoding"] == "cp1252"


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


ESCAPE = "\x1b"


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_control_characters_and_markup_in_cells_are_shown_as_text(fmt: str) -> None:
    code, out, err = run(str(HOSTILE / "control_and_markup.csv"), "--format", fmt, "--limit", "0")
    assert code == 1 and "Traceback" not in out + err
    assert ESCAPE not in out and "\x07" not in out
    assert ("<script>" in out and "[/]" in out) if fmt == "table" else "<script>" not in out  # a terminal shows markup as text
    assert "\\x1b" in out


def test_an_error_message_with_markup_in_a_file_name_is_text(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "[bold]missing[/].csv"))
    assert code == 2 and "[bold]missing[/].csv" in err and "Traceback" not in err


def test_output_naming_an_input_is_refused_and_the_input_is_untouched(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    before = path.read_bytes()
    code, _, err = run(str(path), "--format", "json", "--output", str(path))
    assert code == 2 and "would overwrite it" in err
    assert path.read_bytes() == before


def test_a_failed_write_leaves_the_previous_report_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT])
    report = tmp_path / "report.json"
    report.write_text("previous report")

    def broken(report_, options, out):
        out.write("{partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("agency_rules.renderers.json_report.render", broken)
    code, _, err = run(str(path), "--format", "json", "--output", str(report))
    assert code == 2 and "No space left on device" in err and "unchanged" in err
    assert report.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.csv", "report.json"]


def test_an_interrupt_while_writing_leaves_no_partial_file(tmp_path: Path) -> None:
    from agency_rules.cli import write_atomically

    target = tmp_path / "report.md"
    target.write_text("previous")

    def interrupted(handle):
        handle.write("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, interrupted)
    assert target.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == ["report.md"]


@pytest.mark.parametrize("breach, args, status", [
    (True, ["--format", "json"], 1), (False, ["--limit", "0"], 3), (False, ["--format", "md", "--limit", "0"], 3), (False, ["--format", "csv"], 3),
    (False, ["columns"], 0),
])
def test_a_reader_that_stops_early_is_not_an_error_and_the_exit_status_is_the_runs(tmp_path: Path, breach: bool, args: list[str], status: int) -> None:
    """Rich would end with status 1 on a closed pipe; the status must still say what the run found (a breach 1, rejections only 3)."""
    import subprocess
    import sys

    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "notice_period_weeks": "1" if breach else "6", "start_date": "31/02/2025" if i % 2 else COMPLIANT["start_date"]}
            for i in range(3000)]
    path = str(write_csv(tmp_path / "e.csv", rows))
    command = ["columns", path] if args == ["columns"] else [path, *args]
    process = subprocess.Popen([sys.executable, "-m", "agency_rules", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(10)
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait() == status, err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("special, words", [("/dev/zero", "is a device"), ("/dev/null", "is a device"), (".", "is a folder")])
def test_special_files_are_refused_rather_than_read(special: str, words: str) -> None:
    code, _, err = run(special)
    assert code == 2 and words in err


@pytest.mark.parametrize("option", ["--caps", "--waivers", "--column-map", "--config", "--ruleset"])
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_device_or_pipe_named_as_a_settings_file_is_refused_at_once(tmp_path: Path, option: str, special: str) -> None:
    """/dev/zero reports a size of 0 and never ends; a pipe with no writer blocks whoever opens it."""
    if special == "fifo":
        special = str(tmp_path / "settings.toml")
        os.mkfifo(special)
    code, _, err = run(str(REPO / "fixtures" / "engagements.csv"), option, special)
    assert code == 2 and special in err
    assert "not a regular file" in err or (option == "--ruleset" and "no ruleset named" in err)  # a ruleset is a name or a .toml file


def test_a_fifo_and_standard_input_are_read_once() -> None:
    import os
    import subprocess
    import sys
    import tempfile
    import threading

    data = (HOSTILE / "engagements.csv").read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        fifo = Path(folder) / "export.csv"
        os.mkfifo(fifo)
        writer = threading.Thread(target=lambda: fifo.write_bytes(data))
        writer.start()
        result = subprocess.run([sys.executable, "-m", "agency_rules", str(fifo), "--format", "json"], capture_output=True, timeout=60)
        writer.join(timeout=10)
    assert result.returncode in (0, 1, 3) and json.loads(result.stdout)["summary"]["rows_read"] > 0
    piped = subprocess.run([sys.executable, "-m", "agency_rules", "-", "--format", "json"], input=data, capture_output=True, timeout=60)
    assert json.loads(piped.stdout)["summary"] == json.loads(result.stdout)["summary"]


def test_look_alike_letters_and_foreign_digits_are_rejected_with_short_quotes() -> None:
    code, out, _ = run(str(HOSTILE / "lookalikes_and_foreign_digits.csv"), "--format", "json")
    rejected = {r["engagement_id"]: r["errors"] for r in json.loads(out)["rejected_rows"]}
    assert {k: [e["column"] for e in v] for k, v in rejected.items()} == {
        "E-2": ["la_code"], "E-3": ["worker_id"], "E-4": ["role"], "E-5": ["pay_rate"], "E-6": ["start_date"], "E-7": ["pay_rate"],
    }
    [long] = rejected["E-7"]
    assert long["message"].startswith("'" + "9" * 60 + "…'") and len(long["message"]) < 120


def test_a_pipe_that_never_finishes_is_refused_after_the_time_bound(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fifo = tmp_path / "never.csv"
    os.mkfifo(fifo)
    environment = {**os.environ, "AGENCY_RULES_INPUT_SECONDS": "1"}
    result = subprocess.run([sys.executable, "-m", "agency_rules", str(fifo)], capture_output=True, text=True, timeout=60, env=environment)
    assert result.returncode == 2 and "did not finish arriving within 1 seconds" in result.stderr


def test_one_worker_with_a_long_history_is_paired_only_with_the_roles_that_can_decide() -> None:
    """300 engagements and 300 past roles of one worker, a role ending each month for 25 years: each
    engagement meets the few roles inside its cooling-off window, not the whole history (the audit's
    rescan grew with their product)."""
    import polars as pl

    from agency_rules.engine.checks.cooling_off import _roles_that_may_decide

    n = 300
    starts = pl.date_range(pl.date(2001, 1, 15), pl.date(2025, 12, 15), "1mo", eager=True)[:n]
    engagements = pl.LazyFrame({
        "__i": range(n), "worker_id": ["SW100001"] * n, "file": ["e.csv"] * n, "engagement_id": [f"E-{i}" for i in range(n)], "region": ["South East"] * n,
        "start_date": starts,
    })
    roles = pl.LazyFrame({
        "worker_id": ["SW100001"] * n, "la_code": ["E10000016"] * n, "region": ["South East"] * n, "employment": ["substantive"] * n,
        "end_date": pl.date_range(pl.date(2001, 1, 1), pl.date(2025, 12, 1), "1mo", eager=True)[:n], "leaving_reason": ["resignation"] * n,
        "recorded_in": ["history.csv"] * n, "from_columns": [False] * n, "source_file": [None] * n, "source_engagement": [None] * n,
    }, schema_overrides={"source_file": pl.String, "source_engagement": pl.String})
    pairs = _roles_that_may_decide(engagements, roles, pl.lit(3)).collect()
    assert pairs.height <= 7 * n  # the roles of two 93-day stretches at most (the product would be 45,000)
    assert set(pairs["__i"]) == set(range(n))  # each has the role that ended two weeks before its start


def test_every_invisible_or_control_character_is_shown_as_an_escape() -> None:
    """The audit's escape sequences and zero-width 'signatures' have siblings: every control, format and
    separator character (bidirectional overrides, zero-width spaces, tag characters, line separators)."""
    import unicodedata

    from agency_rules.renderers.printable import printable

    hidden = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and chr(c) not in "\t\n"]
    assert len(hidden) > 200
    for char in hidden:
        shown = printable(f"SW1{char}23")
        assert shown.isascii() and shown.isprintable() and shown.startswith("SW1\\") and shown.endswith("23"), repr(char)


def test_a_zero_width_space_in_a_cell_is_visible_in_every_human_format(tmp_path: Path) -> None:
    """The id is rejected (it would print as E1 without being E1), and the rejection shows it with its escape."""
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "engagement_id": "E\u200b1", "notice_period_weeks": "1"}])
    for fmt, shown in (("table", "E\\u200b1"), ("html", "E\\u200b1"), ("md", "E\\\\u200b1")):  # Markdown escapes the backslash
        code, out, err = run(str(path), "--format", fmt)
        assert code == 3 and shown in out and "\u200b" not in out, fmt


HUGE = "H" * 2_000_000  # the audit's 2 MB header name


@pytest.mark.parametrize("header, command", [
    (f"{HUGE},Worker,Council", []),  # no contract column: the headers found are listed
    (f"{HUGE},Worker,Council", ["columns"]),
    (f"{HUGE},Worker,Council", ["pseudonymise"]),
    (f"engagement_id,worker_id,la_code,role,start_date,{HUGE},{HUGE}", []),  # a header twice
    (f"engagement_id,worker_id,la_code,role,start_date,{HUGE}", ["pseudonymise"]),  # a column not written, listed
])
def test_a_header_is_never_echoed_whole(tmp_path: Path, header: str, command: list[str]) -> None:
    path = tmp_path / "e.csv"
    rows = "".join(f"E-{i},SW10000{i},E10000016,social_worker,2025-05-01,x,y\n" for i in range(1, 5))
    path.write_text(header + "\n" + rows, encoding="utf-8")  # enough rows not to be taken for a passphrase
    if command == ["pseudonymise"]:
        key = tmp_path / "region.key"
        assert run("pseudonymise", "--new-key", str(key))[0] == 0
        command = ["pseudonymise", "--key-file", str(key), "--output-dir", str(tmp_path / "out")]
    code, out, err = run(*command, str(path))
    assert len(out + err) < 20_000 and "H" * 61 not in out + err
    assert "H" * 60 + "…" in out + err


TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"


def test_a_header_that_looks_like_a_key_or_token_is_named_not_shown(tmp_path: Path) -> None:
    """In a file long enough to be an export (a shorter one naming no column is not shown at all)."""
    path = tmp_path / "e.csv"
    path.write_text(f"Assignment Ref,{TOKEN},{'ab12' * 16}\n" + "A1,x,y\n" * 4, encoding="utf-8")
    for command in ([], ["columns"]):
        code, out, err = run(*command, str(path))
        assert code == 2 and "'Assignment Ref'" in out + err and "(not shown: it looks like a key)" in out + err
        assert TOKEN[:12] not in out + err and "ab12ab12" not in out + err


def test_values_and_agencies_quoted_in_messages_are_cut_short(tmp_path: Path) -> None:
    agency = "Agency " + "A" * 900
    bad_role = {**COMPLIANT, "role": "R" * 900}
    rows = [{**COMPLIANT, "agency": agency}, {**bad_role, "engagement_id": "E-2"}, {**bad_role, "engagement_id": "E-3"}]
    path = write_csv(tmp_path / "e.csv", rows)
    code, _, err = run(str(path), "--agency", "nobody")
    assert code == 2 and "A" * 61 not in err and "Agency " + "A" * 53 + "…" in err
    code, out, _ = run(str(path), "--format", "md")
    [summary] = [line for line in out.splitlines() if "rows rejected" in line]
    assert "R" * 61 not in summary and "values seen" in summary


def test_a_contract_dated_beyond_2099_is_refused_as_an_export_date_would_be(tmp_path: Path) -> None:
    """9999-12-31 with a caps file was an internal error (a day after the last day), and under --contracts it stopped the run."""
    contract = HOSTILE / "contract_end_9999.toml"
    code, _, err = run("contract", str(contract), "--caps", str(REPO / "fixtures" / "caps.toml"), "--ruleset", "statutory-2024")
    assert code == 2 and "contract.end: must be a date from 1900 to 2099 (not 9999-12-31)" in err and "internal error" not in err
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, _, err = run(str(export), "--contracts", str(contract), "--caps", str(REPO / "fixtures" / "caps.toml"))
    assert code == 2 and "must be a date from 1900 to 2099" in err and "internal error" not in err


@pytest.mark.parametrize("columns", ["0", "5", "wide"])
def test_a_terminal_width_of_nothing_or_nonsense_still_prints_the_report(tmp_path: Path, columns: str) -> None:
    import subprocess
    import sys

    export = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "notice_period_weeks": "2"}])
    done = subprocess.run([sys.executable, "-m", "agency_rules", str(export)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": columns}, timeout=120)
    assert done.returncode == 1 and "1 rows read" in done.stdout.replace("\n", " ") and "NOTICE001" in done.stdout, done.stderr


@pytest.mark.parametrize("columns", ["20", "36", "60"])
def test_a_terminal_too_narrow_for_a_table_lists_each_row_and_never_loses_a_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    """Squeezed below its words, a table drew its counts as `…` or nothing; then each row is listed instead."""
    monkeypatch.setenv("COLUMNS", columns)
    export = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "notice_period_weeks": "2"}, {**COMPLIANT, "engagement_id": "E-2", "worker_id": "SW100002"}])
    code, out, _ = run(str(export))
    flat = " ".join(out.split())
    assert code == 1 and "…" not in flat
    assert "NOTICE001 pass: 1; breach: 1; unknown: 0; not applicable: 0; waived: 0; not evaluated: 0" in flat
    listed = "row 2 engagement / worker: E-1, SW100001" in flat and "finding: notice period of 2 weeks is shorter" in flat
    assert listed == (columns != "60")  # at 60 the findings' words fit: that table is drawn


def test_a_terminal_wide_enough_draws_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(str(write_csv(tmp_path / "e.csv", [{**COMPLIANT, "notice_period_weeks": "2"}])))
    assert code == 1 and "┃ rule" in out and "pass: 1" not in out


@pytest.mark.parametrize("reference", ["SE-FW-2025\\u200b", "SE-F\\u0412-2025"])  # a zero-width space; a Cyrillic Ve
def test_a_contract_reference_with_a_lookalike_or_invisible_character_is_refused(tmp_path: Path, reference: str) -> None:
    contract = tmp_path / "c.toml"
    contract.write_text((REPO / "fixtures" / "contracts" / "compliant-framework.toml").read_text().replace('"SE-FW-2025"', f'"{reference}"'))
    code, _, err = run("contract", str(contract), "--ruleset", "statutory-2024")
    assert code == 2 and "look-alike or invisible character" in err, err


def test_one_contract_file_named_twice_is_one_contract(tmp_path: Path) -> None:
    folder = REPO / "fixtures" / "contracts"
    code, out, err = run("contract", str(folder), str(folder / "compliant-framework.toml"), "--ruleset", "statutory-2024", "--format", "json")
    assert code in (0, 1) and "one reference" not in err, err
    assert [c["reference"] for c in json.loads(out)["contracts"]].count("SE-FW-2025") == 1


@pytest.mark.parametrize("old, new", [
    ('role = "social_worker"', 'role = "' + "z" * 1_000_000 + '"'),  # a value that names the rate line in the message
    ('supplier = ', "q" * 100_000 + " = 1\nsupplier = "),  # an unknown key
])
def test_a_settings_file_is_never_echoed_beyond_a_short_excerpt(tmp_path: Path, old: str, new: str) -> None:
    contract = tmp_path / "c.toml"
    contract.write_text((REPO / "fixtures" / "contracts" / "compliant-framework.toml").read_text().replace(old, new, 1))
    code, out, err = run("contract", str(contract))
    assert code == 2 and len(out + err) < 2_000 and "…" in err, len(out + err)


def test_a_workbook_report_cut_short_by_the_disk_says_so_once_with_no_traceback(tmp_path: Path) -> None:
    """A file-size limit stands in for a full disk: the zip inside the workbook fails half-written."""
    import resource
    import signal
    import subprocess
    import sys

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, rather than killing the run
        resource.setrlimit(resource.RLIMIT_FSIZE, (4_000, 4_000))

    report = tmp_path / "r.xlsx"
    done = subprocess.run([sys.executable, "-m", "agency_rules", str(REPO / "fixtures" / "engagements.csv"), "-o", str(report)],
                          capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert done.returncode == 2 and "cannot write the report" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert not report.exists() and [p.name for p in tmp_path.iterdir()] == []


@pytest.mark.parametrize("after", [0.15, 0.4, 0.8])
def test_ctrl_c_while_the_tool_loads_or_reads_ends_it_quietly(tmp_path: Path, after: float) -> None:
    import signal
    import subprocess
    import sys
    import time

    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    job = subprocess.Popen([sys.executable, "-c", "from agency_rules.entry import main; main()", str(export), "-o", str(tmp_path / "r.json")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    job.send_signal(signal.SIGINT)
    _, err = job.communicate(timeout=120)
    assert "Traceback" not in err and job.returncode in (0, 130, -signal.SIGINT), (job.returncode, err)
    assert [p.name for p in tmp_path.iterdir() if p.name != "e.csv"] in ([], ["r.json"])  # the report whole, or none and no .partial


def test_names_the_same_by_unicode_are_read_as_one_and_look_alikes_as_none() -> None:
    import polars as pl

    from agency_rules.inputs.columns import NAME

    def read(text: str) -> str | None:
        return pl.select(NAME.value(pl.lit(text))).item()

    assert read("Cafe\u0301 Care") == read("Caf\u00e9 Care") == "Caf\u00e9 Care"
    assert read("\u212aent  Agency") == "Kent Agency" and read("O\u2019Neill Recruitment") == "O'Neill Recruitment"
    assert read("\u0410\u0433\u0435\u043d\u0442") == "\u0410\u0433\u0435\u043d\u0442" and read("Smith \u2013 Care") == "Smith \u2013 Care"
    for lookalike in ("N\u043erthdown", "\u0415-1x", "Acme L\u0131mited", "\U0001d400cme", "\uff2eorthdown", "E\u00ad1", "E-1\ufe0f", "SE\u2011FW", "\u13aacme Ltd",
                      "\u2168 Care", "Care\u2024Ltd"):
        assert read(lookalike) is None, ascii(lookalike)


def test_the_header_is_counted_as_a_record_with_its_quotes(tmp_path: Path) -> None:
    """A quoted line break in the first name once hid 100,000 columns; quoted commas are one name, not columns."""
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(['"note\n"', *COMPLIANT, *(f"x{i}" for i in range(1_200))]) + "\n")
    code, _, err = run(str(wide))
    assert code == 2 and "more than 1,000 columns" in err, err
    commas = tmp_path / "commas.csv"
    commas.write_text(",".join([*COMPLIANT, '"' + "," * 5_000 + '"']) + "\n" + ",".join([*COMPLIANT.values(), "x"]) + "\n")
    code, _, err = run(str(commas))
    assert code in (0, 1) and "more than 1,000 columns" not in err, err
