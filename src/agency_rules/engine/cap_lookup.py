"""The cap for each engagement, as a join: its LA's region (else national), its role, the period containing its start.

A statutory cap may also reach engagements that started before the caps applied and still run on
the entry's `existing_from` day; `cap.existing` says whether one does.
"""

from __future__ import annotations

import polars as pl

from ..inputs.caps import CAP_COLUMNS, CapTable
from ..regions import NATIONAL

E = pl.col


def _in_period(frame: pl.LazyFrame, periods: pl.LazyFrame, region: pl.Expr) -> pl.LazyFrame:
    keys = frame.select("__i", region.alias("region"), "role", "start_date")
    return (
        keys.join(periods, on=["region", "role"])
        .filter((E("first") <= E("start_date")) & (E("last").is_null() | (E("start_date") <= E("last"))))
        .select("__i", *CAP_COLUMNS)
    )


def with_caps(frame: pl.LazyFrame, table: CapTable, existing: bool) -> pl.LazyFrame:
    """Adds `cap.found`, `cap.existing` and the `cap.*` fields of the cap that applies (regional before national)."""
    periods = table.periods().lazy()
    regional = _in_period(frame, periods, E("region")).with_columns(pl.lit(0).alias("rank"))
    national = _in_period(frame, periods, pl.lit(NATIONAL)).with_columns(pl.lit(1).alias("rank"))
    found = pl.concat([regional, national]).sort("rank").unique(subset="__i", keep="first").drop("rank").with_columns(pl.lit(True).alias("cap.found"))
    frame = frame.join(found, on="__i", how="left").with_columns(E("cap.found").fill_null(False))
    reach = table.reaching_existing()
    if not existing or reach.height == 0:
        return frame.with_columns(pl.lit(False).alias("cap.existing"))
    candidates = reach.lazy()
    keys = frame.select("__i", "region", "role", "end_date")
    matched = pl.concat([
        keys.join(candidates.with_columns(pl.col("rank")), on=["region", "role"]).with_columns(pl.lit(0).alias("scope")),
        keys.with_columns(pl.lit(NATIONAL).alias("region")).join(candidates, on=["region", "role"]).with_columns(pl.lit(1).alias("scope")),
    ])
    matched = (
        matched.filter(E("end_date").is_null() | (E("end_date") >= E("existing_from")))
        .sort("scope", "rank").unique(subset="__i", keep="first")
        .select("__i", *(E(c).alias(c + ".existing") for c in CAP_COLUMNS), pl.lit(True).alias("cap.existing"))
    )
    frame = frame.join(matched, on="__i", how="left").with_columns(E("cap.existing").fill_null(False))
    take_existing = ~E("cap.found") & E("cap.existing")
    return frame.with_columns(
        *(pl.when(take_existing).then(E(c + ".existing")).otherwise(E(c)).alias(c) for c in CAP_COLUMNS),
        (E("cap.found") | E("cap.existing")).alias("cap.found"),
    ).drop([c + ".existing" for c in CAP_COLUMNS])
