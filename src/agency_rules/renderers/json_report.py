"""JSON, exactly as the data contract fixes it; compact, because the C encoder only runs without indent."""

from __future__ import annotations

import json

from ..report import RenderOptions, Report


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False) + "\n"
