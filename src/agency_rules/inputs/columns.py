"""The data contract's columns as polars expressions: text → typed value, and for a bad cell the reason.

Each kind of column gives a value expression (null where the text is blank or invalid) and a message
expression; messages are evaluated only for the rows that are rejected. One implementation of each
parser serves every input (engagements, history, `--as-of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from ..phrases import phrase
from ..regions import local_authorities
from ..terms import (
    EMPLOYMENT_MODELS,
    EMPLOYMENTS,
    ENGAGEMENT_TYPES,
    LEAVING_REASONS,
    ROLES,
)

MAX_CELL = 1000
EXCERPT = 40
QUOTED = 60
MAX_MONEY = 10_000.0
TRUE = ("true", "yes", "y", "1")
FALSE = ("false", "no", "n", "0")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)
ISO_SHAPE = r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"
UK_SHAPE = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$"


def quoted(text: pl.Expr, rest: str) -> pl.Expr:
    """"'<cell>' <rest>", the shape of every cell message; a long cell is quoted by its first characters only."""
    shown = pl.when(text.str.len_chars() > QUOTED).then(text.str.slice(0, QUOTED) + pl.lit("…")).otherwise(text)
    return phrase("'{}' {}", shown, rest)


@dataclass(frozen=True)
class Kind:
    """How one kind of cell is read: `value` of the stripped text, and `message` for a text that gave no value."""

    dtype: pl.DataType
    canonical: str | None = field(default=None, kw_only=True)

    def value(self, text: pl.Expr) -> pl.Expr:
        return pl.when(text != "").then(text)

    def message(self, text: pl.Expr) -> pl.Expr:
        return pl.lit("is not valid")


class Text(Kind):
    def message(self, text: pl.Expr) -> pl.Expr:
        return pl.lit("")


@dataclass(frozen=True)
class WorkerId(Kind):
    """Social Work England numbers normalise to SW + digits; regional pseudonyms to P- + lower-case hex.

    A cell already in that form is its own value (`canonical`), so only the others are normalised.
    """

    canonical: str | None = field(default=r"^(?:SW[1-9][0-9]{0,5}|P-[0-9a-f]+)$", kw_only=True)

    def value(self, text: pl.Expr) -> pl.Expr:
        upper = text.str.to_uppercase().str.replace_all(" ", "", literal=True)
        digits = upper.str.extract(r"^(?:SW)?([1-9][0-9]{0,5})$", 1)
        hexa = upper.str.extract(r"^P-([0-9A-F]+)$", 1)
        return pl.when(digits.is_not_null()).then(pl.lit("SW") + digits).when(hexa.is_not_null()).then(pl.lit("P-") + hexa.str.to_lowercase())

    def message(self, text: pl.Expr) -> pl.Expr:
        return quoted(text, "is neither a Social Work England number (SW + 1-6 digits, the first not 0) nor a pseudonym (P- + hex)")


class LaCode(Kind):
    def value(self, text: pl.Expr) -> pl.Expr:
        upper = text.str.to_uppercase()
        return pl.when(upper.is_in(list(local_authorities()))).then(upper)

    def message(self, text: pl.Expr) -> pl.Expr:
        return quoted(text, "is not the ONS code of one of England's 153 local authorities")


@dataclass(frozen=True)
class Choice(Kind):
    allowed: tuple[str, ...] = ()

    def value(self, text: pl.Expr) -> pl.Expr:
        word = text.str.to_lowercase().str.replace_all(" ", "_", literal=True).str.replace_all("-", "_", literal=True)
        return pl.when(word.is_in(list(self.allowed))).then(word)

    def message(self, text: pl.Expr) -> pl.Expr:
        return quoted(text, f"is not one of: {', '.join(self.allowed)}")


class Flag(Kind):
    def value(self, text: pl.Expr) -> pl.Expr:
        lower = text.str.to_lowercase()
        return pl.when(lower.is_in(TRUE)).then(True).when(lower.is_in(FALSE)).then(False)

    def message(self, text: pl.Expr) -> pl.Expr:
        return quoted(text, "is not a yes/no value (true/false, yes/no, y/n, 1/0)")


@dataclass(frozen=True)
class Number(Kind):
    """A non-negative finite number up to a plausible maximum; money may carry a £ sign; counts are whole."""

    what: str = ""
    maximum: float = 0.0
    whole: bool = False
    pounds: bool = False

    def _text(self, text: pl.Expr) -> pl.Expr:
        return text.str.strip_prefix("£").str.strip_chars() if self.pounds else text

    def value(self, text: pl.Expr) -> pl.Expr:
        number = self._text(text).cast(pl.Float64, strict=False)
        ok = number.is_finite() & (number >= 0) & (number <= self.maximum)
        if self.whole:
            return pl.when(ok & (number == number.floor())).then(number.cast(pl.Int64))
        return pl.when(ok).then(number)

    def message(self, text: pl.Expr) -> pl.Expr:
        shown = self._text(text)
        number = shown.cast(pl.Float64, strict=False)
        return (
            pl.when(number.is_null()).then(quoted(shown, f"is not a number ({self.what})"))
            .when(~number.is_finite()).then(quoted(shown, f"is not a finite number ({self.what})"))
            .when(number < 0).then(quoted(shown, f"is negative ({self.what})"))
            .when(number > self.maximum).then(quoted(shown, f"is more than {self.maximum:g}, not a plausible value ({self.what})"))
            .otherwise(quoted(shown, "is not a whole number"))
        )


class Day(Kind):
    """ISO `2025-04-01` or UK day-first `01/04/2025`; a day that does not exist, or outside 1900-2099, is refused, never guessed."""

    def _day(self, text: pl.Expr) -> pl.Expr:
        return pl.coalesce(
            pl.when(text.str.contains(ISO_SHAPE)).then(text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)),
            pl.when(text.str.contains(UK_SHAPE)).then(text.str.strptime(pl.Date, "%d/%m/%Y", strict=False)),
        )

    def value(self, text: pl.Expr) -> pl.Expr:
        day = self._day(text)
        return pl.when(day.is_between(FIRST_DAY, LAST_DAY)).then(day)

    def message(self, text: pl.Expr) -> pl.Expr:
        shaped = text.str.contains(ISO_SHAPE) | text.str.contains(UK_SHAPE)
        return (
            pl.when(~shaped).then(quoted(text, "is not a date; use YYYY-MM-DD or DD/MM/YYYY"))
            .when(self._day(text).is_null()).then(quoted(text, "is not a real day"))
            .otherwise(quoted(text, f"is not a plausible date (years {FIRST_DAY.year} to {LAST_DAY.year})"))
        )


TEXT = Text(pl.String)
DAY = Day(pl.Date)
FLAG = Flag(pl.Boolean)
MONEY = Number(pl.Float64, "pounds per hour", MAX_MONEY, pounds=True)
YEARS = Number(pl.Float64, "years", 70)
WEEKS = Number(pl.Float64, "weeks", 520)
COUNT = Number(pl.Int64, "a count", 100, whole=True)


@dataclass(frozen=True)
class Column:
    """One contract column: how it is read, whether it is required, and its value when blank."""

    name: str
    kind: Kind
    required: bool = False
    blank: object = field(default=None)
    distinct: bool = False

    def decode(self, text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        """(value, bad) of stripped text: bad when required and blank, too long, or not blank yet unreadable."""
        long = text.str.len_chars() > MAX_CELL
        value = pl.when(~long).then(self.kind.value(text))
        if self.blank is not None:
            value = pl.when(text == "").then(pl.lit(self.blank)).otherwise(value)
        value = value.cast(self.kind.dtype)
        bad = long | ((text != "") & value.is_null())
        return value, (bad | (text == "")) if self.required else bad


ENGAGEMENT_COLUMNS = (
    Column("engagement_id", TEXT, required=True, distinct=True),
    Column("worker_id", WorkerId(pl.String), required=True, distinct=True),
    Column("la_code", LaCode(pl.String), required=True),
    Column("role", Choice(pl.String, ROLES), required=True),
    Column("start_date", DAY, required=True),
    Column("end_date", DAY),
    Column("offer_date", DAY),
    Column("agency", TEXT),
    Column("framework", TEXT),
    Column("engagement_type", Choice(pl.String, ENGAGEMENT_TYPES), blank="individual"),
    Column("team_workers_identified", FLAG),
    Column("team_costs_itemised", FLAG),
    Column("team_la_practice_control", FLAG),
    Column("qualified_date", DAY),
    Column("qualified_overseas", FLAG),
    Column("pqe_years", YEARS),
    Column("asye_completed", FLAG),
    Column("notice_period_weeks", WEEKS),
    Column("notice_reciprocal", FLAG),
    Column("la_substantive_notice_weeks", WEEKS),
    Column("reference_received", FLAG),
    Column("reference_standard_template", FLAG),
    Column("references_count", COUNT),
    Column("employment_model", Choice(pl.String, EMPLOYMENT_MODELS)),
    Column("pay_rate", MONEY),
    Column("agency_fee", MONEY),
    Column("framework_fee", MONEY),
    Column("expenses_per_hour", MONEY),
    Column("previous_substantive_la", LaCode(pl.String)),
    Column("previous_substantive_end", DAY),
    Column("previous_leaving_reason", Choice(pl.String, LEAVING_REASONS)),
)

HISTORY_COLUMNS = (
    Column("worker_id", WorkerId(pl.String), required=True, distinct=True),
    Column("la_code", LaCode(pl.String), required=True),
    Column("employment", Choice(pl.String, EMPLOYMENTS), required=True),
    Column("start_date", DAY),
    Column("end_date", DAY),
    Column("leaving_reason", Choice(pl.String, LEAVING_REASONS)),
)


def parse_day(text: str) -> date:
    """One date typed by a user (`--as-of`), read exactly as a date cell is; ValueError with the reason."""
    frame = pl.DataFrame({"t": [text.strip()]})
    value, message = frame.select(DAY.value(pl.col("t")).alias("value"), DAY.message(pl.col("t")).alias("message")).row(0)
    if value is None:
        raise ValueError(message)
    return value
