"""Standard output whose reader may stop reading (`agency-check … | head`): the rest is dropped quietly.

Rich ends the process with status 1 when its pipe closes; a command here keeps its own exit status
(a breach is still 1, a clean run still 0), because what the reader did not read changes nothing.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from ..report import RenderOptions


def broken_pipe(error: OSError) -> bool:
    """Python says BrokenPipeError; polars' writer says OSError 'Broken pipe (os error 32)'."""
    return (
        isinstance(error, BrokenPipeError)
        or error.errno == errno.EPIPE
        or "os error 32" in str(error)
    )


def drop_stdout() -> None:
    """Send whatever is still to be written to standard output nowhere, so later writes and the final flush succeed."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class StdoutConsole(Console):
    """A rich console for standard output that treats a closed pipe as the end of the reader's interest, not an error."""

    def on_broken_pipe(self) -> None:
        drop_stdout()
        self.quiet = True


def report_console(out: TextIO, options: RenderOptions) -> StdoutConsole:
    """The console a report is drawn on: colour only where asked (a terminal), the width given, no markup guessed from
    the text, long lines wrapped rather than cut."""
    return StdoutConsole(
        file=out,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width,
        highlight=False,
        soft_wrap=True,
    )


def show_table(console: Console, table: Table) -> None:
    """A table, or, where the terminal is too narrow for its words (a phone's SSH client, a split pane), each row as its
    first cell and then one `column: value` line a cell: a table squeezed below its words shows counts as `…` or nothing."""
    needed = Measurement.get(console, console.options.update(max_width=1 << 20), table).minimum
    if needed <= console.width:
        for column in (
            table.columns
        ):  # an identifier or a file's name wider than its column wraps, never ends in '…'
            column.overflow = "fold"
        console.print(table, soft_wrap=False)
        return
    if table.title:
        console.print(_bold(_flat(table.title)))
    headers = [_flat(column.header).plain for column in table.columns]
    for row in zip(*(column.cells for column in table.columns)):
        first, *rest = (_flat(cell) for cell in row)
        console.print(
            _bold(Text.assemble(f"{headers[0]} ", first) if 0 < len(headers[0]) <= 8 else first)
        )  # "row 5", "rule PQE001"
        pairs = [
            Text.assemble(f"{header}: ", cell)
            for header, cell in zip(headers[1:], rest)
            if cell.plain
        ]
        if all(len(pair) <= SHORT for pair in pairs):  # counts: one line, wrapped where it must be
            console.print(Text("  ") + Text("; ").join(pairs))
        else:
            for pair in pairs:
                console.print(Text("  ") + pair)


SHORT = 24  # a `column: value` pair this long or less shares a line with the row's others


def _bold(text: Text) -> Text:
    bold = text.copy()
    bold.stylize("bold")
    return bold


def _flat(cell: RenderableType) -> Text:
    """A cell's text on one line: the lines of a cell drawn as a stack (engagement above worker) joined by commas."""
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    return Text(", ").join(text.split("\n")) if "\n" in text.plain else text
