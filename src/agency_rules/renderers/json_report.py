"""JSON, exactly as the data contract fixes it; findings encoded column-wise by polars and written a slice of engagements at a time."""

from __future__ import annotations

import json
import secrets
from typing import TextIO

import polars as pl

from ..messages import phrase
from ..report import RenderOptions, Report


def finding_lines(findings: pl.DataFrame, fields: tuple[str, ...]) -> pl.Series:
    """Each finding as one JSON object: the evidence is already JSON text, so it is spliced in, not re-encoded."""
    head = pl.struct(*fields[: fields.index("evidence")]).struct.json_encode().str.strip_suffix("}")
    tail = (
        pl.struct(*fields[fields.index("evidence") + 1 :])
        .struct.json_encode()
        .str.strip_prefix("{")
    )
    return findings.select(
        phrase('{},"evidence":{},{}', head, pl.col("evidence"), tail)
    ).to_series()


def render(report: Report, options: RenderOptions, out: TextIO) -> None:
    """The whole report but the findings is encoded once; the findings go out a slice at a time, written by polars, never as one string."""
    marker = f"findings-{secrets.token_hex(8)}"
    checked = f"checked-{secrets.token_hex(8)}"
    document = report.as_json(findings=False, checked=False)
    document["findings"] = marker
    document["checked_engagements"] = checked
    head, tail = json.dumps(document, ensure_ascii=False).split(json.dumps(marker), 1)
    tail = tail.replace(json.dumps(checked), report.checked_engagements_json(), 1)
    out.write(head + "[")
    binary = getattr(out, "buffer", None)
    first = True
    for findings in report.finding_slices():
        if findings.height == 0:
            continue
        lines = finding_lines(findings, report.finding_fields).to_frame("finding")
        if not first:
            out.write(",\n")
        first = False
        if binary is None:
            out.write(",\n".join(lines["finding"]))
            continue
        out.flush()
        lines.head(-1).write_csv(
            binary, include_header=False, quote_style="never", line_terminator=",\n"
        )
        lines.tail(1).write_csv(
            binary, include_header=False, quote_style="never", line_terminator=""
        )
    out.write("]" + tail + "\n")
