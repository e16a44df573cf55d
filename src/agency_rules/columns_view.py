"""`agency-check columns FILE`: how an export's headers and values will be read, before a check is run.

For each header, the contract column it is read as (or why it is ignored); the contract columns the
export lacks, and the rules that read them; and, for each enumerated column, the values that are
not words the rules know (after the column map's value translations), with how many rows hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .engine.context import Context
from .engine.evaluation import Engine
from .engine.rulebook import load_rules
from .inputs.columns import ENGAGEMENT_COLUMNS, SOURCE_ROW, Choice
from .inputs.config import ColumnMap
from .inputs.engagements import read_raw
from .inputs.records import BLANK, cell
from .inputs.tables import read_header, translated
from .shown import ONE_CELL, excerpt, quote
from .tomlfiles import closest


@dataclass(frozen=True)
class ColumnsView:
    label: str
    headers: list[tuple[str, str, str]]  # (header as in the file, by its first characters; contract column or ""; how)
    missing: list[tuple[str, bool, list[str]]]  # (contract column, required, rules that read it)
    unknown_values: list[tuple[str, list[tuple[str, int]]]]  # (column, [(value, rows)])
    problems: list[str]  # why a check would refuse this header, as the check says it


LONE_LINE = "(not shown: a file of one line may be a passphrase)"


def view_columns(path: Path, column_map: ColumnMap | None, sheet: str | None, ruleset: str, overlays: list[str]) -> ColumnsView:
    raw = read_raw(path, column_map=column_map, sheet=sheet)
    aliases = column_map.columns if column_map else {}
    contract = {c.name: c for c in ENGAGEMENT_COLUMNS}
    where, problems = read_header(raw.records.header, ENGAGEMENT_COLUMNS, column_map, raw.records.no_header())
    listed = raw.records.header if len(raw.records.header) > 1 or where else []  # one field may be a key: not shown
    headers = [] if listed else [(ONE_CELL, "", "ignored: not a contract column")]
    lone = raw.records.frame.filter(~pl.col(BLANK)).is_empty()  # a header and no rows
    for index, header in enumerate(listed):
        key = header.strip().lower()
        target = aliases.get(key, key)
        if where.get(target) == index:
            how = "mapped by the column map" if key in aliases else "read as is"
        elif target in where:
            how, target = f"refused: {target} is already read from {quote(raw.records.header[where[target]])}", ""
        else:
            match = closest(key, [name for name in contract if name not in where])
            how, target = "ignored: not a contract column" + (f" (did you mean {match}?)" if match else ""), ""
        shown = excerpt(header) if target or not lone else LONE_LINE  # a lone line's other fields may be a passphrase's words
        headers.append((shown, target, how))
    loaded, layered = load_rules(ruleset, overlays)
    reading = Engine(loaded, layered, Context()).rules_reading()
    missing = [  # source_row is written by pseudonymise, never lacking from a council's export
        (c.name, c.required, reading.get(c.name, []) if not c.required else [])
        for c in ENGAGEMENT_COLUMNS if c.name not in where and c.name != SOURCE_ROW
    ]
    frame = raw.records.frame
    unknown = []
    for name, column in contract.items():
        if name in where and isinstance(column.kind, Choice):
            cells = frame[cell(where[name])]
            if column_map and name in column_map.values:
                cells = translated(cells, column_map.values[name])
            text = cells.cast(pl.String).str.strip_chars()
            values = pl.select(text, column.kind.value(text).alias("ok")).filter((pl.col(text.name) != "") & pl.col("ok").is_null())
            counts = values[text.name].value_counts(sort=True)
            if counts.height:
                unknown.append((name, [(v, n) for v, n in counts.iter_rows()]))
    return ColumnsView(raw.records.place(raw.label), headers, missing, unknown, problems)
