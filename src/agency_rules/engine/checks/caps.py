"""Price caps on pay, agency fee and framework fee (CAP001-CAP003): engagements and rate lines are judged by these same expressions; the pay cap's clause is that expenses do not take pay past it."""

from __future__ import annotations

from typing import Any

import polars as pl

from ...domain import BREACH, NOT_APPLICABLE, NOT_EVALUATED, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ...messages import phrase
from .. import words
from ..context import Context
from .kind import (
    CheckKind,
    ClauseVerdict,
    Params,
    Verdict,
    choose,
    yes_no_clause,
)

E = pl.col


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
                "no caps file was given, so no cap can be checked (--caps FILE with your region's agreed table; --caps london-2016 is the shipped table, for London councils only)"
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


def pay_cap_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, ClauseVerdict]]:
    """Beside the rate card: expenses may not take pay past a cap."""
    return [
        yes_no_clause(
            "expenses_not_to_exceed_cap",
            clauses.expenses_not_to_exceed_cap,
            "expenses are not used to take pay past a cap",
        )
    ]


KINDS: dict[str, CheckKind] = {
    "pay_cap": CheckKind(
        pay_cap,
        reads=("pay_rate", "employment_model"),
        clause=pay_cap_clause,
        clause_keys=("expenses_not_to_exceed_cap",),
        rate_field="pay_rate",
    ),
    "agency_fee_cap": CheckKind(agency_fee_cap, reads=("agency_fee",), rate_field="agency_fee"),
    "framework_fee_cap": CheckKind(
        framework_fee_cap, reads=("framework", "framework_fee"), rate_field="framework_fee"
    ),
}
