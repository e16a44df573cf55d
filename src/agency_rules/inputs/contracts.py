"""Framework, managed-service and direct contracts as data: their terms, clauses and rate card, from TOML files.

A contract is read strictly, like every settings file: an unknown key, a date that is not a date,
an unknown role, region or council, a rate that is not a number, or an end before its start is
refused with the file, the key and the reason. A clause the contract does not state is None, and
the check says `unknown` for it: silence is never compliance.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import polars as pl
from pydantic import BeforeValidator, Field, field_validator, model_validator

from ..domain import CAPPED_ROLES, EMPLOYMENT_MODELS, LEAVING_REASONS
from ..regions import REGIONS
from ..tomlfiles import (
    Amount,
    Day,
    Flag,
    Name,
    Reference,
    RuleFileError,
    Strict,
    Whole,
    Words,
    load_model,
    read_toml,
)
from .columns import LaCode, read_one
from .files import InputError

ROUTES = ("framework", "msp_neutral", "msp_master", "direct")
APPROVERS = ("director_of_childrens_services", "chief_executive")


class ProjectTeams(Strict):
    """Whether the contract lets the supplier provide project teams, and the three safeguards it requires if so."""

    supplied: Flag | None = None
    workers_identified: Flag | None = None
    costs_itemised: Flag | None = None
    la_practice_control: Flag | None = None


class References(Strict):
    count: Whole | None = Field(default=None, ge=0, le=20)
    practice_based: Flag | None = None
    standard_template: Flag | None = None
    provided_by: Words | None = (
        None  # who gives them: e.g. "the worker's last employer's line manager"
    )


class Clauses(Strict):
    """What the contract requires of the supplier; each is None where the contract is silent."""

    binds_supplier: Flag | None = None  # the supplier is bound to the national rules
    binds_second_tier: Flag | None = None  # and any second-tier supplier is bound as well
    notice_weeks: Amount | None = Field(default=None, ge=0, le=52)
    notice_reciprocal: Flag | None = None
    references: References = References()
    cooling_off_months: Whole | None = Field(default=None, ge=0, le=60)
    cooling_off_exemptions: list[Literal[LEAVING_REASONS]] | None = None  # type: ignore[valid-type]
    project_teams: ProjectTeams = ProjectTeams()
    quarterly_data_shared: Flag | None = (
        None  # the data for the DfE's quarterly return is shared with the council
    )
    expenses_not_to_exceed_cap: Flag | None = None  # expenses are not used to take pay past a cap
    cap_breach_sign_off: list[Literal[APPROVERS]] | None = None  # type: ignore[valid-type]


def _region(value: str) -> str:
    """A region in any case, as the engagement exports' words are read."""
    found = next(
        (region for region in REGIONS if region.casefold() == str(value).strip().casefold()), None
    )
    if found is None:
        raise ValueError(f"unknown region '{value}'; use one of {', '.join(REGIONS)}")
    return found


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


PLAUSIBLE = 10_000  # £ an hour: above it, as in an engagement row, a figure is a slip (pence for pounds, a salary)


class RateLine(Strict):
    region: str
    role: Annotated[Literal[CAPPED_ROLES], BeforeValidator(_lower)]  # type: ignore[valid-type]
    employment_model: Annotated[Literal[EMPLOYMENT_MODELS], BeforeValidator(_lower)]  # type: ignore[valid-type]
    pay_rate: Amount | None = Field(default=None, gt=0, le=PLAUSIBLE)
    agency_fee: Amount | None = Field(default=None, ge=0, le=PLAUSIBLE)
    framework_fee: Amount | None = Field(default=None, ge=0, le=PLAUSIBLE)
    effective_from: Day | None = None  # optional period inside the term; the whole term when absent
    effective_to: Day | None = None

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        return _region(value)

    @model_validator(mode="after")
    def _sound(self) -> RateLine:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError(
                f"effective_to ({self.effective_to}) is before effective_from ({self.effective_from})"
            )
        if self.pay_rate is None and self.agency_fee is None and self.framework_fee is None:
            raise ValueError(
                "a rate line needs at least one of pay_rate, agency_fee, framework_fee"
            )
        return self


class Contract(Strict):
    name: Name = Field(min_length=1)
    reference: Reference = Field(min_length=1)
    route: Annotated[Literal[ROUTES], BeforeValidator(_lower)]  # type: ignore[valid-type]
    supplier: Name = Field(min_length=1)
    councils: list[str] = []  # ONS codes or names
    regions: list[str] = []
    start: Day
    end: Day | None = None

    @field_validator("councils")
    @classmethod
    def _known_councils(cls, values: list[str]) -> list[str]:
        return [_council(value) for value in values]

    @field_validator("regions")
    @classmethod
    def _known_regions(cls, values: list[str]) -> list[str]:
        return [_region(value) for value in values]

    @property
    def key(self) -> str:
        """The reference as engagements' `framework` is matched to it: any case, spaces around ignored (contract_book.reference_key)."""
        return self.reference.strip().lower()

    @model_validator(mode="after")
    def _sound(self) -> Contract:
        if self.end and self.end < self.start:
            raise ValueError("end is before start")
        if not self.councils and not self.regions:
            raise ValueError(
                "name the councils (codes or names) or the regions the contract serves"
            )
        return self


class ContractFile(Strict):
    contract: Contract
    clauses: Clauses = Clauses()
    rate: list[RateLine] = []

    @model_validator(mode="after")
    def _rates_in_term(self) -> ContractFile:
        """Each rate line inside the term, and no two for one region, role and model on the same day: an engagement's line is never a guess."""
        for line in self.rate:
            for day in (line.effective_from, line.effective_to):
                if day and (
                    day < self.contract.start or (self.contract.end and day > self.contract.end)
                ):
                    key = "effective_from" if day == line.effective_from else "effective_to"
                    raise ValueError(
                        f"rate {line_words(line)}: {key} {day} is outside the term ({period_in_words(self.contract.start, self.contract.end)})"
                    )
        by_kind: dict[tuple[str, str, str], list[tuple[date, date | None, int]]] = {}
        for number, line in enumerate(self.rate):
            by_kind.setdefault((line.region, line.role, line.employment_model), []).append(
                (*term_days(self.contract, line), number)
            )
        for lines in (
            by_kind.values()
        ):  # sorted by start, two lines overlap only if two neighbours do: no pair is missed
            lines.sort(key=lambda line: (line[0], line[2]))
            for (since, until, one), (first, last, other) in zip(lines, lines[1:]):
                if until is None or first <= until:
                    earlier, later = sorted((one, other))
                    raise ValueError(
                        f"rate lines {earlier + 1} and {later + 1} for {line_words(self.rate[other])} "
                        f"({period_in_words(since, until)}; {period_in_words(first, last)}) are in force on the same days; "
                        "give each its own period"
                    )
        return self


@functools.lru_cache(maxsize=4096)
def _council(value: str) -> str:
    """A council named in a contract, as its ONS code; each name looked up once (a framework names thousands of lines)."""
    return str(read_one(LaCode(pl.String), value))


def load_contract(path: Path) -> ContractFile:
    """A contract file; another kind of settings file (a caps file in a folder of contracts, say) is named as such."""
    data = read_toml(path)
    if "contract" not in data:
        tables = ", ".join(data) or "nothing"
        raise RuleFileError(
            f"{path}: not a contract file: it has no [contract] table (its keys: {tables})"
        )
    return load_model(path, ContractFile, "contract")


def contract_files(paths: list[Path]) -> list[Path]:
    """The files named, and the *.toml files of each folder named, in name order, each file once however it is named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(path.glob("*.toml"))
            if not inside:
                raise InputError(f"{path}: a folder with no contract files (*.toml) in it")
            found += inside
        else:
            found.append(path)
    kept: dict[
        Path, Path
    ] = {}  # one file named twice (a folder and a file in it, a link, ../x) is one contract
    for path in found:
        kept.setdefault(path.resolve(), path)
    return list(kept.values())


def line_words(line: RateLine) -> str:
    """'South East / social_worker / umbrella': a rate line named in the contract file's own words, so it can be found there."""
    return f"{line.region} / {line.role} / {line.employment_model}"


def period_in_words(first: date, last: date | None) -> str:
    """'1 Oct 2025 to 31 Mar 2026', or 'from 1 Oct 2025' when open-ended."""
    return f"{first:%-d %b %Y} to {last:%-d %b %Y}" if last else f"from {first:%-d %b %Y}"


def term_days(contract: Contract, line: RateLine) -> tuple[date, date | None]:
    """The days a rate line is in force: its own period, else the contract's term."""
    return line.effective_from or contract.start, line.effective_to or contract.end
