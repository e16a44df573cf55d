"""The board summary on the terminal: each table as a rich table."""

from __future__ import annotations

from typing import TextIO

from rich.table import Table
from rich.text import Text

from ..board.summary import TOTAL, BoardSummary
from ..report import RenderOptions
from .printable import printable
from .terminal import StdoutConsole, show_table


def render(summary: BoardSummary, options: RenderOptions, out: TextIO) -> None:
    console = StdoutConsole(
        file=out,
        highlight=False,
        markup=False,
        soft_wrap=False,
        width=160 if not out.isatty() else None,
    )
    console.print(Text("Agency rules: board summary", style="bold"))
    for line in summary.preamble():
        console.print(Text(printable(line)))
    for table in [summary.by_rule(), *summary.tables]:
        shown = Table(title=printable(table.title), title_justify="left")
        shown.add_column(printable(table.row_heading))
        words = table.word_columns()
        for column in table.columns:
            shown.add_column(printable(column), justify="left" if column in words else "right")
        for label, cells in table.rows:
            shown.add_row(
                *(
                    Text(printable(v), style="bold" if label == TOTAL else "")
                    for v in [label, *cells]
                )
            )
        show_table(console, shown)
        if table.note:
            console.print(Text(printable(table.note), style="dim"))
    inputs = Table(title="Reports summarised and the exports they checked", title_justify="left")
    for heading in ("report", "what", "SHA-256"):
        inputs.add_column(heading)
    for path, what, digest in summary.inputs():
        inputs.add_row(Text(printable(path)), Text(printable(what)), Text(digest))
    show_table(console, inputs)
