"""UTF-8 text → one row per CSV record: every cell as text, its spreadsheet row number and its cell count.

Polars reads the lines and splits them into cells natively: at commas where the file has no quote
character, and with polars' own quote handling where every line is a well-formed record by itself
(quotes only around whole cells, as exports that quote every cell write them). Otherwise the
records with quotes or a carriage return inside a line (a line break inside a cell, a stray quote)
are grouped by quote parity and read by Python's csv module, and the other lines are split at
commas. Either way each
record keeps its number as a spreadsheet counts rows (the header is row 1, a blank line is a row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace

import polars as pl

from ..shown import excerpt, quote
from .files import InputError, SourceText

QUOTED_CELL = r'"(?:[^"]|"")*"'
WELL_FORMED = rf'^(?:{QUOTED_CELL}|[^",]*)(?:,(?:{QUOTED_CELL}|[^",]*))*$'
BLANK_QUOTED = r'^(?:\s*|"\s*")(?:,(?:\s*|"\s*"))*$'
ROW = "__row"
FIRST_ROW = "the first row must be the header row"
FIELDS = "__fields"
BLANK = "__blank"
SCAN_LIMIT = 1 << 31

csv.field_size_limit(SCAN_LIMIT - 1)


@dataclass(frozen=True)
class Records:
    """The header's names and the data records: cells `c0…c{n-1}` ("" where missing) plus row, cell count, blank."""

    header: list[str]
    frame: pl.DataFrame
    header_row: int = 1  # where the header stands (a workbook's may sit below a title)
    sheet: str | None = None  # the workbook sheet read, and its others
    other_sheets: tuple[str, ...] = ()

    def place(self, path: str) -> str:
        return f"{path}, sheet {quote(self.sheet)}" if self.sheet is not None else path

    def no_header(self) -> str:
        """Where a header was looked for, and where else the data may be, for a header with no contract column."""
        if self.sheet is None:
            return FIRST_ROW
        listed = ", ".join(map(quote, self.other_sheets))
        others = f" (if the data is on another sheet, name it with --sheet; the workbook's other sheets are {listed})"
        return f"no row near the top of sheet {quote(self.sheet)} names a contract column{others if listed else ''}"

    @property
    def width(self) -> int:
        return len(self.header)


MOST_COLUMNS = 1_000  # an HR or MSP export has tens of columns; each costs a pass over the rows


def _header_width(data: bytes) -> int:
    """The header record's columns, its quotes read (a quoted name may hold commas and line breaks) and empty names at
    its end left out, as a workbook's are; from its first HEADER_BYTES, so a header longer than that counts as far as they go."""
    first = next(
        csv.reader(io.StringIO(data[:HEADER_BYTES].decode("utf-8", errors="replace"), newline="")),
        [],
    )
    while first and not first[-1].strip():
        first.pop()
    return len(first)


HEADER_BYTES = 4 << 20


LENGTHS_AT_ONCE = 8


def cell(index: int) -> str:
    return f"c{index}"


Plan = Callable[[list[str]], set[int]]


def read_records(
    source: SourceText, categorical: Plan = lambda header: set()
) -> tuple[Records, SourceText]:
    """The records, and the source as finally decoded (Windows-1252 where the bytes are not UTF-8).

    `categorical(header)` names the columns with few distinct values: the reader keeps those as
    categories, so each distinct value is decoded once.
    """
    try:
        return _read(source, categorical), source
    except pl.exceptions.ComputeError as error:
        if "utf" not in str(error).lower() or source.encoding not in ("utf-8", "utf-8-sig"):
            raise InputError(
                f"{source.path}: the file cannot be read as CSV text ({_first_line(error)})"
            ) from None
    source = source.as_windows_1252()
    return _read(source, categorical), source


def _read(source: SourceText, categorical: Plan) -> Records:
    if b"\n" not in source.data and b"\r" in source.data:
        source = replace(
            source, data=source.data.replace(b"\r", b"\n")
        )  # old Mac line endings: CR alone ends every line
    lines = pl.read_lines(source.data, name="line")
    if lines.height == 0:
        raise InputError(f"{source.path}: the file is empty; expected a header row")
    if _header_width(source.data) > MOST_COLUMNS:
        raise InputError(
            f"{source.path}: the header row has more than {MOST_COLUMNS:,} columns (an export has tens; a header of "
            "300,000 took a minute and 1.8 GB to read): not an export this tool can check"
        )
    data = source.data
    bare_cr = b"\r" in data and data.count(b"\r") != data.count(b"\r\n")
    if b'"' in data or bare_cr:
        if not bare_cr and lines["line"].str.contains(WELL_FORMED).all():
            return _quoted_lines(source, lines, categorical)
        complex_line = pl.col("line").str.contains('"', literal=True) | pl.col("line").str.contains(
            "\r", literal=True
        )
        return _with_quoted_records(source, lines.with_columns(complex_line.alias("complex")))
    header = lines["line"][0].split(",")
    split = _split(source, lines.height, len(header), categorical(header))
    body = lines["line"].slice(1)
    frame = (
        _cells(split, len(header))
        .slice(1)
        .with_columns(
            (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW),
            _cell_counts(body, _lengths(split).slice(1), len(header)).alias(FIELDS),
            body.str.contains(r"^[\s,]*$").alias(BLANK),
        )
    )
    return Records(header, frame)


def _quoted_lines(source: SourceText, lines: pl.DataFrame, categorical: Plan) -> Records:
    """A file whose every record is one well-formed line (quotes only around whole cells, as many exports write every cell):
    polars reads it with its own quote handling; cells are counted with the quoted parts taken out."""
    header = next(csv.reader([lines["line"][0]]))
    cells = _cells(
        _split(source, lines.height, len(header), categorical(header), quote='"'), len(header)
    )
    body = lines["line"].slice(1)
    frame = cells.slice(1).with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW),
        (
            body.str.replace_all(QUOTED_CELL, "")
            .str.count_matches(",", literal=True)
            .cast(pl.Int32)
            + 1
        ).alias(FIELDS),
        body.str.contains(BLANK_QUOTED).alias(BLANK),
    )
    return Records(header, frame)


def _cell_counts(lines: pl.Series, lengths: pl.Series, width: int) -> pl.Series:
    """Cells per line: its length less its cells' lengths is its comma count. Exact up to one cell more than the header;
    a line that seems to have more is counted comma by comma."""
    counts = lines.str.len_bytes().cast(pl.Int32) - lengths + 1
    longer = (counts > width + 1).arg_true()
    if longer.len():
        counts = counts.scatter(
            longer, lines.gather(longer).str.count_matches(",", literal=True).cast(pl.Int32) + 1
        )
    return counts


def _split(
    source: SourceText,
    expected: int,
    width: int,
    categorical: set[int] | None = None,
    quote: str | None = None,
) -> pl.DataFrame:
    """Every line split into cells, one column more than the header so a long row shows."""
    schema = {
        f"column_{i + 1}": pl.Categorical(pl.Categories.random())
        if i in (categorical or ())
        else pl.String
        for i in range(width + 1)
    }
    try:
        frame = pl.read_csv(
            source.data,
            has_header=False,
            quote_char=quote,
            schema=schema,
            missing_columns="insert",
            truncate_ragged_lines=True,
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError as error:
        raise InputError(
            f"{source.path}: the file cannot be read as CSV ({_first_line(error)})"
        ) from None
    if frame.height != expected:
        raise InputError(
            f"{source.path}: the file's lines could not be told apart ({frame.height} records in {expected} lines)"
        )
    return frame


def _cells(split: pl.DataFrame, width: int) -> pl.DataFrame:
    """The header's columns of a split, named c0…; a missing cell is ""."""
    return split.select(
        pl.col(f"column_{i + 1}").fill_null("").alias(cell(i)) for i in range(width)
    )


def _lengths(split: pl.DataFrame) -> pl.Series:
    """Bytes in each line's cells (the extra column too), summed a few columns at a time: one query per column cost a
    small file more than reading it, all columns at once would hold a length column per column of a large one."""
    lengths = pl.repeat(0, split.height, dtype=pl.Int32, eager=True)
    schema = split.schema
    for first in range(0, split.width, LENGTHS_AT_ONCE):
        names = split.columns[first : first + LENGTHS_AT_ONCE]
        lengths = lengths + split.select(
            pl.sum_horizontal(_length(schema[name], name) for name in names)
        ).to_series().cast(pl.Int32)
    return lengths


def _length(dtype: pl.DataType, name: str) -> pl.Expr:
    """Bytes in each cell (0 for a missing one); a categorical column measures each distinct value once."""
    cells = pl.col(name)
    measured = cells.cat.len_bytes() if isinstance(dtype, pl.Categorical) else cells.str.len_bytes()
    return measured.cast(pl.Int32).fill_null(0)


def _with_quoted_records(source: SourceText, lines: pl.DataFrame) -> Records:
    """Lines grouped into records by quote parity; groups with quotes read by the csv module, the rest split natively."""
    quotes = pl.col("line").str.count_matches('"', literal=True)
    lines = lines.with_columns(((quotes % 2).cum_sum() % 2 == 1).alias("open_after"))
    lines = lines.with_columns(
        (~pl.col("open_after").shift(1, fill_value=False)).cum_sum().alias("group"),
        pl.int_range(pl.len()).alias("line_number"),
    )
    lines = lines.with_columns(pl.col("complex").any().over("group").alias("complex"))
    if lines["open_after"][-1]:
        start = lines.filter(pl.col("group") == lines["group"][-1])["line_number"][0] + 1
        raise InputError(
            f"{source.path}, line {start}: a quote opened on this line is never closed, so the rest of the file would be one cell"
        )
    groups = lines.group_by("group", maintain_order=True).agg(
        pl.col("line").str.join("\n"), pl.col("complex").any()
    )
    quoted = groups.filter(pl.col("complex"))
    parsed: list[tuple[int, int, list[str]]] = []
    for group, text in zip(quoted["group"], quoted["line"]):
        try:
            found = list(csv.reader(io.StringIO(text + "\n", newline="")))
        except csv.Error as error:
            raise InputError(f"{source.path}: a quoted cell cannot be read ({error})") from None
        parsed += [(group, index, cells) for index, cells in enumerate(found or [[]])]
    header_group = lines["group"][0]
    first = next(
        (cells for group, index, cells in parsed if group == header_group and index == 0), None
    )
    header = first if first is not None else lines["line"][0].split(",")
    width = len(header)
    raw = _split(source, lines.height, width)
    split = (
        _cells(raw, width)
        .with_columns(
            lines["group"].alias("group"),
            pl.lit(0, pl.Int64).alias("part"),
            _cell_counts(lines["line"], _lengths(raw), width).alias(FIELDS),
            lines["line"].str.contains(r"^[\s,]*$").alias(BLANK),
        )
        .filter(~lines["complex"])
    )
    quoted_frame = pl.DataFrame(
        {
            **{
                cell(i): [cells[i] if i < len(cells) else "" for _, _, cells in parsed]
                for i in range(width)
            },
            "group": [group for group, _, _ in parsed],
            "part": [index for _, index, _ in parsed],
            FIELDS: [len(cells) for _, _, cells in parsed],
            BLANK: [not any(c.strip() for c in cells) for _, _, cells in parsed],
        },
        schema={
            **{cell(i): pl.String for i in range(width)},
            "group": lines["group"].dtype,
            "part": pl.Int64,
            FIELDS: pl.Int32,
            BLANK: pl.Boolean,
        },
    )
    frame = (
        pl.concat([split, quoted_frame])
        .sort("group", "part")
        .with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias(ROW))
        .slice(1)
        .drop("group", "part")
    )
    return Records(header, frame)


def _first_line(error: Exception) -> str:
    """The reader's reason, cut short: it may quote the file's text."""
    return (
        excerpt(str(error).strip().splitlines()[0]) if str(error).strip() else type(error).__name__
    )
