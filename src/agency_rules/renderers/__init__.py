"""One renderer per output format, one protocol for them all: a renderer writes what a command found (a check's Report,
a ContractCheck, a BoardSummary, a QuarterlyReturn, an engagement Explained, a ReportDiff, the `rules` or `columns` view) with the render options to a text stream. A new format is one new renderer here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO, TypeVar

from ..board.summary import BoardSummary
from ..columns_view import ColumnsView
from ..engine.checked_contract import ContractCheck
from ..explained import Explained
from ..quarterly import QuarterlyReturn
from ..report import RenderOptions, Report
from ..report_diff import ReportDiff
from ..rules_view import RulesView
from . import (
    board_html,
    board_json,
    board_md,
    board_table,
    board_xlsx,
    columns_table,
    contract_report,
    csv_report,
    diff_report,
    explain_report,
    html_report,
    json_report,
    markdown_report,
    return_report,
    rules_table,
    table_report,
    view_json,
    xlsx_report,
)

Found = TypeVar("Found")
Renderer = Callable[[Found, RenderOptions, TextIO], None]

RENDERERS: dict[str, Renderer[Report]] = {
    "table": table_report.render,
    "json": json_report.render,
    "csv": csv_report.render,
    "md": markdown_report.render,
    "html": html_report.render,
    "xlsx": xlsx_report.render,
}

BOARD_RENDERERS: dict[str, Renderer[BoardSummary]] = {
    "table": board_table.render,
    "json": board_json.render,
    "md": board_md.render,
    "html": board_html.render,
    "xlsx": board_xlsx.render,
}

CONTRACT_RENDERERS: dict[str, Renderer[ContractCheck]] = {
    "table": contract_report.render_table,
    "json": contract_report.render_json,
    "md": contract_report.render_md,
    "csv": contract_report.render_csv,
    "xlsx": contract_report.render_xlsx,
}

RULES_RENDERERS: dict[str, Renderer[RulesView]] = {
    "table": rules_table.render,
    "json": view_json.render_rules,
}

COLUMNS_RENDERERS: dict[str, Renderer[list[ColumnsView]]] = {
    "table": columns_table.render,
    "json": view_json.render_columns,
}

RETURN_RENDERERS: dict[str, Renderer[QuarterlyReturn]] = {
    "json": return_report.render_json,
    "csv": return_report.render_csv,
    "md": return_report.render_md,
    "xlsx": return_report.render_xlsx,
}

EXPLAIN_RENDERERS: dict[str, Renderer[Explained]] = {
    "table": explain_report.render_table,
    "json": explain_report.render_json,
    "md": explain_report.render_md,
}

DIFF_RENDERERS: dict[str, Renderer[ReportDiff]] = {
    "table": diff_report.render_table,
    "json": diff_report.render_json,
    "md": diff_report.render_md,
    "csv": diff_report.render_csv,
}
