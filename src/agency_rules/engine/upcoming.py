"""What comes next without new data: dated events from the reference day to `horizon` days after it (both included),
soonest first.

- `waiver_expiring`: a waiver that counts today expires, and the engagement runs past its expiry;
- `cap_changing`: a cap table's next entry for a running engagement's region (else national) and role starts, with
  whether its pay is above the new cap (it stays judged against the cap in force on its start day, unless a caps
  file's `existing_from` reaches it);
- `statutory_rules_apply`: a legacy engagement (offered before the statutory rules) still running on the day full
  compliance begins comes under them;
- `cooling_off_closing`: the cooling-off window an engagement breaches closes: a start on that day would not breach.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ..domain import BREACH
from ..inputs.caps import CapTable
from ..messages import phrase
from ..regions import NATIONAL
from .rulebook import Applicability
from .words import day, money, role

E = pl.col

UPCOMING_SCHEMA = pl.Schema(
    {
        "date": pl.Date,
        "kind": pl.String,
        "engagement_id": pl.String,
        "rule_id": pl.String,
        "message": pl.String,
        "file": pl.String,
        "__i": pl.UInt32,
    }
)


def _running_on(when: pl.Expr) -> pl.Expr:
    return (E("start_date") < when) & (E("end_date").is_null() | (E("end_date") >= when))


def _events(
    rows: pl.DataFrame, when: pl.Expr, kind: str, rule_id: str | None, message: pl.Expr
) -> pl.DataFrame:
    """Rows as events: the day, the kind, the engagement, the rule and the words, in UPCOMING_SCHEMA's columns."""
    return rows.select(
        when.alias("date"),
        pl.lit(kind).alias("kind"),
        "engagement_id",
        pl.lit(rule_id, pl.String).alias("rule_id"),
        message.alias("message"),
        "file",
        "__i",
    )


def waivers_expiring(
    done: pl.DataFrame, rule_id: str, words: pl.DataFrame, first: date, last: date
) -> pl.DataFrame:
    """`done`: the engagements the rule's waiver waives; `words`: its sign-offs per engagement (`counts`, `expires_on`
    of the waiver cited)."""
    expires = E("expires_on")
    rows = done.join(words.filter(E("counts") & expires.is_not_null()), on="__i").filter(
        expires.is_between(first, last) & (E("end_date").is_null() | (E("end_date") > expires))
    )
    message = phrase(
        "the waiver of {} for this engagement expires on {}; from the next day its breach stands "
        "unless the waiver is renewed",
        pl.lit(rule_id),
        day(expires),
    )
    return _events(rows, expires, "waiver_expiring", rule_id, message)


def caps_changing(
    done: pl.DataFrame, caps: CapTable, rule_id: str, first: date, last: date
) -> pl.DataFrame:
    """Each cap entry starting inside the window, against the engagements of its region (else national) and role
    running into it."""
    table = caps.periods()
    starting = table.filter(E("first").is_between(first, last)).select(
        "region",
        "role",
        "first",
        E("cap.pay_rate").alias("next.pay"),
        E("cap.pay_rate_paye").alias("next.paye"),
    )
    if starting.is_empty():
        return pl.DataFrame(schema=UPCOMING_SCHEMA)
    regional = table.select("region", "role").unique().with_columns(pl.lit(True).alias("__own"))
    rows = (
        done.join(regional, on=["region", "role"], how="left")
        .with_columns(
            pl.when(E("__own")).then(E("region")).otherwise(pl.lit(NATIONAL)).alias("cap_region")
        )
        .join(starting.rename({"region": "cap_region"}), on=["cap_region", "role"])
        .filter(_running_on(E("first")))
    )
    paye = (E("employment_model") == "paye") & E("next.paye").is_not_null()
    limit = pl.when(paye).then(E("next.paye")).otherwise(E("next.pay"))
    compared = (
        pl.when(E("pay_rate").is_null() | limit.is_null())
        .then(pl.lit(""))
        .when(E("pay_rate") > limit)
        .then(phrase("; this engagement's pay of £{} is above it", money(E("pay_rate"))))
        .when((E("employment_model") == "paye") & E("next.paye").is_null())
        .then(
            pl.lit("")
        )  # PAYE pay within the umbrella cap, and no PAYE cap: not known (docs/semantics.md)
        .otherwise(phrase("; this engagement's pay of £{} is within it", money(E("pay_rate"))))
    )
    message = phrase(
        "on {} the pay cap for a {} ({}) becomes {}{}; a running engagement stays judged against "
        "the cap in force on its start day unless a caps file's existing_from reaches it",
        day(E("first")),
        role(E("role")),
        E("cap_region"),
        pl.when(limit.is_null()).then(pl.lit("uncapped")).otherwise(phrase("£{}", money(limit))),
        compared,
    )
    return _events(rows, E("first"), "cap_changing", rule_id, message)


def statutory_rules_apply(
    done: pl.DataFrame, applicability: Applicability | None, first: date, last: date
) -> pl.DataFrame:
    if applicability is None or not first <= applicability.legacy_running_on <= last:
        return pl.DataFrame(schema=UPCOMING_SCHEMA)
    on = applicability.legacy_running_on
    offered = pl.coalesce(E("offer_date"), E("start_date"))
    rows = done.filter(
        (offered < applicability.new_offered_from)
        & (E("end_date").is_null() | (E("end_date") >= on))
    )
    message = phrase(
        "on {} full compliance begins: this legacy engagement (offered on {}) must meet the "
        "statutory rules from that day, as it is recorded as still running then (the check "
        "already holds it to them)",
        on.strftime("%-d %b %Y"),
        day(offered),
    )
    return _events(rows, pl.lit(on), "statutory_rules_apply", None, message)


def cooling_off_closing(
    done: pl.DataFrame, rule_id: str, allowed_from: pl.Expr, first: date, last: date
) -> pl.DataFrame:
    """`allowed_from`: the rule's evidence expression for the first day a start would not breach (ISO text)."""
    outcome = E(f"{rule_id}.outcome")
    rows = done.filter(outcome == BREACH).with_columns(
        allowed_from.str.to_date(strict=False).alias("__allowed")
    )
    message = phrase(
        "the cooling-off window this engagement breaches closes on {}: a start on that day or "
        "later would not breach {}",
        day(E("__allowed")),
        pl.lit(rule_id),
    )
    return _events(
        rows.filter(E("__allowed").is_between(first, last)),
        E("__allowed"),
        "cooling_off_closing",
        rule_id,
        message,
    )
