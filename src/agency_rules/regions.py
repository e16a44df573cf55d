"""England's 153 local authorities and their regions, from the DfE workforce statistics."""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl

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
def council_names() -> dict[str, str]:
    """ONS code → the council's name, as findings name it."""
    return {code: la.name for code, la in local_authorities().items()}


@lru_cache(maxsize=1)
def descriptions() -> dict[str, str]:
    """ONS code → 'Kent (South East)', how evidence names an LA for an HR officer."""
    return {code: f"{la.name} ({la.region})" for code, la in local_authorities().items()}


# Words that name the kind of council, not which one: "Kent County Council", "Calderdale MBC", "LB Tower Hamlets",
# "City of Bradford Metropolitan District Council" and "Bristol, City of" all name one LA by the words that are left.
_KIND = r"\b(?:council|county|borough|metropolitan|district|royal|corporation|cc|mbc|mdc|dc|bc|lb|lbc|rb|rbc)\b"
_FILLER = r"\b(?:city|london|of|the|and|upon)\b"


def _squeezed(words: pl.Expr) -> pl.Expr:
    return words.str.replace_all(r" +", " ").str.strip_chars()


def name_key(name: pl.Expr) -> pl.Expr:
    """The words that tell one council's name from another's, so every common form of a name finds it.

    Case, punctuation, `&`/`and`, `St`/`St.`/`Saint` and the words for a kind of council are ignored; a name that
    is nothing but such words (City of London, City of London Corporation) keeps all but the kind.
    """
    words = (
        name.str.to_lowercase()
        .str.replace_all("&", " and ", literal=True)
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.replace_all(r"\bst\b", "saint")
    )
    bare = words.str.replace_all(_KIND, " ")
    specific = _squeezed(bare.str.replace_all(_FILLER, " "))
    return pl.when(specific != "").then(specific).otherwise(_squeezed(bare))


# Names in everyday use that are not the table's: the acronyms councils and their suppliers write
SHORT_NAMES = {
    "Hull": "E06000010",
    "BCP": "E06000058",
    "B&NES": "E06000022",
    "BANES": "E06000022",
    "RBKC": "E09000020",
    "RBWM": "E06000040",
    "H&F": "E09000013",
    "LBHF": "E09000013",
    "LBBD": "E09000002",
    "LBTH": "E09000030",
    "RBK": "E09000021",
    "RBG": "E09000011",
}


@lru_cache(maxsize=1)
def la_by_name() -> dict[str, str]:
    """Name key → ONS code for every LA in the table and its everyday short names (each key names one LA: a test checks it)."""
    names = [la.name for la in local_authorities().values()] + list(SHORT_NAMES)
    codes = list(local_authorities()) + list(SHORT_NAMES.values())
    keys = pl.select(name_key(pl.lit(pl.Series(names)))).to_series()
    return dict(zip(keys, codes, strict=True))


def name_candidates(text: str) -> list[str]:
    """The LAs `text` may mean where it names none exactly: every council whose name holds all its words
    ('Kingston', 'Sussex'), else the names closest to it in spelling ('Hertfordshre')."""
    key = pl.select(name_key(pl.lit(text))).item()
    if not key:
        return []
    words = set(key.split())
    las, by_name = local_authorities(), la_by_name()
    codes = dict.fromkeys(code for name, code in by_name.items() if words <= set(name.split()))
    if not codes:
        codes = dict.fromkeys(
            by_name[name] for name in difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.8)
        )
    return [f"{las[code].name} ({code})" for code in codes]
