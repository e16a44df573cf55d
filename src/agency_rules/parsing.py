"""Cell parsers for the data contract's columns: text → typed value, or ValueError with a message.

Low-variety columns (dates, codes, flags, amounts) keep a memo of raw cell → value, filled only
with values that parsed, so a million rows cost a dictionary look-up per cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .dates import parse_date
from .engagement import (
    EMPLOYMENT_MODELS,
    EMPLOYMENTS,
    ENGAGEMENT_TYPES,
    LEAVING_REASONS,
    ROLES,
)
from .regions import local_authorities

MAX_CELL = 1000
MAX_MONEY = 10_000.0
MEMO_LIMIT = 200_000

_SW = re.compile(r"^(?:SW)?([1-9]\d{0,5})$")
_PSEUDONYM = re.compile(r"^P-([0-9A-F]+)$")
CANONICAL_WORKER = re.compile(r"SW[1-9]\d{0,5}|P-[0-9a-f]+").fullmatch
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def parse_worker_id(text: str) -> str:
    """Social Work England numbers normalise to SW + digits; regional pseudonyms to P- + lower-case hex."""
    upper = text.upper().replace(" ", "")
    match = _SW.match(upper)
    if match:
        return "SW" + match.group(1)
    match = _PSEUDONYM.match(upper)
    if match:
        return "P-" + match.group(1).lower()
    raise ValueError(f"'{text}' is neither a Social Work England number (SW + 1-6 digits) nor a pseudonym (P- + hex)")


def parse_la_code(text: str) -> str:
    code = text.upper()
    if code not in local_authorities():
        raise ValueError(f"'{text}' is not the ONS code of one of England's 153 local authorities")
    return code


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"'{text}' is not a yes/no value (true/false, yes/no, y/n, 1/0)")


def _number(text: str, what: str, maximum: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number ({what})") from None
    if not math.isfinite(value):
        raise ValueError(f"'{text}' is not a finite number ({what})")
    if value < 0:
        raise ValueError(f"'{text}' is negative ({what})")
    if value > maximum:
        raise ValueError(f"'{text}' is more than {maximum:g}, not a plausible value ({what})")
    return value


def parse_money(text: str) -> float:
    return _number(text.removeprefix("£").strip(), "pounds per hour", MAX_MONEY)


def parse_years(text: str) -> float:
    return _number(text, "years", 70)


def parse_weeks(text: str) -> float:
    return _number(text, "weeks", 520)


def parse_count(text: str) -> int:
    value = _number(text, "a count", 100)
    if value != int(value):
        raise ValueError(f"'{text}' is not a whole number")
    return int(value)


def enum_parser(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.lower().replace(" ", "_").replace("-", "_")
        if value not in allowed:
            raise ValueError(f"'{text}' is not one of: {', '.join(allowed)}")
        return value

    return parse


def text_value(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Column:
    """One contract column: its parser, whether it is required, and (for low-variety columns) its memo."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    memoised: bool = True
    blank: Any = None
    memo: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.memoised and not self.required:
            self.memo[""] = self.blank

    def value(self, raw: str) -> Any:
        """The slow path: parse one cell, remember it if it parsed; raises ValueError with the reason."""
        text = raw.strip()
        if not text:
            if self.required:
                raise ValueError("required value is missing")
            return self.blank
        if len(text) > MAX_CELL:
            raise ValueError(f"cell is {len(text)} characters long; at most {MAX_CELL} are accepted")
        value = self.parse(text)
        if self.memoised and len(self.memo) < MEMO_LIMIT:
            self.memo[raw] = value
        return value


def engagement_columns() -> list[Column]:
    """The data contract's engagements.csv columns, in contract order, each with a fresh memo."""
    money = parse_money
    return [
        Column("engagement_id", text_value, required=True, memoised=False),
        Column("worker_id", parse_worker_id, required=True, memoised=False),
        Column("la_code", parse_la_code, required=True),
        Column("role", enum_parser(ROLES), required=True),
        Column("start_date", parse_date, required=True),
        Column("end_date", parse_date),
        Column("offer_date", parse_date),
        Column("agency", text_value, memoised=False),
        Column("framework", text_value, memoised=False),
        Column("engagement_type", enum_parser(ENGAGEMENT_TYPES), blank="individual"),
        Column("team_workers_identified", parse_bool),
        Column("team_costs_itemised", parse_bool),
        Column("team_la_practice_control", parse_bool),
        Column("qualified_date", parse_date),
        Column("qualified_overseas", parse_bool),
        Column("pqe_years", parse_years),
        Column("asye_completed", parse_bool),
        Column("notice_period_weeks", parse_weeks),
        Column("notice_reciprocal", parse_bool),
        Column("la_substantive_notice_weeks", parse_weeks),
        Column("reference_received", parse_bool),
        Column("reference_standard_template", parse_bool),
        Column("references_count", parse_count),
        Column("employment_model", enum_parser(EMPLOYMENT_MODELS)),
        Column("pay_rate", money),
        Column("agency_fee", money),
        Column("framework_fee", money),
        Column("expenses_per_hour", money),
        Column("previous_substantive_la", parse_la_code),
        Column("previous_substantive_end", parse_date),
        Column("previous_leaving_reason", enum_parser(LEAVING_REASONS)),
    ]


def history_columns() -> list[Column]:
    return [
        Column("worker_id", parse_worker_id, required=True, memoised=False),
        Column("la_code", parse_la_code, required=True),
        Column("employment", enum_parser(EMPLOYMENTS), required=True),
        Column("start_date", parse_date),
        Column("end_date", parse_date),
        Column("leaving_reason", enum_parser(LEAVING_REASONS)),
    ]
