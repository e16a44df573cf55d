"""`agency-check columns FILE`: how an export's headers and values will be read, before a check is run.

For each header, the contract column it is read as (or why it is ignored); the contract columns the
export lacks, and the rules that read them; for each column of a closed set of values or a code, the
words that nothing translates and no rule knows (after the column map's `[values.COLUMN]`), with how
many rows hold them; and for agencies and framework references, the names read as written. A history
file is read as a history file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .engine.context import Context
from .engine.evaluation import Engine
from .engine.rulebook import load_rules
from .inputs.columns import BOOKKEEPING, ENGAGEMENT_COLUMNS, HISTORY_COLUMNS, Column
from .inputs.config import ColumnMap
from .inputs.engagements import read_raw
from .inputs.records import BLANK, cell
from .inputs.tables import read_header, translated
from .shown import ONE_CELL, excerpt, quote
from .tomlfiles import closest


@dataclass(frozen=True)
class ColumnsView:
    label: str
    headers: list[
        tuple[str, str, str]
    ]  # (header as in the file, by its first characters; contract column or ""; how)
    missing: list[tuple[str, bool, list[str]]]  # (contract column, required, rules that read it)
    unknown_values: list[
        tuple[str, list[tuple[str, int]]]
    ]  # (column, [(value, rows)]): words no rule knows, rows rejected
    as_written: list[
        tuple[str, list[tuple[str, int]]]
    ]  # (agency or framework, [(name, rows)]) that no [values] entry translates
    problems: list[str]  # why a check would refuse this header, as the check says it
    encoding: str = ""  # how its text was decoded


LONE_LINE = "(not shown: a file of one line may be a passphrase)"


def view_columns(
    path: Path,
    column_map: ColumnMap | None,
    sheet: str | None,
    ruleset: str,
    overlays: list[str],
    history: bool = False,
) -> ColumnsView:
    """How an export (or, with `history`, a history file) will be read, in the check's own terms."""
    columns: Sequence[Column] = HISTORY_COLUMNS if history else ENGAGEMENT_COLUMNS
    raw = read_raw(path, columns, column_map=column_map, sheet=sheet)
    aliases = column_map.columns if column_map else {}
    contract = {c.name: c for c in columns}
    where, problems = read_header(raw.records.header, columns, column_map, raw.records.no_header())
    listed = (
        raw.records.header if len(raw.records.header) > 1 or where else []
    )  # one field may be a key: not shown
    headers = [] if listed else [(ONE_CELL, "", "ignored: not a contract column")]
    lone = raw.records.frame.filter(~pl.col(BLANK)).is_empty()  # a header and no rows
    for index, header in enumerate(listed):
        key = header.strip().lower()
        target = aliases.get(key, key)
        if where.get(target) == index:
            how = "mapped by the column map" if key in aliases else "read as is"
        elif target in where:
            how, target = (
                f"refused: {target} is already read from {quote(raw.records.header[where[target]])}",
                "",
            )
        else:
            match = closest(key, [name for name in contract if name not in where])
            how, target = (
                "ignored: not a contract column" + (f" (did you mean {match}?)" if match else ""),
                "",
            )
        shown = (
            excerpt(header) if target or not lone else LONE_LINE
        )  # a lone line's other fields may be a passphrase's words
        headers.append((shown, target, how))
    loaded, layered = load_rules(ruleset, overlays)
    reading = Engine(loaded, layered, Context()).rules_reading()
    missing = [  # source_row is written by pseudonymise, never lacking from a council's export; a history file serves cooling-off
        (
            c.name,
            c.required,
            (reading.get("previous_substantive_end", []) if history else reading.get(c.name, []))
            if not c.required
            else [],
        )
        for c in columns
        if c.name not in where and c.name not in BOOKKEEPING
    ]
    frame = raw.records.frame.filter(~pl.col(BLANK))
    unknown: list[tuple[str, list[tuple[str, int]]]] = []
    as_written: list[tuple[str, list[tuple[str, int]]]] = []
    for name, column in contract.items():
        if name not in where or not column.translatable:
            continue
        words = column_map.values.get(name, {}) if column_map else {}
        cells = frame[cell(where[name])].cast(pl.String)
        text = cells.str.strip_chars()
        if column.kind.closed:
            text = translated(cells, words).str.strip_chars()
            picked = pl.select(text, column.value(pl.lit(text)).alias("ok")).filter(
                (pl.col(text.name) != "") & pl.col("ok").is_null()
            )[text.name]
        else:
            picked = text.filter((text != "") & ~text.str.to_lowercase().is_in(list(words)))
        counts = [
            (v, n)
            for v, n in picked.value_counts()
            .sort("count", picked.name, descending=[True, False])
            .iter_rows()
        ]
        if counts:
            (unknown if column.kind.closed else as_written).append((name, counts))
    return ColumnsView(
        raw.records.place(raw.label), headers, missing, unknown, as_written, problems, raw.encoding
    )
