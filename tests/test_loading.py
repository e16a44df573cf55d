"""Reading exports: every invalid row rejected with every reason, encodings, formats, reconciled counts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest

from agency_rules.inputs.columns import FLAG, Kind, WorkerId
from agency_rules.inputs.config import column_map_of
from agency_rules.inputs.engagements import parse_engagements, read_history, read_raw
from agency_rules.inputs.files import InputError
from agency_rules.inputs.records import BLANK
from agency_rules.report import rejected_as_dicts

from .conftest import COMPLIANT, write_csv


def read_engagements(path: Path, column_map: dict[str, str] | None = None) -> SimpleNamespace:
    mapping = column_map_of(column_map, {}, "test") if column_map else None
    raw = read_raw(path, column_map=mapping)
    loaded = parse_engagements(raw, mapping)
    engagements = [SimpleNamespace(**r) for r in loaded.table.valid.iter_rows(named=True)]
    rejected = [
        SimpleNamespace(row=r["row"], engagement_id=r["engagement_id"], errors=[SimpleNamespace(**e) for e in r["errors"]])
        for r in rejected_as_dicts(loaded.table.errors)
    ]
    return SimpleNamespace(engagements=engagements, rejected=rejected, rows_read=loaded.table.rows_read, blank_rows=raw.records.frame[BLANK].sum())


def read_cell(kind: Kind, text: str):
    return pl.select(kind.value(pl.lit(text)).alias("value")).item()


def row(**fields: str) -> dict[str, str]:
    return {**COMPLIANT, **fields}


def reasons(path: Path) -> dict[str, list[tuple[str, str]]]:
    loaded = read_engagements(path)
    assert loaded.rows_read == len(loaded.engagements) + len(loaded.rejected)
    return {r.engagement_id or f"row {r.row}": [(e.column, e.message) for e in r.errors] for r in loaded.rejected}


@pytest.mark.slow
@pytest.mark.parametrize(
    "fields, column, words",
    [
        ({"worker_id": ""}, "worker_id", "required value is missing"),
        ({"la_code": ""}, "la_code", "required value is missing"),
        ({"start_date": "31/02/2025"}, "start_date", "not a real day"),
        ({"start_date": "29/02/2025"}, "start_date", "not a real day"),
        ({"end_date": "00/01/2026"}, "end_date", "not a real day"),
        ({"offer_date": "next week"}, "offer_date", "not a date"),
        ({"la_code": "E99999999"}, "la_code", "153 local authorities"),
        ({"la_code": "E10000006"}, "la_code", "153 local authorities"),
        ({"pay_rate": "-5"}, "pay_rate", "negative"),
        ({"agency_fee": "abc"}, "agency_fee", "not a number"),
        ({"framework_fee": "1e400"}, "framework_fee", "not a finite number"),
        ({"pay_rate": "99999999999"}, "pay_rate", "not a plausible value"),
        ({"pay_rate": "nan"}, "pay_rate", "not a finite number"),
        ({"role": "manager"}, "role", "not one of"),
        ({"employment_model": "freelance"}, "employment_model", "not one of"),
        ({"engagement_type": "team"}, "engagement_type", "not one of"),
        ({"previous_leaving_reason": "left"}, "previous_leaving_reason", "not one of"),
        ({"asye_completed": "maybe"}, "asye_completed", "not a yes/no value"),
        ({"references_count": "1.5"}, "references_count", "not a whole number"),
        ({"worker_id": "SW0123"}, "worker_id", "neither a Social Work England number"),
        ({"worker_id": "SW1234567"}, "worker_id", "neither a Social Work England number"),
        ({"worker_id": "P-xyz"}, "worker_id", "neither a Social Work England number"),
        ({"end_date": "2025-11-02"}, "end_date", "ends before it starts"),
        ({"previous_substantive_la": "W06000001"}, "previous_substantive_la", "153 local authorities"),
    ],
)
def test_each_kind_of_invalid_row_is_rejected_with_its_column(tmp_path: Path, fields: dict, column: str, words: str) -> None:
    path = write_csv(tmp_path / "e.csv", [row(engagement_id="GOOD"), row(engagement_id="BAD", **fields)])
    loaded = read_engagements(path)
    assert [e.engagement_id for e in loaded.engagements] == ["GOOD"]
    [rejected] = loaded.rejected
    assert rejected.row == 3
    assert any(e.column == column and words in e.message for e in rejected.errors), rejected.errors
    assert loaded.rows_read == 2


@pytest.mark.slow
def test_a_row_is_rejected_with_every_reason(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(start_date="31/02/2025", role="boss", pay_rate="-1", la_code="X")])
    got = reasons(path)
    assert sorted(c for c, _ in got["E-1"]) == ["la_code", "pay_rate", "role", "start_date"]


def test_duplicate_engagement_id_rejects_the_later_row_and_names_the_first(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(engagement_id="A"), row(engagement_id="B"), row(engagement_id="A")])
    loaded = read_engagements(path)
    assert [e.engagement_id for e in loaded.engagements] == ["A", "B"]
    assert loaded.rejected[0].row == 4
    assert "first used in row 2" in loaded.rejected[0].errors[0].message


@pytest.mark.slow
def test_counts_reconcile_and_blank_lines_are_not_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(engagement_id=str(i), pay_rate="-1" if i % 3 == 0 else "30") for i in range(10)])
    path.write_text(path.read_text() + ",,,\n\n")
    loaded = read_engagements(path)
    assert (loaded.rows_read, len(loaded.engagements), len(loaded.rejected), loaded.blank_rows) == (10, 6, 4, 2)


def test_ragged_rows_are_rejected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row()])
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ",extra", lines[1].replace("E-1", "E-2").rsplit(",", 3)[0]]) + "\n")
    loaded = read_engagements(path)
    assert len(loaded.rejected) == 2
    assert all("cells but the header has" in r.errors[0].message for r in loaded.rejected)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_are_detected_and_never_mis_decoded(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "e.csv", [row(pay_rate="£35.50", agency="Agência Zoë")], encoding=encoding)
    loaded = read_engagements(path)
    [engagement] = loaded.engagements
    assert engagement.pay_rate == 35.5
    assert engagement.agency == "Agência Zoë"


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(), row(engagement_id="E-2")])
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert len(read_engagements(path).engagements) == 2


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row()])
    path.write_bytes(path.read_bytes() + b"\x81\x8d\xff\xfe")
    with pytest.raises(InputError, match="neither UTF-8 nor Windows-1252"):
        read_engagements(path)


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"engagement_id\x00,worker_id\n\x00\x01\x02")
    with pytest.raises(InputError, match="NUL bytes"):
        read_engagements(path)


@pytest.mark.parametrize(
    "content, words",
    [
        ("", "empty"),
        ("engagement_id;worker_id;la_code;role;start_date\nE;SW1;E10000016;other;2025-01-01\n", "comma-separated"),
        ("E-1,SW1,E10000016,other,2025-01-01\n", "header row"),
        ("engagement_id,worker_id,la_code,role\n", r"missing required column\(s\) start_date"),
        ("engagement_id,worker_id,la_code,role,start_date,Role\n", "appears twice"),
    ],
)
def test_unusable_files_are_refused_with_the_file_named(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=words) as error:
        read_engagements(path)
    assert str(path) in str(error.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.csv: no such file"):
        read_engagements(tmp_path / "missing.csv")


def test_header_only_reads_no_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [], header=list(COMPLIANT))
    loaded = read_engagements(path)
    assert (loaded.rows_read, len(loaded.engagements)) == (0, 0)


def test_headers_are_case_insensitive_and_unknown_columns_ignored(tmp_path: Path) -> None:
    data = {k.upper() if i % 2 else f" {k.title()} ": v for i, (k, v) in enumerate(row().items())}
    data["Notes"] = "anything"
    path = write_csv(tmp_path / "e.csv", [data])
    [engagement] = read_engagements(path).engagements
    assert engagement.role == "social_worker"


def test_column_map_renames_an_exports_headers(tmp_path: Path) -> None:
    data = row()
    data["Assignment Ref"] = data.pop("engagement_id")
    path = write_csv(tmp_path / "e.csv", [data])
    [engagement] = read_engagements(path, {"Assignment Ref": "engagement_id"}).engagements
    assert engagement.engagement_id == "E-1"


@pytest.mark.slow
def test_a_ten_megabyte_cell_rejects_its_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(agency="x" * 10_000_000), row(engagement_id="E-2")])
    loaded = read_engagements(path)
    assert [e.engagement_id for e in loaded.engagements] == ["E-2"]
    assert "characters long" in loaded.rejected[0].errors[0].message


@pytest.mark.parametrize("text, expected", [("true", True), ("Yes", True), ("Y", True), ("1", True), ("FALSE", False), ("no", False), ("n", False), ("0", False)])
def test_boolean_spellings(text: str, expected: bool) -> None:
    assert read_cell(FLAG, text) is expected


@pytest.mark.parametrize("text, expected", [("SW123456", "SW123456"), ("sw123456", "SW123456"), ("123456", "SW123456"), ("SW 1", "SW1"), ("P-1A2b", "P-1a2b")])
def test_worker_ids_are_normalised(text: str, expected: str) -> None:
    assert read_cell(WorkerId(pl.String), text) == expected


def test_dates_in_both_formats_give_the_same_engagement(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(engagement_id="A", start_date="2025-11-03"), row(engagement_id="B", start_date="03/11/2025")])
    a, b = read_engagements(path).engagements
    assert a.start_date == b.start_date


def test_history_rows_are_validated_too(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "worker_id,la_code,employment,start_date,end_date,leaving_reason\n"
        "SW1,E10000016,substantive,2020-01-01,2025-01-31,resignation\n"
        "SW2,E10000016,permanent,2020-01-01,2025-01-31,resignation\n"
        "SW3,E10000016,substantive,2025-01-01,2024-01-31,\n"
    )
    history = read_history(path)
    assert history.table.valid["worker_id"].to_list() == ["SW1"]
    assert history.table.errors["row"].unique(maintain_order=True).to_list() == [3, 4]
    assert history.info.rows == 3


@pytest.mark.parametrize("text", ["SW1", "SW123456", "P-0", "P-1a2b3c"])
def test_a_canonical_worker_id_is_its_own_value(text: str) -> None:
    """The reader skips normalising ids already in canonical form; this holds only if normalising leaves them unchanged."""
    kind = WorkerId(pl.String)
    assert pl.select(pl.lit(text).str.contains(kind.canonical)).item()
    assert read_cell(WorkerId(pl.String, canonical=None), text) == text


@pytest.mark.slow
def test_canonical_and_other_worker_ids_in_one_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [row(engagement_id="A", worker_id="SW1"), row(engagement_id="B", worker_id=" sw 2"), row(engagement_id="C", worker_id="SW0")])
    loaded = read_engagements(path)
    assert [(e.engagement_id, e.worker_id) for e in loaded.engagements] == [("A", "SW1"), ("B", "SW2")]
    assert [r.engagement_id for r in loaded.rejected] == ["C"]


@pytest.mark.slow
def test_a_file_quoting_every_cell_is_read_by_the_quoted_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    from agency_rules.inputs import records

    calls = []
    real = records._quoted_lines
    monkeypatch.setattr(records, "_quoted_lines", lambda *a: calls.append(1) or real(*a))
    path = write_csv(tmp_path / "e.csv", [row(agency='Smith, "Jones" & Co'), row(engagement_id="E-2", pay_rate="")], quoting=csv.QUOTE_ALL)
    path.write_text(path.read_text() + '"E-3","SW1"\n\n"",""\n')
    loaded = read_engagements(path)
    assert calls == [1]
    assert [(e.engagement_id, e.agency, e.pay_rate) for e in loaded.engagements] == [("E-1", 'Smith, "Jones" & Co', 34.0), ("E-2", None, None)]
    assert [(r.row, r.errors[0].message) for r in loaded.rejected] == [(4, "row has 2 cells but the header has 23")]
    assert (loaded.rows_read, loaded.blank_rows) == (3, 2)
