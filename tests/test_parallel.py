"""A large export checked in forked ranges gives exactly the report of a single pass."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from agency_rules import checking
from agency_rules.checking import CheckOptions, run_check

REPO = Path(__file__).parents[1]


def generator():
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    generator().generate(4000, out, seed=3)
    return out


def report(data: Path, engagements: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setattr(checking, "PARALLEL_FROM_BYTES", 0)
    options = CheckOptions(engagements, history=data / "history.csv", caps=[data / "caps.toml"], workers=workers)
    result = run_check(options).as_json()
    result["inputs"] = [{k: v for k, v in i.items() if k != "path"} for i in result["inputs"]]
    return result


def test_two_ranges_give_the_single_pass_report(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single = report(data, data / "engagements.csv", 1, monkeypatch)
    double = report(data, data / "engagements.csv", 2, monkeypatch)
    assert single["summary"]["rows_read"] == 4000 and single["rejected_rows"]
    assert json.dumps(single, sort_keys=True) == json.dumps(double, sort_keys=True)


def test_quoted_newlines_blank_lines_and_a_duplicate_across_ranges(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (data / "engagements.csv").read_text().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    first = rows[0]
    rows[10] = rows[10].replace("Meridian Recruitment", '"Meridian\nRecruitment, Ltd"')
    rows.insert(50, "\n")
    rows.insert(2000, ",,,\n")
    rows.append(first)
    path = tmp_path / "tricky.csv"
    path.write_text(header + "".join(rows))
    single = report(data, path, 1, monkeypatch)
    double = report(data, path, 2, monkeypatch)
    assert single["rejected_rows"][-1]["errors"][-1]["message"].startswith("duplicate engagement_id: first used in row 2")
    assert json.dumps(single, sort_keys=True) == json.dumps(double, sort_keys=True)
