"""The data contract's columns as polars expressions: text → typed value, and for a bad cell the reason.

Each kind of column gives a value expression (null where the text is blank or invalid) and a message
expression; messages are evaluated only for the rows that are rejected. One implementation of each
parser serves every input (engagements, history, `--as-of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, cast

import polars as pl

from ..domain import (
    EMPLOYMENT_MODELS,
    EMPLOYMENTS,
    ENGAGEMENT_TYPES,
    FIRST_DAY,
    LAST_DAY,
    LEAVING_REASONS,
    ROLES,
)
from ..messages import phrase
from ..regions import la_by_name, local_authorities, name_candidates, name_key

MAX_CELL = 1000
EXCERPT = 40
QUOTED = 60
MAX_MONEY = 10_000.0
TRUE = ("true", "yes", "y", "1")
FALSE = ("false", "no", "n", "0")


def quoted(text: pl.Expr, rest: str) -> pl.Expr:
    """ "'<cell>' <rest>", the shape of every cell message; a long cell is quoted by its first characters only."""
    shown = (
        pl.when(text.str.len_chars() > QUOTED)
        .then(text.str.slice(0, QUOTED) + pl.lit("…"))
        .otherwise(text)
    )
    return phrase("'{}' {}", shown, rest)


@dataclass(frozen=True)
class Kind:
    """How one kind of cell is read: `value` of the stripped text, and `message` for a text that gave no value."""

    dtype: pl.DataType | type[pl.DataType]
    canonical: str | None = field(default=None, kw_only=True)
    closed: ClassVar[bool] = (
        False  # a closed set of values or a code, so a column map may translate a council's own words
    )

    def value(self, text: pl.Expr) -> pl.Expr:
        return pl.when(text != "").then(text)

    def reading(self, text: pl.Expr) -> pl.Expr:
        """The typed value of stripped text, null where it is blank, too long or unreadable: the same for every column of
        the kind, so a file's cells are read once per kind however many columns share it."""
        return pl.when(text.str.len_chars() <= MAX_CELL).then(self.value(text)).cast(self.dtype)

    @staticmethod
    def unreadable(text: pl.Expr, reading: pl.Expr) -> pl.Expr:
        """Whether a cell is refused whatever its column: too long, or not blank yet without a value."""
        return (text.str.len_chars() > MAX_CELL) | ((text != "") & reading.is_null())

    def reasons(self, text: pl.Expr) -> list[Reason]:
        """Why a text gave no value, in order: (when, code, message); the last one's `when` is None (otherwise)."""
        return [(None, "invalid", pl.lit("is not valid"))]

    def message(self, text: pl.Expr) -> pl.Expr:
        return _chain([(when, words) for when, _, words in self.reasons(text)])

    def code(self, text: pl.Expr) -> pl.Expr:
        return _chain([(when, pl.lit(code)) for when, code, _ in self.reasons(text)])


Reason = tuple[pl.Expr | None, str, pl.Expr]


def _chain(branches: list[tuple[Any, pl.Expr]]) -> pl.Expr:
    *conditional, (_, otherwise) = branches
    if not conditional:
        return otherwise
    chain: Any = pl.when(conditional[0][0]).then(
        conditional[0][1]
    )  # polars' Then, then ChainedThen
    for when, then in conditional[1:]:
        chain = chain.when(when).then(then)
    return cast(pl.Expr, chain.otherwise(otherwise))


class Text(Kind):
    def reasons(self, text: pl.Expr) -> list[Reason]:
        return [(None, "invalid", pl.lit(""))]


# Characters that make a name print as another name does: a format character (zero-width, soft hyphen, joiners,
# bidirectional controls, a byte-order mark); a combining mark left on a Latin letter, digit or sign once the text is
# composed (a variation selector, a grapheme joiner, an accent on a digit; Devanagari's vowel signs are its own); a
# hyphen that is not '-' but prints as one (the en dash, visibly longer, is fine); a dotless i or j ('Lımited'); a
# full-width or mathematical letter or digit (`Ｎ`, `𝐀`), a ligature (`ﬁ`), a long s (`ſ`), a Roman numeral (`Ⅸ`) and a
# one-dot leader (`․`). Other compatibility characters (`™`, `½`, `²`, `¸`) print as themselves and are read.
LOOKALIKE = (
    r"[\p{Cf}\p{Me}\x{2010}-\x{2012}\x{2043}\x{2212}\x{FE63}\x{0131}\x{0237}\x{017F}\x{FB00}-\x{FB06}"
    r"\x{FF01}-\x{FF5E}\x{1D400}-\x{1D7FF}\x{2160}-\x{217F}\x{2024}]|[\p{Latin}\p{Common}]\p{Mn}|^\p{Mn}"
)


@dataclass(frozen=True)
class Name(Kind):
    """A name or an identifier (an engagement, an agency, a framework) that findings are grouped and matched by.

    Text that is the same by Unicode's own rules is made the same: composed (an `e` and a combining accent is `é`, a
    Kelvin sign is `K`), its runs of spaces one space. Text that only looks the same is refused, as it would count apart
    from the value it prints as without anyone seeing why: a Latin letter with a Cyrillic or Greek one in one value
    (`Nоrthdown` with a Cyrillic `о`), or a LOOKALIKE character. An all-Cyrillic name, an en dash and accented letters
    are read as written.

    Printable ASCII with single spaces between words (`E-000123`, `Northdown Social Care Ltd`), at most MAX_CELL
    characters, is already all of that, so it is its own value (`canonical`): normalising a million engagement ids took
    1.3 s."""

    canonical: str | None = field(
        default=rf"^[!-~](?:[!-~]| [!-~]){{0,{MAX_CELL // 2 - 1}}}$", kw_only=True
    )

    def value(self, text: pl.Expr) -> pl.Expr:
        composed = (
            text.str.normalize("NFC")
            .str.replace_all(r"\s+", " ")
            .str.replace_all("[\u2018\u2019\u02bc]", "'")
        )  # Excel's apostrophe
        mixed = composed.str.contains(r"\p{Latin}") & composed.str.contains(
            r"[\p{Cyrillic}\p{Greek}\p{Cherokee}]"
        )
        odd = mixed | composed.str.contains(LOOKALIKE)
        return pl.when((text != "") & ~odd).then(composed)

    def reasons(self, text: pl.Expr) -> list[Reason]:
        return [
            (
                None,
                "look-alike",
                quoted(
                    text,
                    "holds a look-alike character (a Cyrillic or Greek letter among Latin ones, an invisible character or "
                    "mark, a hyphen other than '-', a full-width or styled letter), so it would count apart from the value "
                    "it prints as; type it again",
                ),
            )
        ]


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
        return (
            pl.when(digits.is_not_null())
            .then(pl.lit("SW") + digits)
            .when(hexa.is_not_null())
            .then(pl.lit("P-") + hexa.str.to_lowercase())
        )

    def reasons(self, text: pl.Expr) -> list[Reason]:
        return [
            (
                None,
                "not-a-worker-id",
                quoted(
                    text,
                    "is neither a Social Work England number (SW + 1-6 digits, the first not 0) nor a pseudonym (P- + hex)",
                ),
            )
        ]


class LaCode(Kind):
    """An ONS code, or the council's name in any common form ('Kent County Council', 'Royal Borough of Greenwich')."""

    closed = True

    def value(self, text: pl.Expr) -> pl.Expr:
        upper = text.str.to_uppercase()
        by_name = name_key(text).replace_strict(la_by_name(), default=None, return_dtype=pl.String)
        return pl.when(upper.is_in(list(local_authorities()))).then(upper).otherwise(by_name)

    def reasons(self, text: pl.Expr) -> list[Reason]:
        candidates = text.map_elements(
            lambda t: " or ".join(name_candidates(t)), return_dtype=pl.String
        )
        return [
            (
                candidates.str.contains(" or "),
                "ambiguous-council",
                phrase("{}: {}", quoted(text, "could be more than one council"), candidates),
            ),
            (
                candidates != "",
                "near-council",
                phrase(
                    "{}; did you mean {}?", quoted(text, "is not the name of a council"), candidates
                ),
            ),
            (
                None,
                "not-a-council",
                quoted(
                    text,
                    "is neither the ONS code nor the name of one of England's 153 local authorities",
                ),
            ),
        ]


@dataclass(frozen=True)
class Choice(Kind):
    allowed: tuple[str, ...] = ()
    closed = True

    def value(self, text: pl.Expr) -> pl.Expr:
        word = (
            text.str.to_lowercase()
            .str.replace_all(" ", "_", literal=True)
            .str.replace_all("-", "_", literal=True)
        )
        return pl.when(word.is_in(list(self.allowed))).then(word)

    def reasons(self, text: pl.Expr) -> list[Reason]:
        return [(None, "unknown-word", quoted(text, f"is not one of: {', '.join(self.allowed)}"))]


class Flag(Kind):
    closed = True

    def value(self, text: pl.Expr) -> pl.Expr:
        lower = text.str.to_lowercase()
        return pl.when(lower.is_in(TRUE)).then(True).when(lower.is_in(FALSE)).then(False)

    def reasons(self, text: pl.Expr) -> list[Reason]:
        return [
            (
                None,
                "not-yes-no",
                quoted(text, "is not a yes/no value (true/false, yes/no, y/n, 1/0)"),
            )
        ]


_THOUSANDS = (
    r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$"  # 1,050.00; never 34,50 (a decimal comma is refused)
)


@dataclass(frozen=True)
class Number(Kind):
    """A non-negative finite number up to a plausible maximum; money may carry a £ sign and thousands separators; counts are whole."""

    what: str = ""
    maximum: float = 0.0
    whole: bool = False
    pounds: bool = False

    def _text(self, text: pl.Expr) -> pl.Expr:
        if not self.pounds:
            return text
        amount = text.str.strip_prefix("£").str.strip_chars()
        return (
            pl.when(amount.str.contains(_THOUSANDS))
            .then(amount.str.replace_all(",", "", literal=True))
            .otherwise(amount)
        )

    def value(self, text: pl.Expr) -> pl.Expr:
        number = self._text(text).cast(pl.Float64, strict=False)
        ok = number.is_finite() & (number >= 0) & (number <= self.maximum)
        if self.whole:
            return pl.when(ok & (number == number.floor())).then(number.cast(pl.Int64))
        return pl.when(ok).then(number)

    def reasons(self, text: pl.Expr) -> list[Reason]:
        number = self._text(text).cast(pl.Float64, strict=False)
        return [
            (number.is_null(), "not-a-number", quoted(text, f"is not a number ({self.what})")),
            (
                ~number.is_finite(),
                "not-finite",
                quoted(text, f"is not a finite number ({self.what})"),
            ),
            (number < 0, "negative", quoted(text, f"is negative ({self.what})")),
            (
                number > self.maximum,
                "implausible-number",
                quoted(text, f"is more than {self.maximum:g}, not a plausible value ({self.what})"),
            ),
            (None, "not-whole", quoted(text, "is not a whole number")),
        ]


_TIME = (
    r"(?:[ T]+(?P<hours>[0-9]{1,2}):(?P<minutes>[0-9]{2})(?::(?P<seconds>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?: ?(?P<half>[AaPp]\.?[Mm]\.?))?)?$"
)  # 09:00, 14:30:00.000, 9:00 AM
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_FORMS = (  # each form of a date, its parts numbered by form; a time may follow
    r"(?P<year1>[0-9]{4})[-/](?P<month1>[0-9]{1,2})[-/](?P<day1>[0-9]{1,2})",  # 2025-04-01, 2025/04/01
    r"(?P<day2>[0-9]{1,2})[/.-](?P<month2>[0-9]{1,2})[/.-](?P<year2>[0-9]{4})",  # 01/04/2025, 01.04.2025, 01-04-2025
    r"(?P<day3>[0-9]{1,2})[ -](?P<month3>[A-Za-z]{3,9})\.?[ -](?P<year3>[0-9]{4})",  # 1 April 2025, 01-Apr-2025
)
_DATE = "^(?:" + "|".join(_FORMS) + ")" + _TIME  # no text matches two forms
_TWO_DIGIT_YEAR = r"^[0-9]{1,2}[/.\- ]([0-9]{1,2}|[A-Za-z]{3,9})[/.\- ][0-9]{2}(?:[ T].*)?$"


class Day(Kind):
    """ISO, UK day-first, or the month in words, with or without a time of day, which is dropped: the day is the calendar
    day. Refused, never guessed: a day that does not exist, a year outside 1900-2099, a two-digit year, a time that is no
    time, and a time from 23:00 to 23:59, which is how a midnight shifted by a time zone looks (the day meant is the next)."""

    @staticmethod
    def _parts(text: pl.Expr) -> pl.Expr:
        """A struct of `date` (the day, or null) and `clock` ("none" or "day" where the time is fine, "late" for
        23:00-23:59, "bad" for no time of day; null where no form matches or the month is no month).

        Built in stages of one struct, each naming the last one's fields, so no part is copied into the expressions
        that use it: a date's expression written as nested parts cost polars 20 ms to plan."""
        part = lambda name: pl.coalesce(pl.field(f"{name}{form}") for form in (1, 2, 3))  # noqa: E731
        field = pl.field
        hours, half = field("hours"), field("half")
        return (
            text.str.extract_groups(_DATE)
            .struct.with_fields(
                part("year").alias("year"),
                part("month").alias("month_text"),
                part("day").alias("day"),
                *(field(n).cast(pl.Int32, strict=False) for n in ("hours", "minutes", "seconds")),
                half.str.to_lowercase().str.slice(0, 1),
            )
            .struct.with_fields(
                pl.coalesce(
                    field("month_text").cast(pl.Int32, strict=False),
                    field("month_text")
                    .str.to_lowercase()
                    .replace_strict(_MONTHS, default=None, return_dtype=pl.Int32),
                ).alias("month"),
                pl.when(half.is_null())
                .then(hours)
                .when(hours.is_between(1, 12))
                .then(hours % 12 + pl.when(half == "p").then(12).otherwise(0))
                .alias("hours24"),
            )
            .struct.with_fields(
                phrase(
                    "{}-{}-{}",
                    field("year"),
                    field("month").cast(pl.String).str.zfill(2),
                    field("day").str.zfill(2),
                )
                .str.strptime(pl.Date, "%Y-%m-%d", strict=False)
                .alias("date"),
                pl.when(field("year").is_null() | field("month").is_null())
                .then(pl.lit(None, pl.String))
                .when(hours.is_null())
                .then(pl.lit("none"))
                .when(
                    field("hours24").is_null()
                    | (field("hours24") > 23)
                    | (field("minutes") > 59)
                    | (field("seconds").fill_null(0) > 59)
                )
                .then(pl.lit("bad"))
                .when(field("hours24") == 23)
                .then(pl.lit("late"))
                .otherwise(pl.lit("day"))
                .alias("clock"),
            )
        )

    def value(self, text: pl.Expr) -> pl.Expr:
        date, clock = pl.field("date"), pl.field("clock")
        return (
            self._parts(text)
            .struct.with_fields(
                pl.when(clock.is_in(["none", "day"]) & date.is_between(FIRST_DAY, LAST_DAY))
                .then(date)
                .alias("value")
            )
            .struct.field("value")
        )

    def reasons(self, text: pl.Expr) -> list[Reason]:
        parts = self._parts(text)
        day, clock = parts.struct.field("date"), parts.struct.field("clock")
        return [
            (
                text.str.contains(_TWO_DIGIT_YEAR),
                "two-digit-year",
                quoted(
                    text,
                    "has a two-digit year; write the year in full (01/04/2025), nothing is guessed",
                ),
            ),
            (
                clock.is_null(),
                "not-a-date",
                quoted(text, "is not a date; use YYYY-MM-DD, DD/MM/YYYY or 1 April 2025"),
            ),
            (
                clock == "bad",
                "no-time-of-day",
                quoted(text, "has a time that is no time of day; give the date alone"),
            ),
            (
                clock == "late",
                "time-of-day",
                quoted(
                    text,
                    "has a time from 23:00 to 23:59, which is how a midnight moved by a time zone "
                    "looks (the day meant may be the next): give the date alone, nothing is guessed",
                ),
            ),
            (day.is_null(), "not-a-real-day", quoted(text, "is not a real day")),
            (
                None,
                "implausible-date",
                quoted(
                    text, f"is not a plausible date (years {FIRST_DAY.year} to {LAST_DAY.year})"
                ),
            ),
        ]


TEXT = Text(pl.String)
NAME = Name(pl.String)
DAY = Day(pl.Date)
FLAG = Flag(pl.Boolean)
MONEY = Number(pl.Float64, "pounds per hour", MAX_MONEY, pounds=True)
YEARS = Number(pl.Float64, "years", 70)
WEEKS = Number(pl.Float64, "weeks", 520)
COUNT = Number(pl.Int64, "a count", 100, whole=True)
HOURS = Number(pl.Float64, "hours a week", 168)
ROW_NUMBER = Number(pl.Int64, "a row number", 1e9, whole=True)
# Written by `agency-check pseudonymise`: the row of the council's own file each row came from, for findings to name.
SOURCE_ROW = "source_row"
# Written by `agency-check pseudonymise`: the fingerprint of the key its pseudonyms were made with, so a run or a board
# summary can refuse files pseudonymised under different keys (their pseudonyms of one worker never match).
PSEUDONYM_KEY = "pseudonym_key"
BOOKKEEPING = (
    SOURCE_ROW,
    PSEUDONYM_KEY,
)  # columns pseudonymise writes, which no council's export lacks


@dataclass(frozen=True)
class Column:
    """One contract column: how it is read, whether it is required, and its value when blank."""

    name: str
    kind: Kind
    required: bool = False
    blank: object = field(default=None)
    distinct: bool = False
    named: bool = False  # a name others match on (an agency, a framework reference): a column map may translate it too

    @property
    def translatable(self) -> bool:
        """Whether `[values.COLUMN]` of a column map may put a council's own words in this column's."""
        return self.kind.closed or self.named

    def typed(self, reading: pl.Expr, blank: pl.Expr) -> pl.Expr:
        """The column's value from its kind's `reading` of a cell: a blank cell takes the column's default, if it has one."""
        if self.blank is None:
            return reading
        return pl.when(blank).then(pl.lit(self.blank, self.kind.dtype)).otherwise(reading)

    def rejected(self, unreadable: pl.Expr, blank: pl.Expr) -> pl.Expr:
        """Whether a cell is rejected: unreadable by its kind, or blank where the column is required."""
        return (unreadable | blank) if self.required else unreadable

    def value(self, text: pl.Expr) -> pl.Expr:
        """The typed value of stripped text: null where blank (unless the column has a default), too long or unreadable."""
        return self.typed(self.kind.reading(text), text == "")


ENGAGEMENT_COLUMNS = (
    Column("engagement_id", NAME, required=True, distinct=True),
    Column("worker_id", WorkerId(pl.String), required=True, distinct=True),
    Column("la_code", LaCode(pl.String), required=True),
    Column("role", Choice(pl.String, ROLES), required=True),
    Column("start_date", DAY, required=True),
    Column("end_date", DAY),
    Column("offer_date", DAY),
    Column("agency", NAME, named=True),
    Column("framework", NAME, named=True),
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
    Column("hours_per_week", HOURS),
    Column("previous_substantive_la", LaCode(pl.String)),
    Column("previous_substantive_end", DAY),
    Column("previous_leaving_reason", Choice(pl.String, LEAVING_REASONS)),
    Column(SOURCE_ROW, ROW_NUMBER),
    Column(PSEUDONYM_KEY, NAME),
)

HISTORY_COLUMNS = (
    Column("worker_id", WorkerId(pl.String), required=True, distinct=True),
    Column("la_code", LaCode(pl.String), required=True),
    Column("employment", Choice(pl.String, EMPLOYMENTS), required=True),
    Column("start_date", DAY),
    Column("end_date", DAY),
    Column("leaving_reason", Choice(pl.String, LEAVING_REASONS)),
    Column(SOURCE_ROW, ROW_NUMBER),
    Column(PSEUDONYM_KEY, NAME),
)


def read_one(kind: Kind, text: str) -> object:
    """One value typed by a user (`--as-of`, `--council`), read exactly as a cell of that kind is; ValueError with the reason."""
    cell_text = pl.lit(text.strip(), pl.String)
    value, message = pl.select(
        kind.value(cell_text).alias("value"), kind.message(cell_text).alias("message")
    ).row(0)
    if value is None:
        raise ValueError(message)
    return value


def parse_day(text: str) -> date:
    """A date typed by a user (`--as-of`)."""
    return cast(date, read_one(DAY, text))
