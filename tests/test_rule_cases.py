"""Every rule of both regimes and the overlays, on literal cases from tests/cases/*.toml.

Each case's expected outcomes were worked out by hand from docs/semantics.md; a case file
is data, so a reviewer can add cases without writing Python.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from agency_rules import api
from agency_rules.domain import REPORTED

from .conftest import CASES, COMPLIANT, FULL, write_csv

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


ALONE = ("history", "waivers")  # a case whose run needs more than its own row is checked on its own


def _options(case: dict) -> dict:
    return {
        "ruleset": case["ruleset"],
        "overlays": case.get("overlays", []),
        "caps": [CASES / c for c in case.get("caps", [])],
        "waivers": CASES / case["waivers"] if "waivers" in case else None,
        "as_of": date.fromisoformat(case["as_of"]) if "as_of" in case else None,
        "contracts": [CASES / c for c in case["contracts"]],
    }


def _batch_key(case: dict) -> tuple | None:
    fields = case.get("set", {})
    if any(key in case for key in ALONE) or "worker_id" in fields or "engagement_id" in fields:
        return None
    return (case["ruleset"], tuple(case.get("overlays", [])), tuple(case.get("caps", [])), case.get("as_of"), tuple(case["contracts"]))


_BATCHES: dict[tuple, dict[str, tuple[dict[str, str], list[dict]]]] = {}


def _batched(case: dict, key: tuple, folder: Path) -> tuple[dict[str, str], list[dict]]:
    """Every case of one ruleset, overlays, caps and day in one run, each its own engagement of its own worker (cases
    share nothing a rule looks at across rows), so the cases cost one run per setting, not one each."""
    if key not in _BATCHES:
        cases = [p.values[0] for p in load_cases() if _batch_key(p.values[0]) == key]
        rows = [{**COMPLIANT, **c.get("set", {}), "engagement_id": f"C-{i}", "worker_id": f"SW{800000 + i}"} for i, c in enumerate(cases)]
        path = write_csv(folder / f"batch-{len(_BATCHES)}.csv", rows)
        report = api.run([path], api.Options(**_options(case)))
        assert report.rows_checked == len(rows), report.rejected_rows["message"].to_list()
        frame = report.evaluation.outcomes
        records = report.finding_records()
        _BATCHES[key] = {
            c["name"]: (
                {column.removesuffix(".outcome"): frame[column][i] for column in frame.columns if column.endswith(".outcome")},
                [f for f in records if f["engagement_id"] == f"C-{i}"],
            )
            for i, c in enumerate(cases)
        }
    return _BATCHES[key][case["name"]]


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict, check_one, tmp_path_factory: pytest.TempPathFactory) -> None:
    key = None if FULL else _batch_key(case)  # the full tier checks every case on its own too
    if key is None:
        got, report = check_one(case.get("set", {}), history=case.get("history"), **_options(case))
        findings = report.finding_records()
    else:
        got, findings = _batched(case, key, tmp_path_factory.mktemp("cases"))
    expected = case["expect"]
    assert {rule: got[rule] for rule in expected} == expected
    reported = {(f["rule_id"], f["outcome"]) for f in findings}
    for rule, outcome in expected.items():
        assert ((rule, outcome) in reported) == (outcome in REPORTED)
        if outcome in REPORTED:
            finding = next(f for f in findings if f["rule_id"] == rule)
            assert finding["message"] and finding["evidence"] and finding["source"]
