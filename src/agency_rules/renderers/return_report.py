"""The quarterly return in each of its formats: JSON (the data contract's shape), CSV (the assignment data), Markdown,
and a workbook a council can send or copy from, each column noted with the field of the guidance it is."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from ..domain import APPROVER_WORDS, OUTCOMES, ROLE_WORDS
from ..quarterly import CouncilReturn, QuarterlyReturn
from ..report import RenderOptions
from .csv_report import neutralise
from .printable import markdown_cell as cell
from .printable import printable
from .xlsx_report import new_workbook, write_rows

# Each column of the assignment data: its heading, and the field of the statutory guidance's data section it answers.
ASSIGNMENT_COLUMNS = (
    ("la_code", "council code", "the council making the return"),
    ("council", "council", "the council making the return"),
    ("engagement_id", "assignment", "the assignment (the council's own reference)"),
    ("worker_id", "registration number", "the worker's Social Work England registration number"),
    ("role", "role type", "role type (the five job types of the guidance)"),
    ("pay_rate", "hourly pay rate (£)", "hourly pay rate"),
    ("start_date", "start date", "start date of the assignment"),
    ("end_date", "end date", "end date of the assignment (blank: open-ended)"),
    ("project_team", "project team", "whether part of a project team or packaged model"),
    ("employment_model", "employment model", "basis of pay (umbrella, limited company, PAYE)"),
    ("agency", "agency", "the supplying agency"),
    ("hours_per_week", "hours a week", "contracted hours, for the monthly cost"),
    ("file", "file", "the export the assignment was read from"),
)
COMPLIANCE_COLUMNS = (
    "rule_id",
    "title",
    "in_scope",
    *(o for o in OUTCOMES if o != "not_applicable"),
)
CAP_COLUMNS = (
    "engagement_id",
    "worker_id",
    "rule_id",
    "pay_rate",
    "compared",
    "value",
    "cap",
    "signed_off",
    "approvers",
    "approved_on",
    "expires_on",
    "why_not_signed_off",
)
COST_COLUMNS = (
    "month",
    "cost",
    "engagements_costed",
    "engagements_without_hours",
    "engagements_without_pay_rate",
)
GUIDANCE = {
    "compliance": "degree of compliance with each rule",
    "explanations": "explanations for non-compliance",
    "cap_breaches": "details of price cap breaches, including who signed them off",
    "agencies": "agencies whose behaviour affected compliance",
    "monthly_cost": "total monthly cost of the agency workforce",
}
COST_FORMULA = (
    "cost = (pay rate + agency fee + framework fee, a blank fee as 0) x hours a week / 5 x the weekdays "
    "(Monday to Friday) the assignment runs in the month; assignments without hours a week or pay rate are "
    "counted, not costed"
)


def _assignment_rows(returns: list[CouncilReturn]) -> Iterator[list[Any]]:
    for r in returns:
        for a in r.assignments:
            record = {**a, "la_code": r.la_code, "council": r.council}
            yield [record.get(key) for key, _, _ in ASSIGNMENT_COLUMNS]


def render_json(drafted: QuarterlyReturn, options: RenderOptions, out: TextIO) -> None:
    json.dump(drafted.as_json(), out, ensure_ascii=False, indent=2)
    out.write("\n")


def render_csv(drafted: QuarterlyReturn, options: RenderOptions, out: TextIO) -> None:
    """The assignment data, one line per assignment, formula-safe."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([key for key, _, _ in ASSIGNMENT_COLUMNS])
    for row in _assignment_rows(drafted.returns):
        writer.writerow(
            [
                neutralise("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                for v in row
            ]
        )


def _approvers(approvers: dict[str, str]) -> str:
    """'Director of Children's Services: A. Name; chief executive: B. Name'."""
    return "; ".join(
        f"{APPROVER_WORDS.get(role, role.replace('_', ' ')).removeprefix('the ')}: {name}"
        for role, name in approvers.items()
    )


def _shown(value: Any) -> Any:
    """A cell in Markdown: yes/no for a flag, pounds with two decimals, blank for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return value


def _md_table(headings: list[str], rows: list[list[Any]]) -> list[str]:
    if not rows:
        return ["None.", ""]
    return [
        "| " + " | ".join(headings) + " |",
        "|" + "---|" * len(headings),
        *("| " + " | ".join(cell(_shown(v)) for v in row) + " |" for row in rows),
        "",
    ]


def render_md(drafted: QuarterlyReturn, options: RenderOptions, out: TextIO) -> None:
    q = drafted.quarter
    s = drafted.summary
    lines = [
        f"# Quarterly agency data return, {q.label} ({q.first:%-d %b %Y} to {q.last:%-d %b %Y})",
        "",
        f"Drafted by agency-rules under ruleset **{cell(drafted.ruleset)}**, overlays: "
        f"{cell(', '.join(drafted.overlays) or 'none')}. Waivers judged on {q.last:%-d %b %Y}. "
        f"{s['rows_read']} rows read: {s['rows_checked']} checked, {s['rows_rejected']} rejected; "
        f"{s['assignments_in_quarter']} assignments active in the quarter.",
        "",
    ]
    if drafted.rejected_rows:
        lines += [
            f"**{len(drafted.rejected_rows)} row(s) could not be read and are in no return below:**",
            "",
            *(
                f"- {cell(r.get('file') or drafted.inputs[0]['path'])} row {r['row']}"
                + (f" (engagement {cell(r['engagement_id'])})" if r.get("engagement_id") else "")
                + ": "
                + cell("; ".join(f"{e['column']}: {e['message']}" for e in r["errors"]))
                for r in drafted.rejected_rows
            ),
            "",
        ]
    if drafted.notices:
        lines += [
            "**Notices of the run** (rules not evaluated, waivers and explanations that do nothing):",
            "",
            *(f"- {cell(n['rule_id'])}: {cell(n['message'])}" for n in drafted.notices),
            "",
        ]
    if not drafted.returns:
        lines += ["No council's engagement was read, so there is no return.", ""]
    for r in drafted.returns:
        lines += [f"## {cell(r.council)} ({cell(r.la_code)})", "", "### Assignment data", ""]
        if not r.assignments:
            lines += [f"No assignment was active in {q.label}: a nil return.", ""]
        lines += _md_table(
            [heading for _, heading, _ in ASSIGNMENT_COLUMNS[2:-1]],
            [
                [
                    ROLE_WORDS.get(v, v) if key == "role" else v
                    for (key, _, _), v in zip(ASSIGNMENT_COLUMNS[2:-1], row[2:-1])
                ]
                for row in _assignment_rows([r])
            ],
        )
        lines += [f"### Compliance with each rule ({GUIDANCE['compliance']})", ""]
        lines += _md_table(
            [c.replace("_", " ") for c in COMPLIANCE_COLUMNS],
            [[c[k] for k in COMPLIANCE_COLUMNS] for c in r.compliance],
        )
        if r.not_evaluated:
            lines += [
                *(
                    f"- {cell(n['rule_id'])} was not evaluated for {n['count']} assignment(s): "
                    f"{cell(n['why'])}"
                    for n in r.not_evaluated
                ),
                "",
            ]
        lines += [f"### Explanations ({GUIDANCE['explanations']})", ""]
        lines += _md_table(
            ["rule", "assignment", "explanation", "source"],
            [[e["rule_id"], e["engagement_id"], e["text"], e["source"]] for e in r.explanations],
        )
        lines += [f"### Price cap breaches ({GUIDANCE['cap_breaches']})", ""]
        lines += _md_table(
            ["assignment", "registration number", "rule", "compared", "value", "cap", "signed off",
             "approvers", "approved on", "expires on", "why not signed off"],
            [
                [
                    c["engagement_id"], c["worker_id"], c["rule_id"], c["compared"], c["value"],
                    c["cap"], "yes" if c["signed_off"] else "no", _approvers(c["approvers"]),
                    c["approved_on"], c["expires_on"], c["why_not_signed_off"],
                ]
                for c in r.cap_breaches
            ],
        )  # fmt: skip
        lines += [f"### Agencies ({GUIDANCE['agencies']})", ""]
        lines += _md_table(
            ["agency", "assignments", "breaches by rule", "waived by rule"],
            [
                [
                    a["agency"] or "(not recorded)",
                    a["engagements"],
                    ", ".join(f"{rule} {n}" for rule, n in a["breaches"].items()) or "none",
                    ", ".join(f"{rule} {n}" for rule, n in a["waived"].items()) or "none",
                ]
                for a in r.agencies
            ],
        )
        lines += [f"### Monthly cost ({GUIDANCE['monthly_cost']})", "", f"{COST_FORMULA}.", ""]
        lines += _md_table(
            ["month", "cost (£)", "costed", "without hours", "without pay rate"],
            [[m[k] for k in COST_COLUMNS] for m in r.monthly_cost],
        )
    out.write("\n".join(lines))


def render_xlsx(drafted: QuarterlyReturn, options: RenderOptions, out: TextIO) -> None:
    """Assignment data, General data, Monthly cost, Rejected rows and Notes sheets; every text cell written as text."""
    book = new_workbook(out)
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    pounds = book.add_format({"num_format": "#,##0.00"})
    sheet = book.add_worksheet("Assignment data")
    write_rows(sheet, [h for _, h, _ in ASSIGNMENT_COLUMNS], _workbook_rows(drafted, day), bold)
    for c, (key, heading, guidance) in enumerate(ASSIGNMENT_COLUMNS):
        sheet.write_comment(0, c, f"Guidance field: {guidance}")
        if key in ("pay_rate", "start_date", "end_date"):
            sheet.set_column(c, c, max(14, len(heading) + 2), pounds if key == "pay_rate" else None)
    _general(book.add_worksheet("General data"), drafted, bold)
    cost = book.add_worksheet("Monthly cost")
    write_rows(
        cost,
        ["council code", "council", "month", "cost (£)", "costed", "without hours",
         "without pay rate"],
        iter(
            [[r.la_code, r.council, *(m[k] for k in COST_COLUMNS)] for r in drafted.returns
             for m in r.monthly_cost]
        ),
        bold,
    )  # fmt: skip
    cost.write_comment(0, 3, f"Guidance field: {GUIDANCE['monthly_cost']}. {COST_FORMULA}.")
    cost.set_column(3, 3, 16, pounds)
    write_rows(
        book.add_worksheet("Rejected rows"),
        ["file", "row", "engagement", "column", "value", "reason"],
        iter(
            [
                [
                    r.get("file") or drafted.inputs[0]["path"],
                    r["row"],
                    r.get("engagement_id"),
                    e["column"],
                    e["value"],
                    e["message"],
                ]
                for r in drafted.rejected_rows
                for e in r["errors"]
            ]
        ),
        bold,
    )
    notes = book.add_worksheet("Notes")
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 100)
    q = drafted.quarter
    facts = [
        ("quarter", f"{q.label}: {q.first.isoformat()} to {q.last.isoformat()}"),
        ("ruleset", drafted.ruleset),
        ("overlays", ", ".join(drafted.overlays) or "none"),
        *((k.replace("_", " "), str(v)) for k, v in drafted.summary.items()),
        *((f"input: {i['kind']}", f"{i['path']} (sha256 {i['sha256']})") for i in drafted.inputs),
        *((f"column: {h}", g) for _, h, g in ASSIGNMENT_COLUMNS),
        *((f"general data: {k.replace('_', ' ')}", g) for k, g in GUIDANCE.items()),
        ("monthly cost", COST_FORMULA),
        *((f"notice: {n['rule_id']}", n["message"]) for n in drafted.notices),
    ]
    for r, (key, value) in enumerate(facts):
        notes.write_string(r, 0, key, bold)
        notes.write_string(r, 1, printable(value))
    book.close()


MODEL_WORDS = {"umbrella": "umbrella company", "ltd": "limited company", "paye": "PAYE"}


def _workbook_rows(drafted: QuarterlyReturn, day: Any) -> Iterator[list[Any]]:
    """Words as a reader says them (role types, employment models, yes/no), and dates as date cells."""
    for row in _assignment_rows(drafted.returns):
        cells = []
        for (key, _, _), v in zip(ASSIGNMENT_COLUMNS, row):
            if key == "role":
                v = ROLE_WORDS.get(v, v)
            elif key == "employment_model" and v is not None:
                v = MODEL_WORDS.get(v, v)
            elif isinstance(v, bool):
                v = "yes" if v else "no"
            elif key in ("start_date", "end_date") and v is not None:
                v = (datetime.fromisoformat(v), day)
            cells.append(v)
        yield cells


def _general(sheet: Any, drafted: QuarterlyReturn, bold: Any) -> None:
    """The general data, one block under another: compliance, explanations, cap breaches, agencies; a council column
    in each, so a return of several councils stays one sheet."""
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 12, 18)
    blocks: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            "compliance",
            ["council", *(c.replace("_", " ") for c in COMPLIANCE_COLUMNS)],
            [[r.council, *(c[k] for k in COMPLIANCE_COLUMNS)] for r in drafted.returns
             for c in r.compliance],
        ),
        (
            "explanations",
            ["council", "rule", "assignment", "explanation", "source"],
            [[r.council, e["rule_id"], e["engagement_id"], e["text"], e["source"]]
             for r in drafted.returns for e in r.explanations],
        ),
        (
            "cap_breaches",
            ["council", *(c.replace("_", " ") for c in CAP_COLUMNS)],
            [
                [r.council, *(_approvers(c[k]) if k == "approvers" else
                              ("yes" if c[k] else "no") if k == "signed_off" else c[k]
                              for k in CAP_COLUMNS)]
                for r in drafted.returns for c in r.cap_breaches
            ],
        ),
        (
            "agencies",
            ["council", "agency", "assignments", "breaches by rule", "waived by rule"],
            [
                [r.council, a["agency"] or "(not recorded)", a["engagements"],
                 ", ".join(f"{rule} {n}" for rule, n in a["breaches"].items()) or "none",
                 ", ".join(f"{rule} {n}" for rule, n in a["waived"].items()) or "none"]
                for r in drafted.returns for a in r.agencies
            ],
        ),
    ]  # fmt: skip
    row = 0
    for key, headings, rows in blocks:
        sheet.write_string(row, 0, f"{key.replace('_', ' ').capitalize()}", bold)
        sheet.write_string(row, 1, f"Guidance field: {GUIDANCE[key]}")
        row += 1
        for c, heading in enumerate(headings):
            sheet.write_string(row, c, heading, bold)
        row += 1
        for values in rows or [["none"]]:
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row, c, value)
                else:
                    sheet.write_string(row, c, printable(value))
            row += 1
        row += 1
