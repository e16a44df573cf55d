"""One renderer per output format; each writes a Report to a text stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..report import RenderOptions, Report
from . import csv_report, html_report, json_report, markdown_report, table_report, xlsx_report

Renderer = Callable[[Report, RenderOptions, TextIO], None]

RENDERERS: dict[str, Renderer] = {
    "table": table_report.render,
    "json": json_report.render,
    "csv": csv_report.render,
    "md": markdown_report.render,
    "html": html_report.render,
    "xlsx": xlsx_report.render,
}
