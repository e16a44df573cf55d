"""Price caps as data: per region (or national), job type and period, from --caps TOML files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from .regions import NATIONAL, REGIONS
from .rulebook import RuleFileError, Strict, load_model

Money = float


class CapEntry(Strict):
    region: str
    role: Literal["social_worker", "senior_social_worker", "advanced_practitioner", "team_manager", "iro_cp_chair"]
    effective_from: date
    effective_to: date | None = None
    existing_from: date | None = None
    pay_rate: Money | None = Field(default=None, gt=0)
    pay_rate_paye: Money | None = Field(default=None, gt=0)
    agency_fee: Money | None = Field(default=None, ge=0)
    framework_fee: Money | None = Field(default=None, ge=0)
    source: str = Field(min_length=1)
    file: str = ""

    @model_validator(mode="after")
    def _sound(self) -> CapEntry:
        if self.region not in REGIONS and self.region != NATIONAL:
            raise ValueError(f"unknown region '{self.region}'; use one of {', '.join(REGIONS)} or national")
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class CapsFile(Strict):
    cap: list[CapEntry] = []


class CapTable:
    """Lookup by region (else national), role and the day; later files replace earlier entries for the same period."""

    def __init__(self, entries: list[CapEntry] | None = None) -> None:
        self._by_key: dict[tuple[str, str], list[CapEntry]] = {}
        for entry in entries or []:
            self.add(entry)

    def add(self, entry: CapEntry) -> None:
        entries = self._by_key.setdefault((entry.region, entry.role), [])
        for index, other in enumerate(entries):
            if (other.effective_from, other.effective_to) == (entry.effective_from, entry.effective_to):
                entries[index] = entry
                return
        for other in entries:
            if other.file == entry.file and _overlap(other, entry):
                raise RuleFileError(
                    f"{entry.file}: caps for {entry.region} / {entry.role} overlap "
                    f"({other.effective_from} to {other.effective_to or 'open'} and {entry.effective_from} to {entry.effective_to or 'open'})"
                )
        entries.append(entry)
        entries.sort(key=lambda c: c.effective_from, reverse=True)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def find(self, region: str, role: str, day: date) -> CapEntry | None:
        for key in ((region, role), (NATIONAL, role)):
            for entry in self._by_key.get(key, ()):
                if entry.in_force(day):
                    return entry
        return None

    def find_existing(self, region: str, role: str, end: date | None) -> CapEntry | None:
        """A cap that also reaches engagements started earlier and still running on its `existing_from` day."""
        for key in ((region, role), (NATIONAL, role)):
            for entry in self._by_key.get(key, ()):
                start = entry.existing_from
                if start and entry.in_force(start) and (end is None or end >= start):
                    return entry
        return None


def _overlap(a: CapEntry, b: CapEntry) -> bool:
    a_end = a.effective_to or date.max
    b_end = b.effective_to or date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def load_caps(paths: list[Path]) -> CapTable:
    table = CapTable()
    for path in paths:
        for entry in load_model(path, CapsFile, "cap").cap:
            table.add(entry.model_copy(update={"file": str(path)}))
    return table
