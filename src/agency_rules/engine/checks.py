"""The closed vocabulary of checks a rule file may name: each a builder from its parameters to polars expressions.

A builder sees the engagement columns, its parameters as columns (the values in force for each
engagement, see parameters.py) and the run's context, and returns a Verdict: the outcome (pass,
breach, unknown or not_evaluated), the message and the evidence: the named values it compared.
Messages and evidence are expressions evaluated only for the outcomes that are reported. Scope and
the regime's dates are decided outside the checks (evaluation.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import polars as pl

from ..domain import BREACH, LEAVING_REASONS, NOT_APPLICABLE, NOT_EVALUATED, PASS, UNKNOWN
from ..messages import phrase
from . import clause_terms, words
from .clause_terms import ClauseCheck
from .context import DAY, Context

E = pl.col


@dataclass(frozen=True)
class Verdict:
    """A check's outcome per engagement, and for anything reported, why (in an HR officer's words) and on what evidence."""

    outcome: pl.Expr
    message: pl.Expr
    evidence: dict[str, pl.Expr]
    warning: pl.Expr | None = None


@dataclass(frozen=True)
class ParamType:
    """What a parameter's values must be; checked when a rule file loads."""

    kind: type | tuple[type, ...]
    minimum: float | None = None
    choices: tuple[str, ...] | None = None
    is_list: bool = False

    def validate(self, name: str, value: Any) -> None:
        items = value if self.is_list else [value]
        if self.is_list and not isinstance(value, list):
            raise ValueError(f"parameter '{name}' must be a list")
        for item in items:
            if isinstance(item, bool) and self.kind is not bool or not isinstance(item, self.kind):
                raise ValueError(f"parameter '{name}' has value {item!r} of the wrong type")
            if isinstance(item, float) and not math.isfinite(item):
                raise ValueError(f"parameter '{name}' must be a finite number, not {item!r}")
            if self.minimum is not None and cast(float, item) < self.minimum:
                raise ValueError(
                    f"parameter '{name}' must be at least {self.minimum:g}, not {item!r}"
                )
            if self.choices is not None and item not in self.choices:
                raise ValueError(
                    f"parameter '{name}' has value {item!r}; allowed: {', '.join(self.choices)}"
                )

    def dtype(self) -> pl.DataType:
        kinds: dict[object, pl.DataType] = {bool: pl.Boolean(), int: pl.Int64(), str: pl.String()}
        base = kinds.get(self.kind, pl.Float64())
        return pl.List(base) if self.is_list else base


NUMBER = ParamType((int, float), minimum=0)
WHOLE = ParamType(int, minimum=0)
FLAG = ParamType(bool)
REASONS = ParamType(str, choices=LEAVING_REASONS, is_list=True)

Params = dict[str, pl.Expr]
Builder = Callable[[pl.LazyFrame, Params, Context, str], tuple[pl.LazyFrame, Verdict]]


@dataclass(frozen=True)
class CheckKind:
    """Everything about one kind of check: its engagement builder, its parameters' types, the optional engagement columns it
    reads (none of them: no data), what the run must be given, and its contract side: the clause a contract must carry
    (`clause`), the rate-line amount it caps (`rate_field`), or why it has neither (`no_contract_side`)."""

    build: Builder
    params: dict[str, ParamType] = field(default_factory=dict)
    reads: tuple[str, ...] = ()
    needs: str | None = None
    clause: ClauseCheck | None = None
    rate_field: str | None = None
    no_contract_side: str = ""


def choose(*branches: tuple[pl.Expr, Any], otherwise: Any = None) -> pl.Expr:
    """when/then in order; values may be expressions or plain literals."""
    (condition, value), *rest = branches
    chain: Any = pl.when(condition).then(_expression(value))  # polars' Then, then ChainedThen
    for condition, value in rest:
        chain = chain.when(condition).then(_expression(value))
    return cast(pl.Expr, chain.otherwise(_expression(otherwise)))


def _expression(value: Any) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value)


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
        (region.is_null() | (region != E("region")), None),
        (
            (start >= allowed) | E("exempt").list.contains(E("leaving_reason")).fill_null(False),
            None,
        ),
        (E("leaving_reason").is_null(), "no_reason"),
        otherwise="breach",
    )
    found = (
        pairs.with_columns(kind.alias("kind"), allowed.alias("allowed_from"))
        .filter(E("kind").is_not_null())
        .sort(
            [
                (E("kind") != "breach"),
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
        (c("kind") == "breach", BREACH), (c("kind").is_not_null(), UNKNOWN), otherwise=PASS
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
    return frame, Verdict(outcome, message, evidence)


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


def _cap_outcome(value: pl.Expr, limit: pl.Expr) -> pl.Expr:
    return choose(
        (~E("cap.found"), NOT_EVALUATED),
        (limit.is_null(), NOT_EVALUATED),
        (value <= limit, PASS),
        (value.is_null(), UNKNOWN),
        otherwise=BREACH,
    )


CAP_WORDS = {
    "pay_rate": "pay cap",
    "pay_rate_paye": "PAYE pay cap",
    "agency_fee": "agency-fee cap",
    "framework_fee": "framework-fee cap",
}
AMOUNT_WORDS = {
    "pay_rate": "Pay",
    "agency_fee": "The agency fee",
    "framework_fee": "The framework fee",
}  # each opens its sentence


def _against_cap(
    value: pl.Expr, what: str, field_name: pl.Expr, limit: pl.Expr, ctx: Context
) -> tuple[pl.Expr, pl.Expr, dict[str, pl.Expr]]:
    """One amount against the engagement's cap: `field_name` says which cap field `limit` holds (messages name both in words)."""
    cap = field_name.replace_strict(CAP_WORDS, return_dtype=pl.String)
    amount = AMOUNT_WORDS[what]
    message = choose(
        (
            pl.lit(not ctx.caps),
            pl.lit(
                "no caps file was given, so no cap can be checked (--caps FILE, or --caps london-2016 for the shipped table)"
            ),
        ),
        (
            ~E("cap.found"),
            phrase(
                "no cap configured for {} (or national) / {} on {}",
                E("region"),
                words.role(E("role")),
                words.day(E("start_date")),
            ),
        ),
        (
            limit.is_null(),
            phrase(
                "the caps for {} / {} set no {}", E("cap.region"), words.role(E("cap.role")), cap
            ),
        ),
        (
            value.is_null(),
            phrase("{} is not recorded; the {} is £{} an hour", amount, cap, words.money(limit)),
        ),
        otherwise=phrase(
            "{} of £{} an hour is above the {} of £{} ({}, {})",
            amount,
            words.money(value),
            cap,
            words.money(limit),
            E("cap.region"),
            words.role(E("cap.role")),
        ),
    )
    evidence = {
        what: value,
        "cap": limit,
        "cap_field": field_name,
        "cap_region": E("cap.region"),
        "cap_role": E("cap.role"),
        "cap_in_force": E("cap.in_force"),
        "cap_source": E("cap.source"),
        "cap_file": E("cap.file"),
    }
    return _cap_outcome(value, limit), message, evidence


def paye_over_umbrella(pay: pl.Expr, paye_cap: pl.Expr, umbrella_cap: pl.Expr) -> pl.Expr:
    """A table with no PAYE cap still caps PAYE pay: the PAYE cap is the umbrella cap less employer NI and holiday pay, so
    always lower, and PAYE pay above the umbrella cap is a breach (docs/semantics.md). At or below it, not evaluated."""
    return paye_cap.is_null() & umbrella_cap.is_not_null() & (pay > umbrella_cap)


def _paye_outcome(pay: pl.Expr) -> pl.Expr:
    over = paye_over_umbrella(pay, E("cap.pay_rate_paye"), E("cap.pay_rate"))
    return choose(
        (E("cap.found") & over, BREACH), otherwise=_cap_outcome(pay, E("cap.pay_rate_paye"))
    )


def pay_cap(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """PAYE workers have their own cap (employer NI and holiday pay taken off); an unrecorded model must fail or pass on both."""
    pay, model = E("pay_rate"), E("employment_model")
    umbrella, paye, basis, limit = (
        E(prefix + name) for name in ("umbrella", "paye", "basis", "limit")
    )
    frame = (
        frame.with_columns(
            _cap_outcome(pay, E("cap.pay_rate")).alias(prefix + "umbrella"),
            _paye_outcome(pay).alias(prefix + "paye"),
        )
        .with_columns(
            choose(
                (model == "paye", "pay_rate_paye"),
                (model.is_not_null(), "pay_rate"),
                ((umbrella == paye) | (umbrella != PASS), "pay_rate"),
                otherwise="pay_rate_paye",
            ).alias(prefix + "basis")
        )
        .with_columns(
            choose(
                (basis == "pay_rate_paye", E("cap.pay_rate_paye")), otherwise=E("cap.pay_rate")
            ).alias(prefix + "limit")
        )
    )
    outcome, message, evidence = _against_cap(pay, "pay_rate", basis, limit, ctx)
    over = (
        E("cap.found")
        & (basis == "pay_rate_paye")
        & paye_over_umbrella(pay, limit, E("cap.pay_rate"))
    )
    mixed = model.is_null() & (umbrella != paye) & ~((umbrella == NOT_EVALUATED) & (paye == PASS))
    outcome = choose((mixed, UNKNOWN), (over, BREACH), otherwise=outcome)
    message = choose(
        (
            mixed & pay.is_not_null(),
            phrase(
                "pay of £{} an hour is within one of the pay cap and the PAYE pay cap but not the other, and the employment model "
                "(umbrella, limited company or PAYE) is not recorded",
                words.money(pay),
            ),
        ),
        (
            over,
            phrase(
                "PAYE pay of £{} an hour is above the pay cap of £{} ({}, {}); the caps set no PAYE cap, which is always lower "
                "(employer NI and holiday pay taken off)",
                words.money(pay),
                words.money(E("cap.pay_rate")),
                E("cap.region"),
                words.role(E("cap.role")),
            ),
        ),
        otherwise=message,
    )
    evidence = {
        **evidence,
        "cap": choose((over, E("cap.pay_rate")), otherwise=evidence["cap"]),
        "cap_field": choose((over, "pay_rate"), otherwise=evidence["cap_field"]),
    }
    return frame, Verdict(outcome, message, {**evidence, "employment_model": model})


def agency_fee_cap(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    return frame, Verdict(
        *_against_cap(E("agency_fee"), "agency_fee", pl.lit("agency_fee"), E("cap.agency_fee"), ctx)
    )


def framework_fee_cap(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """No framework and no framework fee recorded: engaged directly, so there is no framework fee to cap (docs/semantics.md)."""
    outcome, message, evidence = _against_cap(
        E("framework_fee"), "framework_fee", pl.lit("framework_fee"), E("cap.framework_fee"), ctx
    )
    direct = E("framework").is_null() & E("framework_fee").is_null()
    return frame, Verdict(
        choose((direct, NOT_APPLICABLE), otherwise=outcome),
        message,
        {**evidence, "framework": E("framework")},
    )


TEAM_SAFEGUARDS = (
    ("team_workers_identified", "every worker identified and approved by the LA"),
    ("team_costs_itemised", "costs itemised per worker"),
    ("team_la_practice_control", "the LA keeps control of practice"),
)


def project_team(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """An individual engagement meets both regimes' project-team rules; a team member needs the safeguards, where allowed."""
    team = E("engagement_type") == "project_team"
    failed = pl.any_horizontal(~E(name) for name, _ in TEAM_SAFEGUARDS).fill_null(False)
    missing = pl.any_horizontal(E(name).is_null() for name, _ in TEAM_SAFEGUARDS)
    allowed = p["safeguards_allowed"]
    outcome = choose(
        (~team, PASS), (~allowed, BREACH), (failed, BREACH), (missing, UNKNOWN), otherwise=PASS
    )
    message = choose(
        (~allowed, "engaged as a member of a project team, which these rules do not allow"),
        (
            failed,
            pl.lit("project team without: ")
            + pl.concat_str(
                [pl.when(~E(name)).then(pl.lit(text)) for name, text in TEAM_SAFEGUARDS],
                separator="; ",
                ignore_nulls=True,
            ),
        ),
        otherwise=pl.lit("project team: not recorded whether ")
        + pl.concat_str(
            [pl.when(E(name).is_null()).then(pl.lit(name)) for name, _ in TEAM_SAFEGUARDS],
            separator=", ",
            ignore_nulls=True,
        ),
    )
    evidence = {
        "engagement_type": E("engagement_type"),
        **{name: E(name) for name, _ in TEAM_SAFEGUARDS},
    }
    return frame, Verdict(outcome, message, evidence)


def _contract() -> pl.Expr:
    """ "contract SE-FW-2025": findings name an engagement's contract by its reference; its name is in the evidence."""
    return phrase("contract {}", E("contract.reference"))


def _contract_evidence() -> dict[str, pl.Expr]:
    return {
        "framework": E("framework"),
        "contract": E("contract.reference"),
        "contract_name": E("contract.name"),
        "contract_file": E("contract.file"),
    }


def _unlisted() -> pl.Expr:
    """The reason an engagement's contract cannot be looked at: one per framework, so each is listed once in the notices."""
    return phrase("framework '{}' is not among the contracts given", E("framework"))


def _before_term() -> pl.Expr:
    return E("start_date") < E("contract.start")


def _after_term() -> pl.Expr:
    return E("contract.end").is_not_null() & (E("start_date") > E("contract.end"))


def contract_compliant(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """The engagement's contract, checked against the same rules: a term falling short is a breach here too, a silent one unknown."""
    found, outcome_of_contract = E("contract.found"), E("contract.outcome")
    outcome = choose(
        (~found, NOT_EVALUATED),
        (outcome_of_contract == BREACH, BREACH),
        (outcome_of_contract == UNKNOWN, UNKNOWN),
        otherwise=PASS,
    )
    message = choose(
        (~found, _unlisted()),
        (
            outcome_of_contract == BREACH,
            phrase(
                "engaged through {}, which falls short of the rules: {}",
                _contract(),
                E("contract.shortfalls"),
            ),
        ),
        otherwise=phrase(
            "engaged through {}, which is silent on terms the rules need: {}",
            _contract(),
            E("contract.shortfalls"),
        ),
    )
    return frame, Verdict(
        outcome,
        message,
        {
            **_contract_evidence(),
            "contract_outcome": outcome_of_contract,
            "shortfalls": E("contract.shortfalls"),
        },
    )


def contract_term(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """Engaged inside the contract's term, for a council it serves; an open-ended engagement is taken to end with its contract."""
    start, end, first, last = E("start_date"), E("end_date"), E("contract.start"), E("contract.end")
    problems = [
        (
            _before_term(),
            phrase(
                "starts on {}, before the term of {} ({})",
                words.day(start),
                _contract(),
                E("contract.term"),
            ),
        ),
        (
            _after_term(),
            phrase(
                "starts on {}, after the term of {} ended on {}",
                words.day(start),
                _contract(),
                words.day(last),
            ),
        ),
        (
            last.is_not_null() & (start <= last) & (end > last),
            phrase(
                "runs to {}, past the end of the term of {} on {}",
                words.day(end),
                _contract(),
                words.day(last),
            ),
        ),
        (
            ~E("contract.serves"),
            phrase("{} does not serve {}", _contract(), words.la(E("la_code"))),
        ),
    ]
    outside = pl.any_horizontal(condition for condition, _ in problems).fill_null(False)
    outcome = choose((~E("contract.found"), NOT_EVALUATED), (outside, BREACH), otherwise=PASS)
    message = choose(
        (~E("contract.found"), _unlisted()),
        otherwise=pl.concat_str(
            [pl.when(condition).then(text) for condition, text in problems],
            separator="; ",
            ignore_nulls=True,
        ),
    )
    evidence = {
        **_contract_evidence(),
        "start_date": words.iso(start),
        "end_date": words.iso(end),
        "contract_start": words.iso(first),
        "contract_end": words.iso(last),
        "la_code": E("la_code"),
    }
    return frame, Verdict(outcome, message, evidence)


RATE_AMOUNTS = {"pay_rate": "pay", "agency_fee": "agency fee", "framework_fee": "framework fee"}


def contract_rate_card(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """Pay and fees within the contract's own rate line for the engagement's region, role and employment model on its start date."""
    model, found = E("employment_model"), E("rate.found")
    above = [
        (
            E(name) > E("rate." + name),
            phrase(
                "{} of £{} an hour is above the contract's £{}",
                words_of,
                words.money(E(name)),
                words.money(E("rate." + name)),
            ),
        )
        for name, words_of in RATE_AMOUNTS.items()
    ]
    unrecorded = [
        (
            E(name).is_null() & E("rate." + name).is_not_null(),
            phrase(
                "{} is not recorded; the contract's rate is £{}",
                words_of,
                words.money(E("rate." + name)),
            ),
        )
        for name, words_of in RATE_AMOUNTS.items()
    ]
    over = pl.any_horizontal(condition for condition, _ in above).fill_null(False)
    gaps = pl.any_horizontal(condition for condition, _ in unrecorded)
    outside = _before_term() | _after_term()
    outcome = choose(
        (~E("contract.found"), NOT_EVALUATED),
        (outside, NOT_EVALUATED),
        (model.is_null(), UNKNOWN),
        (~found, NOT_EVALUATED),
        (over, BREACH),
        (gaps, UNKNOWN),
        otherwise=PASS,
    )
    line = phrase("{} / {} / {}", E("region"), E("role"), model)
    message = choose(
        (~E("contract.found"), _unlisted()),
        (
            outside,
            phrase(
                "the engagement starts outside the term of {}, so none of its rate lines applies (PROC002 reports the term)",
                _contract(),
            ),
        ),
        (
            model.is_null(),
            phrase(
                "the employment model is not recorded, so which rate line of {} applies cannot be told",
                _contract(),
            ),
        ),
        (
            ~found,
            phrase(
                "{} has no rate line for {} in force on the engagement's start", _contract(), line
            ),
        ),
        (
            over,
            phrase(
                "{} ({} rate line {})",
                pl.concat_str(
                    [pl.when(c).then(t) for c, t in above], separator="; ", ignore_nulls=True
                ),
                _contract(),
                E("rate.line"),
            ),
        ),
        otherwise=phrase(
            "{} ({} rate line {})",
            pl.concat_str(
                [pl.when(c).then(t) for c, t in unrecorded], separator="; ", ignore_nulls=True
            ),
            _contract(),
            E("rate.line"),
        ),
    )
    evidence = {
        **_contract_evidence(),
        "rate_line": E("rate.line"),
        "employment_model": model,
        **{name: E(name) for name in RATE_AMOUNTS},
        **{"contract_" + name: E("rate." + name) for name in RATE_AMOUNTS},
    }
    return frame, Verdict(outcome, message, evidence)


CHECKS: dict[str, CheckKind] = {
    "min_pqe": CheckKind(
        min_pqe,
        {"min_years": NUMBER, "experience_in": ParamType(str, choices=("UK", "England"))},
        ("qualified_date", "pqe_years"),
        clause=clause_terms.binding,
    ),
    "asye_completed": CheckKind(
        asye_completed, reads=("asye_completed", "qualified_date"), clause=clause_terms.binding
    ),
    "cooling_off": CheckKind(
        cooling_off,
        {"months": WHOLE, "exempt_reasons": REASONS},
        ("previous_substantive_la", "previous_substantive_end", "previous_leaving_reason"),
        clause=clause_terms.cooling_off_clause,
    ),
    "notice_period": CheckKind(
        notice_period,
        {"min_weeks": NUMBER, "reciprocal_required": FLAG, "shorter_la_notice_applies": FLAG},
        ("notice_period_weeks", "notice_reciprocal", "la_substantive_notice_weeks"),
        clause=clause_terms.notice_clause,
    ),
    "references": CheckKind(
        references,
        {"min_count": WHOLE},
        ("reference_received", "references_count"),
        clause=clause_terms.references_clause,
    ),
    "standard_reference": CheckKind(
        standard_reference,
        reads=("reference_standard_template", "end_date"),
        clause=clause_terms.standard_reference_clause,
    ),
    "pay_cap": CheckKind(
        pay_cap,
        reads=("pay_rate", "employment_model"),
        clause=clause_terms.pay_cap_clause,
        rate_field="pay_rate",
    ),
    "agency_fee_cap": CheckKind(agency_fee_cap, reads=("agency_fee",), rate_field="agency_fee"),
    "framework_fee_cap": CheckKind(
        framework_fee_cap, reads=("framework", "framework_fee"), rate_field="framework_fee"
    ),
    "project_team": CheckKind(
        project_team,
        {"safeguards_allowed": FLAG},
        (
            "engagement_type",
            "team_workers_identified",
            "team_costs_itemised",
            "team_la_practice_control",
        ),
        clause=clause_terms.project_team_clause,
    ),
    "contract_compliant": CheckKind(
        contract_compliant,
        reads=("framework",),
        needs="contracts",
        no_contract_side="it holds an engagement to its contract; the contract is checked itself",
    ),
    "contract_term": CheckKind(
        contract_term,
        reads=("framework", "end_date"),
        needs="contracts",
        no_contract_side="it holds an engagement's dates to its contract's term",
    ),
    "contract_rate_card": CheckKind(
        contract_rate_card,
        reads=("framework", "employment_model", "pay_rate", "agency_fee", "framework_fee"),
        needs="contracts",
        no_contract_side="it holds an engagement's pay to its contract's rate line",
    ),
}
PARAMETER_WORDS = {  # how messages name each parameter, for readers who never see a rule file
    "min_years": "the minimum years of post-qualified experience",
    "experience_in": "where post-qualified experience counts",
    "months": "the months of cooling-off",
    "exempt_reasons": "the leaving reasons that are exempt",
    "min_weeks": "the minimum notice in weeks",
    "reciprocal_required": "whether notice must bind both sides",
    "shorter_la_notice_applies": "whether the LA's shorter notice is enough",
    "min_count": "the minimum number of references",
    "safeguards_allowed": "whether project teams with safeguards are allowed",
}
CAP_CHECKS = frozenset({"pay_cap", "agency_fee_cap", "framework_fee_cap"})
