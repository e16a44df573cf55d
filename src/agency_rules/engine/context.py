"""What checks may consult besides an engagement's own columns: the worker's past roles, the caps and the contracts given."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..inputs.caps import CapTable
from ..messages import phrase
from ..regions import region_by_code

DAY = "__day"  # the day whose parameter values apply to an engagement (its start, or --as-of; never before the ruleset's start)
ROLE_SCHEMA = {
    "worker_id": pl.String,
    "la_code": pl.String,
    "region": pl.String,
    "employment": pl.String,
    "end_date": pl.Date,
    "leaving_reason": pl.String,
    "recorded_in": pl.String,
    "from_columns": pl.Boolean,
    "source_file": pl.String,
    "source_engagement": pl.String,
}


@dataclass(frozen=True)
class ContractBook:
    """The contracts given to the run, one row each (`terms`), and their rate lines (`rates`); see contract_book.py."""

    terms: pl.DataFrame
    rates: pl.DataFrame


@dataclass
class Context:
    """`engagements` is set by the engine: the rows with their index and day, materialised before any check, for checks that pair rows."""

    caps: CapTable = field(default_factory=CapTable)
    roles: pl.LazyFrame = field(default_factory=lambda: pl.LazyFrame(schema=ROLE_SCHEMA))
    engagements: pl.LazyFrame = field(default_factory=pl.LazyFrame)
    contracts: ContractBook | None = (
        None  # None: no --contracts, so the rules that need them are left out of the run
    )


def past_roles(
    engagements: pl.DataFrame, history: pl.DataFrame | None, pooled: bool = False
) -> pl.LazyFrame:
    """Every role known for each worker: --history rows, and the previous_* columns of any of the worker's rows in the run.

    A role from a row is keyed by its file and engagement id, since in a pooled run of several
    councils' files the same engagement id may stand in more than one of them.
    """
    recorded = pl.any_horizontal(
        pl.col(c).is_not_null()
        for c in ("previous_substantive_la", "previous_substantive_end", "previous_leaving_reason")
    )
    from_rows = (
        engagements.lazy()
        .filter(recorded)
        .select(
            "worker_id",
            pl.col("previous_substantive_la").alias("la_code"),
            pl.col("previous_substantive_la")
            .replace_strict(region_by_code(), default=None, return_dtype=pl.String)
            .alias("region"),
            pl.lit("substantive").alias("employment"),
            pl.col("previous_substantive_end").alias("end_date"),
            pl.col("previous_leaving_reason").alias("leaving_reason"),
            (
                phrase(
                    "the previous-role columns of engagement {} in {}",
                    pl.col("engagement_id"),
                    pl.col("file"),
                )
                if pooled
                else phrase("the previous-role columns of engagement {}", pl.col("engagement_id"))
            ).alias("recorded_in"),
            pl.lit(True).alias("from_columns"),
            pl.col("file").alias("source_file"),
            pl.col("engagement_id").alias("source_engagement"),
        )
    )
    parts = [from_rows]
    if history is not None:
        parts.append(
            history.lazy().select(
                "worker_id",
                "la_code",
                "region",
                "employment",
                "end_date",
                "leaving_reason",
                "recorded_in",
                pl.lit(False).alias("from_columns"),
                pl.lit(None, pl.String).alias("source_file"),
                pl.lit(None, pl.String).alias("source_engagement"),
            )
        )
    return pl.concat([p.select([pl.col(n).cast(t) for n, t in ROLE_SCHEMA.items()]) for p in parts])
