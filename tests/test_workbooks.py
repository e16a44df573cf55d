"""Excel workbooks in and out (issue 8, points 1 and 7), with workbooks the tests write themselves."""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import fastexcel
import polars as pl
import pytest
import xlsxwriter

from agency_rules import api

from .conftest import COMPLIANT, write_csv
from .test_cli import FIXTURE_ARGS, FIXTURES, run

DATES = {"start_date", "end_date", "offer_date", "qualified_date", "previous_substantive_end"}
NUMBERS = {"pay_rate", "agency_fee", "framework_fee", "pqe_years", "notice_period_weeks", "la_substantive_notice_weeks", "references_count"}


def write_workbook(path: Path, rows: list[dict[str, str]], title: bool = True, sheet: str = "Agency workers", times: dict[int, str] | None = None) -> Path:
    """The rows as Excel holds them: dates as date cells, amounts as numbers, a title and a blank line above the header."""
    header = list(dict.fromkeys(k for row in rows for k in row))
    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    sheet_ = book.add_worksheet(sheet)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    top = 2 if title else 0
    if title:
        sheet_.write_string(0, 0, "Agency workers, November 2025")
    for c, name in enumerate(header):
        sheet_.write_string(top, c, name)
    for r, row in enumerate(rows, start=top + 1):
        for c, name in enumerate(header):
            value = row.get(name, "")
            if name in DATES and value[:4].isdigit():
                stamp = datetime.fromisoformat(value + ("T" + times[r - top - 1] if times and r - top - 1 in times and name == "start_date" else ""))
                sheet_.write_datetime(r, c, stamp, day)
            elif name in NUMBERS and value.replace(".", "", 1).isdigit():
                sheet_.write_number(r, c, float(value))
            elif value:
                sheet_.write_string(r, c, value)
    book.add_worksheet("Notes").write_string(0, 0, "not data")
    book.close()
    return path


def write_ods(path: Path, rows: list[dict[str, str]], sheet: str = "Agency workers") -> Path:
    """An OpenDocument spreadsheet written by hand (a zip of XML), dates and amounts as typed cells, a title above the header."""
    header = list(dict.fromkeys(k for row in rows for k in row))

    def cell(name: str, value: str) -> str:
        if name in DATES and value[:4].isdigit():
            return f'<table:table-cell office:value-type="date" office:date-value="{value}"><text:p>{value}</text:p></table:table-cell>'
        if name in NUMBERS and value.replace(".", "", 1).isdigit():
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>' if value else "<table:table-cell/>"

    lines = [[cell("", "Agency workers, November 2025")], [], [cell("", name) for name in header],
             *([cell(name, row.get(name, "")) for name in header] for row in rows)]
    table = "".join("<table:table-row>" + ("".join(cells) or "<table:table-cell/>") + "</table:table-row>" for cells in lines)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content office:version="1.2" '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        f'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        f'{table}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def fixture_rows() -> list[dict[str, str]]:
    with (FIXTURES / "engagements.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
@pytest.mark.parametrize("name, write", [("export.xlsx", write_workbook), ("export.ods", write_ods)])
def test_a_workbook_is_checked_like_the_csv_with_its_own_row_numbers(tmp_path: Path, name: str, write) -> None:
    """An Excel workbook (xlsxwriter) and an OpenDocument spreadsheet (written by hand) give the CSV's results."""
    book = write(tmp_path / name, fixture_rows())
    from_csv = api.check(FIXTURES / "engagements.csv")
    from_book = api.check(book)
    assert (from_book.rows_read, from_book.rows_checked, from_book.rows_rejected) == (from_csv.rows_read, from_csv.rows_checked, from_csv.rows_rejected)
    assert from_book.counts == from_csv.counts
    # the header is on the sheet's row 3, so each record is two rows lower than in the CSV
    assert from_book.findings["row"].to_list() == [r + 2 for r in from_csv.findings["row"].to_list()]
    assert from_book.inputs[0].encoding == "workbook" and from_book.inputs[0].sheet == "Agency workers"


def test_a_sheet_is_chosen_by_name_and_an_unknown_sheet_names_the_sheets(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "export.xlsx", [COMPLIANT])
    code, _, err = run(str(book), "--sheet", "Notes")
    assert code == 2 and "missing required column(s)" in err
    code, _, err = run(str(book), "--sheet", "Leavers")
    assert code == 2 and "no sheet named 'Leavers'; the sheets are 'Agency workers', 'Notes'" in err
    assert run(str(book), "--sheet", "Agency workers")[0] == 0


@pytest.mark.slow
def test_excel_dates_with_a_time_of_day_and_text_that_looks_like_a_formula(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "agency": "=HYPERLINK(\"x\")"} for i in range(3)]
    book = write_workbook(tmp_path / "export.xlsx", rows, times={0: "14:30:00", 1: "23:30:00"})  # an Excel serial's fraction
    report = api.check(book)
    assert (report.rows_read, report.rows_checked, report.rows_rejected) == (3, 2, 1)  # 14:30 read as its day, 23:30 refused
    assert report.inputs[0].timed_dates == 1  # a date cell without a fraction is the day itself, not a time
    rejected = report.rejected_rows.row(0, named=True)
    assert rejected["row"] == 5 and rejected["column"] == "start_date" and "has a time from 23:00 to 23:59" in rejected["message"]


def test_a_workbook_with_a_csv_name_is_still_read_as_a_workbook(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "export.xlsx", [COMPLIANT], title=False)
    renamed = book.rename(tmp_path / "export.csv")
    assert api.check(renamed).rows_checked == 1


def test_history_may_be_a_workbook(tmp_path: Path) -> None:
    history = tmp_path / "history.xlsx"
    book = xlsxwriter.Workbook(history)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["worker_id", "la_code", "employment", "start_date", "end_date", "leaving_reason"])
    sheet.write_row(1, 0, ["SW100001", "Medway", "substantive"])
    sheet.write_datetime(1, 3, datetime(2019, 1, 1), book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_datetime(1, 4, datetime(2025, 9, 30), book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_string(1, 5, "resignation")
    book.close()
    report = api.check(write_csv(tmp_path / "e.csv", [COMPLIANT]), history=history)
    assert report.counts["COOL001"]["breach"] == 1


def test_a_broken_workbook_is_refused_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "export.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    code, _, err = run(str(broken))
    assert code == 2 and f"{broken}: not a readable workbook" in err


@pytest.mark.slow
def test_the_workbook_report_has_typed_filtered_sheets_with_frozen_headers(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    code, _, err = run(*FIXTURE_ARGS, "--output", str(out))
    assert code == 1 and "report written" in err
    reader = fastexcel.read_excel(out)
    assert reader.sheet_names == ["Summary", "Findings", "Rejected rows", "Notices"]
    findings = reader.load_sheet("Findings").to_polars()
    code, text, _ = run(*FIXTURE_ARGS, "--format", "json")
    expected = json.loads(text)["findings"]
    assert findings.select("engagement", "rule").rows() == [(f["engagement_id"], f["rule_id"]) for f in expected]
    assert findings["row"].dtype.is_numeric() and findings["council"][0] == "Kent"
    assert findings["start date"].dtype.is_temporal() and "severity" not in findings.columns  # the rule's severity beside 'unknown' misleads
    rejected = reader.load_sheet("Rejected rows").to_polars()
    assert rejected.height == len(json.loads(text)["rejected_rows"]) + 1  # one row has two reasons
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert 'ySplit="1"' in sheet and "<autoFilter" in sheet


def test_text_from_an_input_stays_text_in_the_workbook(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "engagement_id": "=1+1", "agency": "http://example.org", "notice_period_weeks": "1"}])
    out = tmp_path / "report.xlsx"
    assert run(str(path), "--output", str(out))[0] == 1
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet.lower()
    findings = fastexcel.read_excel(out).load_sheet("Findings").to_polars()
    assert findings["engagement"][0] == "=1+1"


@pytest.mark.slow
@pytest.mark.parametrize("name, starts", [("r.json", "{"), ("r.csv", "\ufeffengagement_id"), ("r.md", "# Agency rules check"), ("r.html", "<!doctype html>")])
def test_the_output_extension_chooses_the_format(tmp_path: Path, name: str, starts: str) -> None:
    assert run(*FIXTURE_ARGS, "--output", str(tmp_path / name))[0] == 1
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts)


def test_a_format_the_extension_contradicts_is_refused_and_a_workbook_needs_a_file(tmp_path: Path) -> None:
    code, _, err = run(*FIXTURE_ARGS, "--output", str(tmp_path / "r.json"), "--format", "csv")
    assert code == 2 and "looks like json but --format is csv" in err and not (tmp_path / "r.json").exists()
    code, _, err = run(*FIXTURE_ARGS, "--format", "xlsx")
    assert code == 2 and "needs --output" in err


def test_a_column_map_error_names_the_sheet_row_of_the_header_and_the_header_as_written(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "export.xlsx", [{**{k: v for k, v in COMPLIANT.items() if k != "agency"}, "Supplier": "Oakfield"}])
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Suppliers" = "agency"\n', encoding="utf-8")
    code, _, err = run(str(book), "--column-map", str(mapping))
    assert code == 2 and "row 3: the column map names header(s) 'Suppliers' (for agency)" in err


@pytest.mark.slow
def test_the_workbook_lists_every_notice_reason_with_example_engagements_and_findings_carry_their_dates(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E-1", "role": "advanced_practitioner", "notice_period_weeks": "1"},
            {**COMPLIANT, "engagement_id": "E-2", "role": "team_manager", "la_code": "E09000007"},
            {**COMPLIANT, "engagement_id": "E-3", "role": "team_manager", "la_code": "E09000007", "start_date": "2025-12-01"}]
    args = [str(write_csv(tmp_path / "e.csv", rows)), "--caps", str(Path(__file__).parent / "cases" / "caps.toml")]
    out = tmp_path / "report.xlsx"
    assert run(*args, "--output", str(out))[0] == 1
    reader = fastexcel.read_excel(out)
    notices = reader.load_sheet("Notices").to_polars()
    code, text, _ = run(*args, "--format", "json")
    expected = json.loads(text)["notices"]
    assert notices.height == sum(len(n["reasons"]) for n in expected) > len(expected)  # every reason, not only each rule's first
    assert notices.columns == ["rule", "kind", "engagements", "reason", "for example"]
    assert set(notices.filter(notices["rule"] == "CAP001")["for example"]) == {"E-1", "E-2", "E-3"}
    findings = reader.load_sheet("Findings").to_polars()
    assert findings.filter(findings["engagement"] == "E-1").select(pl.col("start date", "end date").dt.date()).row(0) == (date(2025, 11, 3), date(2026, 4, 30))


@pytest.mark.slow
def test_a_cell_past_the_headers_last_column_rejects_its_row(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(tmp_path / "export.xlsx")
    sheet = book.add_worksheet()
    header = list(COMPLIANT)
    sheet.write_row(0, 0, header)
    sheet.write_row(1, 0, list(COMPLIANT.values()))
    sheet.write_row(2, 0, [*{**COMPLIANT, "engagement_id": "E-2"}.values(), "stray"])
    book.close()
    report = api.check(tmp_path / "export.xlsx")
    assert (report.rows_read, report.rows_checked, report.rows_rejected) == (2, 1, 1)
    assert report.rejected_rows["message"][0] == f"row has {len(header) + 1} cells but the header has {len(header)}"


def test_a_workbook_whose_first_sheet_is_not_the_data_names_the_sheet_and_the_others(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(tmp_path / "export.xlsx")
    book.add_worksheet("Read me").write_string(0, 0, "This export was produced by the MSP portal")
    data = book.add_worksheet("Engagements")
    data.write_row(0, 0, list(COMPLIANT))
    data.write_row(1, 0, list(COMPLIANT.values()))
    book.close()
    code, _, err = run(str(tmp_path / "export.xlsx"))
    assert code == 2 and "sheet 'Read me', row 1" in err and "name it with --sheet; the workbook's other sheets are 'Engagements'" in err
    assert run(str(tmp_path / "export.xlsx"), "--sheet", "Engagements")[0] == 0


def test_a_workbook_that_expands_beyond_the_limit_or_repeats_a_row_a_million_times_is_refused_unread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agency_rules.inputs import sheet_xml

    book = tmp_path / "bomb.xlsx"
    with xlsxwriter.Workbook(book) as workbook:
        workbook.add_worksheet("Data").write_row(0, 0, list(COMPLIANT))
    monkeypatch.setattr(sheet_xml, "EXPANDS_TO", 1000)  # a real bomb is gigabytes; the limit is what is tested
    code, _, err = run(str(book))
    assert code == 2 and "the workbook expands to" in err and "save it as CSV" in err
    spaces = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    for row in ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell><text:p>E-1</text:p></table:table-cell></table:table-row>',
                '<table:table-row table:number-rows-repeated="5000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>',
                '<table:table-row table:number-rows-repeated="99999"><table:table-cell table:number-columns-repeated="1000">'
                '<text:p>x</text:p></table:table-cell></table:table-row>'):
        ods = tmp_path / "bomb.ods"
        with zipfile.ZipFile(ods, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", f"<office:document-content {spaces}><table:table>{row}</table:table></office:document-content>")
        code, _, err = run(str(ods))
        assert code == 2 and "repeats its rows or cells of content past" in err, (row, err)


def test_formulas_in_the_data_are_refused_merged_cells_fill_their_range_and_a_hidden_first_sheet_is_passed_over(tmp_path: Path) -> None:
    book = tmp_path / "msp.xlsx"
    with xlsxwriter.Workbook(book) as workbook:
        workbook.add_worksheet("Lookups").hide()
        data = workbook.add_worksheet("Data")
        data.activate()
        data.write_row(0, 0, list(COMPLIANT))
        la = list(COMPLIANT).index("la_code")
        for r in (1, 2, 3):
            data.write_row(r, 0, [f"E-{r}" if k == "engagement_id" else f"SW10000{r}" if k == "worker_id" else v for k, v in COMPLIANT.items()])
        data.merge_range(1, la, 3, la, "E06000035")  # Medway, merged down three rows
    code, out, err = run(str(book), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["inputs"][0]["sheet"] == "Data" and report["summary"]["by_council"] == {"E06000035": {"rows_checked": 3}}
    stale = one_row_workbook(tmp_path / "stale.xlsx",  # a stale cached 0
                             lambda data, _: data.write_formula(1, list(COMPLIANT).index("pay_rate"), "=25*2", None, 0))
    code, _, err = run(str(stale))
    assert code == 2 and "holds formulas in its data" in err and "save the sheet as values" in err


def one_row_workbook(path: Path, mark=None) -> Path:
    """A sheet 'Data' of the contract's header and one compliant row, `mark(sheet, workbook)` then altering it."""
    with xlsxwriter.Workbook(path) as workbook:
        data = workbook.add_worksheet("Data")
        data.write_row(0, 0, list(COMPLIANT))
        data.write_row(1, 0, list(COMPLIANT.values()))
        if mark:
            mark(data, workbook)
    return path


def test_a_number_past_every_date_formatted_as_a_date_is_refused_not_read_as_blank(tmp_path: Path) -> None:
    """calamine reads 1e10 shown as a date as nothing: an end date silently open-ended."""
    book = one_row_workbook(tmp_path / "serial.xlsx", lambda data, workbook: data.write_number(
        1, list(COMPLIANT).index("end_date"), 1e10, workbook.add_format({"num_format": "yyyy-mm-dd"})))
    code, _, err = run(str(book))
    assert code == 2 and "beyond any date (F2 (10000000000))" in err and "read as blank" in err, err


def _rewritten(book: Path, change) -> None:
    """The workbook with each XML file changed as `change` says (a namespace, a cell), zipped again."""
    with zipfile.ZipFile(book) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(book, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, change(name, data))


def test_strict_open_xml_error_cells_and_damaged_xml_are_met_as_a_reader_would(tmp_path: Path) -> None:
    book = one_row_workbook(tmp_path / "strict.xlsx", lambda data, _: data.write_formula(1, list(COMPLIANT).index("pay_rate"), "=0+1", None, 6))
    strict = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
              b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships"}

    def to_strict(name: str, data: bytes) -> bytes:
        for old, new in strict.items():
            data = data.replace(old, new)
        return data
    _rewritten(book, to_strict)
    code, _, err = run(str(book))
    assert code == 2 and "holds formulas in its data (" in err, err  # Excel's Strict Open XML: the same checks
    errors = one_row_workbook(tmp_path / "na.xlsx")
    end = xlsxwriter.utility.xl_rowcol_to_cell(1, list(COMPLIANT).index("end_date"))
    _rewritten(errors, lambda name, data: re.sub(rf'<c r="{end}"[^>]*>.*?</c>'.encode(), f'<c r="{end}" t="e"><v>#N/A</v></c>'.encode(), data)
               if name.startswith("xl/worksheets/") else data)
    code, _, err = run(str(errors))
    assert code == 2 and f"{end} (#N/A)" in err and "read as blank" in err, err
    damaged = tmp_path / "damaged.xlsx"
    shutil.copy(errors, damaged)
    _rewritten(damaged, lambda name, data: data.replace(b"</sheetData>", b"<extLst></sheetData>") if name.startswith("xl/worksheets/") else data)
    code, _, err = run(str(damaged))
    assert code == 2 and "not a readable workbook" in err and "internal error" not in err, err


def test_an_opendocument_sheet_fills_its_merged_cells_as_an_excel_one_does(tmp_path: Path) -> None:
    """LibreOffice writes a merge as a spanning cell and `covered-table-cell`s beneath, which calamine reads as blanks."""
    rows = [{**COMPLIANT, "engagement_id": f"E-{r}", "worker_id": f"SW10000{r}", "la_code": "E06000035" if r == 1 else ""} for r in (1, 2, 3)]
    book = write_ods(tmp_path / "m.ods", [{"start": "x", **row} for row in rows])  # a first column left empty, below
    spanning = b'<table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>E06000035</text:p></table:table-cell>'

    def merged(name: str, data: bytes) -> bytes:
        if name != "content.xml":
            return data
        data = data.replace(b'<table:table-cell office:value-type="string"><text:p>E06000035</text:p></table:table-cell>', spanning, 1)
        data = data.replace(b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>', b"<table:table-cell/>")
        data = data.replace(b'<table:table-cell office:value-type="string"><text:p>start</text:p></table:table-cell>', b"<table:table-cell/>")
        head, _, tail = data.partition(spanning)
        return head + spanning + tail.replace(b"<table:table-cell/>", b"<table:covered-table-cell/>", 2)  # la_code's blanks beneath

    _rewritten(book, merged)
    code, out, err = run(str(book), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["summary"]["by_council"] == {"E06000035": {"rows_checked": 3}}


def test_an_opendocument_sheet_with_formulas_is_refused_as_an_excel_one_is(tmp_path: Path) -> None:
    """LibreOffice stores a formula's last value beside it (`table:formula="of:=0+1" office:value="6"`): it may be stale."""
    book = write_ods(tmp_path / "f.ods", [COMPLIANT])
    _rewritten(book, lambda name, data: data.replace(b'office:value-type="float" office:value="34.00"',
                                                      b'table:formula="of:=0+1" office:value-type="float" office:value="34.00"', 1)
               if name == "content.xml" else data)
    code, _, err = run(str(book))
    pay = list(dict.fromkeys(COMPLIANT)).index("pay_rate") + 1
    assert code == 2 and f"holds formulas in its data ({chr(64 + pay)}4)" in err, err  # the title, a blank row, the header


@pytest.mark.parametrize("far", ["XFD1048576", "CV1000000", "A600000"])
def test_a_cell_far_from_the_data_is_refused_before_calamine_fills_the_sheet_between(tmp_path: Path, far: str) -> None:
    """calamine holds every cell from the first of content to the last: XFD1048576 beside one row asked for 512 GB."""
    book = one_row_workbook(tmp_path / "far.xlsx")
    _rewritten(book, lambda name, data: data.replace(b"</sheetData>", f'<row r="{re.sub("[A-Z]", "", far)}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode())
               if name.startswith("xl/worksheets/") else data)
    code, _, err = run(str(book))
    assert code == 2 and "from its first cell to its last" in err and "clear the cells beyond the data" in err, err


def test_an_empty_number_cell_left_of_the_data_does_not_shift_its_merges(tmp_path: Path) -> None:
    """calamine skips `<c r="A1"><v></v></c>`: counting it as the first column once put every merge one column off."""
    def offset(data, _) -> None:
        data.write_row(2, 1, list(COMPLIANT))
        for r in (3, 4):
            data.write_row(r, 1, [f"E-{r}" if k == "engagement_id" else f"SW10000{r}" if k == "worker_id" else "" if k == "role" else v
                                  for k, v in COMPLIANT.items()])
        data.merge_range(3, 1 + list(COMPLIANT).index("role"), 4, 1 + list(COMPLIANT).index("role"), COMPLIANT["role"])

    with xlsxwriter.Workbook(tmp_path / "shift.xlsx") as workbook:
        offset(workbook.add_worksheet("Data"), workbook)
    book = tmp_path / "shift.xlsx"
    _rewritten(book, lambda name, data: data.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="A1"><v></v></c></row>', 1)
               if name.startswith("xl/worksheets/") else data)
    code, out, err = run(str(book), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["summary"]["rows_checked"] == 2


def test_a_sheet_with_a_header_of_thousands_of_columns_is_refused(tmp_path: Path) -> None:
    book = one_row_workbook(tmp_path / "wide.xlsx", lambda data, _: data.write_row(0, len(COMPLIANT), [f"x{i}" for i in range(1_000)]))
    code, _, err = run(str(book))
    assert code == 2 and "header row of more than 1,000 columns" in err, err


@pytest.mark.parametrize("far", [
    '<row r="1048576"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # a reference in lower case
    '<row r="3">' + "<c/>" * 16_000 + '<c t="inlineStr"><is><t>x</t></is></c></row><row r="900000"><c><v>1</v></c></row>',  # none
])
def test_a_far_cell_is_measured_however_its_reference_is_written(tmp_path: Path, far: str) -> None:
    book = one_row_workbook(tmp_path / "far.xlsx")
    _rewritten(book, lambda name, data: data.replace(b"</sheetData>", far.encode() + b"</sheetData>") if name.startswith("xl/worksheets/") else data)
    code, _, err = run(str(book))
    assert code == 2 and "from its first cell to its last" in err, err


@pytest.mark.parametrize("cell", ['<c r="{}"><f>25*2</f><v>0</v></c>', '<c><f>25*2</f><v>0</v></c>'])
def test_a_formula_is_found_however_its_reference_is_written(tmp_path: Path, cell: str) -> None:
    pay = xlsxwriter.utility.xl_rowcol_to_cell(1, list(COMPLIANT).index("pay_rate"))
    book = one_row_workbook(tmp_path / "f.xlsx")
    replaced = cell.format(pay.lower()).encode()
    _rewritten(book, lambda name, data: re.sub(rf'<c r="{pay}"[^>]*>.*?</c>'.encode(), replaced, data) if name.startswith("xl/worksheets/") else data)
    code, _, err = run(str(book), "--caps", str(FIXTURES / "caps.toml"))
    assert code == 2 and f"holds formulas in its data ({pay})" in err, err


@pytest.mark.parametrize("tail", [
    '<table:table-row table:number-rows-repeated="+900000"><table:table-cell/></table:table-row>'
    '<table:table-row><table:table-cell table:number-columns-repeated="+60"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
    '<table:table-row table:number-rows-repeated="900000"><table:table-cell/></table:table-row>'
    '<table:table-row><table:covered-table-cell table:number-columns-repeated="60"/><table:covered-table-cell office:value-type="string"><text:p>x</text:p></table:covered-table-cell></table:table-row>',
])
def test_an_opendocument_far_cell_is_measured_with_signed_repeats_and_in_covered_cells(tmp_path: Path, tail: str) -> None:
    book = write_ods(tmp_path / "far.ods", [COMPLIANT])
    _rewritten(book, lambda name, data: data.replace(b"</table:table>", tail.encode() + b"</table:table>") if name == "content.xml" else data)
    code, _, err = run(str(book))
    assert code == 2 and "from its first cell to its last" in err, err


@pytest.mark.slow
def test_a_row_whose_only_cells_lie_past_the_header_is_rejected_not_lost(tmp_path: Path) -> None:
    beyond = xlsxwriter.utility.xl_rowcol_to_cell(2, len(COMPLIANT) + 1)
    book = one_row_workbook(tmp_path / "b.xlsx", lambda data, _: data.write_string(2, len(COMPLIANT) + 1, "E-2 SW100002 E10000016"))
    code, out, err = run(str(book), "--format", "json")
    summary = json.loads(out)["summary"]
    assert code == 3 and (summary["rows_read"], summary["rows_checked"], summary["rows_rejected"]) == (2, 1, 1), (beyond, err)
