"""When a rule applies to an engagement: the closed `applies` vocabulary as three-valued expressions.

Each condition is true (in scope), false (not applicable) or null (the data cannot tell); polars'
Kleene logic combines them: false if any is false, else null if any is null, else true.
"""

from __future__ import annotations

import polars as pl

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
