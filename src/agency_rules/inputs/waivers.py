"""Waivers and explanations (`--waivers`, TOML): a breach signed off by the approvers its rule names, for as long as the
sign-off lasts; and an explanation of why a breach happened, which waives nothing. Both choose their engagements by
selectors (engagement, worker, agency, council, framework), all of which must match."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from ..shown import excerpt, quote
from ..tomlfiles import Day, Name, RuleFileError, Strict, Words, load_model
from .columns import ENGAGEMENT_COLUMNS, read_one

SELECTORS = ("engagement_id", "worker_id", "agency", "la_code", "framework")
_READ_AS = {c.name: c.kind for c in ENGAGEMENT_COLUMNS if c.name in SELECTORS}


class Selected(Strict):
    """What every waiver and explanation has: its rule and the engagements it is about."""

    rule_id: Words = Field(min_length=1)
    engagement_id: Words | None = None
    worker_id: Words | None = None
    agency: Words | None = None
    la_code: Words | None = None
    framework: Words | None = None

    @field_validator("rule_id")
    @classmethod
    def _upper(cls, rule_id: str) -> str:
        return rule_id.strip().upper()  # as `agency-check rules cap001` reads it

    @model_validator(mode="after")
    def _selects(self) -> Selected:
        if not any(getattr(self, key) for key in SELECTORS):
            raise ValueError("names no engagement: give at least one of " + ", ".join(SELECTORS))
        return self

    def selectors(self) -> dict[str, str]:
        return {key: value for key in SELECTORS if (value := getattr(self, key))}

    def described(self) -> str:
        """How a notice or a finding names the entry: its rule and selectors, as written."""
        return f"{self.rule_id} for " + ", ".join(
            f"{key.removesuffix('_id').replace('la_code', 'council')} {quote(value)}"
            for key, value in self.selectors().items()
        )


class Waiver(Selected):
    reason: Words = Field(min_length=1)
    approved_by: dict[str, Name] = Field(min_length=1)
    approved_on: Day
    expires_on: Day | None = None
    reference: Words | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Waiver:
        if self.expires_on is not None and self.expires_on < self.approved_on:
            raise ValueError(
                f"expires_on {self.expires_on.isoformat()} is before approved_on {self.approved_on.isoformat()}"
            )
        return self


class Explanation(Selected):
    text: Words = Field(min_length=1)


class WaiversFile(Strict):
    waiver: list[Waiver] = []
    explanation: list[Explanation] = []


@dataclass(frozen=True)
class SignOffs:
    """A waivers file read: its waivers and explanations in file order, selectors read as an export's cells are."""

    waivers: list[Waiver]
    explanations: list[Explanation]
    keys: list[
        dict[str, str]
    ]  # each entry's selectors, waivers first, then explanations, read for matching


NONE = SignOffs([], [], [])


def load_waivers(path: Path) -> SignOffs:
    parsed = load_model(path, WaiversFile, "waiver")
    entries: list[tuple[str, int, Selected]] = [
        *(("waiver", n, w) for n, w in enumerate(parsed.waiver, 1)),
        *(("explanation", n, e) for n, e in enumerate(parsed.explanation, 1)),
    ]
    keys = [_read(path, kind, entry) for kind, _, entry in entries]
    return SignOffs(list(parsed.waiver), list(parsed.explanation), keys)


def _read(path: Path, kind: str, entry: Selected) -> dict[str, str]:
    """Selectors read as an export's cells are: a worker's number in any form a cell takes, a council by code or name,
    names with their spaces and accents made the same."""
    keys: dict[str, Any] = {}
    for key, value in entry.selectors().items():
        if key in _READ_AS:
            try:
                value = str(read_one(_READ_AS[key], value))
            except ValueError as error:
                named = " / ".join([entry.rule_id, *entry.selectors().values()])
                raise RuleFileError(f"{path}: {kind} {excerpt(named)}: {key}: {error}") from None
        keys[key] = value
    return keys


def missing_approvals(waiver: Waiver, approvers: list[str]) -> list[str]:
    """Approver roles the rule needs that the waiver lacks; a rule that names none cannot be waived."""
    if not approvers:
        return ["(this rule cannot be waived)"]
    return [a for a in approvers if not waiver.approved_by.get(a, "").strip()]
