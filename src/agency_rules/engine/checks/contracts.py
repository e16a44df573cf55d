"""An engagement held to its contract (PROC001-PROC003): these have no contract side of their own, since they read the contract check."""

from __future__ import annotations

import polars as pl

from ...domain import BREACH, NOT_EVALUATED, PASS, UNKNOWN
from ...messages import phrase
from .. import words
from ..context import Context
from .kind import (
    CheckKind,
    Params,
    Verdict,
    choose,
)

E = pl.col


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


KINDS: dict[str, CheckKind] = {
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
