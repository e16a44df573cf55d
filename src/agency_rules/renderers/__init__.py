"""One renderer per output format; each writes a Report (or, for boards, a BoardSummary) to a text stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..board.summary import BoardSummary
from ..report import RenderOptions, Report
from . import (
    board_html,
    board_json,
    board_md,
    board_table,
    board_xlsx,
    csv_report,
    html_report,
    json_report,
    markdown_report,
    table_report,
    xlsx_report,
)

Renderer = Callable[[Report, RenderOptions, TextIO], None]

RENDERERS: dict[str, Renderer] = {
    "table": table_report.render,
    "json": json_report.render,
    "csv": csv_report.render,
    "md": markdown_report.render,
    "html": html_report.render,
    "xlsx": xlsx_report.render,
}

BoardRenderer = Callable[[BoardSummary, TextIO], None]

BOARD_RENDERERS: dict[str, BoardRenderer] = {
    "table": board_table.render,
    "json": board_json.render,
    "md": board_md.render,
    "html": board_html.render,
    "xlsx": board_xlsx.render,
}
