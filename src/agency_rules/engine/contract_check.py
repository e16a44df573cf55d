"""A contract checked against the same rules, parameters and caps as the engagements: its clauses and its rate card.

Each rule's check names the clause that must carry it (`CheckKind.clause`, beside the engagement
checks.py): the rule's parameters in force, in each region the contract serves and on each day of
its term where they change, say what the clause must at least require. A clause the contract is
silent on is `unknown`; a rule with no value in force is `not_evaluated`. Each rate line is held
against every cap entry in force during its period, both sides of a change; days no cap covers are
`not_evaluated`, never a pass.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import polars as pl

from ..domain import APPROVER_WORDS, BREACH, NOT_APPLICABLE, NOT_EVALUATED, PASS, UNKNOWN
from ..inputs.caps import CapTable
from ..inputs.contracts import (
    Clauses,
    ContractFile,
    RateLine,
    contract_files,
    line_words,
    load_contract,
    period_in_words,
    term_days,
)
from ..inputs.files import InputError, digest
from ..regions import NATIONAL, region_by_code
from .checked_contract import CheckedContract, ClauseFinding
from .checks import CHECKS
from .checks.kind import ClauseVerdict, yes_no_clause
from .context import Context
from .evaluation import Engine, Selection
from .parameters import change_days, layers_of, resolve
from .rulebook import Overlay, Ruleset, RuleSpec, rules_in_run, shipped_overlays


def check_contracts(
    paths: list[Path], ruleset: Ruleset, overlays: list[Overlay], caps: CapTable
) -> list[CheckedContract]:
    """Each contract file named (a folder gives its *.toml files), checked; two contracts with one reference are refused."""
    checked: list[CheckedContract] = []
    regional, chosen = shipped_overlays(), {o.overlay.id for o in overlays}
    for path in contract_files(paths):
        data = load_contract(path)
        same = next(
            (
                c
                for c in checked
                if c.contract.reference.strip().casefold()
                == data.contract.reference.strip().casefold()
            ),
            None,
        )
        if same is not None:
            raise InputError(
                f"{path}: reference {data.contract.reference!r} is also the reference of {same.path}; "
                "engagements name their contract by reference, so each contract needs its own"
            )
        missing = tuple(
            sorted({regional[r] for r in regions_served(data) if r in regional} - chosen)
        )
        checked.append(
            CheckedContract(
                str(path),
                digest(path),
                data,
                check_contract(data, ruleset, overlays, caps),
                missing,
            )
        )
    return checked


def regions_served(contract: ContractFile) -> list[str]:
    codes = region_by_code()
    return sorted({*contract.contract.regions, *(codes[c] for c in contract.contract.councils)})


def check_contract(
    contract: ContractFile, ruleset: Ruleset, overlays: list[Overlay], caps: CapTable
) -> list[ClauseFinding]:
    """Every requirement of every rule, in each region served and on each day of the term where a value changes, once per distinct result."""
    floor = ruleset.ruleset.effective_from
    start, end = contract.contract.start, contract.contract.end
    rules = rules_in_run(ruleset, overlays)
    found: dict[tuple, ClauseFinding] = {}
    for spec, origin, only in rules:
        layers = layers_of(spec, origin, overlays if only is None else [])
        days = sorted(
            {
                max(start, floor),
                *(
                    d
                    for d in change_days(layers, floor)
                    if start <= d and (end is None or d <= end)
                ),
            }
        )
        for region in regions_served(contract):
            if only is not None and region != only:
                continue
            for day in days:
                for item, verdict in _clause_verdicts(
                    spec, layers, contract.clauses, day, region, floor
                ):
                    outcome, message, evidence = verdict
                    key = (spec.id, item, outcome, message)
                    if key not in found:
                        found[key] = ClauseFinding(
                            spec.id,
                            f"clause {item}",
                            outcome,
                            message,
                            {**evidence, "region": region, "in_force_on": day.isoformat()},
                        )
    for finding in _rate_lines(
        contract,
        ruleset,
        overlays,
        caps,
        [spec for spec, _, _ in rules if CHECKS[spec.check].rate_field],
    ):
        found.setdefault(
            (
                finding.rule_id,
                finding.item,
                finding.outcome,
                finding.message,
                finding.evidence.get("from"),
            ),
            finding,
        )
    if ruleset_approvers := sorted({a for spec, _, _ in rules for a in spec.waiver_approvers}):
        signed = contract.clauses.cap_breach_sign_off
        outcome = (
            UNKNOWN if signed is None else PASS if set(ruleset_approvers) <= set(signed) else BREACH
        )
        needed = " and ".join(APPROVER_WORDS.get(a, a) for a in ruleset_approvers)
        message = (
            f"a price above a cap needs sign-off by {needed}; the contract names {' and '.join(APPROVER_WORDS.get(a, a) for a in signed) or 'no one'}"
            if signed is not None
            else f"the contract does not say who signs off a price above a cap; the rules need {needed}"
        )
        found[("CAP001", "sign-off")] = ClauseFinding(
            "CAP001",
            "clause cap_breach_sign_off",
            outcome,
            message,
            {"cap_breach_sign_off": signed, "approvers": ruleset_approvers},
        )
    carried_by = next(
        (r.id for r in ruleset.rule if r.check == "contract_compliant"), "procurement"
    )
    clause, (outcome, message, evidence) = yes_no_clause(
        "quarterly_data_shared",
        contract.clauses.quarterly_data_shared,
        "the supplier shares the data for the quarterly return with the council",
    )
    found[("procurement", "quarterly")] = ClauseFinding(
        carried_by, f"clause {clause}", outcome, message, evidence
    )
    return list(found.values())


def _clause_verdicts(
    spec: RuleSpec, layers, clauses: Clauses, day: date, region: str, floor: date
) -> list[tuple[str, ClauseVerdict]]:
    resolution = resolve(layers, day, region, floor)
    if resolution.missing is not None:
        why = f" ({resolution.unset})" if resolution.unset else ""
        return [
            (
                "(the rule sets no figure)",
                (
                    NOT_EVALUATED,
                    f"no value of {resolution.missing} is in force on {day:%-d %b %Y}{why}",
                    {},
                ),
            )
        ]
    clause = CHECKS[spec.check].clause
    return clause(clauses, dict(resolution.values)) if clause else []


def _segments(
    first: date,
    last: date | None,
    line: RateLine,
    caps: CapTable,
    ruleset: Ruleset,
    specs: list[RuleSpec],
) -> list[tuple[date, date | None]]:
    """The line's days split wherever the answer may change: a cap entry's start, end or existing_from, a rule's scope day, the regime's days."""
    days = {first}
    for place in (line.region, NATIONAL):
        for entry in caps.entries_for(place, line.role):
            days |= {
                entry.effective_from,
                *([entry.effective_to + timedelta(days=1)] if entry.effective_to else []),
                *([entry.existing_from] if entry.existing_from else []),
            }
    days |= {spec.applies.started_on_or_after for spec in specs if spec.applies.started_on_or_after}
    if ruleset.ruleset.applicability:
        days |= {
            ruleset.ruleset.applicability.new_offered_from,
            ruleset.ruleset.applicability.legacy_running_on,
        }
    starts = sorted(d for d in days if first <= d and (last is None or d <= last))
    return [
        (since, until - timedelta(days=1) if until else last)
        for since, until in zip(starts, [*starts[1:], None])
    ]


def _rate_lines(
    contract: ContractFile,
    ruleset: Ruleset,
    overlays: list[Overlay],
    caps: CapTable,
    specs: list[RuleSpec],
) -> list[ClauseFinding]:
    """Each rate line judged by the engagement engine, as an engagement starting on each day it covers: the same cap for the
    region, role, model and day, the same date scope and regime, so a line and an engagement paid its amount get one answer.
    Days a rule does not reach are not_applicable; days no cap covers are not_evaluated, never a pass."""
    rows: list[dict[str, Any]] = []
    lines: list[tuple[int, date, date | None]] = []
    for number, line in enumerate(contract.rate):
        first, last = term_days(contract.contract, line)
        for since, until in _segments(first, last, line, caps, ruleset, specs):
            rows.append(
                {
                    "engagement_id": str(len(rows)),
                    "region": line.region,
                    "role": line.role,
                    "start_date": since,
                    "end_date": since,
                    "offer_date": None,
                    "employment_model": line.employment_model,
                    "framework": contract.contract.reference,
                    "pay_rate": line.pay_rate,
                    "agency_fee": line.agency_fee,
                    "framework_fee": line.framework_fee,
                }
            )
            lines.append((number, since, until))
    if not rows:
        return []
    frame = pl.DataFrame(
        rows,
        schema={
            "engagement_id": pl.String,
            "region": pl.String,
            "role": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
            "offer_date": pl.Date,
            "employment_model": pl.String,
            "framework": pl.String,
            "pay_rate": pl.Float64,
            "agency_fee": pl.Float64,
            "framework_fee": pl.Float64,
        },
    )
    engine = Engine(
        ruleset, overlays, Context(caps), selection=Selection(tuple(spec.id for spec in specs))
    )
    judged = engine.judge(frame).sort("rule_id", "__i")
    merged: list[
        list[Any]
    ] = []  # [rule, line, since, until, outcome, message, evidence]: consecutive days with one answer, once
    for index, rule_id, outcome, message, evidence in judged.select(
        "__i", "rule_id", "outcome", "message", "evidence"
    ).iter_rows():
        number, since, until = lines[index]
        previous = merged[-1] if merged else None
        if (
            previous
            and previous[:2] == [rule_id, number]
            and previous[4:6] == [outcome, message]
            and previous[3] is not None
            and previous[3] + timedelta(days=1) == since
        ):
            previous[3] = until
        else:
            merged.append([rule_id, number, since, until, outcome, message, evidence])
    by_id = {spec.id: spec for spec in specs}
    found = []
    for rule_id, number, since, until, outcome, message, evidence in merged:
        line = contract.rate[number]
        field_name = cast(str, CHECKS[by_id[rule_id].check].rate_field)
        first, last = term_days(contract.contract, line)
        item = f"rate {line_words(line)}" + (
            f" ({period_in_words(first, last)})" if line.effective_from or line.effective_to else ""
        )
        days = {
            "region": line.region,
            "from": since.isoformat(),
            "to": until.isoformat() if until else None,
        }
        if getattr(line, field_name) is None:
            whole = {
                "region": line.region,
                "from": first.isoformat(),
                "to": last.isoformat() if last else None,
            }
            found.append(
                ClauseFinding(
                    rule_id,
                    item,
                    NOT_EVALUATED,
                    f"the rate line sets no {field_name.replace('_', ' ')}",
                    whole,
                )
            )
            continue
        if outcome == NOT_APPLICABLE:
            message = f"{rule_id} does not reach an engagement starting on these days"
        found.append(
            ClauseFinding(rule_id, item, outcome, message, {**json.loads(evidence), **days})
        )
    return found
