"""Renderers write the one report; the JSON one streams findings in chunks and must still be the contract's document."""

from __future__ import annotations

import io
import json

import pytest

from agency_rules.renderers import RENDERERS, json_report
from agency_rules.report import RenderOptions

from .conftest import COMPLIANT


@pytest.mark.parametrize("chunk", [1, 2, 3, 10_000])
def test_streamed_json_is_the_whole_report(check_one, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    _, report = check_one({"notice_period_weeks": "1", "reference_standard_template": "", "references_count": "0", "qualified_date": "2024-06-01", "asye_completed": ""})
    assert len(report.findings) >= 3
    monkeypatch.setattr(json_report, "CHUNK", chunk)
    out = io.StringIO()
    RENDERERS["json"](report, RenderOptions(), out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(report.as_json()))


def test_a_report_without_findings_has_an_empty_list(check_one) -> None:
    _, report = check_one({**COMPLIANT})
    out = io.StringIO()
    RENDERERS["json"](report, RenderOptions(), out)
    document = json.loads(out.getvalue())
    assert document["findings"] == [] and document["summary"]["rows_checked"] == 1
