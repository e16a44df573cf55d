"""Records → a typed frame of valid rows and a frame of every reason for every rejected row.

Headers are matched case-insensitively (after an optional column map); each contract column is
parsed by its expression; a row is rejected for any bad cell, a wrong number of cells, an end
before its start, or a key used by an earlier row. Rows read = valid rows + rejected rows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from ..messages import phrase, row_words
from ..shown import ONE_CELL, quote
from .columns import EXCERPT, MAX_CELL, SOURCE_ROW, Column, Day
from .config import ColumnMap
from .files import InputError
from .records import BLANK, FIELDS, FIRST_ROW, ROW, Records, cell

FIRST = "__first"
FIRST_SOURCE = "__first_source"
ERROR_SCHEMA = {
    "row": pl.Int64,
    "engagement_id": pl.String,
    "column": pl.String,
    "value": pl.String,
    "message": pl.String,
    "code": pl.String,
    "header": pl.String,
    "la_code": pl.String,
    SOURCE_ROW: pl.Int64,
}


@dataclass(frozen=True)
class Table:
    """The valid rows (typed contract columns and `row`) and one line per reason a row was rejected."""

    valid: pl.DataFrame
    errors: pl.DataFrame
    rows_read: int
    present: frozenset[str] = frozenset()  # the contract columns the file has
    timed: int = 0  # dates read that carried a time of day (the calendar day was taken), for the report's notes


def read_header(
    header: Sequence[str],
    columns: Sequence[Column],
    column_map: ColumnMap | None,
    no_header: str = FIRST_ROW,
) -> tuple[dict[str, int], list[str]]:
    """Where each contract column is in the file, and every reason the header cannot be read (none when it can).

    The reasons: two headers read as one column, a column-map header the file does not have (every
    value of its column would silently go missing), and missing required columns (listing the
    headers found when none matches, and `no_header`: where a header was looked for, and where else to look).
    """
    aliases = column_map.columns if column_map else {}
    spelled = column_map.spelled if column_map else {}
    found = [h.strip().lower() for h in header]
    names = [aliases.get(h, h) for h in found]
    seen: dict[str, int] = {}
    problems = []
    for index, name in enumerate(names):
        if name and name in seen:
            first = seen[name]
            if found[first] == found[index]:
                problems.append(
                    f"column {quote(header[first])} appears twice (columns {first + 1} and {index + 1})"
                )
            else:
                mapped = [quote(header[i]) for i in (first, index) if found[i] in aliases]
                by_map = (
                    f" (the column map reads {' and '.join(mapped)} as {name})" if mapped else ""
                )
                problems.append(
                    f"the headers {quote(header[first])} (column {first + 1}) and {quote(header[index])} "
                    f"(column {index + 1}) are both read as {name}{by_map}"
                )
            continue
        seen[name] = index
    ours = {c.name for c in columns}
    absent = [
        (h, target)
        for h, target in aliases.items()
        if target in ours and h not in found and target not in seen
    ]
    if absent:
        listed = ", ".join(f"'{spelled.get(h, h)}' (for {target})" for h, target in absent)
        problems.append(
            f"the column map names header(s) {listed} that the file does not have; its headers are: {_headers(header)}"
        )
    missing = [c.name for c in columns if c.required and c.name not in seen]
    if missing:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            hint = "; the header looks like one column: the file must be comma-separated"
        elif not any(c.name in seen for c in columns):
            hint = (
                f"; {no_header}. The headers found are: {_headers(header)}. If they are this export's own "
                "names for the contract's columns, map them with --column-map (agency-check columns FILE shows how each is read)"
            )
        else:
            hint = (
                "; if the file names them otherwise, map its headers with --column-map "
                "(agency-check columns FILE shows how each is read)"
            )
        problems.append(f"missing required column(s) {', '.join(missing)}{hint}")
    return {c.name: seen[c.name] for c in columns if c.name in seen}, problems


def locate(
    path: str,
    header: Sequence[str],
    columns: Sequence[Column],
    column_map: ColumnMap | None,
    header_row: int = 1,
    no_header: str = FIRST_ROW,
) -> dict[str, int]:
    """Where each contract column is in the file; a header that cannot be read is refused with every reason."""
    where, problems = read_header(header, columns, column_map, no_header)
    if problems:
        raise InputError(f"{path}, row {header_row}: " + "; and ".join(problems))
    return where


def _headers(header: Sequence[str]) -> str:
    """The headers as a message lists them: each by its first characters; a first row of one cell not at all, since a
    file of one field is no export but may be a key or a passphrase given by mistake."""
    if len(header) == 1:
        return ONE_CELL
    shown = ", ".join(quote(h) for h in header[:40])
    return shown + (f" and {len(header) - 40} more" if len(header) > 40 else "")


def translated(raw: pl.Series, words: dict[str, str]) -> pl.Series:
    """A column's cells with a council's own words (any case) put in the contract's; other cells as they are."""
    text = raw.cast(pl.String)
    key = text.str.strip_chars().str.to_lowercase()
    return (
        pl.select(
            pl.when(key.is_in(list(words)))
            .then(key.replace_strict(words, default=None))
            .otherwise(text)
        )
        .to_series()
        .alias(raw.name)
    )


def text_of(name: str) -> str:
    return f"t:{name}"


def bad_of(name: str) -> str:
    return f"bad:{name}"


@functools.cache
def _decoders(column: Column) -> tuple[pl.Expr, pl.Expr]:
    """A column's value and bad-flag expressions over a frame of its stripped `text` (and `value`), built once a process:
    building a date's expression costs more than running it on a council's distinct dates."""
    text = pl.col("text")
    return column.value(text).alias("value"), column.bad(text, pl.col("value")).alias("bad")


def decode(raw: pl.Series, column: Column, name: str) -> tuple[pl.Expr, pl.Expr]:
    """Expressions for a column's values and bad flags over the records frame, where the column is `name`.

    A categorical column is decoded once per distinct value and gathered by code; a text column of
    few distinct values likewise by its distinct values; an identifier column cell by cell, except
    the cells already in canonical form, which are their own value.
    """

    def decoded(cells: pl.Series) -> pl.DataFrame:
        """Value and bad flag of each cell, the text stripped once and the value computed once (expressions are not shared)."""
        value, bad = _decoders(column)
        frame = cells.str.strip_chars().to_frame("text").with_columns(value)
        return frame.with_columns(bad)

    if isinstance(raw.dtype, pl.Categorical):
        table, index = decoded(raw.dtype.categories.to_series()), pl.col(name).to_physical()
        return pl.lit(table["value"]).gather(index), pl.lit(table["bad"]).gather(index)
    if column.kind.canonical:
        plain = raw.str.contains(column.kind.canonical)
        others = (~plain).arg_true()
        table = decoded(raw.gather(others))
        value = raw.cast(column.kind.dtype).scatter(others, table["value"])
        return pl.lit(value), pl.lit(
            pl.repeat(False, raw.len(), eager=True).scatter(others, table["bad"])
        )
    if column.distinct or raw.len() == 0:
        return column.decode(pl.col(name).str.strip_chars())
    values = raw.unique()
    table = decoded(values)
    index = pl.col(name).replace_strict(
        values, pl.int_range(values.len(), dtype=pl.UInt32, eager=True), return_dtype=pl.UInt32
    )
    return pl.lit(table["value"]).gather(index), pl.lit(table["bad"]).gather(index)


def later_duplicates(values: pl.Series) -> pl.Series:
    """True for each non-null value already seen in an earlier row: hashes first, exact comparison only where hashes repeat."""
    hashes = values.hash()
    suspects = ~hashes.is_first_distinct()
    result = pl.repeat(False, values.len(), eager=True)
    if not suspects.any():
        return result
    among = hashes.is_in(hashes.filter(suspects).implode()).arg_true()
    candidates = values.gather(among)
    repeated = candidates.is_not_null() & ~candidates.is_first_distinct()
    return result.scatter(among.filter(repeated), True)


def parse_table(
    path: str,
    records: Records,
    columns: Sequence[Column],
    column_map: ColumnMap | None = None,
    key: str | None = None,
    period: tuple[str, str] | None = None,
) -> Table:
    """Parse every column of every non-blank record; `key` must be unique, `period` = (start, end) must not run backwards."""
    where = locate(
        records.place(path),
        records.header,
        columns,
        column_map,
        records.header_row,
        records.no_header(),
    )
    frame = records.frame.filter(~pl.col(BLANK)) if records.frame[BLANK].any() else records.frame
    values: list[pl.Expr] = []
    flags: list[pl.Expr] = [(pl.col(FIELDS) != records.width).alias(bad_of("cells"))]
    words = column_map.values if column_map else {}
    mapped = [translated(frame[cell(where[name])], words[name]) for name in words if name in where]
    if mapped:
        frame = frame.with_columns(mapped)
    for c in columns:
        value, bad = (
            decode(frame[cell(where[c.name])], c, cell(where[c.name]))
            if c.name in where
            else c.decode(pl.lit("", pl.String))
        )
        values.append(value.alias(c.name))
        flags.append(bad.alias(bad_of(c.name)))
    both = frame.select(pl.col(ROW).alias("row"), *values, *flags)
    timed = sum(
        _timed(frame[cell(where[c.name])], both[c.name])
        for c in columns
        if isinstance(c.kind, Day) and c.name in where
    )
    table = both.select("row", *(c.name for c in columns))
    marks = both.select(pl.col(bad_of("cells")), *(bad_of(c.name) for c in columns))
    del both
    checks = []
    if period:
        start, end = period
        checks.append((pl.col(end) < pl.col(start)).fill_null(False).alias(bad_of("period")))
    if key:
        checks.append(pl.lit(later_duplicates(table[key])).alias(bad_of("duplicate")))
    if checks:
        marks = marks.with_columns(table.select(checks))
    rejected = marks.select(pl.any_horizontal(pl.all())).to_series()
    if not rejected.any():
        return Table(
            table, pl.DataFrame(schema=ERROR_SCHEMA), frame.height, frozenset(where), timed
        )
    bad_typed = table.filter(rejected)
    first = None
    if key:
        first = (
            table.filter(pl.col(key).is_in(bad_typed[key].drop_nulls().implode()))
            .group_by(key)
            .agg(
                pl.col("row").min().alias(FIRST),
                pl.col(SOURCE_ROW).sort_by("row").first().alias(FIRST_SOURCE),
            )
        )
    valid = table.filter(~rejected)
    del table
    texts = frame.filter(rejected).select(
        ROW,
        FIELDS,
        *(
            (
                pl.col(cell(where[c.name])).cast(pl.String).str.strip_chars()
                if c.name in where
                else pl.lit("", pl.String)
            ).alias(text_of(c.name))
            for c in columns
        ),
    )
    bad_rows = pl.concat([texts, bad_typed.drop("row"), marks.filter(rejected)], how="horizontal")
    if first is not None:
        bad_rows = bad_rows.join(first, on=key, how="left")
    written = {
        name: records.header[index].strip() for name, index in where.items()
    }  # each column's header as the file spells it
    errors = (
        _errors(bad_rows.lazy(), columns, records.width, key, period)
        .with_columns(
            pl.col("column")
            .replace_strict(written, default="", return_dtype=pl.String)
            .alias("header")
        )
        .join(  # the council, where its cell could be read, for board summaries; for a pseudonymised file, its own row
            bad_typed.lazy().select("row", "la_code", SOURCE_ROW),
            on="row",
            how="left",
            maintain_order="left",
        )
        .collect()
    )
    return Table(valid, errors, frame.height, frozenset(where), timed)


_MIDNIGHT = r"[ T](?:0{1,2}:00(?::00(?:\.0+)?)?|12:00(?::00)? ?[Aa]\.?[Mm]\.?)$"  # a workbook's date cell, or a portal's bare date


def _timed(raw: pl.Series, value: pl.Series) -> int:
    """How many cells of a date column were read as a day though they carried a time other than midnight (a categorical's
    words looked at once)."""

    def carried(text: pl.Series) -> pl.Series:
        return text.str.contains(":", literal=True) & ~text.str.contains(_MIDNIGHT)

    if isinstance(raw.dtype, pl.Categorical):
        timed = carried(raw.dtype.categories.to_series()).gather(raw.to_physical())
    else:
        timed = carried(raw)
    return int((timed & value.is_not_null()).sum())


def _errors(
    rows: pl.LazyFrame,
    columns: Sequence[Column],
    width: int,
    key: str | None,
    period: tuple[str, str] | None,
) -> pl.LazyFrame:
    """One line per reason, in the order a reader checks them: cell count, columns in contract order, period, duplicate."""
    key_value = pl.col(key) if key else pl.lit(None, pl.String)
    parts = [
        rows.filter(pl.col(bad_of("cells"))).select(
            pl.col(ROW).alias("row"),
            key_value.alias("engagement_id"),
            pl.lit(-1).alias("order"),
            pl.lit("").alias("column"),
            pl.lit("").alias("value"),
            phrase("row has {} cells but the header has {}", pl.col(FIELDS), str(width)).alias(
                "message"
            ),
            pl.lit("cell-count").alias("code"),
        )
    ]
    for order, c in enumerate(columns):
        text = pl.col(text_of(c.name))
        length = text.str.len_chars()
        long = length > MAX_CELL
        message = (
            pl.when(text == "")
            .then(pl.lit("required value is missing"))
            .when(long)
            .then(
                phrase(
                    "cell is {} characters long; at most {} are accepted",
                    length.cast(pl.String),
                    str(MAX_CELL),
                )
            )
            .otherwise(
                c.kind.message(text)
                + (
                    f"; the export's own words for these go in [values.{c.name}] of a column map"
                    if c.kind.closed
                    else ""
                )
            )
        )
        parts.append(
            rows.filter(pl.col(bad_of(c.name))).select(
                pl.col(ROW).alias("row"),
                key_value.alias("engagement_id"),
                pl.lit(order).alias("order"),
                pl.lit(c.name).alias("column"),
                pl.when(long)
                .then(text.str.slice(0, EXCERPT) + pl.lit("…"))
                .otherwise(text)
                .alias("value"),
                message.alias("message"),
                pl.when(text == "")
                .then(pl.lit("missing-value"))
                .when(long)
                .then(pl.lit("cell-too-long"))
                .otherwise(c.kind.code(text))
                .alias("code"),
            )
        )
    if period:
        start, end = period
        parts.append(
            rows.filter(pl.col(bad_of("period"))).select(
                pl.col(ROW).alias("row"),
                key_value.alias("engagement_id"),
                pl.lit(len(columns)).alias("order"),
                pl.lit(end).alias("column"),
                pl.col(text_of(end)).alias("value"),
                phrase("ends before it starts ({})", pl.col(start).dt.to_string("%Y-%m-%d")).alias(
                    "message"
                ),
                pl.lit("ends-before-start").alias("code"),
            )
        )
    if key:
        parts.append(
            rows.filter(pl.col(bad_of("duplicate"))).select(
                pl.col(ROW).alias("row"),
                key_value.alias("engagement_id"),
                pl.lit(len(columns) + 1).alias("order"),
                pl.lit(key).alias("column"),
                pl.col(key).alias("value"),
                phrase(
                    "duplicate {}: first used in {}",
                    key,
                    row_words(pl.col(FIRST), pl.col(FIRST_SOURCE)),
                ).alias("message"),
                pl.lit("duplicate-key").alias("code"),
            )
        )
    cast = [
        pl.col("row").cast(pl.Int64),
        pl.col("engagement_id").cast(pl.String),
        pl.col("order").cast(pl.Int64),
        pl.col("column"),
        pl.col("value"),
        pl.col("message"),
        pl.col("code"),
    ]
    return pl.concat([p.select(cast) for p in parts]).sort("row", "order").drop("order")
