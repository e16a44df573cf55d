"""Records → a typed frame of valid rows and a frame of every reason for every rejected row.

Headers are matched case-insensitively (after an optional column map); the contract columns are
parsed by their kind's expression, once per distinct cell of all the columns of that kind; a row is rejected for any bad cell, a wrong number of cells, an end
before its start, or a key used by an earlier row. Rows read = valid rows + rejected rows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from ..messages import phrase, row_words
from ..shown import ONE_CELL, quote
from .columns import EXCERPT, MAX_CELL, SOURCE_ROW, Column, Day, Kind
from .config import ColumnMap
from .files import InputError
from .records import BLANK, FIELDS, FIRST_ROW, ROW, Records, cell

FIRST = "__first"
FIRST_SOURCE = "__first_source"
TIMED = "__timed"
_MIDNIGHT = r"[ T](?:0{1,2}:00(?::00(?:\.0+)?)?|12:00(?::00)? ?[Aa]\.?[Mm]\.?)$"  # a workbook's date cell, or a portal's bare date
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
        other = _other_kind(columns, seen)
        if other:
            hint = f"; {other}"
        elif len(header) == 1 and any(d in header[0] for d in ";\t|"):
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


def _other_kind(columns: Sequence[Column], seen: dict[str, int]) -> str:
    """Where a file's headers are the other kind of input's (a leavers' history given as an export, or the reverse), so
    that which option it belongs to is said, not a column map suggested."""
    ours = {c.name for c in columns}
    if "employment" in seen and "engagement_id" not in seen and "engagement_id" in ours:
        return "its headers are a history file's (worker_id, la_code, employment): give it with --history FILE"
    if "engagement_id" in seen and "employment" in ours:
        return "its headers are an engagements export's (engagement_id): give it as a FILE to check, not --history"
    return ""


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
def _readers(kind: Kind) -> list[list[pl.Expr]]:
    """A kind's reading of a frame of distinct `raw` cells, in stages so the reading is computed once and not copied
    into the expressions that use it; built once a process, as building a date's expression costs more than running it
    on a council's distinct dates."""
    text = pl.col("text")
    last = [
        kind.unreadable(text, pl.col("reading")).alias("unreadable"),
        (text == "").alias("blank"),
    ]
    if isinstance(kind, Day):
        last.append(
            (text.str.contains(":", literal=True) & ~text.str.contains(_MIDNIGHT)).alias("timed")
        )
    return [
        [pl.col("raw").str.strip_chars().alias("text")],
        [kind.reading(text).alias("reading")],
        last,
    ]


@dataclass(frozen=True)
class _Cells:
    """Where a contract column's cells are (`name` in the records frame; None when the file lacks the column, whose cells
    are then all blank) and, for a categorical column, its categories."""

    column: Column
    name: str | None
    categories: pl.Series | None

    def keys(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """The column's distinct cells that need reading (all but those already in their kind's canonical form); for a
        categorical column its categories, in order, so a cell's row among them is its physical code."""
        if self.name is None:
            return pl.LazyFrame({"raw": [""]})
        if self.categories is not None:
            return pl.LazyFrame({"raw": self.categories})
        cells = pl.col(self.name)
        if self.column.kind.canonical:
            cells = cells.filter(~cells.str.contains(self.column.kind.canonical))
        return frame.select(cells.unique().alias("raw"))

    def index(self, keys: pl.Series, start: int) -> pl.Expr:
        """Each cell's row in its kind's table of readings, where this column's `keys` begin at `start`; null for a cell
        in canonical form, which is its own value."""
        if self.name is None:
            return pl.lit(start, pl.UInt32)
        if self.categories is not None:
            return pl.col(self.name).to_physical() + pl.lit(start, pl.UInt32)
        if keys.len() == 0:  # all blank or canonical: polars keeps the cells' type
            return pl.lit(None, pl.UInt32)
        rows = pl.int_range(start, start + keys.len(), dtype=pl.UInt32)
        if self.column.kind.canonical:
            return pl.col(self.name).replace_strict(pl.lit(keys), rows, default=None)
        return pl.col(self.name).replace_strict(pl.lit(keys), rows)


@dataclass(frozen=True)
class _Decoding:
    """Every column's cells located in its kind's table of readings (`indexes`, added to the records frame first), then
    each column's value and bad flag, and for each row how many of its dates carried a time of day (None when none did)."""

    indexes: list[pl.Expr]
    values: list[pl.Expr]
    flags: list[pl.Expr]
    timed: pl.Expr | None


def decode(frame: pl.DataFrame, cells: Sequence[_Cells]) -> _Decoding:
    """The distinct cells of all the columns of one kind (the five date columns, say) are read together, in one query for
    all kinds, each column's after the last's; each cell then finds its reading by its row in its kind's table."""
    kinds: dict[Kind, list[_Cells]] = {}
    for c in cells:
        kinds.setdefault(c.column.kind, []).append(c)
    lazy = frame.lazy()
    queries = []
    for kind, group in kinds.items():
        query = pl.concat(
            [
                c.keys(lazy).with_columns(pl.lit(i, pl.UInt32).alias("part"))
                for i, c in enumerate(group)
            ]
        )
        for stage in _readers(kind):
            query = query.with_columns(stage)
        queries.append(query)
    decoding = _Decoding([], [], [], None)
    timed: list[pl.Expr] = []
    tables = pl.collect_all(queries)
    every_start = pl.select(  # where each column's keys begin in its kind's table, and where the last one's end
        pl.lit(table["part"])
        .search_sorted(pl.Series(range(len(group) + 1), dtype=pl.UInt32))
        .implode()
        .alias(str(k))
        for k, (table, group) in enumerate(zip(tables, kinds.values()))
    ).row(0)
    for (kind, group), table, starts in zip(kinds.items(), tables, every_start):
        any_timed = "timed" in table.columns and bool(table["timed"].any())
        for i, c in enumerate(group):
            keys = table["raw"].slice(starts[i], starts[i + 1] - starts[i])
            decoding.indexes.append(c.index(keys, starts[i]).alias(_index(c.column.name)))
            where = pl.col(_index(c.column.name))
            reading = pl.lit(table["reading"]).gather(where)
            unreadable = pl.lit(table["unreadable"]).gather(where)
            blank = pl.lit(table["blank"]).gather(where)
            # a canonical cell is not in the table: it is its own value, read and not blank
            if c.name is not None and kind.canonical:
                reading = pl.when(where.is_null()).then(pl.col(c.name)).otherwise(reading)
                unreadable, blank = unreadable.fill_null(False), blank.fill_null(False)
            decoding.values.append(c.column.typed(reading, blank).alias(c.column.name))
            decoding.flags.append(c.column.rejected(unreadable, blank).alias(bad_of(c.column.name)))
            if c.name is not None and any_timed:
                timed.append(pl.lit(table["timed"]).gather(where) & reading.is_not_null())
    return replace(decoding, timed=pl.sum_horizontal(timed) if timed else None)


def _index(name: str) -> str:
    return f"__index:{name}"


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
    words = column_map.values if column_map else {}
    mapped = [translated(frame[cell(where[name])], words[name]) for name in words if name in where]
    if mapped:
        frame = frame.with_columns(mapped)
    decoding = decode(
        frame,
        [
            _Cells(c, cell(where[c.name]), _categories(frame[cell(where[c.name])]))
            if c.name in where
            else _Cells(c, None, None)
            for c in columns
        ],
    )
    both = (
        frame.lazy()
        .with_columns(decoding.indexes)
        .select(
            pl.col(ROW).alias("row"),
            *decoding.values,
            (pl.col(FIELDS) != records.width).alias(bad_of("cells")),
            *decoding.flags,
            *([] if decoding.timed is None else [decoding.timed.alias(TIMED)]),
        )
        .collect(optimizations=pl.QueryOptFlags(comm_subexpr_elim=False))
    )
    timed = 0 if decoding.timed is None else int(both[TIMED].sum())
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
        _errors(bad_rows.lazy(), columns, records.width, key, period, _refused(bad_rows, columns))
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


def _categories(cells: pl.Series) -> pl.Series | None:
    return cells.dtype.categories.to_series() if isinstance(cells.dtype, pl.Categorical) else None


def _refused(bad_rows: pl.DataFrame, columns: Sequence[Column]) -> set[str]:
    """The columns with a bad cell among the rejected rows: only theirs are worded, as planning a date column's messages
    cost more than wording a thousand rows."""
    flags = bad_rows.select(pl.col(bad_of(c.name)).any() for c in columns).row(0)
    return {c.name for c, bad in zip(columns, flags) if bad}


def _errors(
    rows: pl.LazyFrame,
    columns: Sequence[Column],
    width: int,
    key: str | None,
    period: tuple[str, str] | None,
    refused: set[str],
) -> pl.LazyFrame:
    """One line per reason, in the order a reader checks them: cell count, columns in contract order (those in `refused`),
    period, duplicate."""
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
        if c.name not in refused:
            continue
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
