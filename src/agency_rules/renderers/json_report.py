"""JSON, exactly as the data contract fixes it."""

from __future__ import annotations

import json

from ..report import RenderOptions, Report


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    return json.dumps(report.as_json(), indent=1, ensure_ascii=False) + "\n"
