"""Experience: post-qualified experience and a completed ASYE (PQE001, ASYE001, INTL001). A contract carries them by binding its supplier to the national rules."""

from __future__ import annotations

from typing import Any

import polars as pl

from ...domain import BREACH, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ...messages import phrase
from .. import words
from ..context import Context
from .kind import (
    NUMBER,
    CheckKind,
    ClauseVerdict,
    Params,
    ParamType,
    Verdict,
    choose,
    clause_outcome,
)

E = pl.col


def min_pqe(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """PQE at the start date: time since qualifying bounds it from above, else pqe_years decides.

    A recorded PQE above that bound is a data warning: in the evidence of a finding, and counted
    into the report's notices when the rule is met.
    """
    need, qualified, start, pqe = (
        p["min_years"],
        E("qualified_date"),
        E("start_date"),
        E("pqe_years"),
    )
    reached = words.years_after(qualified, need)
    bound = (start - qualified).dt.total_days() / 365.25
    above_bound = qualified.is_not_null() & pqe.is_not_null() & (pqe > bound + 0.01)
    too_soon = qualified.is_not_null() & (start < reached)
    outcome = choose(
        (too_soon, BREACH), (pqe.is_null(), UNKNOWN), (pqe >= need, PASS), otherwise=BREACH
    )
    counted_in = choose(
        (p["experience_in"] == "UK", "UK local authority"), otherwise="English local authority"
    )
    message = choose(
        (
            too_soon,
            phrase(
                "qualified on {}, so had less than {} years' post-qualified experience on the start date {}; {} years are reached on {}",
                words.day(qualified),
                words.number(need),
                words.day(start),
                words.number(need),
                words.day(reached),
            ),
        ),
        (
            pqe.is_null() & qualified.is_not_null(),
            phrase(
                "qualified on {}, but the rule counts only experience in {} child and family social work, which a qualification date "
                "alone does not show, and that experience (pqe_years) is not recorded; {} years are required",
                words.day(qualified),
                counted_in,
                words.number(need),
            ),
        ),
        (
            pqe.is_null(),
            phrase(
                "experience in {} child and family social work (pqe_years) is not recorded, nor when the worker qualified; "
                "{} years are required",
                counted_in,
                words.number(need),
            ),
        ),
        otherwise=phrase(
            "recorded post-qualified experience of {} years is less than the {} years required",
            words.number(pqe),
            words.number(need),
        ),
    )
    evidence = {
        "start_date": words.iso(start),
        "qualified_date": words.iso(qualified),
        "pqe_years": pqe,
        "experience_counted_in": counted_in.str.replace("authority", "authorities", literal=True),
        "min_pqe_reached_on": words.iso(reached),
        "data_warning": pl.when(above_bound).then(
            phrase(
                "recorded PQE of {} years is more than the {} years since qualifying",
                words.number(pqe),
                bound.clip(0).round(1).cast(pl.String),
            )
        ),
    }
    warning = pl.when(above_bound).then(
        pl.lit(
            "the recorded post-qualified experience is longer than the time since the worker qualified (data warning)"
        )
    )
    return frame, Verdict(outcome, message, evidence, warning)


def asye_completed(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    done = E("asye_completed")
    outcome = choose((done, PASS), (~done, BREACH), otherwise=UNKNOWN)
    message = choose(
        (~done, "the worker has not completed the ASYE"),
        otherwise="whether the worker completed the ASYE is not recorded",
    )
    return frame, Verdict(
        outcome, message, {"asye_completed": done, "qualified_date": words.iso(E("qualified_date"))}
    )


def binding(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, ClauseVerdict]]:
    """Rules a contract cannot restate (a worker's experience, an ASYE) are carried by binding the supplier, and its suppliers, to them."""
    found = []
    for name, who in (
        ("binds_supplier", "the supplier"),
        ("binds_second_tier", "any second-tier supplier"),
    ):
        value = getattr(clauses, name)
        outcome = clause_outcome(value)
        found.append(
            (
                name,
                (
                    outcome,
                    f"the contract {'binds' if value else 'does not bind' if value is False else 'does not say whether it binds'} {who} to the national rules",
                    {name: value},
                ),
            )
        )
    return found


KINDS: dict[str, CheckKind] = {
    "min_pqe": CheckKind(
        min_pqe,
        {"min_years": NUMBER, "experience_in": ParamType(str, choices=("UK", "England"))},
        ("qualified_date", "pqe_years"),
        clause=binding,
        clause_keys=("binds_supplier", "binds_second_tier"),
    ),
    "asye_completed": CheckKind(
        asye_completed,
        reads=("asye_completed", "qualified_date"),
        clause=binding,
        clause_keys=("binds_supplier", "binds_second_tier"),
    ),
}
