"""Cooling-off after a substantive role in the same LA or region (COOL001), for engagements and contract clauses."""

from __future__ import annotations

from typing import Any

import polars as pl

from ...domain import BREACH, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ...messages import phrase
from .. import words
from ..context import DAY, Context
from .kind import (
    REASONS,
    WHOLE,
    CheckKind,
    ClauseVerdict,
    Params,
    Verdict,
    choose,
)

E = pl.col


UNKNOWN_KINDS = ["no_end", "no_la", "no_reason"]


def cooling_off(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """Any substantive role of the worker in the same region ending fewer than N months before the start breaches.

    The worker's roles are every --history row and the previous_* columns of every one of the
    worker's rows in the run; the worst role decides (a breach before an unknown), ties broken by
    what the roles say, never by where a row stands in the file.
    """
    engagements = ctx.engagements.select(
        "__i", "worker_id", "file", "engagement_id", "region", "start_date", DAY
    )
    end, start, region = E("end_date"), E("start_date"), E("region.role")
    pairs = (
        _roles_that_may_decide(
            engagements, ctx.roles.filter(E("employment") == "substantive"), p["months"]
        )
        .filter((end.is_null() | (end < start)) & (region.is_null() | (region == E("region"))))
        .with_columns(p["months"].alias("months"), p["exempt_reasons"].alias("exempt"))
    )
    allowed = words.months_after(end, E("months"))
    kind = choose(
        (end.is_not_null() & (end >= start), None),
        (
            end.is_null() & E("from_columns") & (region.is_null() | (region == E("region"))),
            "no_end",
        ),
        (end.is_null(), None),
        (region.is_null() & (start < allowed), "no_la"),
        (region.is_not_null() & (region != E("region")), None),
        (start >= allowed, "clear"),
        (E("exempt").list.contains(E("leaving_reason")).fill_null(False), "exempt"),
        (E("leaving_reason").is_null(), "no_reason"),
        otherwise="breach",
    )
    rank = (
        pl.when(E("kind") == "breach")
        .then(pl.lit(0, pl.Int8))
        .when(E("kind").is_in(UNKNOWN_KINDS))
        .then(pl.lit(1, pl.Int8))
        .otherwise(pl.lit(2, pl.Int8))
    )
    found = (
        pairs.with_columns(kind.alias("kind"), allowed.alias("allowed_from"))
        .filter(E("kind").is_not_null())
        .sort(
            [
                rank,
                "own",
                "end_date",
                "la_code",
                "leaving_reason",
                "recorded_in",
            ],
            descending=[False, True, True, False, False, False],
            nulls_last=True,
        )
        .unique(subset="__i", keep="first")
        .select(
            "__i",
            *(
                E(c).alias(prefix + c)
                for c in ("kind", "la_code", "end_date", "leaving_reason", "allowed_from")
            ),
            E("region.role").alias(prefix + "region"),
            pl.when(E("own"))
            .then(pl.lit("this engagement's previous-role columns"))
            .otherwise(E("recorded_in"))
            .alias(prefix + "recorded_in"),
        )
    )
    frame = pl.concat(
        [
            frame,
            engagements.select("__i").join(found, on="__i", how="left").sort("__i").drop("__i"),
        ],
        how="horizontal",
    )

    def c(name: str) -> pl.Expr:
        return E(prefix + name)

    months, exempt = p["months"], p["exempt_reasons"]
    story = phrase(
        "left {} on {}; engaged by {} from {}; the {}-month cooling-off allows agency work in the region from {}",
        words.la(c("la_code")),
        words.day(c("end_date")),
        words.la(E("la_code")),
        words.day(E("start_date")),
        months,
        words.day(c("allowed_from")),
    )
    outcome = choose(
        (c("kind") == "breach", BREACH), (c("kind").is_in(UNKNOWN_KINDS), UNKNOWN), otherwise=PASS
    )
    message = choose(
        (
            c("kind") == "breach",
            phrase("{} (left by {})", story, words.spaced(c("leaving_reason"))),
        ),
        (
            c("kind") == "no_reason",
            phrase(
                "{}; exempt if the worker left by {}, but the leaving reason is not recorded",
                story,
                exempt.list.join(" or "),
            ),
        ),
        (
            c("kind") == "no_end",
            phrase(
                "a previous substantive role is recorded ({}) but not the day it ended",
                words.la(c("la_code")).fill_null("LA not recorded"),
            ),
        ),
        otherwise=phrase(
            "a substantive role ended on {}, within {} months of the start, but its LA is not recorded",
            words.day(c("end_date")),
            months,
        ),
    )
    passed = choose(
        (
            c("kind") == "exempt",
            phrase(
                "{}, but the worker left by {}, which is exempt",
                story,
                words.spaced(c("leaving_reason")),
            ),
        ),
        (
            c("kind") == "clear",
            phrase(
                "left {} on {}; the {}-month cooling-off allowed agency work in the region from {}, "
                "on or before the start on {}",
                words.la(c("la_code")).fill_null("an LA not recorded"),
                words.day(c("end_date")),
                months,
                words.day(c("allowed_from")),
                words.day(E("start_date")),
            ),
        ),
        otherwise=pl.lit(
            "no substantive role of the worker ending before the start in the same region (or LA) is "
            "recorded"
        ),
    )
    evidence = {
        "previous_role": pl.struct(
            words.la(c("la_code")).alias("la"),
            c("region").alias("region"),
            words.iso(c("end_date")).alias("ended"),
            c("leaving_reason").alias("leaving_reason"),
            c("recorded_in").alias("recorded_in"),
        ),
        "engaging_la": words.la(E("la_code")),
        "start_date": words.iso(E("start_date")),
        "months": months,
        "allowed_from": words.iso(c("allowed_from")),
        "exempt_reasons": exempt,
    }
    return frame, Verdict(outcome, message, evidence, passed=passed)


def _roles_that_may_decide(
    engagements: pl.LazyFrame, roles: pl.LazyFrame, months: pl.Expr
) -> pl.LazyFrame:
    """Pair each engagement with the past roles that can decide it, never with a long history as a whole.

    A worker with a few past roles (most workers) is paired with all of them. For a worker with
    more, a role decides only if it ended within the engagement's cooling-off window (N calendar
    months are at most 31*N days) or has no end: their roles are filed by the stretch of days their
    end falls in, and each engagement looks only in the stretches its window touches. Their roles
    that differ only in where they were recorded are kept once, with the first place the tie-break
    would choose, and each engagement's own previous_* columns are paired as its own. So a worker
    with thousands of engagements and past roles gives pairs in proportion to the roles near each
    start, not to their product.
    """
    counted = (
        roles.with_columns((pl.len().over("worker_id") > _FEW_ROLES).alias("many")).collect().lazy()
    )
    few = engagements.join(counted.filter(~E("many")), on="worker_id", suffix=".role").with_columns(
        ((E("source_engagement") == E("engagement_id")) & (E("source_file") == E("file")))
        .fill_null(False)
        .alias("own")
    )
    many = counted.filter(E("many")).drop("many")
    engagements = engagements.join(many.select("worker_id").unique(), on="worker_id", how="semi")
    ended = E("end_date").is_not_null()
    same = ["worker_id", "region", "la_code", "leaving_reason"]
    first_recorded = (E("recorded_in").min(), E("employment").first(), E("from_columns").first())
    dated = many.filter(ended).group_by([*same, "end_date"]).agg(*first_recorded)
    undated = many.filter(~ended & E("from_columns")).group_by(same).agg(*first_recorded)
    start = E("start_date")
    earliest = start.dt.offset_by(phrase("-{}d", (31 * months.cast(pl.Int64)).fill_null(0)))
    window = engagements.with_columns(
        pl.int_ranges(_stretch(earliest), _stretch(start) + 1).alias("stretch")
    ).explode("stretch")
    in_window = window.join(
        dated.with_columns(_stretch(E("end_date")).alias("stretch")),
        on=["worker_id", "stretch"],
        suffix=".role",
    ).drop("stretch")
    open_ended = engagements.join(undated, on="worker_id", suffix=".role")
    own = engagements.join(
        many,
        left_on=["worker_id", "file", "engagement_id"],
        right_on=["worker_id", "source_file", "source_engagement"],
        suffix=".role",
    )
    return pl.concat(
        [
            few.drop("many"),
            in_window.with_columns(own=pl.lit(False)),
            open_ended.with_columns(own=pl.lit(False)),
            own.with_columns(own=pl.lit(True)),
        ],
        how="diagonal",
    )


_FEW_ROLES = (
    16  # past roles of one worker that are simply all paired with each of their engagements
)


_STRETCH_DAYS = 93  # a three-month window touches at most two stretches of this length


def _stretch(day: pl.Expr) -> pl.Expr:
    return (day.cast(pl.Int32) // _STRETCH_DAYS).cast(pl.Int32)


def cooling_off_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, ClauseVerdict]]:
    need, allowed = values["months"], set(values["exempt_reasons"])
    months, exempt = clauses.cooling_off_months, clauses.cooling_off_exemptions
    if months is None:
        verdict: ClauseVerdict = (
            UNKNOWN,
            f"the contract states no cooling-off period; {need} months are required",
            {"months": need},
        )
    elif months < need:
        verdict = (
            BREACH,
            f"a cooling-off period of {months} months is shorter than the {need} required",
            {"cooling_off_months": months, "months": need},
        )
    else:
        verdict = (
            PASS,
            f"a cooling-off period of {months} months meets the {need} required",
            {"cooling_off_months": months, "months": need},
        )
    found = [("cooling_off_months", verdict)]
    extra = sorted(set(exempt or []) - allowed)
    evidence = {"cooling_off_exemptions": exempt, "exempt_reasons": sorted(allowed)}
    if extra:
        found.append(
            (
                "cooling_off_exemptions",
                (
                    BREACH,
                    f"the contract exempts leavers by {', '.join(extra)}, which the rule does not",
                    evidence,
                ),
            )
        )
    elif exempt:
        found.append(
            (
                "cooling_off_exemptions",
                (
                    PASS,
                    f"the contract exempts leavers by {', '.join(sorted(exempt))}, as the rule does",
                    evidence,
                ),
            )
        )
    return found


KINDS: dict[str, CheckKind] = {
    "cooling_off": CheckKind(
        cooling_off,
        {"months": WHOLE, "exempt_reasons": REASONS},
        ("previous_substantive_la", "previous_substantive_end", "previous_leaving_reason"),
        clause=cooling_off_clause,
        clause_keys=("cooling_off_months", "cooling_off_exemptions"),
    ),
}
