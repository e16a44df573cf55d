"""The board summary as one self-contained page: inline SVG charts, a table behind each, a key of the rules, and a print stylesheet.

No script, link, font or image is fetched: the page opens from a USB stick on a machine with no
network and prints as a paper. Tables are laid out to fit a 1300-pixel screen and A4 landscape
without scrolling inside the page.
"""

from __future__ import annotations

from typing import TextIO

from ..board import charts
from ..board.summary import TOTAL, BoardSummary, BoardTable
from ..domain import BREACH
from ..report import RenderOptions
from .printable import html_text as escape

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2em auto;padding:0 1em;max-width:78em;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0 1.4em;font-size:.85em;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:bold;padding:.3em 0}
td,th{border:1px solid #ccc;padding:.2em .4em;text-align:right}th[scope=row],td.words,th.words{text-align:left}
thead th{background:#f3f3f3;vertical-align:bottom}thead th:first-child{text-align:left}th[scope=row]{font-weight:normal;max-width:16em}tr.total th,tr.total td{font-weight:bold}
figure{margin:1em 0}svg{max-width:100%;height:auto}.small{color:#555;font-size:.9em}.wide{overflow-x:auto}
code{font-size:.85em;word-break:break-all}.pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}.pair>*{flex:1 1 28em;min-width:0}
@media print{body{margin:0;padding:0;max-width:none;font-size:9pt}h2{break-after:avoid}figure,table{break-inside:avoid}
.wide{overflow:visible}table{font-size:7pt}td,th{padding:.1em .25em}a{color:inherit;text-decoration:none}@page{size:A4 landscape;margin:12mm}}
"""


def _table(table: BoardTable, id_: str) -> str:
    if not table.rows:
        return f"<h3 id='{id_}'>{escape(table.title)}</h3><p>{escape(table.instead)}</p>"
    words = table.word_columns()
    head = "".join(
        f"<th scope='col'{' class=words' if c in words else ''}>{escape(c)}</th>"
        for c in [table.row_heading, *table.columns]
    )
    body = []
    for label, cells in table.rows:
        total = " class='total'" if label == TOTAL else ""
        body.append(
            f"<tr{total}><th scope='row'>{escape(label)}</th>"
            + "".join(
                f"<td{' class=words' if column in words else ''}>{escape(c)}</td>"
                for column, c in zip(table.columns, cells)
            )
            + "</tr>"
        )
    note = f"<p class='small'>{escape(table.note)}</p>" if table.note else ""
    return (
        f"<div class='wide'><table id='{id_}'><caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{note}"
    )


def _figure(svg: str, caption: str, table_id: str, hidden: str = "") -> str:
    """A chart with its caption: what it draws, how it shows a hidden count (`hidden`), and the table that gives the figures."""
    return (
        f"<figure aria-describedby='{table_id}'>{svg}<figcaption class='small'>{escape(caption)}: "
        f"{escape(hidden)}the table beside or below gives the same figures.</figcaption></figure>"
    )


def render(summary: BoardSummary, options: RenderOptions, out: TextIO) -> None:
    breaches = summary.table(f"{BREACH}_by_council_and_rule")
    quarters = summary.table("by_quarter")
    by_rule = summary.by_rule()
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Agency rules: board summary</title>",
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>Agency rules: board summary</h1>",
        *(f"<p>{escape(line)}</p>" for line in summary.preamble()),
    ]
    if by_rule.rows:
        parts += [
            "<h2>Breaches by rule, and the rules</h2><div class='pair'>",
            _figure(
                charts.bars(
                    by_rule.title, [r for r, _ in by_rule.rows], [c[1] for _, c in by_rule.rows]
                ),
                by_rule.title,
                "t-by-rule",
                f"a hidden count (<{summary.least} or *) has no bar, only its mark; ",
            ),
            _table(by_rule, "t-by-rule"),
            "</div>",
        ]
    if not breaches.rows:
        parts += ["<h2>Breaches by council and rule</h2>", _table(breaches, "t-breaches")]
    else:
        parts += [
            "<h2>Breaches by council and rule</h2>",
            _figure(charts.heatmap(breaches, summary.least), breaches.title, "t-breaches"),
            _table(breaches, "t-breaches"),
            "<p class='small'>The rules' titles are in the table of rules above.</p>",
        ]
    if not quarters.rows:
        parts += ["<h2>Trend by quarter</h2>", _table(quarters, "t-quarters")]
    else:
        shown = [(label, cells[0]) for label, cells in quarters.rows if label != TOTAL]
        parts += [
            "<h2>Trend by quarter</h2>",
            _figure(
                charts.trend(
                    "Breaches by quarter of engagement start",
                    [q for q, _ in shown],
                    [v for _, v in shown],
                    summary.least,
                ),
                "Breaches by quarter of engagement start",
                "t-quarters",
                "a quarter whose count is hidden is a grey band over the counts its mark allows (1 to"
                f" {summary.least - 1} for <{summary.least}; {summary.least} or more for *), named in the legend; the"
                " table below also"
                " gives the unknown outcomes; ",
            ),
            _table(quarters, "t-quarters"),
        ]
    parts.append("<h2>All tables</h2>")
    parts += [
        _table(t, f"t-{t.key}") for t in summary.tables if t.key not in (breaches.key, quarters.key)
    ]
    parts.append(
        "<h2>Inputs</h2><table><caption>Reports summarised and the exports they checked</caption>"
        "<thead><tr><th scope='col' class=words>report</th><th scope='col' class=words>what</th>"
        "<th scope='col' class=words>SHA-256</th></tr></thead><tbody>"
    )
    parts += [
        f"<tr><td class=words>{escape(path)}</td><td class=words>{escape(what)}</td><td class=words><code>{escape(digest)}</code></td></tr>"
        for path, what, digest in summary.inputs()
    ]
    parts.append("</tbody></table></main></body></html>\n")
    out.write("\n".join(parts))
