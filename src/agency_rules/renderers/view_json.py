"""`agency-check rules` and `agency-check columns` as JSON, each field named as the terminal's headings name it."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

from ..columns_view import ColumnsView
from ..report import RenderOptions
from ..rules_view import RulesView


def render_rules(view: RulesView, options: RenderOptions, out: TextIO) -> None:
    _dump(dataclasses.asdict(view), out)


def render_columns(views: list[ColumnsView], options: RenderOptions, out: TextIO) -> None:
    _dump([_columns(view) for view in views], out)


def _columns(view: ColumnsView) -> dict[str, Any]:
    def counted(values: list[tuple[str, list[tuple[str, int]]]]) -> list[dict[str, Any]]:
        return [
            {"column": name, "values": [{"value": v, "rows": n} for v, n in seen]}
            for name, seen in values
        ]

    return {
        "file": view.label,
        "encoding": view.encoding,
        "headers": [{"header": h, "read_as": t, "how": how} for h, t, how in view.headers],
        "missing": [
            {"column": c, "required": required, "rules": rules}
            for c, required, rules in view.missing
        ],
        "unknown_values": counted(view.unknown_values),
        "as_written": counted(view.as_written),
        "problems": view.problems,
    }


def _dump(data: object, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
