"""Every rule of both regimes and the overlays, on literal cases from tests/cases/*.toml.

Each case's expected outcomes were worked out by hand from docs/semantics.md; a case file
is data, so a reviewer can add cases without writing Python.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from agency_rules.terms import REPORTED

from .conftest import CASES

CASE_FILES = ("consultation-2023.toml", "statutory-2024.toml", "overlays.toml", "contracts.toml")


def load_cases() -> list[pytest.param]:
    params = []
    for name in CASE_FILES:
        data = tomllib.loads((CASES / name).read_text("utf-8"))
        for case in data["case"]:
            case.setdefault("ruleset", data["ruleset"])
            case.setdefault("contracts", data.get("contracts", []))
            params.append(pytest.param(case, id=f"{Path(name).stem}: {case['name']}"))
    return params


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict, check_one) -> None:
    options = {
        "ruleset": case["ruleset"],
        "overlays": case.get("overlays", []),
        "caps": [CASES / c for c in case.get("caps", [])],
        "waivers": CASES / case["waivers"] if "waivers" in case else None,
        "as_of": date.fromisoformat(case["as_of"]) if "as_of" in case else None,
        "contracts": [CASES / c for c in case["contracts"]],
    }
    got, report = check_one(case.get("set", {}), history=case.get("history"), **options)
    expected = case["expect"]
    assert {rule: got[rule] for rule in expected} == expected
    findings = report.finding_records()
    reported = {(f["rule_id"], f["outcome"]) for f in findings}
    for rule, outcome in expected.items():
        assert ((rule, outcome) in reported) == (outcome in REPORTED)
        if outcome in REPORTED:
            finding = next(f for f in findings if f["rule_id"] == rule)
            assert finding["message"] and finding["evidence"] and finding["source"]
