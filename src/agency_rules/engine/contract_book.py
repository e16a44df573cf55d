"""The contracts given to an engagement check (`--contracts`), as frames an engagement is joined to by its `framework`.

An engagement names its contract by reference, matched without regard to case or surrounding
spaces. Each contract carries its own check's outcome (clauses and rate card against the same
rules), its term, whom it serves, and its rate lines; the rate line of an engagement is the one
for its LA's region, its role and its employment model in force on its start date (a contract
may not hold two such lines for one day, see inputs/contracts.py).
"""

from __future__ import annotations

import polars as pl

from ..inputs.contracts import line_words, period_in_words, term_days
from ..terms import BREACH, UNKNOWN
from .clauses import CheckedContract
from .context import ContractBook

E = pl.col
SHOWN = 3  # shortfalls a finding names before "and N more"
TERM_SCHEMA = {
    "contract.key": pl.String, "contract.reference": pl.String, "contract.name": pl.String, "contract.file": pl.String,
    "contract.start": pl.Date, "contract.end": pl.Date, "contract.term": pl.String, "contract.outcome": pl.String,
    "contract.shortfalls": pl.String, "contract.councils": pl.List(pl.String), "contract.regions": pl.List(pl.String),
}
RATE_SCHEMA = {
    "contract.key": pl.String, "region": pl.String, "role": pl.String, "employment_model": pl.String, "rate.from": pl.Date, "rate.to": pl.Date,
    "rate.pay_rate": pl.Float64, "rate.agency_fee": pl.Float64, "rate.framework_fee": pl.Float64, "rate.line": pl.String,
}
ATTACHED = [name for name in TERM_SCHEMA if name != "contract.key"] + [name for name in RATE_SCHEMA if name.startswith("rate.")]


def reference_key(reference: pl.Expr) -> pl.Expr:
    return reference.str.strip_chars().str.to_lowercase()


def contract_book(checked: list[CheckedContract]) -> ContractBook:
    """The checked contracts as the frames an engagement check joins to."""
    terms = [
        {
            "contract.key": c.contract.reference.strip().lower(), "contract.reference": c.contract.reference, "contract.name": c.contract.name,
            "contract.file": c.path, "contract.start": c.contract.start, "contract.end": c.contract.end, "contract.term": c.term,
            "contract.outcome": c.outcome(), "contract.shortfalls": _shortfalls(c), "contract.councils": c.contract.councils,
            "contract.regions": c.contract.regions,
        }
        for c in checked
    ]
    rates = [
        {
            "contract.key": c.contract.reference.strip().lower(), "region": line.region, "role": line.role, "employment_model": line.employment_model,
            "rate.from": term_days(c.contract, line)[0], "rate.to": term_days(c.contract, line)[1], "rate.pay_rate": line.pay_rate,
            "rate.agency_fee": line.agency_fee, "rate.framework_fee": line.framework_fee,
            "rate.line": f"{line_words(line)}, {period_in_words(*term_days(c.contract, line))}",
        }
        for c in checked for line in c.data.rate
    ]
    return ContractBook(pl.DataFrame(terms, schema=TERM_SCHEMA), pl.DataFrame(rates, schema=RATE_SCHEMA))


def _shortfalls(checked: CheckedContract) -> str:
    """The terms behind the contract's outcome, in its check's words: the first few, then how many more."""
    outcome = checked.outcome()
    items = [f"{f.item} ({f.rule_id}): {f.message}" for f in checked.findings if f.outcome == outcome and outcome in (BREACH, UNKNOWN)]
    more = f"; and {len(items) - SHOWN} more (agency-check contract lists every one)" if len(items) > SHOWN else ""
    return "; ".join(items[:SHOWN]) + more


def with_contracts(frame: pl.LazyFrame, book: ContractBook) -> pl.LazyFrame:
    """Adds each engagement's contract (`contract.found` and its term, outcome and whom it serves) and its rate line (`rate.found` and the rates)."""
    keyed = frame.select("__i", reference_key(E("framework")).alias("contract.key"), "la_code", "region", "role", "employment_model", "start_date")
    in_force = (E("rate.from") <= E("start_date")) & (E("rate.to").is_null() | (E("start_date") <= E("rate.to")))
    line = keyed.join(book.rates.lazy(), on=["contract.key", "region", "role", "employment_model"]).filter(in_force).unique("__i")
    attached = (
        keyed.join(book.terms.lazy(), on="contract.key", how="left")
        .join(line.select("__i", *(name for name in RATE_SCHEMA if name.startswith("rate."))), on="__i", how="left")
        .sort("__i")
        .select(
            E("contract.reference").is_not_null().alias("contract.found"),
            (E("contract.councils").list.contains(E("la_code")) | E("contract.regions").list.contains(E("region"))).alias("contract.serves"),
            E("rate.line").is_not_null().alias("rate.found"),
            *ATTACHED,
        )
    )
    return pl.concat([frame, attached], how="horizontal")
