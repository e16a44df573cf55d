"""Calendar dates as the rules use them: no times, no zones, month steps that clamp at month-end."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date:
    """ISO `2025-04-01` or UK day-first `01/04/2025`; a day that does not exist is an error, never guessed."""
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD or DD/MM/YYYY")
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real day") from None


@lru_cache(maxsize=65536)
def add_months(day: date, months: int) -> date:
    """Calendar months; 31 Aug + 3 months = 30 Nov (relativedelta clamps to the month's last day).

    Cached: a file has few distinct dates, and relativedelta is slow on a million rows.
    """
    return day + relativedelta(months=months)


@lru_cache(maxsize=65536)
def add_years_fractional(day: date, years: float) -> date:
    """Whole years as calendar years, a fraction as calendar months (rounded down), for PQE minimums like 2.5."""
    whole = int(years)
    months = int(round((years - whole) * 12, 6))
    return day + relativedelta(years=whole, months=months)


@lru_cache(maxsize=65536)
def last_day_of_months(start: date, months: int) -> date:
    """The last day of an assignment of exactly N months: start + N months - 1 day."""
    return add_months(start, months) - timedelta(days=1)


def three_month_assignment(start: date, end: date | None, months: int = 3) -> bool:
    """Open-ended, or ending no earlier than start + N months - 1 day (1 Jan to 31 Mar is three months)."""
    return end is None or end >= last_day_of_months(start, months)
