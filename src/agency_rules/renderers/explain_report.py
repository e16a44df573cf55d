"""`agency-check explain` in each of its formats: the terminal (a block a rule), Markdown and JSON."""

from __future__ import annotations

import json
from typing import TextIO

from rich.text import Text

from ..domain import ROLE_WORDS
from ..explained import Explained
from ..report import RenderOptions, evidence_text
from .printable import markdown_cell as cell
from .printable import printable
from .terminal import report_console

STYLE = {"breach": "bold red", "unknown": "yellow", "waived": "cyan", "pass": "green"}


def _heading(found: Explained) -> tuple[str, str]:
    e = found.engagement
    who = (
        f"engagement {e['engagement_id']} ({e['file']} row {e['row']}): worker {e['worker_id']}, "
        f"{ROLE_WORDS.get(e['role'], e['role'])}, {e['council']}, agency {e['agency'] or 'not recorded'}, "
        f"{e['start_date']} to {e['end_date'] or 'open-ended'}"
    )
    run = f"ruleset {found.ruleset}, overlays: {', '.join(found.overlays) or 'none'}" + (
        f", as of {found.as_of}" if found.as_of else ""
    )
    return who, run


def render_table(found: Explained, options: RenderOptions, out: TextIO) -> None:
    console = report_console(out, options)
    who, run = _heading(found)
    console.print(Text(printable(who), style="bold"))
    console.print(Text(printable(run)))
    for rule in found.rules:
        console.print()
        console.print(
            Text.assemble(
                (printable(rule["rule_id"]), "bold"),
                " ",
                (printable(rule["outcome"]), STYLE.get(rule["outcome"], "")),
                printable(f"  {rule['title']}"),
            )
        )
        console.print(Text(printable(f"  why: {rule['why']}")))
        console.print(Text(printable(f"  evidence: {evidence_text(json.dumps(rule['evidence']))}")))
        console.print(Text(printable(f"  source: {rule['source']}"), style="dim"))


def render_md(found: Explained, options: RenderOptions, out: TextIO) -> None:
    who, run = _heading(found)
    lines = [f"# Why: {cell(who)}", "", cell(run) + ".", ""]
    lines += ["| rule | outcome | why | evidence | source |", "|---|---|---|---|---|"]
    lines += [
        f"| {cell(r['rule_id'])} | {cell(r['outcome'])} | {cell(r['why'])} | "
        f"{cell(evidence_text(json.dumps(r['evidence'])))} | {cell(r['source'])} |"
        for r in found.rules
    ]
    out.write("\n".join(lines) + "\n")


def render_json(found: Explained, options: RenderOptions, out: TextIO) -> None:
    json.dump(found.as_json(), out, ensure_ascii=False, indent=2)
    out.write("\n")
