"""When a rule applies to an engagement: the closed `applies` vocabulary as three-valued expressions.

Each condition is true (in scope), false (not applicable) or null (the data cannot tell); polars'
Kleene logic combines them: false if any is false, else null if any is null, else true.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ..messages import phrase
from .rulebook import Applicability, Applies
from .words import assignment_of_months

E = pl.col


def offered() -> pl.Expr:
    """The contract's default: no offer_date means offered on the start date."""
    return pl.coalesce(E("offer_date"), E("start_date"))


def in_scope(applies: Applies, region: str | None) -> pl.Expr:
    conditions: list[pl.Expr] = []
    if region is not None:
        conditions.append(E("region") == region)
    if applies.qualified_on_or_after is not None:
        conditions.append(E("qualified_date") >= applies.qualified_on_or_after)
    if applies.qualified_overseas is not None:
        conditions.append(E("qualified_overseas") == applies.qualified_overseas)
    if applies.engagement_type is not None:
        conditions.append(E("engagement_type") == applies.engagement_type)
    if applies.offered_on_or_after is not None:
        conditions.append(offered() >= applies.offered_on_or_after)
    if applies.started_on_or_after is not None:
        started = E("start_date") >= applies.started_on_or_after
        conditions.append(
            started | E("cap.existing")
            if applies.earlier_if_running_on_caps_existing_from
            else started
        )
    if applies.min_assignment_months is not None:
        conditions.append(
            assignment_of_months(E("start_date"), E("end_date"), applies.min_assignment_months)
        )
    if applies.roles is not None:
        conditions.append(E("role").is_in(list(applies.roles)))
    if applies.framework == "named":
        conditions.append(E("framework").is_not_null())
    if applies.framework == "among_contracts":
        conditions.append(E("contract.found"))
    combined = pl.lit(True)
    for condition in conditions:
        combined = combined & condition
    return combined


def scope_words(applies: Applies) -> str:
    """The conditions a blank column leaves open, for an unknown's message."""
    parts = []
    if applies.qualified_on_or_after:
        parts.append(
            f"the worker qualified on or after {applies.qualified_on_or_after.strftime('%-d %b %Y')}"
        )
    if applies.qualified_overseas:
        parts.append("the worker qualified outside the UK")
    return " and ".join(parts) or "the rule's conditions hold"


def subject_to_regime(applicability: Applicability | None) -> pl.Expr:
    """Statutory regime: new engagements (offered on/after its start) always; legacy ones only if still running on the compliance day."""
    if applicability is None:
        return pl.lit(True)
    end = E("end_date")
    return (
        (offered() >= applicability.new_offered_from)
        | end.is_null()
        | (end >= applicability.legacy_running_on)
    )


def _day(value: pl.Expr) -> pl.Expr:
    return value.dt.to_string("%-d %b %Y").fill_null("not recorded")


def scope_decision(
    applies: Applies, region: str | None, applicability: Applicability | None
) -> pl.Expr:
    """Why a rule does not apply to an engagement, in words: the first condition that fails (the regime first), or null
    where every condition holds or the data cannot tell. `agency-check explain` says it beside `not_applicable`."""
    reasons: list[tuple[pl.Expr, pl.Expr]] = []
    if applicability is not None:
        reasons.append(
            (
                ~subject_to_regime(applicability),
                phrase(
                    "a legacy engagement (offered on {}, before {}) that ended on {}, before {}: the "
                    "statutory rules do not reach it",
                    _day(offered()),
                    applicability.new_offered_from.strftime("%-d %b %Y"),
                    _day(E("end_date")),
                    applicability.legacy_running_on.strftime("%-d %b %Y"),
                ),
            )
        )
    if region is not None:
        reasons.append(
            (
                E("region") != region,
                phrase("an overlay rule for {} only; the engagement is in {}", region, E("region")),
            )
        )
    if applies.qualified_on_or_after is not None:
        reasons.append(
            (
                E("qualified_date") < applies.qualified_on_or_after,
                phrase(
                    "the worker qualified on {}, before {}",
                    _day(E("qualified_date")),
                    applies.qualified_on_or_after.strftime("%-d %b %Y"),
                ),
            )
        )
    if applies.qualified_overseas is not None:
        reasons.append(
            (
                E("qualified_overseas") != applies.qualified_overseas,
                pl.lit(
                    "the worker qualified in the UK"
                    if applies.qualified_overseas
                    else "the worker qualified outside the UK"
                ),
            )
        )
    if applies.engagement_type is not None:
        reasons.append(
            (
                E("engagement_type") != applies.engagement_type,
                phrase(
                    "the engagement is of type {}, not {}",
                    E("engagement_type"),
                    applies.engagement_type,
                ),
            )
        )
    if applies.offered_on_or_after is not None:
        reasons.append(
            (
                offered() < applies.offered_on_or_after,
                phrase(
                    "offered on {}, before {}",
                    _day(offered()),
                    applies.offered_on_or_after.strftime("%-d %b %Y"),
                ),
            )
        )
    if applies.started_on_or_after is not None:
        started = E("start_date") < applies.started_on_or_after
        reasons.append(
            (
                started & ~E("cap.existing").fill_null(False)
                if applies.earlier_if_running_on_caps_existing_from
                else started,
                phrase(
                    "started on {}, before {}{}",
                    _day(E("start_date")),
                    applies.started_on_or_after.strftime("%-d %b %Y"),
                    " (and no caps file's existing_from reaches it)"
                    if applies.earlier_if_running_on_caps_existing_from
                    else "",
                ),
            )
        )
    if applies.min_assignment_months is not None:
        reasons.append(
            (
                ~assignment_of_months(
                    E("start_date"), E("end_date"), applies.min_assignment_months
                ),
                phrase(
                    "an assignment shorter than {} months ({} to {})",
                    str(applies.min_assignment_months),
                    _day(E("start_date")),
                    _day(E("end_date")),
                ),
            )
        )
    if applies.roles is not None:
        reasons.append(
            (
                ~E("role").is_in(list(applies.roles)),
                phrase("the role {} is not one the rule covers", E("role")),
            )
        )
    if applies.framework == "named":
        reasons.append((E("framework").is_null(), pl.lit("no framework is recorded")))
    if applies.framework == "among_contracts":
        reasons.append(
            (~E("contract.found"), pl.lit("its framework names none of the contracts given"))
        )
    if not reasons:
        return pl.lit(None, pl.String)
    chain: Any = pl.when(reasons[0][0].fill_null(False)).then(
        reasons[0][1]
    )  # Then, then ChainedThen
    for condition, words in reasons[1:]:
        chain = chain.when(condition.fill_null(False)).then(words)
    return chain.otherwise(pl.lit(None, pl.String))
