"""JSON, exactly as the data contract fixes it; findings encoded column-wise by polars and written in chunks."""

from __future__ import annotations

import json
import secrets
from typing import TextIO

import polars as pl

from ..phrases import phrase
from ..report import RenderOptions, Report

CHUNK = 50_000


def finding_lines(findings: pl.DataFrame, fields: tuple[str, ...]) -> pl.Series:
    """Each finding as one JSON object: the evidence is already JSON text, so it is spliced in, not re-encoded."""
    head = pl.struct(*fields[: fields.index("evidence")]).struct.json_encode().str.strip_suffix("}")
    tail = pl.struct(*fields[fields.index("evidence") + 1 :]).struct.json_encode().str.strip_prefix("{")
    return findings.select(phrase('{},"evidence":{},{}', head, pl.col("evidence"), tail)).to_series()


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """The whole report but the findings is encoded once; the findings go out in chunks, so a large report is never one string."""
    marker = f"findings-{secrets.token_hex(8)}"
    document = report.as_json(findings=False)
    document["findings"] = marker
    head, tail = json.dumps(document, ensure_ascii=False).split(json.dumps(marker), 1)
    out.write(head + "[")
    findings = report.findings
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    for start in range(0, findings.height, CHUNK):
        chunk = finding_lines(findings.slice(start, CHUNK), report.finding_fields).str.join(",")
        prefix = "," if start else ""
        if binary is not None:
            binary.write(prefix.encode() + chunk.cast(pl.Binary).item())
        else:
            out.write(prefix + chunk.item())
    out.write("]" + tail + "\n")
