"""Evaluation: every rule of the chosen ruleset and overlays, for every valid engagement.

Rules are compiled once per region (an overlay changes parameters only where its region's LAs
engage); per engagement the work is a few closure calls, and evidence is built only for the
outcomes that are reported (breach, unknown, waived).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from .caps import CapEntry, CapTable
from .checks import CHECKS
from .dates import three_month_assignment
from .engagement import Engagement, PastRole
from .outcomes import (
    BREACH,
    NOT_APPLICABLE,
    NOT_EVALUATED,
    OUTCOMES,
    PASS,
    PASSED,
    UNKNOWN,
    WAIVED,
    Finding,
    Verdict,
    day,
    iso,
)
from .regions import REGIONS, region_by_code
from .rulebook import Applicability, Applies, DatedValue, Overlay, Ruleset, RuleSpec
from .waivers import Waiver, missing_approvals

Scope = Callable[[Engagement, "Context"], "bool | None"]
OUT_OF_SCOPE = Verdict(NOT_APPLICABLE)


@dataclass
class Context:
    """What the checks may consult besides the engagement itself."""

    caps: CapTable = field(default_factory=CapTable)
    history: dict[str, list[PastRole]] = field(default_factory=dict)
    cap_existing: bool = False
    _caps_seen: dict[tuple[Any, ...], CapEntry | None] = field(default_factory=dict)
    _last: tuple[Engagement | None, CapEntry | None] = (None, None)

    def region_of(self, la_code: str | None) -> str | None:
        return region_by_code().get(la_code) if la_code else None

    def cap_for(self, e: Engagement) -> CapEntry | None:
        """Memoised by (region, role, start, end), and for the engagement last asked about: three cap rules ask for the same cap."""
        if e is self._last[0]:
            return self._last[1]
        cap = self._find_cap(e)
        self._last = (e, cap)
        return cap

    def _find_cap(self, e: Engagement) -> CapEntry | None:
        key = (e.region, e.role, e.start_date, e.end_date if self.cap_existing else None)
        try:
            return self._caps_seen[key]
        except KeyError:
            cap = self.caps.find(e.region, e.role, e.start_date)
            if cap is None and self.cap_existing:
                cap = self.caps.find_existing(e.region, e.role, e.end_date)
            self._caps_seen[key] = cap
            return cap


@dataclass(frozen=True, slots=True)
class Layer:
    """One file's dated values for a parameter; later layers (overlays) win where in force."""

    values: tuple[DatedValue, ...]
    set_by: str


@dataclass
class CompiledRule:
    spec: RuleSpec
    origin: str
    region: str | None
    layers: dict[str, list[Layer]]
    scope: list[Scope]
    floor: date
    _resolved: dict[date, tuple[dict[str, Any], dict[str, Any]] | str] = field(default_factory=dict)

    def fixed(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The resolution for every day, where each parameter has one layer with one open-ended value from the start."""
        for layers in self.layers.values():
            if len(layers) != 1 or len(layers[0].values) != 1:
                return None
            item = layers[0].values[0]
            if item.to is not None or (item.from_ is not None and item.from_ > self.floor) or item.unset is not None:
                return None
        resolved = self.resolve(self.floor)
        return resolved if isinstance(resolved, tuple) else None

    def resolve(self, on: date) -> tuple[dict[str, Any], dict[str, Any]] | str:
        """(values, evidence) of every parameter in force on the day, or why one has no value then."""
        cached = self._resolved.get(on)
        if cached is not None:
            return cached
        values: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        result: tuple[dict[str, Any], dict[str, Any]] | str = (values, evidence)
        for name, layers in self.layers.items():
            found = None
            for layer in reversed(layers):
                for item in layer.values:
                    start = item.from_ or self.floor
                    if start <= on and (item.to is None or on <= item.to):
                        found = (item, start, layer.set_by)
                if found:
                    break
            if found is None:
                result = f"{self.spec.id}: no value of '{name}' is in force on {day(on)}"
                break
            item, start, set_by = found
            if item.unset is not None:
                result = f"{self.spec.id}: '{name}' has no figure ({item.unset})"
                break
            values[name] = item.value
            evidence[name] = {"value": item.value, "in_force_from": start.isoformat(), "to": iso(item.to), "set_by": set_by}
        self._resolved[on] = result
        return result


def compile_scope(applies: Applies) -> list[Scope]:
    """Each condition answers True (in scope), False (not applicable) or None (cannot tell from the data)."""
    scope: list[Scope] = []
    if applies.qualified_on_or_after is not None:
        since = applies.qualified_on_or_after
        scope.append(lambda e, ctx: None if e.qualified_date is None else e.qualified_date >= since)
    if applies.qualified_overseas is not None:
        wanted = applies.qualified_overseas
        scope.append(lambda e, ctx: None if e.qualified_overseas is None else e.qualified_overseas == wanted)
    if applies.engagement_type is not None:
        kind = applies.engagement_type
        scope.append(lambda e, ctx: e.engagement_type == kind)
    if applies.offered_on_or_after is not None:
        offered = applies.offered_on_or_after
        scope.append(lambda e, ctx: e.offered >= offered)
    if applies.started_on_or_after is not None:
        started = applies.started_on_or_after
        if applies.earlier_if_running_on_caps_existing_from:
            scope.append(lambda e, ctx: e.start_date >= started or ctx.caps.find_existing(e.region, e.role, e.end_date) is not None)
        else:
            scope.append(lambda e, ctx: e.start_date >= started)
    if applies.min_assignment_months is not None:
        months = applies.min_assignment_months
        scope.append(lambda e, ctx: three_month_assignment(e.start_date, e.end_date, months))
    if applies.roles is not None:
        roles = frozenset(applies.roles)
        scope.append(lambda e, ctx: e.role in roles)
    return scope


def combined(scope: list[Scope]) -> Scope:
    """All conditions as one: False if any is False, else None if any cannot tell, else True."""
    if not scope:
        return lambda e, ctx: True
    if len(scope) == 1:
        return scope[0]
    conditions = tuple(scope)

    def every(e: Engagement, ctx: Context) -> bool | None:
        answer: bool | None = True
        for condition in conditions:
            result = condition(e, ctx)
            if result is False:
                return False
            if result is None:
                answer = None
        return answer

    return every


def regime_applies(applicability: Applicability | None) -> Callable[[Engagement], bool] | None:
    """Statutory regime: new engagements (offered on/after its start) always; legacy ones only if still running on the compliance day.

    None where the ruleset has no such dates (every engagement is subject).
    """
    if applicability is None:
        return None
    new_from = applicability.new_offered_from
    running_on = applicability.legacy_running_on
    return lambda e: e.offered >= new_from or e.end_date is None or e.end_date >= running_on


@dataclass
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    not_evaluated: dict[str, Counter[str]] = field(default_factory=dict)
    data_warnings: dict[str, Counter[str]] = field(default_factory=dict)
    engagements_with_breaches: int = 0

    def merge(self, other: Evaluation) -> None:
        """Add another range's results after this one's."""
        self.findings += other.findings
        for mine, theirs in ((self.counts, other.counts), (self.not_evaluated, other.not_evaluated), (self.data_warnings, other.data_warnings)):
            for rule_id, counter in theirs.items():
                mine[rule_id].update(counter)
        self.engagements_with_breaches += other.engagements_with_breaches


class Engine:
    """The chosen ruleset and overlays, compiled; `evaluate` runs them over engagements."""

    def __init__(
        self,
        ruleset: Ruleset,
        overlays: Iterable[Overlay] = (),
        context: Context | None = None,
        waivers: dict[tuple[str, str], Waiver] | None = None,
        as_of: date | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.overlays = list(overlays)
        self.context = context or Context()
        self.waivers = waivers or {}
        self.as_of = as_of
        self.floor = ruleset.ruleset.effective_from
        self.regime = regime_applies(ruleset.ruleset.applicability)
        self.rule_ids = [r.id for r in ruleset.rule] + [r.id for o in self.overlays for r in o.rule]
        self.context.cap_existing = any(r.applies.earlier_if_running_on_caps_existing_from for r in ruleset.rule)
        self.by_region = {region: self._compile(region) for region in REGIONS}

    def _compile(self, region: str) -> list[CompiledRule]:
        mine = [o for o in self.overlays if o.overlay.region == region]
        compiled = []
        base = f"ruleset {self.ruleset.ruleset.id}"
        specs = [(r, base, None) for r in self.ruleset.rule]
        specs += [(r, f"overlay {o.overlay.id}", o.overlay.region) for o in self.overlays for r in o.rule]
        for spec, origin, only_region in specs:
            layers = {name: [Layer(tuple(values), origin)] for name, values in spec.params.items()}
            for overlay in mine:
                for change in overlay.change:
                    if change.rule == spec.id:
                        layers[change.param].append(Layer(tuple(change.values), f"overlay {overlay.overlay.id}"))
            compiled.append(CompiledRule(spec, origin, only_region, layers, compile_scope(spec.applies), self.floor))
        return compiled

    def reference_day(self, e: Engagement) -> date:
        """The day whose parameter values apply: --as-of if given, else the start date, never before the ruleset's start."""
        on = self.as_of or e.start_date
        return on if on >= self.floor else self.floor

    def runner(self, rule: CompiledRule, region: str) -> Callable[[Engagement], Verdict]:
        """One rule as one call per engagement: scope, parameters and check, specialised once for the run."""
        ctx = self.context
        check = CHECKS[rule.spec.check].function
        fixed = rule.fixed()
        if rule.region is not None and rule.region != region:
            return lambda e: OUT_OF_SCOPE
        if fixed is not None and not rule.scope:
            return partial(check, p=fixed[0], ctx=ctx)
        in_scope = combined(rule.scope)
        words = self._scope_words(rule.spec)

        reference_day = self.reference_day

        def run(e: Engagement) -> Verdict:
            answer = in_scope(e, ctx)
            if answer is False:
                return OUT_OF_SCOPE
            resolved = fixed or rule.resolve(reference_day(e))
            if type(resolved) is str:
                return Verdict(NOT_EVALUATED, resolved)
            verdict = check(e, resolved[0], ctx)
            if answer is None and verdict.outcome == BREACH:
                return Verdict(UNKNOWN, f"{verdict.message}; this applies only if {words}, which is not recorded", verdict.evidence)
            return verdict

        return run

    def evaluate(self, engagements: Iterable[Engagement]) -> Evaluation:
        """The hot loop: per engagement and rule one call and an identity test; evidence only for findings."""
        result = Evaluation(
            counts={rule_id: Counter({o: 0 for o in OUTCOMES}) for rule_id in self.rule_ids},
            not_evaluated={rule_id: Counter() for rule_id in self.rule_ids},
            data_warnings={rule_id: Counter() for rule_id in self.rule_ids},
        )
        plans = {region: [(self.runner(rule, region), result.counts[rule.spec.id], rule) for rule in rules] for region, rules in self.by_region.items()}
        all_counts = list(result.counts.values())
        regime = self.regime
        seen = 0
        for e in engagements:
            seen += 1
            if regime is not None and not regime(e):
                for counts in all_counts:
                    counts[NOT_APPLICABLE] += 1
                continue
            breached = False
            for run, counts, rule in plans[e.region]:
                verdict = run(e)
                if verdict is PASSED:
                    continue
                if verdict is OUT_OF_SCOPE:
                    counts[NOT_APPLICABLE] += 1
                    continue
                breached = self._record(e, rule, verdict, counts, result) or breached
            if breached:
                result.engagements_with_breaches += 1
        for counts in all_counts:
            counts[PASS] = seen - sum(n for outcome, n in counts.items() if outcome != PASS)
        return result

    def _record(self, e: Engagement, rule: CompiledRule, verdict: Verdict, counts: Counter[str], result: Evaluation) -> bool:
        """Count an outcome other than a plain pass; keep a finding for breach, unknown and waived. True for a breach."""
        spec = rule.spec
        if verdict.outcome == NOT_EVALUATED:
            counts[NOT_EVALUATED] += 1
            result.not_evaluated[spec.id][verdict.message] += 1
            return False
        if verdict.outcome == PASS:
            result.data_warnings[spec.id][verdict.message] += 1
            return False
        if verdict.outcome == BREACH:
            verdict = self._apply_waiver(e, spec, verdict)
        counts[verdict.outcome] += 1
        on = self.reference_day(e)
        resolved = rule.resolve(on)
        parameters = resolved[1] if isinstance(resolved, tuple) else {}
        evidence = {**verdict.evidence, "parameters": parameters, "parameters_as_of": on.isoformat()}
        result.findings.append(Finding(e.engagement_id, e.row, spec.id, verdict.outcome, spec.severity, verdict.message, evidence, spec.source))
        return verdict.outcome == BREACH

    @staticmethod
    def _scope_words(spec: RuleSpec) -> str:
        parts = []
        if spec.applies.qualified_on_or_after:
            parts.append(f"the worker qualified on or after {day(spec.applies.qualified_on_or_after)}")
        if spec.applies.qualified_overseas:
            parts.append("the worker qualified outside the UK")
        return " and ".join(parts) or "the rule's conditions hold"

    def _apply_waiver(self, e: Engagement, spec: RuleSpec, verdict: Verdict) -> Verdict:
        waiver = self.waivers.get((e.engagement_id, spec.id))
        if waiver is None:
            return verdict
        missing = missing_approvals(waiver, spec.waiver_approvers)
        record = {"approved_by": waiver.approved_by, "approved_on": waiver.approved_on.isoformat(), "reason": waiver.reason, "reference": waiver.reference}
        if missing:
            evidence = {**verdict.evidence, "waiver_not_valid": {**record, "missing_approval": missing}}
            return Verdict(BREACH, f"{verdict.message}; the waiver on file lacks approval by {', '.join(missing)}", evidence)
        return Verdict(WAIVED, f"{verdict.message}; waived on {day(waiver.approved_on)} by {', '.join(waiver.approved_by.values())}", {**verdict.evidence, "waiver": record})
