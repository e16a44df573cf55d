"""England's 153 local authorities and their regions, from the DfE workforce statistics."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
NATIONAL = "national"


@dataclass(frozen=True, slots=True)
class LocalAuthority:
    code: str
    name: str
    region: str


@lru_cache(maxsize=1)
def local_authorities() -> dict[str, LocalAuthority]:
    """ONS code → LA; built by tools/build_la_table.py and shipped in the package."""
    text = resources.files("agency_rules").joinpath("data/local_authorities.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["la_code"]: LocalAuthority(r["la_code"], r["la_name"], r["region"]) for r in rows}


@lru_cache(maxsize=1)
def region_by_code() -> dict[str, str]:
    """ONS code → region name, for the per-row look-ups."""
    return {code: la.region for code, la in local_authorities().items()}


@lru_cache(maxsize=1)
def descriptions() -> dict[str, str]:
    """ONS code → 'Kent (South East)', how evidence names an LA for an HR officer."""
    return {code: f"{la.name} ({la.region})" for code, la in local_authorities().items()}
