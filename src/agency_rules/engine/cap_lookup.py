"""The cap for each engagement, as a join: its LA's region (else national), its role, the period containing its start.

A statutory cap may also reach engagements that started before the caps applied and still run on
the entry's `existing_from` day; `cap.existing` says whether one does. The look-up runs once per
distinct (region, role, day) and is joined back; the engagement frame carries only the cap's
limits and its index, and `with_cap_words` adds the cap's words for the rows that are reported.
"""

from __future__ import annotations

import polars as pl

from ..inputs.caps import CAP_COLUMNS, CapTable
from ..regions import NATIONAL

E = pl.col


def _in_force(keys: pl.LazyFrame, periods: pl.LazyFrame, day: str) -> pl.LazyFrame:
    """The period in force on `day` for each key, regional before national."""
    matched = [
        keys.with_columns(lookup.alias("lookup")).join(periods, left_on=["lookup", "role"], right_on=["region", "role"])
        .filter((E("first") <= E(day)) & (E("last").is_null() | (E(day) <= E("last"))))
        .with_columns(pl.lit(rank).alias("rank"))
        for rank, lookup in enumerate((E("region"), pl.lit(NATIONAL)))
    ]
    return pl.concat(matched).sort("rank").unique(subset=["region", "role", day], keep="first").select("region", "role", day, *CAP_COLUMNS)


def with_caps(frame: pl.LazyFrame, table: CapTable, existing: bool) -> pl.LazyFrame:
    """Adds `cap.found`, `cap.existing`, `cap.index` and the limits of the cap that applies (joined on the key columns only)."""
    narrow = frame.select("region", "role", "start_date", "end_date")
    attached = _caps(narrow, table, existing).drop("region", "role", "start_date", "end_date")
    return pl.concat([frame, attached], how="horizontal")


def _caps(frame: pl.LazyFrame, table: CapTable, existing: bool) -> pl.LazyFrame:
    periods = table.periods().lazy()
    keys = frame.select("region", "role", "start_date").unique()
    frame = frame.join(_in_force(keys, periods, "start_date"), on=["region", "role", "start_date"], how="left", maintain_order="left").with_columns(
        E("cap.index").is_not_null().alias("cap.found")
    )
    reach = table.reaching_existing()
    if not existing or reach.height == 0:
        return frame.with_columns(pl.lit(False).alias("cap.existing"))
    keys = frame.select("region", "role", "end_date").unique()
    candidates = [
        keys.with_columns(lookup.alias("lookup")).join(reach.lazy(), left_on=["lookup", "role"], right_on=["region", "role"])
        .filter(E("end_date").is_null() | (E("end_date") >= E("existing_from")))
        .with_columns(pl.lit(scope).alias("scope"))
        for scope, lookup in enumerate((E("region"), pl.lit(NATIONAL)))
    ]
    reached = (
        pl.concat(candidates).sort("scope", "rank").unique(subset=["region", "role", "end_date"], keep="first")
        .select("region", "role", "end_date", *(E(c).alias(c + ".existing") for c in CAP_COLUMNS))
    )
    frame = frame.join(reached, on=["region", "role", "end_date"], how="left", nulls_equal=True, maintain_order="left")
    frame = frame.with_columns(E("cap.index.existing").is_not_null().alias("cap.existing"))
    take = ~E("cap.found") & E("cap.existing")
    return frame.with_columns(
        *(pl.when(take).then(E(c + ".existing")).otherwise(E(c)).alias(c) for c in CAP_COLUMNS),
        (E("cap.found") | E("cap.existing")).alias("cap.found"),
    ).drop([c + ".existing" for c in CAP_COLUMNS])


def with_cap_words(frame: pl.LazyFrame, table: CapTable) -> pl.LazyFrame:
    """The region, role, period, source and file of each row's cap, for messages and evidence."""
    return frame.join(table.details().lazy(), on="cap.index", how="left")
