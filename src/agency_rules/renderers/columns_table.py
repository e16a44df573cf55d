"""`agency-check columns` on the terminal: each file's headers as a table, then what it lacks and the words no rule knows."""

from __future__ import annotations

from typing import TextIO

from rich.table import Table
from rich.text import Text

from ..columns_view import ColumnsView
from ..report import RenderOptions, read_as, values_seen
from .printable import printable
from .terminal import StdoutConsole, show_table


def render(views: list[ColumnsView], options: RenderOptions, out: TextIO) -> None:
    console = StdoutConsole(file=out, highlight=False, width=options.width)
    for view in views:
        _show(console, view)


def _show(console: StdoutConsole, view: ColumnsView) -> None:
    read = f" ({read_as(view.encoding)})" if view.encoding else ""
    console.print(Text(printable(f"How {view.label} will be read{read}"), style="bold"))
    table = Table()
    for name in ("header in the file", "read as", "how"):
        table.add_column(name)
    for header, target, how in view.headers:
        table.add_row(
            Text(printable(header)),
            Text(target),
            Text(printable(how), style="" if target else "yellow"),
        )
    show_table(console, table)
    if view.missing:
        missing = Table(title="Contract columns the file lacks")
        for name in ("column", "needed", "rules that read it"):
            missing.add_column(name)
        for name, required, rules in view.missing:
            missing.add_row(
                name,
                Text("required: no row can be checked", style="bold red")
                if required
                else "optional",
                ", ".join(rules) or "-",
            )
        show_table(console, missing)
    for name, values in view.unknown_values:
        shown = values_seen(values, 12)
        console.print(
            Text(
                printable(
                    f"{name}: words nothing translates and the rules do not know, which would reject their rows: {shown}; "
                    f"translate them in [values.{name}] of a column map"
                ),
                style="yellow",
            )
        )
    for name, values in view.as_written:
        shown = values_seen(values, 12)
        console.print(
            Text(
                printable(
                    f"{name}: read as written (no [values.{name}] entry translates them): {shown}; a column map may put "
                    "them in the words contracts and waivers use"
                )
            )
        )
