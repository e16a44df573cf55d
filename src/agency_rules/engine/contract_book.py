"""The contracts given to an engagement check (`--contracts`), as frames an engagement is joined to by its `framework`.

An engagement names its contract by reference, matched without regard to case or surrounding
spaces. Each contract carries its own check's outcome (clauses and rate card against the same
rules), its term, whom it serves, and its rate lines; the rate line of an engagement is the one
for its LA's region, its role and its employment model in force on its start date (a contract
may not hold two such lines for one day, see inputs/contracts.py).

As with caps, the look-ups run once per distinct framework, place, or (contract, region, role,
model, start date), and the engagement frame carries only what outcomes need: the contract's and
the rate line's index, dates, outcome and amounts. `with_contract_words` adds the words (reference,
name, file, term, shortfalls, the rate line) to the rows that are reported.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ..domain import BREACH, UNKNOWN
from ..inputs.contracts import line_words, period_in_words, term_days
from .checked_contract import CheckedContract
from .context import ContractBook

E = pl.col
SHOWN = 3  # shortfalls a finding names before "and N more"
INDEX = pl.UInt32
TERM_SCHEMA: dict[str, Any] = {
    "contract.index": INDEX,
    "contract.key": pl.String,
    "contract.reference": pl.String,
    "contract.name": pl.String,
    "contract.file": pl.String,
    "contract.start": pl.Date,
    "contract.end": pl.Date,
    "contract.term": pl.String,
    "contract.outcome": pl.String,
    "contract.shortfalls": pl.String,
    "contract.councils": pl.List(pl.String),
    "contract.regions": pl.List(pl.String),
}
RATE_SCHEMA: dict[str, Any] = {
    "rate.index": INDEX,
    "contract.index": INDEX,
    "region": pl.String,
    "role": pl.String,
    "employment_model": pl.String,
    "rate.from": pl.Date,
    "rate.to": pl.Date,
    "rate.pay_rate": pl.Float64,
    "rate.agency_fee": pl.Float64,
    "rate.framework_fee": pl.Float64,
    "rate.line": pl.String,
}
TERM_WORDS = (
    "contract.reference",
    "contract.name",
    "contract.file",
    "contract.term",
    "contract.shortfalls",
)
AMOUNTS = ("rate.pay_rate", "rate.agency_fee", "rate.framework_fee")
COMBINATION = ["contract.index", "region", "role", "employment_model", "start_date"]
KEYS = ("framework", "la_code", "region", "role", "employment_model")


def reference_key(reference: pl.Expr) -> pl.Expr:
    """`Contract.key` of a framework column."""
    return reference.str.strip_chars().str.to_lowercase()


def contract_book(checked: list[CheckedContract]) -> ContractBook:
    """The checked contracts as the frames an engagement check joins to."""
    terms = [
        {
            "contract.index": number,
            "contract.key": c.contract.key,
            "contract.reference": c.contract.reference,
            "contract.name": c.contract.name,
            "contract.file": c.path,
            "contract.start": c.contract.start,
            "contract.end": c.contract.end,
            "contract.term": c.term,
            "contract.outcome": c.outcome(),
            "contract.shortfalls": _shortfalls(c),
            "contract.councils": c.contract.councils,
            "contract.regions": c.contract.regions,
        }
        for number, c in enumerate(checked)
    ]
    lines = [
        (number, line, *term_days(c.contract, line))
        for number, c in enumerate(checked)
        for line in c.data.rate
    ]
    rates = [
        {
            "rate.index": index,
            "contract.index": number,
            "region": line.region,
            "role": line.role,
            "employment_model": line.employment_model,
            "rate.from": first,
            "rate.to": last,
            "rate.pay_rate": line.pay_rate,
            "rate.agency_fee": line.agency_fee,
            "rate.framework_fee": line.framework_fee,
            "rate.line": f"{line_words(line)}, {period_in_words(first, last)}",
        }
        for index, (number, line, first, last) in enumerate(lines)
    ]
    return ContractBook(
        pl.DataFrame(terms, schema=TERM_SCHEMA), pl.DataFrame(rates, schema=RATE_SCHEMA)
    )


def _shortfalls(checked: CheckedContract) -> str:
    """The terms behind the contract's outcome, in its check's words: the first few, then how many more."""
    outcome = checked.outcome()
    rules: dict[
        tuple[str, str], list[str]
    ] = {}  # one term that two rules need (binding the supplier: PQE001 and ASYE001) is named once
    for f in checked.findings:
        if f.outcome == outcome and outcome in (BREACH, UNKNOWN):
            rules.setdefault((f.item, f.message), []).append(f.rule_id)
    items = [
        f"{item} ({', '.join(dict.fromkeys(ids))}): {message}"
        for (item, message), ids in rules.items()
    ]
    more = (
        f"; and {len(items) - SHOWN} more (agency-check contract lists every one)"
        if len(items) > SHOWN
        else ""
    )
    return "; ".join(items[:SHOWN]) + more


def with_contracts(frame: pl.LazyFrame, book: ContractBook) -> pl.LazyFrame:
    """Adds `contract.found`, `contract.serves`, `contract.index`, the term's days and the contract's outcome; `rate.found`, `rate.index` and
    the rate line's amounts."""
    terms = book.terms.lazy()
    keyed = frame.select(  # joined on as categories: a million rows' text, copied by each join, cost 0.2 s and 100 MiB
        "__i", *(E(c).cast(pl.String).cast(pl.Categorical) for c in KEYS), "start_date"
    )
    named = (
        keyed.select("framework")
        .unique()
        .drop_nulls()
        .with_columns(reference_key(E("framework").cast(pl.String)).alias("contract.key"))
        .join(
            terms.select(
                "contract.key",
                "contract.index",
                "contract.start",
                "contract.end",
                "contract.outcome",
            ),
            on="contract.key",
        )
        .drop("contract.key")
    )
    keyed = keyed.join(named, on="framework", how="left")
    served = (
        keyed.select("contract.index", "la_code", "region")
        .unique()
        .drop_nulls("contract.index")
        .join(
            terms.select("contract.index", "contract.councils", "contract.regions"),
            on="contract.index",
        )
        .select(
            "contract.index",
            "la_code",
            (
                E("contract.councils").list.contains(E("la_code").cast(pl.String))
                | E("contract.regions").list.contains(E("region").cast(pl.String))
            ).alias("contract.serves"),
        )
    )
    in_force = (E("rate.from") <= E("start_date")) & (
        E("rate.to").is_null() | (E("start_date") <= E("rate.to"))
    )
    line = (
        keyed.select(COMBINATION)
        .unique()
        .drop_nulls("contract.index")
        .join(
            book.rates.lazy()
            .drop("rate.line")
            .with_columns(E(c).cast(pl.Categorical) for c in COMBINATION[1:-1]),
            on=COMBINATION[:-1],
        )
        .filter(in_force)
        .select(*COMBINATION, "rate.index", *AMOUNTS)
    )
    attached = (
        keyed.join(served, on=["contract.index", "la_code"], how="left")
        .join(line, on=COMBINATION, how="left")
        .sort("__i")
        .select(
            E("contract.index").is_not_null().alias("contract.found"),
            E("contract.serves").fill_null(False),
            "contract.index",
            "contract.start",
            "contract.end",
            "contract.outcome",
            E("rate.index").is_not_null().alias("rate.found"),
            "rate.index",
            *AMOUNTS,
        )
    )
    return pl.concat([frame, attached], how="horizontal")


def with_contract_words(frame: pl.LazyFrame, book: ContractBook) -> pl.LazyFrame:
    """The contract's reference, name, file, term and shortfalls, and the rate line in words, for messages and evidence."""
    return frame.join(
        book.terms.lazy().select("contract.index", *TERM_WORDS), on="contract.index", how="left"
    ).join(book.rates.lazy().select("rate.index", "rate.line"), on="rate.index", how="left")
