"""Calendar arithmetic as the engine does it (polars expressions), and dates as cells are read."""

from datetime import date

import polars as pl
import pytest

from agency_rules.engine.words import assignment_of_months, months_after, years_after
from agency_rules.inputs.columns import parse_day


def evaluate(expression: pl.Expr, **columns) -> object:
    return pl.DataFrame({k: [v] for k, v in columns.items()}, schema_overrides={k: pl.Date for k, v in columns.items() if v is None}).select(expression.alias("x")).item()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-04-01", date(2025, 4, 1)),
        ("01/04/2025", date(2025, 4, 1)),
        ("1/4/2025", date(2025, 4, 1)),
        ("29/02/2024", date(2024, 2, 29)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2025/04/01", date(2025, 4, 1)),
        ("01.04.2025", date(2025, 4, 1)),
        ("01-04-2025", date(2025, 4, 1)),
        ("1 April 2025", date(2025, 4, 1)),
        ("01-Apr-2025", date(2025, 4, 1)),
        ("1 sept 2025", date(2025, 9, 1)),
        ("01/04/2025 00:00", date(2025, 4, 1)),
        ("2025-04-01 00:00:00", date(2025, 4, 1)),
        ("2025-04-01T00:00:00.000", date(2025, 4, 1)),
        ("01/09/2025 09:00", date(2025, 9, 1)),  # as MSP portals write a start
        ("01/04/2025 14:30", date(2025, 4, 1)),
        ("2025-04-01 22:59:59.9", date(2025, 4, 1)),
        ("1 April 2025 9:00 am", date(2025, 4, 1)),
        ("01/04/2025 12:00 AM", date(2025, 4, 1)),
        ("31/12/2099", date(2099, 12, 31)),
        ("01/01/1900", date(1900, 1, 1)),
    ],
)
def test_parse_date_accepts_iso_uk_day_first_words_and_a_time_of_day_before_23(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("31/02/2025", "is not a real day"),
        ("29/02/2025", "is not a real day"),
        ("00/01/2025", "is not a real day"),
        ("2025-13-01", "is not a real day"),
        ("2025-00-10", "is not a real day"),
        ("31 Feb 2025", "is not a real day"),
        ("04/01/25", "two-digit year"),
        ("01-Apr-25", "two-digit year"),
        ("01/04/2025 23:00", "has a time from 23:00 to 23:59"),
        ("2025-04-01 23:59:59.5", "has a time from 23:00 to 23:59"),
        ("01/04/2025 11:15 pm", "has a time from 23:00 to 23:59"),
        ("01/04/2025 24:00", "has a time that is no time of day"),
        ("01/04/2025 10:60", "has a time that is no time of day"),
        ("01/04/2025 13:00 PM", "has a time that is no time of day"),
        ("1 Foo 2025", "is not a date"),
        ("20250401", "is not a date"),
        ("April 1, 2025", "is not a date"),
        ("31/12/1899", "is not a plausible date"),
        ("01/01/2100", "is not a plausible date"),
    ],
)
def test_parse_date_refuses_what_it_cannot_read_without_guessing(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_day(text)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2025, 8, 31), 3, date(2025, 11, 30)),
        (date(2025, 5, 31), 3, date(2025, 8, 31)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 31), 12, date(2026, 1, 31)),
    ],
)
def test_add_months_clamps_month_ends(start: date, months: int, expected: date) -> None:
    assert evaluate(months_after(pl.col("start"), pl.lit(months)), start=start) == expected


@pytest.mark.parametrize(
    "start, years, expected",
    [(date(2024, 2, 29), 1, date(2025, 2, 28)), (date(2024, 1, 31), 2.5, date(2026, 7, 31)), (date(2024, 4, 1), 5, date(2029, 4, 1))],
)
def test_years_clamp_leap_day_and_fractions_step_in_months(start: date, years: float, expected: date) -> None:
    assert evaluate(years_after(pl.col("start"), pl.lit(years)), start=start) == expected


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2025, 1, 1), date(2025, 3, 31), True),
        (date(2025, 1, 1), date(2025, 3, 30), False),
        (date(2025, 1, 1), None, True),
        (date(2025, 11, 30), date(2026, 2, 27), True),
        (date(2025, 11, 30), date(2026, 2, 26), False),
    ],
)
def test_three_month_assignment(start: date, end: date | None, expected: bool) -> None:
    assert evaluate(assignment_of_months(pl.col("start"), pl.col("end"), 3), start=start, end=end) is expected
