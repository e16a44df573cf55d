"""The rule model: rulesets and overlays as declarative TOML, validated before anything runs.

A rule names a check from a closed vocabulary (see checks.CHECKS) and gives its parameters as
dated values; nothing in a file is ever executed. Any unknown key, bad date, unknown check or
missing parameter refuses the whole file, naming the file, the rule and the reason.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .checks import CHECKS
from .regions import REGIONS

M = TypeVar("M", bound=BaseModel)
ITEM_KEYS = {"cap": ("region", "role", "effective_from"), "waiver": ("engagement_id", "rule_id")}


class RuleFileError(Exception):
    """A rules, overlay, caps or waivers file that cannot be used (exit 2)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DatedValue(Strict):
    """One value of a parameter and the period it is in force; `to` is inclusive.

    `from` may be left out only where the source gives no date (an overlay's MoU): the value then
    holds from the ruleset's own start. `unset` records that the source deliberately gives no figure.
    """

    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    value: Any = None
    unset: str | None = None

    @model_validator(mode="after")
    def _one_of_value_or_unset(self) -> DatedValue:
        if (self.value is None) == (self.unset is None):
            raise ValueError("give exactly one of 'value' or 'unset' (the reason the source gives no figure)")
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self


class Applies(Strict):
    """When a rule applies to an engagement: a closed vocabulary of scope conditions."""

    qualified_on_or_after: date | None = None
    qualified_overseas: bool | None = None
    engagement_type: Literal["individual", "project_team"] | None = None
    offered_on_or_after: date | None = None
    started_on_or_after: date | None = None
    earlier_if_running_on_caps_existing_from: bool = False
    min_assignment_months: int | None = Field(default=None, ge=1)
    roles: list[Literal["social_worker", "senior_social_worker", "advanced_practitioner", "team_manager", "iro_cp_chair", "other"]] | None = None


class RuleSpec(Strict):
    id: str = Field(pattern=r"^[A-Z]+\d{3}$")
    title: str
    severity: Literal["breach", "warning"] = "breach"
    check: str
    source: str
    decision: str | None = None
    requires: str
    applies: Applies = Applies()
    params: dict[str, list[DatedValue]] = {}
    waiver_approvers: list[str] = []

    @model_validator(mode="after")
    def _known_check_and_params(self) -> RuleSpec:
        check = CHECKS.get(self.check)
        if check is None:
            raise ValueError(f"unknown check '{self.check}'; known checks: {', '.join(sorted(CHECKS))}")
        missing = sorted(set(check.params) - set(self.params))
        if missing:
            raise ValueError(f"check '{self.check}' needs parameter(s) {', '.join(missing)}")
        unknown = sorted(set(self.params) - set(check.params))
        if unknown:
            raise ValueError(f"check '{self.check}' has no parameter(s) {', '.join(unknown)}")
        for name, values in self.params.items():
            if not values:
                raise ValueError(f"parameter '{name}' has no values; use unset = \"reason\" where the source gives no figure")
            for item in values:
                if item.value is not None:
                    check.params[name].validate(name, item.value)
        return self


class Applicability(Strict):
    """A regime's start: new engagements offered from a date; older ones only if still running on another."""

    new_offered_from: date
    legacy_running_on: date


class RulesetHeader(Strict):
    id: str
    title: str
    status: str
    source: str
    effective_from: date
    applicability: Applicability | None = None


class Ruleset(Strict):
    ruleset: RulesetHeader
    rule: list[RuleSpec]

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


def rules_dir() -> Path:
    """The shipped rules: inside the installed package, or the repository's rules/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parents[1] / "rules"):
        if (candidate / "rulesets").is_dir():
            return candidate
    raise RuleFileError(f"the shipped rules are missing (looked in {here / 'rules'} and {here.parents[1] / 'rules'}); reinstall agency-rules")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise RuleFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise RuleFileError(f"{path}: not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(f"{path}: {_toml_context(text, str(error))}not valid TOML ({error}){_date_hint(text, str(error))}") from None


_AT_LINE = re.compile(r"at line (\d+)")
_ITEM_ID = re.compile(r"""^\s*(?:id|rule|engagement_id)\s*=\s*["']([^"']+)["']""")
_DATE_LIKE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _toml_context(text: str, message: str) -> str:
    """'rule COOL001: ' for a syntax error inside that rule's table, so the reader knows where to look."""
    match = _AT_LINE.search(message)
    if not match:
        return ""
    lines = text.splitlines()[: int(match.group(1))]
    for line in reversed(lines):
        found = _ITEM_ID.match(line)
        if found:
            return f"in {found.group(1)}: "
        if line.lstrip().startswith("[["):
            break
    return ""


def _date_hint(text: str, message: str) -> str:
    """Name a date on the failing line that is not a real day: TOML reports it only as a syntax error."""
    match = _AT_LINE.search(message)
    if not match:
        return ""
    lines = text.splitlines()
    number = int(match.group(1))
    line = lines[number - 1] if number <= len(lines) else ""
    for year, month, day_ in _DATE_LIKE.findall(line):
        try:
            date(int(year), int(month), int(day_))
        except ValueError:
            return f"; {year}-{month}-{day_} is not a real date"
    return ""


def describe_validation(path: Path, data: dict[str, Any], error: ValidationError, kind: str) -> str:
    """One line per problem: file, the rule it is in (by id), the key, the reason."""
    lines = []
    for problem in error.errors():
        loc = list(problem["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and isinstance(loc[1], int):
            try:
                item = data[loc[0]][loc[1]]
                item_id = item.get("id") or item.get("rule") or " / ".join(str(item[k]) for k in ITEM_KEYS.get(kind, ()) if k in item)
            except (KeyError, IndexError, TypeError, AttributeError):
                item_id = None
            where = f"{kind} {item_id or loc[1] + 1}: " + ".".join(str(p) for p in loc[2:])
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{path}: {where}: {message}")
    return "\n".join(lines)


def load_model(path: Path, model: type[M], kind: str) -> M:
    """Read a TOML file into a strict model; every problem is reported with the file and the item's id."""
    data = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RuleFileError(describe_validation(path, data, error, kind)) from None


def load_ruleset(path: Path) -> Ruleset:
    return load_model(path, Ruleset, "rule")


def load_overlay(path: Path) -> Overlay:
    return load_model(path, Overlay, "change")


def _named(kind: str, name: str) -> Path:
    """A shipped ruleset or overlay by name, or a path to one's file."""
    candidate = Path(name)
    if candidate.suffix == ".toml":
        return candidate
    path = rules_dir() / kind / f"{name}.toml"
    if not path.exists():
        available = sorted(p.stem for p in (rules_dir() / kind).glob("*.toml"))
        raise RuleFileError(f"no {kind[:-1]} named '{name}'; available: {', '.join(available)}")
    return path


def find_ruleset(name: str) -> Path:
    return _named("rulesets", name)


def find_overlay(name: str) -> Path:
    return _named("overlays", name)


def check_overlay_fits(overlay: Overlay, ruleset: Ruleset, path: Path) -> None:
    """An overlay may change only rules and parameters the ruleset has, and add only new ids."""
    rules = {r.id: r for r in ruleset.rule}
    for change in overlay.change:
        rule = rules.get(change.rule)
        if rule is None:
            raise RuleFileError(f"{path}: change {change.rule}: ruleset {ruleset.ruleset.id} has no rule {change.rule}")
        if change.param not in rule.params:
            raise RuleFileError(f"{path}: change {change.rule}: rule has no parameter '{change.param}'")
        for item in change.values:
            if item.value is not None:
                try:
                    CHECKS[rule.check].params[change.param].validate(change.param, item.value)
                except ValueError as error:
                    raise RuleFileError(f"{path}: change {change.rule}: {error}") from None
    for rule in overlay.rule:
        if rule.id in rules:
            raise RuleFileError(f"{path}: rule {rule.id}: already in ruleset {ruleset.ruleset.id}; use a [[change]] instead")
