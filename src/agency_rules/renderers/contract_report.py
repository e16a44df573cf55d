"""A contract check for a procurement lead: every failing term first, with the rule, the figures compared and their dates.

The Markdown reads as a memo; the JSON, CSV and workbook carry every finding, passes included, so
a file can be audited line by line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TextIO

from rich.table import Table
from rich.text import Text

from ..domain import BREACH, NOT_APPLICABLE, NOT_EVALUATED, PASS, UNKNOWN
from ..engine.checked_contract import CheckedContract, ClauseFinding, ContractCheck
from ..engine.checks import said
from ..report import RenderOptions
from ..version import __version__
from .csv_report import neutralise
from .printable import markdown_cell as cell
from .printable import printable
from .terminal import StdoutConsole, show_table
from .xlsx_report import new_workbook, write_rows

ORDER = (BREACH, UNKNOWN, NOT_EVALUATED, PASS, NOT_APPLICABLE)


def _sorted(findings: list[ClauseFinding]) -> list[ClauseFinding]:
    return sorted(findings, key=lambda f: (ORDER.index(f.outcome), f.rule_id, f.item))


def render_json(check: ContractCheck, options: RenderOptions, out: TextIO) -> None:
    contracts, ruleset, overlays = check.contracts, check.ruleset, check.overlays
    document = {
        "schema_version": 1,
        "kind": "contract_check",
        "tool": {"name": "agency-rules", "version": __version__},
        "ruleset": ruleset,
        "overlays": overlays,
        "contracts": [
            {
                "path": c.path,
                "sha256": c.sha256,
                "name": c.contract.name,
                "reference": c.contract.reference,
                "route": c.contract.route,
                "supplier": c.contract.supplier,
                "term": c.term,
                "verdict": c.verdict(),
                "overlays_not_chosen": list(c.overlays_not_chosen),
                "summary": {o: c.count(o) for o in ORDER},
                "findings": [
                    {
                        "contract": c.contract.reference,
                        "item": f.item,
                        "rule_id": f.rule_id,
                        "outcome": f.outcome,
                        "message": f.message,
                        "evidence": f.evidence,
                    }
                    for f in _sorted(c.findings)
                ],
            }
            for c in contracts
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")


def render_md(check: ContractCheck, options: RenderOptions, out: TextIO) -> None:
    contracts, ruleset, overlays = check.contracts, check.ruleset, check.overlays
    lines = [
        "# Contract check",
        "",
        f"Checked against ruleset **{cell(ruleset)}**, overlays: {cell(', '.join(overlays) or 'none')}.",
        "",
    ]
    for c in contracts:
        lines += [
            f"## {cell(c.contract.name)} ({cell(c.contract.reference)})",
            "",
            f"{cell(c.contract.route.replace('_', ' '))} with {cell(c.contract.supplier)}, {cell(c.term)}. **The contract {cell(c.verdict())}.**",
            "",
        ]
        for outcome, heading in (
            (BREACH, "Terms that fall short"),
            (
                UNKNOWN,
                "Terms that cannot be confirmed (the contract is silent, or it depends on the council's own terms)",
            ),
            (NOT_EVALUATED, "Not evaluated"),
            (PASS, "Terms met"),
            (NOT_APPLICABLE, "Days the rules do not reach"),
        ):
            shown = [f for f in _sorted(c.findings) if f.outcome == outcome]
            if not shown:
                continue
            lines += [
                f"### {heading}",
                "",
                "| term | rule | region and date | finding |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {cell(f.item)} | {cell(f.rule_id)} | {cell(f.where_and_when)} | {cell(f.message)} |"
                for f in shown
            ]
            lines.append("")
        lines += [f"File `{cell(c.path)}`, SHA-256 `{c.sha256}`.", ""]
    out.write("\n".join(lines))


def render_table(check: ContractCheck, options: RenderOptions, out: TextIO) -> None:
    contracts, ruleset, overlays = check.contracts, check.ruleset, check.overlays
    console = StdoutConsole(
        file=out,
        highlight=False,
        markup=False,
        soft_wrap=False,
        width=None if out.isatty() else 160,
    )
    console.print(
        Text(
            printable(
                f"Contract check: ruleset {ruleset}, overlays: {', '.join(overlays) or 'none'}"
            ),
            style="bold",
        )
    )
    for c in contracts:
        console.print(
            Text(
                printable(
                    f"{c.contract.name} ({c.contract.reference}), {c.contract.route.replace('_', ' ')} with {c.contract.supplier}, {c.term}: {c.verdict()}"
                ),
                style="bold",
            )
        )
        shown = [f for f in _sorted(c.findings) if f.outcome not in (PASS, NOT_APPLICABLE)]
        if shown:
            table = Table()
            for name in ("outcome", "term", "rule", "region and date", "finding"):
                table.add_column(name)
            for f in shown:
                table.add_row(
                    Text(
                        f.outcome.replace("_", " "), style="bold red" if f.outcome == BREACH else ""
                    ),
                    Text(printable(f.item)),
                    f.rule_id,
                    Text(printable(f.where_and_when)),
                    Text(printable(f.message)),
                )
            show_table(console, table)
        met = sorted({f.item for f in c.findings if f.outcome == PASS})
        console.print(
            Text(
                printable(f"{len(met)} term(s) met: {', '.join(met)}" if met else "no term met"),
                style="dim",
            )
        )


FINDING_COLUMNS = ("contract", "file", "item", "rule_id", "outcome", "message", "evidence")


def _finding_lines(contracts: list[CheckedContract]) -> Iterator[list[str]]:
    """A line per finding, failing terms first, with its evidence in words."""
    for c in contracts:
        for f in _sorted(c.findings):
            evidence = "; ".join(f"{k}: {said(v)}" for k, v in f.evidence.items() if v is not None)
            yield [c.contract.reference, c.path, f.item, f.rule_id, f.outcome, f.message, evidence]


def render_csv(check: ContractCheck, options: RenderOptions, out: TextIO) -> None:
    """One line per finding, as the engagement CSV: UTF-8 with a BOM, evidence in words, formula cells neutralised."""
    contracts = check.contracts
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    for line in _finding_lines(contracts):
        writer.writerow([neutralise(v) for v in line])


def render_xlsx(check: ContractCheck, options: RenderOptions, out: TextIO) -> None:
    """A Contracts sheet (a line each, with its verdict and counts) and a Findings sheet, every cell from a file written as text."""
    contracts, ruleset, overlays = check.contracts, check.ruleset, check.overlays
    book = new_workbook(out)
    bold = book.add_format({"bold": True})
    summary = [
        [
            c.contract.reference,
            c.contract.name,
            c.contract.route.replace("_", " "),
            c.contract.supplier,
            c.term,
            c.verdict(),
            *(c.count(o) for o in ORDER),
            ruleset,
            ", ".join(overlays) or "none",
            c.path,
            c.sha256,
        ]
        for c in contracts
    ]
    headings = [
        "contract",
        "name",
        "route",
        "supplier",
        "term",
        "verdict",
        *(o.replace("_", " ") for o in ORDER),
        "ruleset",
        "overlays",
        "file",
        "sha256",
    ]
    write_rows(book.add_worksheet("Contracts"), headings, iter(summary), bold)
    write_rows(
        book.add_worksheet("Findings"), list(FINDING_COLUMNS), _finding_lines(contracts), bold
    )
    book.close()
