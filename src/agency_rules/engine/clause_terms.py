"""The contract side of each check: the clause a contract must carry for it, and its verdict on what the clause says.

A check kind names its clause function beside its engagement expressions (`checks.CHECKS`); the rule's parameters in
force say what the clause must at least require. Silence is `unknown`, never a pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import BREACH, PASS, UNKNOWN
from ..inputs.contracts import Clauses

Verdict = tuple[str, str, dict[str, Any]]
ClauseCheck = Callable[[Clauses, dict[str, Any]], list[tuple[str, Verdict]]]


def said(value: Any) -> str:
    """A clause's value, or a finding's evidence, in words: yes/no, lists joined, silence as 'not stated'."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return (
        "not stated"
        if value is None
        else ("yes" if value is True else "no" if value is False else str(value))
    )


def binding(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, Verdict]]:
    """Rules a contract cannot restate (a worker's experience, an ASYE) are carried by binding the supplier, and its suppliers, to them."""
    found = []
    for name, who in (
        ("binds_supplier", "the supplier"),
        ("binds_second_tier", "any second-tier supplier"),
    ):
        value = getattr(clauses, name)
        outcome = PASS if value else UNKNOWN if value is None else BREACH
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


def _weeks(count: float) -> str:
    return f"{count:g} week{'' if count == 1 else 's'}"


def notice_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, Verdict]]:
    need, weeks = values["min_weeks"], clauses.notice_weeks
    if weeks is None:
        verdict: Verdict = (
            UNKNOWN,
            f"the contract states no notice period; at least {_weeks(need)} are required",
            {"min_weeks": need},
        )
    elif weeks >= need:
        verdict = (
            PASS,
            f"notice of {_weeks(weeks)} meets the {_weeks(need)} required",
            {"notice_weeks": weeks, "min_weeks": need},
        )
    elif values.get("shorter_la_notice_applies"):
        verdict = (
            UNKNOWN,
            f"notice of {_weeks(weeks)} is under {_weeks(need)}; it suffices only where the council's own notice for the role is no longer",
            {"notice_weeks": weeks, "min_weeks": need},
        )
    else:
        verdict = (
            BREACH,
            f"notice of {_weeks(weeks)} is shorter than the {_weeks(need)} required",
            {"notice_weeks": weeks, "min_weeks": need},
        )
    found = [("notice_weeks", verdict)]
    if values.get("reciprocal_required"):
        mutual = clauses.notice_reciprocal
        found.append(
            (
                "notice_reciprocal",
                (
                    PASS if mutual else UNKNOWN if mutual is None else BREACH,
                    f"the notice {'binds' if mutual else 'does not bind' if mutual is False else 'is not said to bind'} both worker and council",
                    {"notice_reciprocal": mutual},
                ),
            )
        )
    return found


def cooling_off_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, Verdict]]:
    need, allowed = values["months"], set(values["exempt_reasons"])
    months, exempt = clauses.cooling_off_months, clauses.cooling_off_exemptions
    if months is None:
        verdict: Verdict = (
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


def references_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, Verdict]]:
    need, given = values["min_count"], clauses.references
    count = given.count
    verdict: Verdict = (
        (
            UNKNOWN,
            f"the contract states no number of references; {need} required",
            {"min_count": need},
        )
        if count is None
        else (
            BREACH,
            f"{count} reference(s) required by the contract, fewer than the {need} the rule requires",
            {"references": count, "min_count": need},
        )
        if count < need
        else (
            PASS,
            f"{count} reference(s) required, at least the {need} the rule requires",
            {"references": count, "min_count": need},
        )
    )
    practice = given.practice_based
    return [
        ("references.count", verdict),
        (
            "references.practice_based",
            (
                PASS if practice else UNKNOWN if practice is None else BREACH,
                f"references about the standard of practice: {said(practice)}",
                {"practice_based": practice},
            ),
        ),
    ]


def standard_reference_clause(
    clauses: Clauses, values: dict[str, Any]
) -> list[tuple[str, Verdict]]:
    template = clauses.references.standard_template
    return [
        (
            "references.standard_template",
            (
                PASS if template else UNKNOWN if template is None else BREACH,
                f"a comprehensive reference on the standard template: {said(template)}",
                {"standard_template": template},
            ),
        )
    ]


def project_team_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, Verdict]]:
    teams, allowed = clauses.project_teams, values["safeguards_allowed"]
    if teams.supplied is None:
        return [
            (
                "project_teams.supplied",
                (
                    UNKNOWN,
                    "the contract does not say whether the supplier may provide project teams",
                    {},
                ),
            )
        ]
    if not teams.supplied:
        return [
            (
                "project_teams.supplied",
                (
                    PASS,
                    "the contract does not let the supplier provide project teams",
                    {"supplied": False},
                ),
            )
        ]
    if not allowed:
        return [
            (
                "project_teams.supplied",
                (
                    BREACH,
                    "the contract lets the supplier provide project teams, which these rules do not allow",
                    {"supplied": True},
                ),
            )
        ]
    found = []
    for name, words in (
        ("workers_identified", "every worker identified and approved by the council"),
        ("costs_itemised", "costs itemised per worker"),
        ("la_practice_control", "the council keeping control of practice"),
    ):
        value = getattr(teams, name)
        found.append(
            (
                f"project_teams.{name}",
                (
                    PASS if value else UNKNOWN if value is None else BREACH,
                    f"project teams with {words}: {said(value)}",
                    {name: value},
                ),
            )
        )
    return found


def pay_cap_clause(clauses: Clauses, values: dict[str, Any]) -> list[tuple[str, Verdict]]:
    """Beside the rate card: expenses may not take pay past a cap."""
    value = clauses.expenses_not_to_exceed_cap
    return [
        (
            "expenses_not_to_exceed_cap",
            (
                PASS if value else UNKNOWN if value is None else BREACH,
                f"expenses are not used to take pay past a cap: {said(value)}",
                {"expenses_not_to_exceed_cap": value},
            ),
        )
    ]
