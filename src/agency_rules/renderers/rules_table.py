"""`agency-check rules` on the terminal: the list as a table, one rule as its lines."""

from __future__ import annotations

from typing import TextIO

from rich.table import Table
from rich.text import Text

from ..report import RenderOptions
from ..rules_view import RuleExplanation, RulesView
from .printable import printable
from .terminal import StdoutConsole, show_table


def render(view: RulesView, options: RenderOptions, out: TextIO) -> None:
    console = StdoutConsole(
        file=out,
        highlight=False,
        markup=False,
        soft_wrap=view.explained is not None,
        width=options.width,
    )
    if view.explained is not None:
        _explain(console, view.explained)
        return
    console.print(
        Text.assemble(
            (printable(view.ruleset), "bold"),
            printable(f": {view.title}\n{view.status}\nSource: {view.source}"),
        )
    )
    table = Table()
    for name in ("id", "title", "source", "set by"):
        table.add_column(name)
    for row in view.rules:
        table.add_row(*map(printable, (row.id, row.title, row.source, row.set_by)))
    show_table(console, table)
    console.print(view.hint)


def _explain(console: StdoutConsole, rule: RuleExplanation) -> None:
    console.print(
        Text.assemble(
            (printable(rule.id), "bold"),
            printable(f" {rule.title}  "),
            (printable(f"({rule.origin}, severity {rule.severity}, check {rule.check})"), "dim"),
        )
    )
    console.print(printable(f"Requires: {rule.requires}"))
    console.print(
        printable(
            "Applies to: " + ("; ".join(rule.applies) if rule.applies else "every engagement")
        )
    )
    if rule.contracts_only:
        console.print(
            "Runs only when contracts are given (--contracts FILE_OR_FOLDER); "
            "otherwise it is left out of the run."
        )
    if rule.regime:
        console.print(printable(f"Regime: {rule.regime}."))
    console.print(printable(f"Source: {rule.source}"))
    if rule.decision:
        console.print(printable(f"Decision: {rule.decision}"))
    if rule.waiver_approvers:
        console.print(
            printable(
                "A breach may be waived with approval by: " + ", ".join(rule.waiver_approvers)
            )
        )
    if not rule.params:
        console.print("Parameters: none.")
        return
    console.print(
        "Parameters by date (the value in force on an engagement's start date applies; "
        "'to' is inclusive):"
    )
    for p in rule.params:
        console.print(printable(f"  {p.param} = {p.value}  from {p.start}, {p.to}  ({p.set_by})"))
