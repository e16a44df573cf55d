"""The rule model: rulesets and overlays as declarative TOML, validated before anything runs.

A rule names a check from a closed vocabulary (see checks.CHECKS) and gives its parameters as
dated values; nothing in a file is ever executed. Any unknown key, bad date, unknown check or
missing parameter refuses the whole file, naming the file, the rule and the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from ..domain import ROLES
from ..regions import REGIONS
from ..tomlfiles import Day, RuleFileError, Strict, Words, load_model
from .checks import CHECKS


class DatedValue(Strict):
    """One value of a parameter and the period it is in force; `to` is inclusive.

    `from` may be left out only where the source gives no date (an overlay's MoU): the value then
    holds from the ruleset's own start. `unset` records that the source deliberately gives no figure.
    """

    from_: Day | None = Field(default=None, alias="from")
    to: Day | None = None
    value: Any = None
    unset: str | None = None

    @model_validator(mode="after")
    def _one_of_value_or_unset(self) -> DatedValue:
        if (self.value is None) == (self.unset is None):
            raise ValueError(
                "give exactly one of 'value' or 'unset' (the reason the source gives no figure)"
            )
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self


class Applies(Strict):
    """When a rule applies to an engagement: a closed vocabulary of scope conditions."""

    qualified_on_or_after: Day | None = None
    qualified_overseas: bool | None = None
    engagement_type: Literal["individual", "project_team"] | None = None
    offered_on_or_after: Day | None = None
    started_on_or_after: Day | None = None
    earlier_if_running_on_caps_existing_from: bool = False
    min_assignment_months: int | None = Field(default=None, ge=1)
    roles: list[Literal[ROLES]] | None = None  # type: ignore[valid-type]
    framework: Literal["named", "among_contracts"] | None = (
        None  # a framework is recorded; or it names a contract given
    )


class RuleSpec(Strict):
    id: str = Field(pattern=r"^[A-Z]+\d{3}$")
    title: Words
    severity: Literal["breach", "warning"] = "breach"
    check: str
    source: Words
    decision: Words | None = None
    requires: Words
    applies: Applies = Applies()
    params: dict[str, list[DatedValue]] = {}
    waiver_approvers: list[str] = []
    needs: Literal["contracts"] | None = (
        None  # what a run must be given for the rule to run at all (`--contracts`)
    )

    @model_validator(mode="after")
    def _known_check_and_params(self) -> RuleSpec:
        check = CHECKS.get(self.check)
        if check is None:
            raise ValueError(
                f"unknown check '{self.check}'; known checks: {', '.join(sorted(CHECKS))}"
            )
        if not (check.clause or check.rate_field or check.no_contract_side):
            raise ValueError(
                f"check '{self.check}' has no contract side: give its kind a clause, a rate_field, or "
                "the reason it has neither (no_contract_side)"
            )
        missing = sorted(set(check.params) - set(self.params))
        if missing:
            raise ValueError(f"check '{self.check}' needs parameter(s) {', '.join(missing)}")
        unknown = sorted(set(self.params) - set(check.params))
        if unknown:
            raise ValueError(f"check '{self.check}' has no parameter(s) {', '.join(unknown)}")
        if check.needs != self.needs:
            raise ValueError(
                f"check '{self.check}' needs {check.needs}: say needs = \"{check.needs}\""
                if check.needs
                else f"check '{self.check}' needs nothing given to the run: leave out needs"
            )
        for name, values in self.params.items():
            if not values:
                raise ValueError(
                    f"parameter '{name}' has no values; use unset = \"reason\" where the source gives no figure"
                )
            for item in values:
                if item.value is not None:
                    check.params[name].validate(name, item.value)
        return self


class Applicability(Strict):
    """A regime's start: new engagements offered from a date; older ones only if still running on another."""

    new_offered_from: Day
    legacy_running_on: Day


class RulesetHeader(Strict):
    id: str
    title: str
    status: str
    source: str
    effective_from: Day
    applicability: Applicability | None = None


class Ruleset(Strict):
    ruleset: RulesetHeader
    rule: list[RuleSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Ruleset:
        ids = [r.id for r in self.rule]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule id(s) used twice: {', '.join(dupes)}")
        return self


class ParamChange(Strict):
    rule: str
    param: str
    values: list[DatedValue] = Field(min_length=1)
    reason: str | None = None


class OverlayHeader(Strict):
    id: str
    title: str
    region: str
    source: str

    @model_validator(mode="after")
    def _known_region(self) -> OverlayHeader:
        if self.region not in REGIONS:
            raise ValueError(f"unknown region '{self.region}'; regions: {', '.join(REGIONS)}")
        return self


class Overlay(Strict):
    overlay: OverlayHeader
    change: list[ParamChange] = []
    rule: list[RuleSpec] = []


RuleInRun = tuple[
    RuleSpec, str, str | None
]  # the rule, the file that sets it, and its overlay's region (None: every region)


def rules_in_run(
    ruleset: Ruleset, overlays: list[Overlay], given: frozenset[str] = frozenset()
) -> list[RuleInRun]:
    """The ruleset's rules and then each overlay's, leaving out a rule that needs what the run was not given (contracts)."""
    every: list[RuleInRun] = [(r, f"ruleset {ruleset.ruleset.id}", None) for r in ruleset.rule]
    every += [(r, f"overlay {o.overlay.id}", o.overlay.region) for o in overlays for r in o.rule]
    return [
        (spec, origin, region)
        for spec, origin, region in every
        if spec.needs is None or spec.needs in given
    ]


def rule_titles(ruleset: Ruleset, overlays: list[Overlay]) -> dict[str, str]:
    """Each rule's title, with what the overlays change in it: a 'Three-month' title above six-month findings would mislead."""

    def changed_by(rule_id: str) -> str:
        changes = [
            f"{change.param.replace('_', ' ')} {' then '.join(str(v.value) for v in change.values)} in {overlay.overlay.region}"
            for overlay in overlays
            for change in overlay.change
            if change.rule == rule_id
        ]
        return f" (overlays: {'; '.join(changes)})" if changes else ""

    return {r.id: r.title + changed_by(r.id) for r in ruleset.rule} | {
        r.id: r.title for o in overlays for r in o.rule
    }


def rules_dir() -> Path:
    """The shipped rules: inside the installed package, or the repository's rules/ in a checkout."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here / "rules", here.parents[1] / "rules"):
        if (candidate / "rulesets").is_dir():
            return candidate
    raise RuleFileError(
        f"the shipped rules are missing (looked in {here / 'rules'} and {here.parents[1] / 'rules'}); reinstall agency-rules"
    )


def load_ruleset(path: Path) -> Ruleset:
    return load_model(path, Ruleset, "rule")


def load_overlay(path: Path) -> Overlay:
    return load_model(path, Overlay, "change")


def shipped(kind: str, name: str) -> Path | None:
    """The shipped ruleset, overlay or cap table of that name (`rulesets`, `overlays`, `caps`), or None: a plain name
    only, never a way out of the rules folder. The one place the shipped rules are found by name."""
    path = rules_dir() / kind / f"{name}.toml"
    return path if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name) and path.is_file() else None


def _named(kind: str, name: str) -> Path:
    """A shipped ruleset, overlay or cap table by name, or a path to one's file."""
    candidate = Path(name)
    if candidate.suffix == ".toml":
        return candidate
    path = shipped(kind, name)
    if path is None:
        available = sorted(p.stem for p in (rules_dir() / kind).glob("*.toml"))
        raise RuleFileError(f"no {kind[:-1]} named '{name}'; available: {', '.join(available)}")
    return path


def find_ruleset(name: str) -> Path:
    return _named("rulesets", name)


def find_overlay(name: str) -> Path:
    return _named("overlays", name)


def find_caps(path: Path) -> Path:
    """A caps file, or a shipped cap table by name (`london-2016`)."""
    return path if path.suffix == ".toml" or path.exists() else _named("caps", str(path))


def shipped_overlays() -> dict[str, str]:
    """Region -> the shipped overlay for it, so a check can say which regional terms it was not asked to apply."""
    return {
        load_overlay(path).overlay.region: path.stem
        for path in sorted((rules_dir() / "overlays").glob("*.toml"))
    }


def check_overlay_fits(overlay: Overlay, ruleset: Ruleset, path: Path) -> None:
    """An overlay may change only rules and parameters the ruleset has, and add only new ids."""
    rules = {r.id: r for r in ruleset.rule}
    for change in overlay.change:
        rule = rules.get(change.rule)
        if rule is None:
            raise RuleFileError(
                f"{path}: change {change.rule}: ruleset {ruleset.ruleset.id} has no rule {change.rule}"
            )
        if change.param not in rule.params:
            raise RuleFileError(
                f"{path}: change {change.rule}: rule has no parameter '{change.param}'"
            )
        for item in change.values:
            if item.value is not None:
                try:
                    CHECKS[rule.check].params[change.param].validate(change.param, item.value)
                except ValueError as error:
                    raise RuleFileError(f"{path}: change {change.rule}: {error}") from None
    for rule in overlay.rule:
        if rule.id in rules:
            raise RuleFileError(
                f"{path}: rule {rule.id}: already in ruleset {ruleset.ruleset.id}; use a [[change]] instead"
            )


def load_rules(ruleset_name: str, overlay_names: list[str]) -> tuple[Ruleset, list[Overlay]]:
    """The chosen ruleset and overlays, each checked to fit the ruleset; a file of one's own cannot pass as a shipped one."""
    path = find_ruleset(ruleset_name)
    ruleset = load_ruleset(path)
    shipped = rules_dir() / "rulesets" / f"{ruleset.ruleset.id}.toml"
    if shipped.exists() and path.resolve() != shipped.resolve():
        raise RuleFileError(
            f"{path}: calls itself '{ruleset.ruleset.id}', the id of a shipped ruleset; give a ruleset of your own an id of its own"
        )
    overlays = []
    for name in overlay_names:
        path = find_overlay(name)
        overlay = load_overlay(path)
        check_overlay_fits(overlay, ruleset, path)
        overlays.append(overlay)
    return ruleset, overlays
