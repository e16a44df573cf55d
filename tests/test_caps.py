"""Caps files: lookup by region then national, role and date; later files replace earlier entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agency_rules.inputs.caps import load_caps
from agency_rules.tomlfiles import RuleFileError

from .conftest import cap_for

ENTRY = """
[[cap]]
region = "{region}"
role = "social_worker"
effective_from = {start}
{extra}
pay_rate = {pay}
source = "test"
"""


def caps_file(tmp_path: Path, name: str, *entries: dict) -> Path:
    path = tmp_path / name
    path.write_text("".join(ENTRY.format(**{"region": "South East", "start": "2025-04-01", "extra": "", "pay": 35, **e}) for e in entries))
    return path


def test_a_later_file_replaces_the_same_region_role_and_period(tmp_path: Path) -> None:
    first = caps_file(tmp_path, "a.toml", {"pay": 35})
    second = caps_file(tmp_path, "b.toml", {"pay": 33})
    assert cap_for(load_caps([first, second]), "South East", "social_worker", date(2025, 6, 1))["pay_rate"] == 33
    assert cap_for(load_caps([second, first]), "South East", "social_worker", date(2025, 6, 1))["pay_rate"] == 35


def test_region_before_national_and_periods_by_date(tmp_path: Path) -> None:
    path = caps_file(
        tmp_path,
        "c.toml",
        {"region": "national", "pay": 40, "start": "2024-01-01"},
        {"pay": 35, "extra": "effective_to = 2025-12-31"},
        {"pay": 36, "start": "2026-01-01"},
    )
    table = load_caps([path])
    assert cap_for(table, "South East", "social_worker", date(2025, 3, 31))["pay_rate"] == 40
    assert cap_for(table, "South East", "social_worker", date(2025, 4, 1))["pay_rate"] == 35
    assert cap_for(table, "South East", "social_worker", date(2025, 12, 31))["pay_rate"] == 35
    assert cap_for(table, "South East", "social_worker", date(2026, 1, 1))["pay_rate"] == 36
    assert cap_for(table, "London", "social_worker", date(2026, 1, 1))["pay_rate"] == 40
    assert cap_for(table, "London", "team_manager", date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    "entry, words",
    [
        ({"region": "Wessex"}, "unknown region 'Wessex'"),
        ({"pay": -1}, "greater than 0"),
        ({"extra": "effective_to = 2025-01-01"}, "effective_to is before effective_from"),
        ({"extra": "bonus = 1"}, "unknown key"),
    ],
)
def test_bad_caps_are_refused(tmp_path: Path, entry: dict, words: str) -> None:
    with pytest.raises(RuleFileError, match=words):
        load_caps([caps_file(tmp_path, "bad.toml", entry)])


def test_overlapping_periods_in_one_file_are_refused(tmp_path: Path) -> None:
    path = caps_file(tmp_path, "o.toml", {"pay": 35}, {"pay": 36, "start": "2025-06-01"})
    with pytest.raises(RuleFileError, match="overlap"):
        load_caps([path])


@pytest.mark.parametrize("entries, overlapping", [
    # listed out of date order: the overlap is with the neighbour in start order, not in the file
    (({"start": "2026-04-01", "extra": "effective_to = 2026-06-30"}, {"start": "2025-04-01", "extra": "effective_to = 2025-06-30"},
      {"start": "2025-06-01", "extra": "effective_to = 2025-08-31"}), True),
    (({"start": "2026-04-01", "extra": "effective_to = 2026-06-30"}, {"start": "2025-04-01", "extra": "effective_to = 2025-06-30"},
      {"start": "2025-07-01", "extra": "effective_to = 2026-03-31"}), False),
    (({"start": "2025-04-01", "extra": "effective_to = 2025-06-30"}, {"start": "2024-04-01"}), True),  # an open end before it
])
def test_overlaps_within_a_file_are_found_in_any_order(tmp_path: Path, entries: tuple, overlapping: bool) -> None:
    path = caps_file(tmp_path, "o.toml", *entries)
    if overlapping:
        with pytest.raises(RuleFileError, match="overlap"):
            load_caps([path])
    else:
        assert len(load_caps([path])) == 3


def test_a_caps_file_changed_between_two_checks_of_one_process_is_read_again(tmp_path: Path) -> None:
    """A file's parsed text is kept for the process by its bytes' digest, so an edit between two runs is seen."""
    path = caps_file(tmp_path, "caps.toml", {"pay": 35})
    first = cap_for(load_caps([path]), "South East", "social_worker", date(2025, 5, 1))
    caps_file(tmp_path, "caps.toml", {"pay": 36})
    second = cap_for(load_caps([path]), "South East", "social_worker", date(2025, 5, 1))
    assert (first["pay_rate"], second["pay_rate"]) == (35, 36)


def test_a_problem_every_cap_shares_is_one_line_naming_the_first_caps(tmp_path: Path) -> None:
    path = caps_file(tmp_path, "caps.toml", *({"start": f"202{i}-04-01"} for i in range(5)))
    path.write_text(path.read_text().replace('source = "test"\n', "").replace("pay_rate = 35", 'pay_rate = 35\nbogus = 1', 1))
    with pytest.raises(RuleFileError) as raised:
        load_caps([path])
    message = str(raised.value)
    assert "\n" not in message
    assert "cap South East / social_worker / 2020-04-01, South East / social_worker / 2021-04-01," in message
    assert "2022-04-01 and 2 more: no source: every cap says where its figures come from (source = " in message
    other = caps_file(tmp_path, "other.toml", {"extra": "bogus = 1"}, {"start": "2026-04-01", "pay": '"a"'})
    with pytest.raises(RuleFileError) as raised:
        load_caps([other])
    assert "\n" not in str(raised.value) and "2025-04-01: bogus: unknown key; cap South East / social_worker / 2026-04-01: pay_rate:" in str(raised.value)
