"""The board summary as Markdown, for a paper's appendix or an email."""

from __future__ import annotations

import re
from typing import TextIO

from ..board.summary import TOTAL, BoardSummary
from ..report import RenderOptions
from .printable import markdown_cell as cell

MARK = re.compile(
    r"[<+-]?\d[\d,]*|\*|n/e|n/a"
)  # a count, a change or a mark: the paper's own, written as itself (no `\*`, `\+7`), which no Markdown reads as markup


def shown(value: object) -> str:
    text = str(value)
    return text if MARK.fullmatch(text) else cell(text)


def render(summary: BoardSummary, options: RenderOptions, out: TextIO) -> None:
    lines = [
        "# Agency rules: board summary",
        "",
        *(f"{cell(line)}\n" for line in summary.preamble()),
    ]
    for table in [summary.by_rule(), *summary.tables]:
        lines += [f"## {cell(table.title)}", ""]
        if not table.rows:
            lines += [cell(table.instead), ""]
            continue
        lines.append("| " + " | ".join(cell(c) for c in [table.row_heading, *table.columns]) + " |")
        words = table.word_columns()
        lines.append(
            "|---" + "".join("|---" if c in words else "|---:" for c in table.columns) + "|"
        )
        for label, cells in table.rows:
            bold = "**" if label == TOTAL else ""
            lines.append(
                f"| {bold}{cell(label)}{bold} | " + " | ".join(shown(c) for c in cells) + " |"
            )
        lines += ["", *([cell(table.note), ""] if table.note else [])]
    lines += ["## Inputs", "", "| report | what | SHA-256 |", "|---|---|---|"]
    lines += [
        f"| {cell(path)} | {cell(what)} | `{digest}` |" for path, what, digest in summary.inputs()
    ]
    out.write("\n".join(lines) + "\n")
