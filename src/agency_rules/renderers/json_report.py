"""JSON, exactly as the data contract fixes it; compact, so the C encoder runs, and findings streamed in chunks."""

from __future__ import annotations

import json
import secrets
from typing import TextIO

from ..report import RenderOptions, Report

CHUNK = 10_000


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """The whole report but the findings is encoded once; the findings go out in chunks, so a large report is never one string."""
    marker = f"findings-{secrets.token_hex(8)}"
    document = report.as_json(findings=False)
    document["findings"] = marker
    head, tail = json.dumps(document, ensure_ascii=False).split(json.dumps(marker), 1)
    out.write(head + "[")
    findings = report.findings
    for start in range(0, len(findings), CHUNK):
        chunk = json.dumps([f.as_dict() for f in findings[start : start + CHUNK]], ensure_ascii=False)
        out.write(("," if start else "") + chunk[1:-1])
    out.write("]" + tail + "\n")
