"""Nothing is imported before it is needed: the version and the help never load polars; `rules`, `columns` and the
contract check never load the workbook, chart or xlsx libraries (read from `python -X importtime`)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from agency_rules.entry import ALLOCATOR, POLARS_ALLOCATOR, tune_polars

from .conftest import REPO

HEAVY = ("polars", "fastexcel", "xlsxwriter", "matplotlib", "scipy")


def imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "agency_rules", *args],
                            capture_output=True, text=True, cwd=REPO)
    names = {re.sub(r"^\s+", "", line.rsplit("|", 1)[1]).split(".")[0]
             for line in result.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    return names & set(HEAVY)


@pytest.mark.slow
@pytest.mark.parametrize("args, allowed", [
    (["--version"], set()),
    (["-h"], set()),
    (["check", "-h"], set()),
    (["rules"], {"polars"}),
    (["rules", "CAP001", "--format", "json"], {"polars"}),
    (["columns", "fixtures/engagements.csv"], {"polars"}),
    (["contract", "fixtures/contracts", "--caps", "fixtures/contract-caps.toml"], {"polars"}),
    (["contract", "fixtures/contracts", "--caps", "fixtures/contract-caps.toml", "--format", "json"], {"polars"}),
    (["fixtures/engagements.csv", "--format", "json"], {"polars"}),
])
def test_each_command_loads_only_what_it_needs(args: list[str], allowed: set[str]) -> None:
    assert imported(*args) <= allowed, args


@pytest.mark.slow
def test_a_workbook_loads_the_workbook_reader_and_only_then() -> None:
    assert "fastexcel" in imported("fixtures/msp-export.xlsx", "--column-map", "fixtures/msp-column-map.toml")


@pytest.mark.parametrize("given, expected", [
    ({}, ALLOCATOR),
    ({"_RJEM_MALLOC_CONF": ""}, ALLOCATOR),
    ({"_RJEM_MALLOC_CONF": POLARS_ALLOCATOR}, ALLOCATOR),  # polars' own default, passed down by a parent that imported it
    ({"_RJEM_MALLOC_CONF": "dirty_decay_ms:0"}, "dirty_decay_ms:0"),  # the user's own
])
def test_the_allocator_gives_memory_back_soon_unless_the_user_said_otherwise(given: dict[str, str], expected: str) -> None:
    environ = dict(given)
    tune_polars(environ)
    assert environ["_RJEM_MALLOC_CONF"] == expected


def test_every_command_runs_on_the_in_memory_engine_unless_the_user_chose_one() -> None:
    unset: dict[str, str] = {}
    tune_polars(unset)
    chosen = {"POLARS_ENGINE_AFFINITY": "streaming"}
    tune_polars(chosen)
    assert (unset["POLARS_ENGINE_AFFINITY"], chosen["POLARS_ENGINE_AFFINITY"]) == ("in-memory", "streaming")
