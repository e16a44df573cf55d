"""A report's notices, typed: what a run says once about many engagements (a rule not evaluated and why, a data
warning, a waiver that matched nothing, an export taken as individual engagements). Plain dicts at run time, so the
JSON report and the API's `report.notices` stay as the data contract shows them; each `kind` is a code of the
catalogue in `inputs/reasons.py`."""

from __future__ import annotations

from typing import Literal, TypedDict

NoticeKind = Literal["not_evaluated", "data_warning", "unmatched_waiver", "assumed_individual"]


class NoticeReason(TypedDict):
    message: str
    count: int
    engagements: list[str]


class Notice(TypedDict):
    rule_id: str
    count: int
    kind: NoticeKind
    message: str
    reasons: list[NoticeReason]


def said_once(rule_id: str, kind: NoticeKind, count: int, message: str) -> Notice:
    """A notice with one reason of its own, not a ranking of many."""
    return Notice(rule_id=rule_id, count=count, kind=kind, message=message, reasons=[])
