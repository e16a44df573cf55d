"""`agency-check rules`: the rules' own metadata, from the TOML, parameters by date, as plain data a renderer shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine.rulebook import Applies, DatedValue, Overlay, Ruleset


@dataclass(frozen=True)
class RuleRow:
    id: str
    title: str
    source: str
    set_by: str  # the ruleset, and the overlay that changes it, or the overlay that adds it


@dataclass(frozen=True)
class ParamValue:
    param: str
    value: str
    start: str  # a day, or the ruleset's first day
    to: str  # "to DAY" (inclusive) or "open-ended"
    set_by: str


@dataclass(frozen=True)
class RuleExplanation:
    id: str
    title: str
    origin: str  # the ruleset, or the overlay and its region
    severity: str
    check: str
    requires: str
    applies: list[str]  # empty: every engagement
    contracts_only: bool
    regime: str  # the ruleset's legacy/new regime in words, or ""
    source: str
    decision: str
    waiver_approvers: list[str]
    params: list[ParamValue]


@dataclass(frozen=True)
class RulesView:
    ruleset: str
    title: str
    status: str
    source: str
    rules: list[RuleRow]
    explained: RuleExplanation | None = None  # `agency-check rules RULE_ID`
    hint: str = field(default="`agency-check rules RULE_ID` explains one rule.")


def list_rules(ruleset: Ruleset, overlays: list[Overlay]) -> RulesView:
    header = ruleset.ruleset
    changed = {c.rule: o.overlay.id for o in overlays for c in o.change}
    rows = [
        RuleRow(
            rule.id,
            rule.title,
            rule.source,
            header.id
            + (f" + {changed[rule.id]}" if rule.id in changed else "")
            + (" (runs only with --contracts)" if rule.needs == "contracts" else ""),
        )
        for rule in ruleset.rule
    ]
    rows += [
        RuleRow(
            rule.id,
            rule.title,
            rule.source,
            f"overlay {overlay.overlay.id} ({overlay.overlay.region})",
        )
        for overlay in overlays
        for rule in overlay.rule
    ]
    return RulesView(header.id, header.title, header.status, header.source, rows)


def _applies_words(applies: Applies) -> list[str]:
    words = []
    if applies.qualified_on_or_after:
        words.append(
            f"workers who qualified on or after {applies.qualified_on_or_after.isoformat()}"
        )
    if applies.qualified_overseas is not None:
        words.append(
            "workers who qualified outside the UK"
            if applies.qualified_overseas
            else "workers who qualified in the UK"
        )
    if applies.engagement_type:
        words.append(f"engagements of type {applies.engagement_type}")
    if applies.offered_on_or_after:
        words.append(f"engagements offered on or after {applies.offered_on_or_after.isoformat()}")
    if applies.started_on_or_after:
        extra = (
            ", and earlier ones still running on a caps file's existing_from day"
            if applies.earlier_if_running_on_caps_existing_from
            else ""
        )
        words.append(
            f"engagements starting on or after {applies.started_on_or_after.isoformat()}{extra}"
        )
    if applies.min_assignment_months:
        words.append(
            f"assignments of {applies.min_assignment_months} months or longer (open-ended, or ending on or after start + {applies.min_assignment_months} months - 1 day)"
        )
    if applies.roles:
        words.append("roles " + ", ".join(applies.roles))
    if applies.framework == "named":
        words.append("engagements whose framework is recorded")
    if applies.framework == "among_contracts":
        words.append("engagements whose framework names one of the contracts given (--contracts)")
    return words


def _value(item: DatedValue, param: str, floor: str, set_by: str) -> ParamValue:
    start = item.from_.isoformat() if item.from_ else f"{floor} (ruleset start)"
    value = item.value if item.unset is None else f"no figure: {item.unset}"
    to = f"to {item.to.isoformat()}" if item.to else "open-ended"
    return ParamValue(param, str(value), start, to, set_by)


def explain_rule(ruleset: Ruleset, overlays: list[Overlay], rule_id: str) -> RulesView | None:
    """One rule as the ruleset and overlays set it; None when neither has it."""
    found = None
    for rule in ruleset.rule:
        if rule.id == rule_id:
            found = (rule, f"ruleset {ruleset.ruleset.id}")
    for overlay in overlays:
        for rule in overlay.rule:
            if rule.id == rule_id:
                found = (rule, f"overlay {overlay.overlay.id} ({overlay.overlay.region} only)")
    if found is None:
        return None
    rule, origin = found
    header = ruleset.ruleset
    regime = ""
    if header.applicability:
        a = header.applicability
        regime = (
            f"engagements offered on or after {a.new_offered_from.isoformat()}, "
            f"and earlier ones still running on {a.legacy_running_on.isoformat()}; "
            "others are not_applicable"
        )
    floor = header.effective_from.isoformat()
    params = []
    for name, values in rule.params.items():
        params += [_value(item, name, floor, origin) for item in values]
        for overlay in overlays:
            for change in overlay.change:
                if change.rule == rule.id and change.param == name:
                    where = f"overlay {overlay.overlay.id}, {overlay.overlay.region} only"
                    params += [_value(item, name, floor, where) for item in change.values]
    explained = RuleExplanation(
        rule.id,
        rule.title,
        origin,
        rule.severity,
        rule.check,
        rule.requires,
        _applies_words(rule.applies),
        rule.needs == "contracts",
        regime,
        rule.source,
        rule.decision or "",
        list(rule.waiver_approvers),
        params,
    )
    return RulesView(header.id, header.title, header.status, header.source, [], explained, "")
