"""The board summary as JSON: every table with its shown counts (a hidden count is the string shown, `<5` or `*`)."""

from __future__ import annotations

import json
from typing import TextIO

from ..board.summary import BoardSummary
from ..report import RenderOptions
from ..version import __version__


def render(summary: BoardSummary, options: RenderOptions, out: TextIO) -> None:
    document = {
        "schema_version": 1,
        "kind": "board_summary",
        "tool": {"name": "agency-rules", "version": __version__},
        "produced": summary.produced.isoformat(),
        "ruleset": summary.ruleset,
        "overlays": summary.overlays,
        "suppress_below": summary.least,
        "notes": summary.preamble(),
        "rules": [
            {"rule_id": rule, "title": title, "breaches": breaches, "evaluated_for": scope}
            for rule, (title, breaches, scope) in summary.by_rule().rows
        ],
        "rules_note": summary.by_rule().note,
        "inputs": [
            {"report": path, "what": what, "sha256": digest}
            for path, what, digest in summary.inputs()
        ],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "row_heading": t.row_heading,
                "columns": t.columns,
                "rows": [{"label": label, "cells": cells} for label, cells in t.rows],
                "note": t.note,
            }
            for t in summary.tables
        ],
    }
    json.dump(
        document, out, ensure_ascii=True, indent=1
    )  # a bidirectional override in an agency's name stays an escape
    out.write("\n")
