"""Price caps as data: per region (or national), job type and period, from --caps TOML files."""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import Field, model_validator

from ..domain import CAPPED_ROLES
from ..regions import NATIONAL, REGIONS
from ..tomlfiles import Amount, Day, RuleFileError, Strict, Words, load_model


class CapEntry(Strict):
    region: str
    role: Literal[CAPPED_ROLES]  # type: ignore[valid-type]
    effective_from: Day
    effective_to: Day | None = None
    existing_from: Day | None = None
    pay_rate: Amount | None = Field(default=None, gt=0)
    pay_rate_paye: Amount | None = Field(default=None, gt=0)
    agency_fee: Amount | None = Field(default=None, ge=0)
    framework_fee: Amount | None = Field(default=None, ge=0)
    source: Words = Field(min_length=1)
    file: str = ""

    @model_validator(mode="before")
    @classmethod
    def _sourced(cls, data: object) -> object:
        """A cap without its source is a figure nobody can check: say what the key is for, not only that it is missing."""
        if isinstance(data, dict) and "source" not in data:
            raise ValueError(
                "no source: every cap says where its figures come from"
                ' (source = "West Midlands MoU rate card, April 2025", say)'
            )
        return data

    @model_validator(mode="after")
    def _sound(self) -> CapEntry:
        if self.region not in REGIONS and self.region != NATIONAL:
            raise ValueError(
                f"unknown region '{self.region}'; use one of {', '.join(REGIONS)} or national"
            )
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class CapsFile(Strict):
    cap: list[CapEntry] = []


class CapTable:
    """Entries by region (or national) and role, newest start first; a later file replaces an earlier entry for the same period."""

    def __init__(self, entries: list[CapEntry] | None = None) -> None:
        self._by_key: dict[tuple[str, str], list[CapEntry]] = {}
        self._periods: dict[
            tuple[str, str], dict[tuple[date, date | None], CapEntry]
        ] = {}  # each key's entries by their period
        self._starts: dict[
            tuple[str, str, str | None], list[CapEntry]
        ] = {}  # each key's entries of one file, by start
        for entry in entries or []:
            self.add(entry)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def add(self, entry: CapEntry) -> None:
        """The entry in force over its period: one of the same period is replaced; one of the same file that overlaps it is
        refused. Found by the period and by the neighbours in start order, so a file of 24,000 caps loads in a moment (a
        comparison with every earlier entry took minutes)."""
        key = (entry.region, entry.role)
        entries = self._by_key.setdefault(key, [])
        periods = self._periods.setdefault(key, {})
        period = (entry.effective_from, entry.effective_to)
        if period in periods:
            replaced = periods[period]
            entries[entries.index(replaced)] = entry
            self._starts[(*key, replaced.file)].remove(replaced)
            bisect.insort(
                self._starts.setdefault((*key, entry.file), []),
                entry,
                key=lambda c: c.effective_from,
            )
            periods[period] = entry
            return
        same_file = self._starts.setdefault((*key, entry.file), [])
        at = bisect.bisect_left(same_file, entry.effective_from, key=lambda c: c.effective_from)
        for other in same_file[
            max(at - 1, 0) : at + 1
        ]:  # sorted by start, an overlap is always with a neighbour
            if _overlap(other, entry):
                raise RuleFileError(
                    f"{entry.file}: caps for {entry.region} / {entry.role} overlap "
                    f"({other.effective_from} to {other.effective_to or 'open'} and {entry.effective_from} to {entry.effective_to or 'open'})"
                )
        same_file.insert(at, entry)
        periods[period] = entry
        bisect.insort(
            entries, entry, key=lambda c: -c.effective_from.toordinal()
        )  # newest start first

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def _limits(self, entry: CapEntry, places: dict[int, int]) -> dict[str, object]:
        return {
            "cap.index": places[id(entry)],
            "cap.pay_rate": entry.pay_rate,
            "cap.pay_rate_paye": entry.pay_rate_paye,
            "cap.agency_fee": entry.agency_fee,
            "cap.framework_fee": entry.framework_fee,
        }

    def periods(self) -> pl.DataFrame:
        """For each region (or national) and role, the days each entry is the one in force: non-overlapping, so a join finds one.

        Where entries from different files overlap, the one that started last is in force.
        """
        places = self._places()
        rows = []
        for (region, role), entries in self._by_key.items():
            cuts = sorted(
                {e.effective_from for e in entries}
                | {
                    e.effective_to + timedelta(days=1)
                    for e in entries
                    if e.effective_to and e.effective_to < date.max
                }
            )
            for index, first in enumerate(cuts):
                last = cuts[index + 1] - timedelta(days=1) if index + 1 < len(cuts) else None
                entry = next((e for e in entries if e.in_force(first)), None)
                if entry is not None:
                    rows.append(
                        {
                            "region": region,
                            "role": role,
                            "first": first,
                            "last": last,
                            **self._limits(entry, places),
                        }
                    )
        return pl.DataFrame(rows, schema=PERIOD_SCHEMA)

    def reaching_existing(self) -> pl.DataFrame:
        """Entries with an `existing_from` day in force: they also reach engagements that started earlier and still run on it."""
        places = self._places()
        rows = [
            {
                "region": region,
                "role": role,
                "rank": rank,
                "existing_from": e.existing_from,
                **self._limits(e, places),
            }
            for (region, role), entries in self._by_key.items()
            for rank, e in enumerate(entries)
            if e.existing_from and e.in_force(e.existing_from)
        ]
        return pl.DataFrame(rows, schema=EXISTING_SCHEMA)

    def details(self) -> pl.DataFrame:
        """Each entry's words for messages and evidence, by `cap.index` (its place in `entries`)."""
        return pl.DataFrame(
            [
                {
                    "cap.index": index,
                    "cap.region": e.region,
                    "cap.role": e.role,
                    "cap.source": e.source,
                    "cap.file": e.file,
                    "cap.in_force": f"{e.effective_from.isoformat()} to {e.effective_to.isoformat() if e.effective_to else 'open-ended'}",
                }
                for index, e in enumerate(self.entries)
            ],
            schema=DETAIL_SCHEMA,
        )

    def entries_for(self, region: str, role: str) -> list[CapEntry]:
        """One region's (or national's) entries for one role, oldest first."""
        return sorted(self._by_key.get((region, role), []), key=lambda e: e.effective_from)

    @property
    def entries(self) -> list[CapEntry]:
        return [e for key in sorted(self._by_key) for e in self._by_key[key]]

    def _places(self) -> dict[int, int]:
        """Each entry's place in `entries`, the `cap.index` that `details` is keyed by."""
        return {id(e): i for i, e in enumerate(self.entries)}


LIMITS = {
    "cap.pay_rate": pl.Float64,
    "cap.pay_rate_paye": pl.Float64,
    "cap.agency_fee": pl.Float64,
    "cap.framework_fee": pl.Float64,
}
CAP_COLUMNS = {"cap.index": pl.UInt32, **LIMITS}
PERIOD_SCHEMA = {
    "region": pl.String,
    "role": pl.String,
    "first": pl.Date,
    "last": pl.Date,
    **CAP_COLUMNS,
}
EXISTING_SCHEMA = {
    "region": pl.String,
    "role": pl.String,
    "rank": pl.Int64,
    "existing_from": pl.Date,
    **CAP_COLUMNS,
}
DETAIL_SCHEMA = {
    "cap.index": pl.UInt32,
    "cap.region": pl.String,
    "cap.role": pl.String,
    "cap.source": pl.String,
    "cap.file": pl.String,
    "cap.in_force": pl.String,
}


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
