"""Outcomes, verdicts and findings: the one result record every renderer reads."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

PASS = "pass"
BREACH = "breach"
UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"
WAIVED = "waived"
NOT_EVALUATED = "not_evaluated"
OUTCOMES = (PASS, BREACH, UNKNOWN, NOT_APPLICABLE, WAIVED, NOT_EVALUATED)
REPORTED = frozenset((BREACH, UNKNOWN, WAIVED))


class Verdict(NamedTuple):
    """What a check decided, and for anything but a pass, why, in an HR officer's words."""

    outcome: str
    message: str = ""
    evidence: dict[str, Any] = {}


PASSED = Verdict(PASS)


def breach(message: str, evidence: dict[str, Any]) -> Verdict:
    return Verdict(BREACH, message, evidence)


def unknown(message: str, evidence: dict[str, Any]) -> Verdict:
    return Verdict(UNKNOWN, message, evidence)


def not_evaluated(message: str) -> Verdict:
    return Verdict(NOT_EVALUATED, message)


class Finding(NamedTuple):
    """A breach, unknown or waived outcome of one rule for one engagement; a tuple, so it pickles cheaply between processes."""

    engagement_id: str
    row: int
    rule_id: str
    outcome: str
    severity: str
    message: str
    evidence: dict[str, Any]
    source: str

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))


def day(value: date | None) -> str:
    """'31 May 2025': how a date reads in a message."""
    return value.strftime("%-d %b %Y") if value else "not recorded"


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
