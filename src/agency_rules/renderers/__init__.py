"""One renderer per output format, one protocol for them all: a renderer writes what a command found (a check's Report,
a ContractCheck, a BoardSummary, a QuarterlyReturn, an engagement Explained, a ReportDiff, the `rules` or `columns`
view) with the render options to a text stream. A new format is one new renderer here.

Each registry names its renderers as `module:function` and imports one when it is first asked for, so a command loads
only the renderer it writes with: a workbook's library for a workbook, the chart library for a board's HTML.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

if TYPE_CHECKING:
    from ..board.summary import BoardSummary
    from ..columns_view import ColumnsView
    from ..engine.checked_contract import ContractCheck
    from ..explained import Explained
    from ..quarterly import QuarterlyReturn
    from ..report import RenderOptions, Report
    from ..report_diff import ReportDiff
    from ..rules_view import RulesView

Found = TypeVar("Found")


class Registry(Mapping[str, Callable[[Found, "RenderOptions", TextIO], None]], Generic[Found]):
    """Format name → renderer, imported on first use."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = entries

    def __getitem__(self, name: str) -> Callable[[Found, RenderOptions, TextIO], None]:
        module, function = self._entries[name].split(":")
        found: Any = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


RENDERERS: Registry[Report] = Registry(
    {
        "table": "table_report:render",
        "json": "json_report:render",
        "csv": "csv_report:render",
        "md": "markdown_report:render",
        "html": "html_report:render",
        "xlsx": "xlsx_report:render",
    }
)

BOARD_RENDERERS: Registry[BoardSummary] = Registry(
    {
        "table": "board_table:render",
        "json": "board_json:render",
        "md": "board_md:render",
        "html": "board_html:render",
        "xlsx": "board_xlsx:render",
    }
)

CONTRACT_RENDERERS: Registry[ContractCheck] = Registry(
    {
        "table": "contract_report:render_table",
        "json": "contract_report:render_json",
        "md": "contract_report:render_md",
        "csv": "contract_report:render_csv",
        "xlsx": "contract_report:render_xlsx",
    }
)

RULES_RENDERERS: Registry[RulesView] = Registry(
    {"table": "rules_table:render", "json": "view_json:render_rules"}
)

COLUMNS_RENDERERS: Registry[list[ColumnsView]] = Registry(
    {"table": "columns_table:render", "json": "view_json:render_columns"}
)

RETURN_RENDERERS: Registry[QuarterlyReturn] = Registry(
    {
        "json": "return_report:render_json",
        "csv": "return_report:render_csv",
        "md": "return_report:render_md",
        "xlsx": "return_report:render_xlsx",
    }
)

EXPLAIN_RENDERERS: Registry[Explained] = Registry(
    {
        "table": "explain_report:render_table",
        "json": "explain_report:render_json",
        "md": "explain_report:render_md",
    }
)

DIFF_RENDERERS: Registry[ReportDiff] = Registry(
    {
        "table": "diff_report:render_table",
        "json": "diff_report:render_json",
        "md": "diff_report:render_md",
        "csv": "diff_report:render_csv",
    }
)
