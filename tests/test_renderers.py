"""Renderers write the one report; JSON and CSV stream findings a slice of engagements at a time and must still be the whole report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from agency_rules import api
from agency_rules.engine import evaluation
from agency_rules.renderers import RENDERERS
from agency_rules.report import RenderOptions

from .conftest import COMPLIANT, write_csv


@pytest.mark.slow
@pytest.mark.parametrize("rows", [1, 2, 3, 5, 100_000])
def test_findings_streamed_a_slice_at_a_time_are_the_whole_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    breaking = {"notice_period_weeks": "1", "reference_standard_template": "", "references_count": "0", "qualified_date": "2024-06-01", "asye_completed": ""}
    lines = [{**COMPLIANT, "engagement_id": f"E-{i}", **(breaking if i % 2 else {})} for i in range(7)]
    whole = api.run([write_csv(tmp_path / "e.csv", lines)], api.Options())
    expected = json.loads(json.dumps(whole.as_json()))
    assert len(expected["findings"]) >= 9
    monkeypatch.setattr(evaluation, "SLICE", rows)
    sliced = api.run([tmp_path / "e.csv"], api.Options())
    out = io.StringIO()
    RENDERERS["json"](sliced, RenderOptions(), out)
    assert json.loads(out.getvalue()) == expected
    out = io.StringIO()
    RENDERERS["csv"](sliced, RenderOptions(), out)
    assert [(r["engagement_id"], r["rule_id"]) for r in csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff")))] == [(f["engagement_id"], f["rule_id"]) for f in expected["findings"]]


def test_a_report_without_findings_has_an_empty_list(check_one) -> None:
    _, report = check_one({**COMPLIANT})
    out = io.StringIO()
    RENDERERS["json"](report, RenderOptions(), out)
    document = json.loads(out.getvalue())
    assert document["findings"] == [] and document["summary"]["rows_checked"] == 1
