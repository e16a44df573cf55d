"""The cap for each engagement, as a join: its LA's region (else national), its role, the period containing its start.

A statutory cap may also reach engagements that started before the caps applied and still run on
the entry's `existing_from` day; `cap.existing` says whether one does. The look-up runs once per
distinct (region and role, day) and is joined back on integer keys; the engagement frame carries
only the cap's limits and its index, and `with_cap_words` adds the cap's words for reported rows.
"""

from __future__ import annotations

import polars as pl

from ..domain import ROLES
from ..inputs.caps import CAP_COLUMNS, CapTable
from ..regions import NATIONAL, REGIONS

E = pl.col
REGION = pl.Enum([*REGIONS, NATIONAL])
ROLE = pl.Enum(ROLES)
SPAN = 16
NATIONAL_GROUP = len(REGIONS) * SPAN


def group(region: pl.Expr, role: pl.Expr) -> pl.Expr:
    """(region, role) as one small integer; the national group of a role is NATIONAL_GROUP + its number."""
    return region.cast(pl.String).cast(REGION).to_physical().cast(pl.Int64) * SPAN + role.cast(
        pl.String
    ).cast(ROLE).to_physical().cast(pl.Int64)


def _reached(
    keys: pl.LazyFrame, table: pl.LazyFrame, day: str, matches: pl.Expr, order: list[str]
) -> pl.LazyFrame:
    """For each (group, day) key: the first matching entry of the region's own group, else of the national one."""
    table = table.with_columns(group(E("region"), E("role")).alias("group")).drop("region", "role")
    found = [
        keys.with_columns(lookup.alias("lookup"))
        .join(table, left_on="lookup", right_on="group")
        .filter(matches)
        .with_columns(pl.lit(scope).alias("scope"))
        for scope, lookup in enumerate((E("group"), NATIONAL_GROUP + E("group") % SPAN))
    ]
    return pl.concat(found).sort(["scope", *order]).unique(subset=["group", day], keep="first")


def with_caps(frame: pl.LazyFrame, table: CapTable, existing: bool) -> pl.LazyFrame:
    """Adds `cap.found`, `cap.existing`, `cap.index` and the limits of the cap that applies (joined on the key columns only)."""
    keyed = frame.select(
        "__i", group(E("region"), E("role")).alias("group"), "start_date", "end_date"
    )
    in_force = (E("first") <= E("start_date")) & (
        E("last").is_null() | (E("start_date") <= E("last"))
    )
    cap = _reached(
        keyed.select("group", "start_date").unique(),
        table.periods().lazy(),
        "start_date",
        in_force,
        [],
    ).select("group", "start_date", *CAP_COLUMNS)
    attached = keyed.join(cap, on=["group", "start_date"], how="left").with_columns(
        E("cap.index").is_not_null().alias("cap.found")
    )
    reach = table.reaching_existing()
    if not existing or reach.height == 0:
        attached = attached.with_columns(pl.lit(False).alias("cap.existing"))
    else:
        running = E("end_date").is_null() | (E("end_date") >= E("existing_from"))
        early = _reached(
            keyed.select("group", "end_date").unique(), reach.lazy(), "end_date", running, ["rank"]
        ).select("group", "end_date", *(E(c).alias(c + ".existing") for c in CAP_COLUMNS))
        attached = attached.join(early, on=["group", "end_date"], how="left", nulls_equal=True)
        attached = attached.with_columns(
            E("cap.index.existing").is_not_null().alias("cap.existing")
        )
        take = ~E("cap.found") & E("cap.existing")
        attached = attached.with_columns(
            *(pl.when(take).then(E(c + ".existing")).otherwise(E(c)).alias(c) for c in CAP_COLUMNS),
            (E("cap.found") | E("cap.existing")).alias("cap.found"),
        )
    return pl.concat(
        [frame, attached.sort("__i").select("cap.found", "cap.existing", *CAP_COLUMNS)],
        how="horizontal",
    )


def with_cap_words(frame: pl.LazyFrame, table: CapTable) -> pl.LazyFrame:
    """The region, role, period, source and file of each row's cap, for messages and evidence."""
    return frame.join(table.details().lazy(), on="cap.index", how="left")
