"""Waivers and explanations matched to engagements, and whether each waiver counts on the run's reference day.

An entry matches an engagement when every selector it gives equals the engagement's value (agencies and frameworks in
any case). A waiver counts for its rule's breach only if the rule names approvers and the waiver has them all, it was
approved on or before the reference day, and it has not expired: the reference day is on or before `expires_on`, or
the engagement ended on or before it. Of several waivers that count, the latest approved is cited; where none
counts, the breach stands and the first that matched says why not. Matching is a join per set of selectors given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import polars as pl

from ..domain import APPROVER_WORDS
from ..inputs.waivers import SignOffs, Waiver, missing_approvals
from ..messages import phrase

E = pl.col
ENTRY = "__entry"
_ANY_CASE = ("agency", "framework")


@dataclass(frozen=True)
class Matched:
    """What the sign-offs do in one run: per rule, the engagements (`__i`) a waiver waives, and the words its findings
    gain; the entries that match no engagement, and those whose rule is not in the run."""

    waived: dict[str, pl.Series]
    words: dict[
        str, pl.DataFrame
    ]  # __i, waiver_message, waiver_evidence, explained_message, explained_evidence
    unmatched: list[int]
    no_rule: list[int]


NOTHING = Matched({}, {}, [], [])


def _key(column: str) -> pl.Expr:
    return E(column).str.to_lowercase() if column in _ANY_CASE else E(column)


def _matches(engagements: pl.DataFrame, keys: list[dict[str, str]]) -> pl.DataFrame:
    """(__i, entry) for every engagement each entry selects: one join for each set of selectors given."""
    shapes: dict[tuple[str, ...], list[int]] = {}
    for index, key in enumerate(keys):
        shapes.setdefault(tuple(sorted(key)), []).append(index)
    parts = []
    for shape, entries in shapes.items():
        wanted = pl.DataFrame(
            {
                **{name: [keys[i][name] for i in entries] for name in shape},
                ENTRY: entries,
            },
            schema={**{name: pl.String for name in shape}, ENTRY: pl.Int64},
        ).with_columns(_key(name) for name in shape)
        side = engagements.select("__i", *(_key(name) for name in shape))
        parts.append(side.join(wanted, on=list(shape), how="inner").select("__i", ENTRY))
    if not parts:
        return pl.DataFrame(schema={"__i": pl.UInt32, ENTRY: pl.Int64})
    return pl.concat(parts)


def _day(value: date | None) -> str:
    return value.strftime("%-d %b %Y") if value else ""


def _waiver_table(waivers: list[tuple[int, Waiver]], approvers: list[str]) -> pl.DataFrame:
    """One row per waiver of a rule: its dates, what approval it lacks (in words), and its record for the evidence."""
    rows = []
    for entry, waiver in waivers:
        missing = missing_approvals(waiver, approvers)
        lacking = (
            "this rule cannot be waived"
            if not approvers
            else "it lacks approval by "
            + " and ".join(APPROVER_WORDS.get(m, m.replace("_", " ")) for m in missing)
            + f" (it names {', '.join(waiver.approved_by)}; the rule's approvers are "
            + f"{', '.join(approvers)})"
            if missing
            else None
        )
        record = {
            "approved_by": waiver.approved_by,
            "approved_on": waiver.approved_on.isoformat(),
            "expires_on": waiver.expires_on.isoformat() if waiver.expires_on else None,
            "reason": waiver.reason,
            "reference": waiver.reference,
        }
        rows.append(
            {
                ENTRY: entry,
                "approved_on": waiver.approved_on,
                "expires_on": waiver.expires_on,
                "lacking": lacking,
                "missing": json.dumps([m for m in missing if approvers]),
                "record": json.dumps(record, ensure_ascii=False)[:-1],
                "signed": (
                    f"; waived on {_day(waiver.approved_on)} by {', '.join(waiver.approved_by.values())}"
                    + (f" (until {_day(waiver.expires_on)})" if waiver.expires_on else "")
                ),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            ENTRY: pl.Int64,
            "approved_on": pl.Date,
            "expires_on": pl.Date,
            "lacking": pl.String,
            "missing": pl.String,
            "record": pl.String,
            "signed": pl.String,
        },
    )


def _waiver_words(
    matches: pl.DataFrame,
    engagements: pl.DataFrame,
    waivers: list[tuple[int, Waiver]],
    approvers: list[str],
    day: date,
) -> pl.DataFrame:
    """Per engagement a rule's waivers match: whether one counts, and the words and evidence of the one cited."""
    judged = pl.lit(day, pl.Date)
    ended = E("end_date")
    why = (
        pl.when(E("lacking").is_not_null())
        .then(E("lacking"))
        .when(E("approved_on") > judged)
        .then(
            phrase(
                "it was approved only on {}, after {}, the day this run judges waivers on",
                E("approved_on").dt.to_string("%-d %b %Y"),
                _day(day),
            )
        )
        .when(
            E("expires_on").is_not_null()
            & (E("expires_on") < judged)
            & (ended.is_null() | (ended > E("expires_on")))
        )
        .then(
            phrase(
                "it expired on {} (judged on {}) and the engagement {}",
                E("expires_on").dt.to_string("%-d %b %Y"),
                _day(day),
                pl.when(ended.is_null())
                .then(pl.lit("is still running"))
                .otherwise(phrase("ends after it, on {}", ended.dt.to_string("%-d %b %Y"))),
            )
        )
    )
    judged_rows = (
        matches.join(_waiver_table(waivers, approvers), on=ENTRY)
        .join(engagements.select("__i", "end_date"), on="__i")
        .with_columns(why.alias("why"))
        .with_columns(E("why").is_null().alias("counts"))
        .sort("__i", "counts", "approved_on", ENTRY, descending=[False, True, True, False])
        .group_by("__i", maintain_order=True)
        .first()
    )
    return judged_rows.select(
        "__i",
        "counts",
        "expires_on",
        pl.when(E("counts"))
        .then(E("signed"))
        .otherwise(phrase("; the waiver on file does not count: {}", E("why")))
        .alias("waiver_message"),
        pl.when(E("counts"))
        .then(phrase(',"waiver":{},"judged_on":"{}"}', E("record"), pl.lit(day.isoformat())))
        .otherwise(
            phrase(
                ',"waiver_not_valid":{},"missing_approval":{},"why":{},"judged_on":"{}"}',
                E("record"),
                E("missing"),
                pl.concat_str(
                    pl.lit('"'), E("why").str.replace_all('"', "'", literal=True), pl.lit('"')
                ),
                pl.lit(day.isoformat()),
            )
        )
        .alias("waiver_evidence"),
    )


def _explained_words(matches: pl.DataFrame, texts: dict[int, str]) -> pl.DataFrame:
    """Per engagement a rule's explanations match: their texts, in the message and in the evidence."""
    table = pl.DataFrame(
        {
            ENTRY: list(texts),
            "text": list(texts.values()),
            "json": [json.dumps(text, ensure_ascii=False) for text in texts.values()],
        },
        schema={ENTRY: pl.Int64, "text": pl.String, "json": pl.String},
    )
    return (
        matches.join(table, on=ENTRY)
        .sort("__i", ENTRY)
        .group_by("__i", maintain_order=True)
        .agg(
            phrase("; explained: {}", E("text").str.join("; ")).alias("explained_message"),
            phrase(',"explanations":[{}]', E("json").str.join(",")).alias("explained_evidence"),
        )
    )


def match_sign_offs(
    engagements: pl.DataFrame,
    sign_offs: SignOffs,
    approvers: dict[str, list[str]],
    day: date,
) -> Matched:
    """The sign-offs over every valid engagement of the run (`__i`, the selectors' columns and `end_date`); `approvers`
    names each rule of the run and the approvers it requires; `day` is the reference day waivers are judged on."""
    entries = [*sign_offs.waivers, *sign_offs.explanations]
    if not entries:
        return NOTHING
    matches = _matches(engagements, sign_offs.keys)
    matched = set(matches[ENTRY].unique().to_list())
    waived: dict[str, pl.Series] = {}
    words: dict[str, pl.DataFrame] = {}
    for rule_id, needed in approvers.items():
        waivers = [(i, w) for i, w in enumerate(sign_offs.waivers) if w.rule_id == rule_id]
        texts = {
            len(sign_offs.waivers) + i: e.text
            for i, e in enumerate(sign_offs.explanations)
            if e.rule_id == rule_id
        }
        own = matches.filter(E(ENTRY).is_in([*(i for i, _ in waivers), *texts]))
        if own.is_empty():
            continue
        signed = (
            _waiver_words(own, engagements, waivers, needed, day)
            if waivers
            else pl.DataFrame(
                schema={"__i": pl.UInt32, "counts": pl.Boolean, "expires_on": pl.Date}
            )
        )
        waived[rule_id] = signed.filter(E("counts"))["__i"]
        frame = signed
        if texts:
            frame = frame.join(_explained_words(own, texts), on="__i", how="full", coalesce=True)
        words[rule_id] = frame.with_columns(
            E(name).fill_null("")
            for name in (
                "waiver_message",
                "waiver_evidence",
                "explained_message",
                "explained_evidence",
            )
            if name in frame.columns
        )
    return Matched(
        waived,
        {
            rule: frame.with_columns(
                pl.lit("").alias(name)
                for name in (
                    "waiver_message",
                    "waiver_evidence",
                    "explained_message",
                    "explained_evidence",
                )
                if name not in frame.columns
            )
            for rule, frame in words.items()
        },
        [i for i in range(len(entries)) if i not in matched],
        [i for i, entry in enumerate(entries) if entry.rule_id not in approvers],
    )
