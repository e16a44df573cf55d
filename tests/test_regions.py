"""The packaged LA → region table is England's 153 councils, as the DfE statistics give them."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from agency_rules.regions import REGIONS, local_authorities

from .conftest import REPO

EXPECTED_SIZES = {
    "North East": 12,
    "North West": 24,
    "Yorkshire and The Humber": 15,
    "East Midlands": 10,
    "West Midlands": 14,
    "East of England": 11,
    "London": 33,
    "South East": 19,
    "South West": 15,
}


def test_153_councils_in_nine_regions_of_rules_md_sizes() -> None:
    table = local_authorities()
    assert len(table) == 153
    assert Counter(la.region for la in table.values()) == EXPECTED_SIZES
    assert set(EXPECTED_SIZES) == set(REGIONS)


def test_joint_returns_are_split_and_names_with_commas_survive() -> None:
    table = local_authorities()
    assert table["E09000021"].name == "Kingston upon Thames" and table["E09000027"].region == "London"
    assert table["E06000061"].region == table["E06000062"].region == "East Midlands"
    assert table["E06000010"].name == "Kingston upon Hull, City of"


def test_the_packaged_table_is_what_the_builder_makes_from_shared_data() -> None:
    source = REPO.parent / "shared" / "data" / "csww_indicators_2017_to_2023.csv"
    if not source.exists():
        pytest.skip("the DfE statistics the council table is built from are not beside this checkout")
    spec = importlib.util.spec_from_file_location("build_la_table", REPO / "tools" / "build_la_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = {code: (name, region) for code, name, region in module.local_authorities(source)}
    assert built == {code: (la.name, la.region) for code, la in local_authorities().items()}
