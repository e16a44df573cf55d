"""Reading an engagements export (a CSV file, a workbook or a polars DataFrame) and a history file into typed frames."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..messages import row_words
from ..regions import region_by_code
from ..shown import is_key
from .columns import ENGAGEMENT_COLUMNS, HISTORY_COLUMNS, PSEUDONYM_KEY, SOURCE_ROW, Column
from .config import ColumnMap
from .files import InputError, InputFile, read_bounded, source_text
from .records import BLANK, FIELDS, ROW, Records, cell, read_records
from .tables import Table, locate, parse_table
from .workbook import is_workbook, read_workbook

DATAFRAME = "<DataFrame>"


@dataclass(frozen=True)
class Raw:
    """An input's records, every cell still text, and how the report names it."""

    records: Records
    label: str
    sha256: str
    encoding: str
    sheet: str | None = None


@dataclass(frozen=True)
class Loaded:
    """One input read: its typed valid rows, its rejected rows' reasons, and how the report names it."""

    table: Table
    info: InputFile


def read_raw(
    source: Path | pl.DataFrame,
    columns: Sequence[Column] = ENGAGEMENT_COLUMNS,
    column_map: ColumnMap | None = None,
    sheet: str | None = None,
) -> Raw:
    """Every cell as text with its row number: a CSV file, a workbook's sheet (first unless named), or a DataFrame.

    A DataFrame's rows are numbered as in a CSV written from it (header = row 1), a sheet's as in the sheet.
    """
    if isinstance(source, pl.DataFrame):
        if not source.width:
            raise InputError(f"{DATAFRAME}: the DataFrame has no columns")
        wanted = {c.name for c in columns} | set(column_map.columns if column_map else {})
        odd = {
            name: dtype
            for name, dtype in source.schema.items()
            if dtype.is_nested() or dtype in (pl.Binary, pl.Object) or dtype == pl.Duration
        }
        named = [
            f"{name} ({dtype})" for name, dtype in odd.items() if name.strip().lower() in wanted
        ]
        if named:
            raise InputError(
                f"{DATAFRAME}: column(s) {', '.join(named)} hold lists, bytes, objects or durations, not the text, "
                "numbers or dates a contract column holds"
            )
        source = source.drop(list(odd))  # not contract columns: nothing reads them
        header = list(source.columns)
        frame = source.select(
            pl.col(name).cast(pl.String).fill_null("").alias(cell(i))
            for i, name in enumerate(header)
        ).with_columns(
            (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW),
            pl.lit(len(header), pl.Int32).alias(FIELDS),
            pl.all_horizontal(
                pl.col(cell(i)).str.strip_chars() == "" for i in range(len(header))
            ).alias(BLANK),
        )
        return Raw(Records(header, frame), DATAFRAME, "", "dataframe")
    data = read_bounded(source)
    if is_workbook(data):
        names = [c.name for c in columns] + list(column_map.columns if column_map else {})
        records = read_workbook(str(source), data, sheet, names)
        _refuse_a_key(str(source), records, {name.lower() for name in names})
        return Raw(
            records, str(source), hashlib.sha256(data).hexdigest(), "workbook", records.sheet
        )
    if sheet is not None:
        raise InputError(f"{source}: --sheet names a sheet, but this is a CSV file, not a workbook")
    _refuse_a_web_page(source, data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        raise InputError(
            f"{source}: this is JSON, not an export; to combine JSON reports for a board, run agency-check summary {source} ..."
        )

    def few_values(header: list[str]) -> set[int]:
        try:
            where = locate(str(source), header, columns, column_map)
        except (
            InputError
        ):  # said when the table is parsed; `agency-check columns` reads such a file to show why
            return set()
        return {where[c.name] for c in columns if c.name in where and not c.distinct}

    records, text = read_records(source_text(source, data), few_values)
    _refuse_a_key(
        text.path,
        records,
        {c.name for c in columns} | set(column_map.columns if column_map else {}),
    )
    return Raw(records, text.path, text.sha256, text.encoding)


_MARKUP = re.compile(
    rb"^(?:<!doctype html|<html|<table|<\?xml[^>]*>\s*(?:<\?mso[^>]*>\s*)?<workbook)", re.IGNORECASE
)


def _refuse_a_web_page(source: Path, data: bytes) -> None:
    """Some MSP portals save a web page (HTML, or Excel's 2003 XML) under a spreadsheet's name: read as CSV, its markup
    would be listed as headers. Said as what it is, with what to do."""
    start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not _MARKUP.match(start):
        return
    if source.suffix.lower() in (".html", ".htm"):
        raise InputError(
            f"{source}: this is a web page, not an export (an HTML report or board paper, given where the export"
            " belongs?); give the council's export, CSV or .xlsx"
        )
    raise InputError(
        f"{source}: this is a web page (HTML or XML), not a spreadsheet, though it is named like one, as some "
        "portals export; open it in Excel and save it as an Excel workbook (.xlsx) or CSV UTF-8, then check that file"
    )


# a cell of an export's data: a date, an amount, a count, or an id or code (a digit in one word)
_DATA_LIKE = r"^\s*(?:[£$]?-?[0-9][0-9,./: -]*|[^\s]*[0-9][^\s]*)\s*$"
_LOOKED_AT = 100  # rows below a header read for one that looks like data


def _refuse_a_key(label: str, records: Records, names: set[str]) -> None:
    """A key or passphrase file given as an export (`agency-check region.key`) would have its text printed as "the
    headers found". A file whose first row that is not blank is a single hex or base64 key is refused, unshown; so is a
    text file whose first row names none of the `names` and whose rows below hold nothing like an export's data (no row
    of as many cells as that first row with a date, an amount or an id in it: a passphrase of several lines, commas in
    it). A mislabelled export, whose rows are data, has its headers shown, to map them. A workbook's sheet is never a key."""
    first = [h.strip() for h in records.header if h.strip()]
    # the first rows that are not blank, found without a filtered copy of a million rows
    rows = records.frame[(~records.frame[BLANK]).arg_true().head(_LOOKED_AT + 1)]
    if not first and rows.height:
        first = [
            c.strip()
            for c in rows.select(cell(i) for i in range(records.width)).row(0)
            if c.strip()
        ]
        rows = rows.tail(-1)
    if len(first) == 1 and is_key(first[0]):
        raise InputError(f"{label}: looks like a key file, not an export; its content is not shown")
    named = {part.strip().lower() for h in first for part in re.split(r"[;\t|]", h)}
    if not first or named & names or records.sheet is not None:
        return  # a header, if separated by other marks than commas (said later, with how to fix it)
    data = rows.filter(
        (pl.col(FIELDS) >= len(first))
        & pl.any_horizontal(pl.col(cell(i)).str.contains(_DATA_LIKE) for i in range(records.width))
    )
    if not data.height:
        raise InputError(
            f"{label}: its first row names no column of an export, and no row below it holds data (a date, an amount or an"
            " id in a row of as many cells): the first row must be the header row; the file is not shown, since it"
            " may be a key or a passphrase given by mistake"
        )


def _key_of(valid: pl.DataFrame) -> str | None:
    """The one key a pseudonymised file names (a file naming several is refused when it is checked)."""
    if PSEUDONYM_KEY not in valid.columns:
        return None
    named = valid[PSEUDONYM_KEY].drop_nulls().unique()
    return str(named[0]) if named.len() == 1 else None


def _loaded(raw: Raw, table: Table, valid: pl.DataFrame, kind: str = "engagements") -> Loaded:
    errors = table.errors.select(pl.lit(raw.label).alias("file"), pl.all())
    return Loaded(
        Table(
            valid.with_columns(pl.lit(raw.label).alias("file")),
            errors,
            table.rows_read,
            table.present,
        ),
        InputFile(
            raw.label,
            raw.sha256,
            table.rows_read,
            raw.encoding,
            kind,
            raw.sheet,
            table.timed,
            _key_of(valid),
        ),
    )


def parse_engagements(raw: Raw, column_map: ColumnMap | None = None) -> Loaded:
    """Typed engagements with their region; rejected rows with every reason."""
    table = parse_table(
        raw.label,
        raw.records,
        ENGAGEMENT_COLUMNS,
        column_map,
        key="engagement_id",
        period=("start_date", "end_date"),
    )
    valid = table.valid.with_columns(
        pl.col("la_code").replace_strict(region_by_code(), return_dtype=pl.String).alias("region")
    )
    return _loaded(raw, table, valid)


def read_history(
    source: Path | pl.DataFrame, column_map: ColumnMap | None = None, sheet: str | None = None
) -> Loaded:
    """Past roles of workers for cooling-off: each valid row is a role, named by the file and row it came from."""
    raw = read_raw(source, HISTORY_COLUMNS, column_map, sheet)
    table = parse_table(
        raw.label, raw.records, HISTORY_COLUMNS, column_map, period=("start_date", "end_date")
    )
    valid = table.valid.with_columns(
        pl.col("la_code").replace_strict(region_by_code(), return_dtype=pl.String).alias("region"),
        row_words(pl.col("row"), pl.col(SOURCE_ROW), pl.lit(Path(raw.label).name)).alias(
            "recorded_in"
        ),
    )
    return _loaded(raw, table, valid, "history")
