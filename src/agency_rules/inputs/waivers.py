"""Waivers: a breach signed off by the approvers a rule names (e.g. DCS and chief executive for a cap)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from ..tomlfiles import Day, Name, RuleFileError, Strict, Words, load_model


class Waiver(Strict):
    engagement_id: Words
    rule_id: Words
    approved_by: dict[str, Name] = Field(min_length=1)
    approved_on: Day
    reason: Words = Field(min_length=1)
    reference: Words | None = None


class WaiversFile(Strict):
    waiver: list[Waiver] = []


def load_waivers(path: Path) -> dict[tuple[str, str], Waiver]:
    parsed = load_model(path, WaiversFile, "waiver")
    waivers: dict[tuple[str, str], Waiver] = {}
    for waiver in parsed.waiver:
        key = (waiver.engagement_id, waiver.rule_id)
        if key in waivers:
            raise RuleFileError(f"{path}: two waivers for engagement {key[0]} and rule {key[1]}")
        waivers[key] = waiver
    return waivers


def missing_approvals(waiver: Waiver, approvers: list[str]) -> list[str]:
    """Approver roles the rule needs that the waiver lacks; a rule that names none cannot be waived."""
    if not approvers:
        return ["(this rule cannot be waived)"]
    return [a for a in approvers if not waiver.approved_by.get(a, "").strip()]
