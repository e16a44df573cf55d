"""How values read in messages and evidence, as polars expressions: '31 May 2025', '5', '£35.00'."""

from __future__ import annotations

import polars as pl

from ..domain import ROLE_WORDS
from ..messages import phrase
from ..regions import descriptions


def day(value: pl.Expr) -> pl.Expr:
    return value.dt.to_string("%-d %b %Y").fill_null("not recorded")


def iso(value: pl.Expr) -> pl.Expr:
    return value.dt.to_string("%Y-%m-%d")


def number(value: pl.Expr) -> pl.Expr:
    """5.0 reads as '5', 5.9 as '5.9'."""
    as_float = value.cast(pl.Float64)
    return (
        pl.when(as_float == as_float.round(0))
        .then(as_float.cast(pl.Int64).cast(pl.String))
        .otherwise(as_float.cast(pl.String))
    )


def money(value: pl.Expr) -> pl.Expr:
    """Pounds with two decimals and thousands separated, '35.01', '1,050.00'."""
    pence = (value * 100).round(0).cast(pl.Int64)
    pounds = (pence // 100).cast(pl.String)
    grouped = (
        pounds.str.reverse().str.replace_all(r"(\d{3})", "$1,").str.strip_suffix(",").str.reverse()
    )
    return phrase("{}.{}", grouped, (pence % 100).cast(pl.String).str.zfill(2))


def la(code: pl.Expr) -> pl.Expr:
    """'Kent (South East)' for an ONS code."""
    return code.replace_strict(descriptions(), default=code, return_dtype=pl.String)


def spaced(value: pl.Expr) -> pl.Expr:
    """'social_worker' reads as 'social worker'."""
    return value.str.replace_all("_", " ", literal=True)


def role(value: pl.Expr) -> pl.Expr:
    """A job type as every human format says it: 'senior social worker', 'IRO or CP chair'."""
    return value.replace_strict(ROLE_WORDS, default=spaced(value), return_dtype=pl.String)


def months_after(start: pl.Expr, months: pl.Expr) -> pl.Expr:
    """Calendar months that clamp at a month's end: 31 Aug + 3 months = 30 Nov."""
    return start.dt.offset_by(phrase("{}mo", months.cast(pl.Int64)))


def years_after(start: pl.Expr, years: pl.Expr) -> pl.Expr:
    """Whole years as calendar years and a fraction as whole months (2.5 years = 30 months), for PQE minimums."""
    whole = years.floor()
    months = whole * 12 + ((years - whole) * 12).round(6).floor()
    return months_after(start, months)


def assignment_of_months(start: pl.Expr, end: pl.Expr, months: int) -> pl.Expr:
    """Open-ended, or ending no earlier than start + N months - 1 day (1 Jan to 31 Mar is three months)."""
    return end.is_null() | (end >= months_after(start, pl.lit(months)).dt.offset_by("-1d"))
