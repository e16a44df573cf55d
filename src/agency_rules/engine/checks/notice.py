"""The notice period (NOTICE001), reciprocal or not, for engagements and contract clauses."""

from __future__ import annotations

from typing import Any

import polars as pl

from ...domain import BREACH, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ...messages import phrase
from .. import words
from ..context import Context
from .kind import (
    FLAG,
    NUMBER,
    CheckKind,
    ClauseVerdict,
    Params,
    Verdict,
    choose,
    clause_outcome,
)

E = pl.col


def notice_period(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """At least min_weeks (binding both sides where required); where the LA's shorter substantive notice applies, that is enough."""
    need, notice, mutual, la_notice = (
        p["min_weeks"],
        E("notice_period_weeks"),
        E("notice_reciprocal"),
        E("la_substantive_notice_weeks"),
    )
    shorter, reciprocal = p["shorter_la_notice_applies"], p["reciprocal_required"]
    required = (
        pl.when(shorter & la_notice.is_not_null())
        .then(pl.min_horizontal(need, la_notice))
        .otherwise(need)
    )
    la_unrecorded = shorter & la_notice.is_null() & notice.is_not_null() & (notice < need)
    outcome = choose(
        (notice.is_not_null() & (notice >= need) & (mutual.fill_null(False) | ~reciprocal), PASS),
        (la_unrecorded, UNKNOWN),
        (notice.is_null(), UNKNOWN),
        (notice < required, BREACH),
        (reciprocal & ~mutual, BREACH),
        (reciprocal & mutual.is_null(), UNKNOWN),
        otherwise=PASS,
    )
    message = choose(
        (
            la_unrecorded,
            phrase(
                "notice of {} weeks is under {}; it suffices if the LA's own notice for the equivalent permanent role is no longer, but the LA's notice is not recorded",
                words.number(notice),
                words.number(need),
            ),
        ),
        (
            notice.is_null(),
            phrase(
                "the notice period is not recorded; at least {} weeks are required",
                words.number(required),
            ),
        ),
        (
            notice < required,
            phrase(
                "notice period of {} weeks is shorter than the {} weeks required",
                words.number(notice),
                words.number(required),
            ),
        ),
        (
            ~mutual,
            phrase(
                "the {}-week notice does not bind both sides (the record says it is not reciprocal)",
                words.number(notice),
            ),
        ),
        otherwise="whether the notice binds both worker and LA is not recorded",
    )
    evidence = {
        "notice_period_weeks": notice,
        "notice_reciprocal": mutual,
        "min_weeks": need,
        "la_substantive_notice_weeks": pl.when(shorter).then(la_notice),
        "required_weeks": pl.when(shorter & la_notice.is_not_null()).then(required),
    }
    return frame, Verdict(outcome, message, evidence)


def _weeks(count: float) -> str:
    return f"{count:g} week{'' if count == 1 else 's'}"


def notice_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, ClauseVerdict]]:
    need, weeks = values["min_weeks"], clauses.notice_weeks
    if weeks is None:
        verdict: ClauseVerdict = (
            UNKNOWN,
            f"the contract states no notice period; at least {_weeks(need)} are required",
            {"min_weeks": need},
        )
    elif weeks >= need:
        verdict = (
            PASS,
            f"notice of {_weeks(weeks)} meets the {_weeks(need)} required",
            {"notice_weeks": weeks, "min_weeks": need},
        )
    elif values.get("shorter_la_notice_applies"):
        verdict = (
            UNKNOWN,
            f"notice of {_weeks(weeks)} is under {_weeks(need)}; it suffices only where the council's own notice for the role is no longer",
            {"notice_weeks": weeks, "min_weeks": need},
        )
    else:
        verdict = (
            BREACH,
            f"notice of {_weeks(weeks)} is shorter than the {_weeks(need)} required",
            {"notice_weeks": weeks, "min_weeks": need},
        )
    found = [("notice_weeks", verdict)]
    if values.get("reciprocal_required"):
        mutual = clauses.notice_reciprocal
        found.append(
            (
                "notice_reciprocal",
                (
                    clause_outcome(mutual),
                    f"the notice {'binds' if mutual else 'does not bind' if mutual is False else 'is not said to bind'} both worker and council",
                    {"notice_reciprocal": mutual},
                ),
            )
        )
    return found


KINDS: dict[str, CheckKind] = {
    "notice_period": CheckKind(
        notice_period,
        {"min_weeks": NUMBER, "reciprocal_required": FLAG, "shorter_la_notice_applies": FLAG},
        ("notice_period_weeks", "notice_reciprocal", "la_substantive_notice_weeks"),
        clause=notice_clause,
        clause_keys=("notice_weeks", "notice_reciprocal"),
    ),
}
