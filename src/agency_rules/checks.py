"""The closed vocabulary of checks a rule file may name, each a plain Python function.

A check sees one engagement, its resolved parameters and the run's context (caps, history) and
returns a Verdict. Scope (who a rule applies to) and the regime's dates are decided before a
check runs (evaluation.py); a check decides only pass, breach, unknown or not_evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .dates import add_months, add_years_fractional
from .engagement import LEAVING_REASONS, Engagement, PastRole
from .outcomes import (
    BREACH,
    NOT_EVALUATED,
    PASS,
    PASSED,
    Verdict,
    breach,
    day,
    iso,
    not_evaluated,
    unknown,
)
from .regions import describe

if TYPE_CHECKING:
    from .caps import CapEntry
    from .evaluation import Context

Check = Callable[[Engagement, dict[str, Any], "Context"], Verdict]


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
            if self.minimum is not None and item < self.minimum:
                raise ValueError(f"parameter '{name}' must be at least {self.minimum:g}, not {item!r}")
            if self.choices is not None and item not in self.choices:
                raise ValueError(f"parameter '{name}' has value {item!r}; allowed: {', '.join(self.choices)}")


NUMBER = ParamType((int, float), minimum=0)
WHOLE = ParamType(int, minimum=0)
FLAG = ParamType(bool)
REASONS = ParamType(str, choices=LEAVING_REASONS, is_list=True)


@dataclass(frozen=True)
class CheckKind:
    function: Check
    params: dict[str, ParamType] = field(default_factory=dict)


def min_pqe(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    """PQE at the start date: time since qualifying bounds it from above, else pqe_years decides.

    A recorded PQE above that bound is a data warning: in the evidence of a finding, and as a
    pass with a message (counted into the report's notices) when the rule is met.
    """
    need = p["min_years"]
    evidence: dict[str, Any] = {
        "start_date": iso(e.start_date),
        "qualified_date": iso(e.qualified_date),
        "pqe_years": e.pqe_years,
        "experience_counted_in": "UK local authorities" if p["experience_in"] == "UK" else "English local authorities",
    }
    warning = ""
    if e.qualified_date is not None:
        reached = add_years_fractional(e.qualified_date, need)
        evidence["min_pqe_reached_on"] = iso(reached)
        if e.pqe_years is not None:
            bound = (e.start_date - e.qualified_date).days / 365.25
            if e.pqe_years > bound + 0.01:
                warning = "recorded pqe_years is more than the time since qualified_date (data warning)"
                evidence["data_warning"] = f"recorded PQE of {e.pqe_years:g} years is more than the {max(bound, 0):.1f} years since qualifying"
        if e.start_date < reached:
            return breach(
                f"qualified on {day(e.qualified_date)}, so had less than {need:g} years' post-qualified experience "
                f"on the start date {day(e.start_date)}; {need:g} years are reached on {day(reached)}",
                evidence,
            )
    if e.pqe_years is None:
        return unknown(f"post-qualified experience (pqe_years) is not recorded; {need:g} years are required", evidence)
    if e.pqe_years >= need:
        return Verdict(PASS, warning, evidence) if warning else PASSED
    return breach(f"recorded post-qualified experience of {e.pqe_years:g} years is less than the {need:g} years required", evidence)


def asye_completed(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    evidence = {"asye_completed": e.asye_completed, "qualified_date": iso(e.qualified_date)}
    if e.asye_completed:
        return PASSED
    if e.asye_completed is False:
        return breach("the worker has not completed the ASYE", evidence)
    return unknown("whether the worker completed the ASYE (asye_completed) is not recorded", evidence)


PREVIOUS_COLUMNS = "the engagement's previous_* columns"


def _has_previous_columns(e: Engagement) -> bool:
    return bool(e.previous_substantive_la or e.previous_substantive_end or e.previous_leaving_reason)


def _previous_roles(e: Engagement, ctx: Context) -> list[PastRole]:
    roles = list(ctx.history.get(e.worker_id, ()))
    if _has_previous_columns(e):
        la = e.previous_substantive_la
        roles.append(
            PastRole(la, ctx.region_of(la), "substantive", e.previous_substantive_end, e.previous_leaving_reason, PREVIOUS_COLUMNS)
        )
    return roles


def cooling_off(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    """Any substantive role in the same region ending fewer than N months before the start breaches."""
    if e.worker_id not in ctx.history and not _has_previous_columns(e):
        return PASSED
    months = p["months"]
    exempt = p["exempt_reasons"]
    worst: Verdict | None = None
    for role in _previous_roles(e, ctx):
        if role.employment != "substantive":
            continue
        if role.end_date is not None and role.end_date >= e.start_date:
            continue
        if role.end_date is None:
            if role.source == PREVIOUS_COLUMNS:
                worst = worst or unknown(
                    f"a previous substantive role is recorded ({describe(role.la_code) if role.la_code else 'LA not recorded'}) but not when it ended (previous_substantive_end)",
                    {"previous_role": _role_evidence(role), "months": months},
                )
            continue
        if role.region is None:
            if e.start_date < add_months(role.end_date, months):
                worst = worst or unknown(
                    f"a substantive role ended on {day(role.end_date)}, within {months} months of the start, but its LA is not recorded",
                    {"previous_role": _role_evidence(role), "months": months},
                )
            continue
        if role.region != e.region:
            continue
        allowed_from = add_months(role.end_date, months)
        if e.start_date >= allowed_from or role.leaving_reason in exempt:
            continue
        evidence = {
            "previous_role": _role_evidence(role),
            "engaging_la": describe(e.la_code),
            "start_date": iso(e.start_date),
            "months": months,
            "allowed_from": iso(allowed_from),
            "exempt_reasons": list(exempt),
        }
        story = (
            f"left {describe(role.la_code)} on {day(role.end_date)}; engaged by {describe(e.la_code)} from {day(e.start_date)}; "
            f"the {months}-month cooling-off allows agency work in the region from {day(allowed_from)}"
        )
        if role.leaving_reason is None:
            if worst is None or worst.outcome != BREACH:
                worst = unknown(f"{story}; exempt if the worker left by {' or '.join(exempt)}, but the leaving reason is not recorded", evidence)
            continue
        if worst is None or worst.outcome != BREACH:
            worst = breach(f"{story} (left by {role.leaving_reason.replace('_', ' ')})", evidence)
    return worst or PASSED


def _role_evidence(role: PastRole) -> dict[str, Any]:
    return {
        "la": describe(role.la_code) if role.la_code else None,
        "region": role.region,
        "ended": iso(role.end_date),
        "leaving_reason": role.leaving_reason,
        "recorded_in": role.source,
    }


def notice_period(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    need = p["min_weeks"]
    notice = e.notice_period_weeks
    if notice is not None and notice >= need and (e.notice_reciprocal or not p["reciprocal_required"]):
        return PASSED
    evidence: dict[str, Any] = {"notice_period_weeks": notice, "notice_reciprocal": e.notice_reciprocal, "min_weeks": need}
    if p["shorter_la_notice_applies"]:
        evidence["la_substantive_notice_weeks"] = e.la_substantive_notice_weeks
        if e.la_substantive_notice_weeks is not None:
            need = min(need, e.la_substantive_notice_weeks)
            evidence["required_weeks"] = need
        elif notice is not None and notice < need:
            return unknown(
                f"notice of {notice:g} weeks is under {need:g}; it suffices if the LA's own notice for the equivalent permanent role is no longer, "
                "but la_substantive_notice_weeks is not recorded",
                evidence,
            )
    if notice is None:
        return unknown(f"the notice period (notice_period_weeks) is not recorded; at least {need:g} weeks are required", evidence)
    if notice < need:
        return breach(f"notice period of {notice:g} weeks is shorter than the {need:g} weeks required", evidence)
    if p["reciprocal_required"]:
        if e.notice_reciprocal is False:
            return breach(f"the {notice:g}-week notice does not bind both sides (notice_reciprocal is no)", evidence)
        if e.notice_reciprocal is None:
            return unknown("whether the notice binds both worker and LA (notice_reciprocal) is not recorded", evidence)
    return PASSED


def references(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    need = p["min_count"]
    if e.references_count is not None and e.references_count >= need:
        return PASSED
    evidence = {"references_count": e.references_count, "reference_received": e.reference_received, "min_count": need}
    if e.references_count is not None:
        return breach(f"{e.references_count} practice reference(s) received; {need} required", evidence)
    if need <= 1 and e.reference_received:
        return PASSED
    if e.reference_received is False:
        return breach("no reference was received for the worker", evidence)
    return unknown(f"the references received are not recorded (references_count, reference_received); {need} required", evidence)


def standard_reference(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    if e.reference_standard_template:
        return PASSED
    evidence = {"reference_standard_template": e.reference_standard_template, "start_date": iso(e.start_date), "end_date": iso(e.end_date)}
    length = "open-ended" if e.end_date is None else f"{day(e.start_date)} to {day(e.end_date)}"
    if e.reference_standard_template is False:
        return breach(f"an assignment of 3 months or longer ({length}) without a comprehensive reference on the standard template", evidence)
    return unknown(f"an assignment of 3 months or longer ({length}); whether the reference used the standard template is not recorded", evidence)


def _cap_evidence(cap: CapEntry, limit_field: str, limit: float) -> dict[str, Any]:
    return {
        "cap": limit,
        "cap_field": limit_field,
        "cap_region": cap.region,
        "cap_role": cap.role,
        "cap_in_force": f"{cap.effective_from.isoformat()} to {iso(cap.effective_to) or 'open-ended'}",
        "cap_source": cap.source,
        "cap_file": cap.file,
    }


def _against_cap(value: float | None, what: str, cap: CapEntry | None, limit_field: str, e: Engagement) -> Verdict:
    if cap is None:
        return not_evaluated(f"no cap configured for {e.region} (or national) / {e.role} on {day(e.start_date)}")
    limit = getattr(cap, limit_field)
    if limit is None:
        return not_evaluated(f"the cap for {cap.region} / {cap.role} has no {limit_field}")
    if value is not None and value <= limit:
        return PASSED
    evidence = {what: value, **_cap_evidence(cap, limit_field, limit)}
    if value is None:
        return unknown(f"{what} is not recorded; the cap is £{limit:.2f} an hour", evidence)
    return breach(f"{what} of £{value:.2f} an hour is above the cap of £{limit:.2f} ({cap.region}, {cap.role.replace('_', ' ')})", evidence)


PAY_CAP_FIELD = {"umbrella": "pay_rate", "ltd": "pay_rate", "paye": "pay_rate_paye"}


def pay_cap(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    """PAYE workers have their own cap (employer NI and holiday pay taken off); an unrecorded model must fail or pass on both."""
    cap = ctx.cap_for(e)
    if e.employment_model is not None:
        verdict = _against_cap(e.pay_rate, "pay_rate", cap, PAY_CAP_FIELD[e.employment_model], e)
        if verdict.outcome != PASS:
            verdict.evidence["employment_model"] = e.employment_model
        return verdict
    verdicts = [_against_cap(e.pay_rate, "pay_rate", cap, f, e) for f in ("pay_rate", "pay_rate_paye")]
    outcomes = {v.outcome for v in verdicts}
    if len(outcomes) == 1:
        return verdicts[0]
    if outcomes == {PASS, NOT_EVALUATED} and verdicts[0].outcome == NOT_EVALUATED:
        return verdicts[0]
    detail = next(v for v in verdicts if v.outcome != PASS)
    return unknown(
        f"pay_rate of £{e.pay_rate:.2f} an hour: within one cap basis but not the other, and employment_model (umbrella, ltd or paye) is not recorded"
        if e.pay_rate is not None
        else detail.message,
        {**detail.evidence, "employment_model": None},
    )


def agency_fee_cap(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    return _against_cap(e.agency_fee, "agency_fee", ctx.cap_for(e), "agency_fee", e)


def framework_fee_cap(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    return _against_cap(e.framework_fee, "framework_fee", ctx.cap_for(e), "framework_fee", e)


TEAM_SAFEGUARDS = (
    ("team_workers_identified", "every worker identified and approved by the LA"),
    ("team_costs_itemised", "costs itemised per worker"),
    ("team_la_practice_control", "the LA keeps control of practice"),
)


def project_team(e: Engagement, p: dict[str, Any], ctx: Context) -> Verdict:
    """An individual engagement meets both regimes' project-team rules; a team member needs the safeguards, where allowed."""
    if e.engagement_type != "project_team":
        return PASSED
    evidence = {"engagement_type": e.engagement_type, **{name: getattr(e, name) for name, _ in TEAM_SAFEGUARDS}}
    if not p["safeguards_allowed"]:
        return breach("engaged as a member of a project team, which these rules do not allow", evidence)
    failed = [text for name, text in TEAM_SAFEGUARDS if getattr(e, name) is False]
    if failed:
        return breach(f"project team without: {'; '.join(failed)}", evidence)
    missing = [name for name, _ in TEAM_SAFEGUARDS if getattr(e, name) is None]
    if missing:
        return unknown(f"project team: not recorded whether {', '.join(missing)}", evidence)
    return PASSED


CHECKS: dict[str, CheckKind] = {
    "min_pqe": CheckKind(min_pqe, {"min_years": NUMBER, "experience_in": ParamType(str, choices=("UK", "England"))}),
    "asye_completed": CheckKind(asye_completed),
    "cooling_off": CheckKind(cooling_off, {"months": WHOLE, "exempt_reasons": REASONS}),
    "notice_period": CheckKind(notice_period, {"min_weeks": NUMBER, "reciprocal_required": FLAG, "shorter_la_notice_applies": FLAG}),
    "references": CheckKind(references, {"min_count": WHOLE}),
    "standard_reference": CheckKind(standard_reference),
    "pay_cap": CheckKind(pay_cap),
    "agency_fee_cap": CheckKind(agency_fee_cap),
    "framework_fee_cap": CheckKind(framework_fee_cap),
    "project_team": CheckKind(project_team, {"safeguards_allowed": FLAG}),
}

