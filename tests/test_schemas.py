"""The JSON Schemas shipped in the package describe what each JSON renderer writes: the check, the contract check and
the board summary, validated on the fixtures, a pooled run with rejected rows and a narrowed run."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from .conftest import COMPLIANT, REPO, write_csv
from .test_cli import run

FIXTURES = REPO / "fixtures"


def schema(name: str) -> dict:
    return json.loads(resources.files("agency_rules").joinpath(f"schemas/{name}.schema.json").read_text("utf-8"))


@pytest.mark.parametrize("args", [
    [str(FIXTURES / "engagements.csv"), "--history", str(FIXTURES / "history.csv"), "--caps", str(FIXTURES / "caps.toml")],
    [str(FIXTURES / "engagements-under-contracts.csv"), "--contracts", str(FIXTURES / "contracts"), "--caps", str(FIXTURES / "contract-caps.toml")],
    [str(FIXTURES / "region" / "kent.csv"), str(FIXTURES / "region" / "medway.csv"), "--council", "Kent", "--overlay", "south-east"],
    [str(FIXTURES / "msp-export.xlsx"), "--column-map", str(FIXTURES / "msp-column-map.toml")],
])
@pytest.mark.slow
def test_every_check_report_is_valid_against_the_report_schema(args: list[str]) -> None:
    _, out, _ = run(*args, "--format", "json")
    jsonschema.validate(json.loads(out), schema("report"))


@pytest.mark.slow
def test_a_report_with_rejected_rows_codes_and_notices_is_valid_and_the_schema_can_refuse(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": f"E-{i}", "start_date": "31/02/2025"} for i in range(3)]
    rows += [{k: v for k, v in {**COMPLIANT, "engagement_id": "E-9"}.items()}]
    _, out, _ = run(str(write_csv(tmp_path / "e.csv", rows)), "--format", "json")
    document = json.loads(out)
    jsonschema.validate(document, schema("report"))
    assert document["rejection_summary"] and document["notices"]
    document["rejected_rows"][0]["errors"][0].pop("code")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema("report"))


@pytest.mark.slow
def test_the_contract_check_and_the_board_summary_are_valid_against_their_schemas(tmp_path: Path) -> None:
    _, out, _ = run("contract", str(FIXTURES / "contracts"), "--caps", str(FIXTURES / "contract-caps.toml"), "--format", "json")
    jsonschema.validate(json.loads(out), schema("contract_check"))
    reports = []
    for council in ("kent", "medway"):
        target = tmp_path / f"{council}.json"
        run(str(FIXTURES / "region" / f"{council}.csv"), "--format", "json", "-o", str(target), "-q")
        reports.append(str(target))
    _, out, _ = run("summary", *reports, "--format", "json")
    jsonschema.validate(json.loads(out), schema("board_summary"))
