"""References (REF001) and the standard-template reference for long assignments (REF002), for engagements and contract clauses."""

from __future__ import annotations

from typing import Any

import polars as pl

from ...domain import BREACH, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ...messages import phrase
from .. import words
from ..context import Context
from .kind import (
    WHOLE,
    CheckKind,
    ClauseVerdict,
    Params,
    Verdict,
    choose,
    yes_no_clause,
)

E = pl.col


def references(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """Records that disagree (received = no with a count of 1 or more, or yes with 0) are unknown, never a pass."""
    need, count, received = p["min_count"], E("references_count"), E("reference_received")
    disagree = (~received & (count >= 1)) | (received & (count == 0))
    outcome = choose(
        (disagree, UNKNOWN),
        (count >= need, PASS),
        (count.is_not_null(), BREACH),
        ((need <= 1) & received, PASS),
        (~received, BREACH),
        otherwise=UNKNOWN,
    )
    message = choose(
        (
            disagree,
            phrase(
                "the records disagree: a reference is recorded as {} but the count of references received is {}; {} required",
                choose((received, "received"), otherwise="not received"),
                count,
                need,
            ),
        ),
        (
            count.is_not_null(),
            phrase("{} practice reference(s) received; {} required", count, need),
        ),
        (~received, "no reference was received for the worker"),
        otherwise=phrase("the references received are not recorded; {} required", need),
    )
    return frame, Verdict(
        outcome,
        message,
        {"references_count": count, "reference_received": received, "min_count": need},
    )


def standard_reference(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    template, start, end = E("reference_standard_template"), E("start_date"), E("end_date")
    outcome = choose((template, PASS), (~template, BREACH), otherwise=UNKNOWN)
    length = choose(
        (end.is_null(), "open-ended"),
        otherwise=phrase("{} to {}", words.day(start), words.day(end)),
    )
    message = choose(
        (
            ~template,
            phrase(
                "an assignment of 3 months or longer ({}) without a comprehensive reference on the standard template",
                length,
            ),
        ),
        otherwise=phrase(
            "an assignment of 3 months or longer ({}); whether the reference used the standard template is not recorded",
            length,
        ),
    )
    return frame, Verdict(
        outcome,
        message,
        {
            "reference_standard_template": template,
            "start_date": words.iso(start),
            "end_date": words.iso(end),
        },
    )


def references_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, ClauseVerdict]]:
    need, given = values["min_count"], clauses.references
    count = given.count
    verdict: ClauseVerdict = (
        (
            UNKNOWN,
            f"the contract states no number of references; {need} required",
            {"min_count": need},
        )
        if count is None
        else (
            BREACH,
            f"{count} reference(s) required by the contract, fewer than the {need} the rule requires",
            {"references": count, "min_count": need},
        )
        if count < need
        else (
            PASS,
            f"{count} reference(s) required, at least the {need} the rule requires",
            {"references": count, "min_count": need},
        )
    )
    return [
        ("references.count", verdict),
        yes_no_clause(
            "references.practice_based",
            given.practice_based,
            "references about the standard of practice",
        ),
    ]


def standard_reference_clause(
    clauses: Clauses, values: dict[str, Any]
) -> list[tuple[str, ClauseVerdict]]:
    return [
        yes_no_clause(
            "references.standard_template",
            clauses.references.standard_template,
            "a comprehensive reference on the standard template",
        )
    ]


KINDS: dict[str, CheckKind] = {
    "references": CheckKind(
        references,
        {"min_count": WHOLE},
        ("reference_received", "references_count"),
        clause=references_clause,
        clause_keys=("references.count", "references.practice_based"),
    ),
    "standard_reference": CheckKind(
        standard_reference,
        reads=("reference_standard_template", "end_date"),
        clause=standard_reference_clause,
        clause_keys=("references.standard_template",),
    ),
}
