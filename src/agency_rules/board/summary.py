"""A board's summary of councils' reports: breaches and unknowns by council and rule, agency, role and quarter.

Every count a board sees passes through disclosure control first, over the whole paper at once;
charts are drawn from the protected tables, never from the counts behind them. Nothing here holds a
worker or engagement id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

import polars as pl

from ..domain import BREACH, ROLE_WORDS, UNKNOWN
from ..engine.rulebook import load_overlay, load_ruleset, shipped, shipped_overlays
from ..engine.rulebook import rule_titles as titles_of
from ..regions import council_names, region_by_code
from ..tomlfiles import RuleFileError
from .reports import CouncilReport
from .suppression import SECONDARY, Grid, Limit, Shown, Units, protect

TOTAL = "Total"
NOT_READABLE = "council not readable"
OUTCOMES = ((BREACH, "Breaches"), (UNKNOWN, "Unknown outcomes"))
NOT_EVALUATED = "not evaluated"
# a council's cell of a rule evaluated for none of its engagements: not known, not 0
NOT_EVALUATED_MARK = "n/e"
WITHHELD_MARK = "withheld"
HIDDEN_CHANGE = "hidden"
MOST_QUARTERS = 40  # ten years of quarters; those before counted together in one row
EARLIER = "before "  # that row's label: 'before 2016 Q2'
MOST_AGENCIES = 40  # rows of the agency table, the last of them the other agencies together
OTHER_AGENCIES = "other agencies"
OTHERS = object()  # the other agencies' row: no agency's name, whatever it is, can be taken for it
WITHHELD = "Not published: no hiding of single counts could keep a small count in this table from being worked out, so it is withheld whole."
EXPENDABLE = {
    "by_role": 5,
    "by_quarter": 4,
    "by_agency": 3,
    "rows_by_council": 2,
    f"{UNKNOWN}_by_council_and_rule": 1,
}  # withheld first


@dataclass(frozen=True)
class BoardTable:
    """Rows of shown counts under column headings; the last row is the total row."""

    key: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[Shown]]]
    note: str = ""

    @property
    def instead(self) -> str:
        """What a table without rows says in place of them: withheld is not nothing found."""
        return self.note if self.note == WITHHELD else "Nothing to count."

    def word_columns(self) -> set[str]:
        """The columns of words (titles, how far a rule was evaluated), which every format aligns left, not as numbers."""
        return {
            column
            for i, column in enumerate(self.columns)
            if self.rows
            and all(
                isinstance(cell := cells[i], str)
                and cell[:1].isalpha()
                and cell not in ("n/a", NOT_EVALUATED_MARK)
                for label, cells in self.rows
                if label != TOTAL
            )
        }


@dataclass(frozen=True)
class BoardSummary:
    produced: date
    ruleset: str
    overlays: list[str]
    least: int
    reports: list[CouncilReport]
    tables: list[BoardTable]
    notes: list[str]
    rule_titles: dict[str, str]
    evaluated: dict[
        str, str
    ]  # each rule: evaluated for every, some or no engagement (a cap not configured)
    overlay_titles: dict[
        str, str
    ]  # each shipped overlay's title ('South East Memorandum of Understanding')
    regions: list[str]  # the regions of the councils counted
    ruleset_title: str = ""  # 'DfE consultation proposals (2023)': a board should know proposals from guidance in force
    not_evaluated_why: dict[str, list[str]] = field(
        default_factory=dict
    )  # each rule's reasons, from the reports' notices, for engagements it was not evaluated for
    overlapping: bool = (
        False  # some findings stand in two reports: their engagements are checked in each
    )
    cautions: list[str] = field(
        default_factory=list
    )  # what the analyst should hear at once, not only read in the paper: personal data, an overlay not applied

    def table(self, key: str) -> BoardTable:
        return next(t for t in self.tables if t.key == key)

    def in_words(self, shown: Shown | None, noun: str) -> str:
        """A published count in words: a hidden one says what its mark means and why it is hidden."""
        if isinstance(shown, int):
            return f"{shown:,} {noun}"
        if shown == SECONDARY:
            return f"{self.least} or more {noun} (the number is hidden, so that no small count can be worked out)"
        return f"fewer than {self.least} {noun}" if shown else f"{noun}: not published"

    def region_total(self, key: str) -> Shown | None:
        """The region's total of an outcome: the council table's grand total, or where that table is withheld, the same
        count as the agency, role or quarter table publishes it (disclosure control holds it as one count), so the
        headline never says 'not published' beside a table that shows it."""
        table = self.table(key)
        if table.rows:
            return table.rows[-1][1][-1]
        column = 0 if key.startswith(BREACH) else 1
        return next(
            (
                other.rows[-1][1][column]
                for other in self.tables
                if other.key in ("by_agency", "by_role", "by_quarter") and other.rows
            ),
            self._none_or_withheld(table),
        )

    @staticmethod
    def _none_or_withheld(table: BoardTable) -> Shown | None:
        """What a table without rows publishes: 0 where there was nothing to count, None (not published) where it is withheld."""
        return None if table.note == WITHHELD else 0

    def scope(self) -> str:
        """Which councils, of which regions, and which quarters the paper covers."""
        councils = [
            label
            for label, _ in self.table("rows_by_council").rows
            if label not in (TOTAL, NOT_READABLE)
        ]
        between = (
            "; " if any("," in c for c in councils) else ", "
        )  # 'Herefordshire, County of' is one council, not two
        named = (
            (" and " if between == ", " else "; and ").join(
                [between.join(councils[:-1]), councils[-1]] if len(councils) > 1 else councils
            )
            if len(councils) <= 8
            else f"{len(councils)} councils"
        )
        quarters = [label for label, _ in self.table("by_quarter").rows if label != TOTAL]
        period = (
            f", breaches and unknowns on engagements starting"
            f" {'from ' if quarters[0].startswith(EARLIER) else ''}{quarters[0]} to {quarters[-1]}"
            if quarters
            else ""
        )  # the quarters of the findings: a report does not say when the engagements without one started
        where = f"{named} ({', '.join(self.regions)})" if named else "No council"
        return where + period

    def by_rule(self) -> BoardTable:
        """The region's breaches by rule: the council table's total row, with each rule's title; a rule evaluated for no
        engagement says so rather than 0, since no breach found is not no breach."""
        table = self.table(f"{BREACH}_by_council_and_rule")
        totals = dict(zip(table.columns[:-1], dict(table.rows).get(TOTAL, [])))
        return BoardTable(
            "breach_by_rule",
            "Breaches by rule, all councils",
            "rule",
            ["title", "breaches", "evaluated for"],
            [
                (
                    rule,
                    [
                        self.rule_titles.get(rule, ""),
                        NOT_EVALUATED
                        if scope == "no"
                        else 0
                        if scope
                        == "none"  # applies to no engagement checked: a true 0, whatever is withheld
                        else totals.get(rule, WITHHELD_MARK if table.note == WITHHELD else 0),
                        EVALUATED_FOR[scope],
                    ],
                )
                for rule, scope in self.evaluated.items()
            ],
            note=""
            if set(self.evaluated.values()) <= {"every", "none"}
            else "A rule is not evaluated for an engagement when the reports give it no configuration (a cap's value, say):"
            " its breaches there are not known, not zero. Why, as the reports say: "
            + "; ".join(
                f"{rule}: {_listed(self.not_evaluated_why.get(rule, []))}"
                for rule, scope in self.evaluated.items()
                if scope in ("some", "no")
            )
            + ".",
        )

    def marks(self) -> str:
        """The key to the marks, which every table that shows one needs beside it."""
        unevaluated = any(NOT_EVALUATED_MARK in cells for t in self.tables for _, cells in t.rows)
        return (
            f"Marks: <{self.least} is a count from 1 to {self.least - 1}; * is a count of {self.least} or more, hidden so"
            " that no small count can be worked out from the rest; 0 is none"
            + (
                f"; {NOT_EVALUATED_MARK} is a rule not evaluated for any of that council's engagements (its report gave it"
                " no configuration, a cap's value say), so its count there is not known, not 0."
                if unevaluated
                else "."
            )
        )

    def preamble(self) -> list[str]:
        """What every format says first: what was summarised, under which rules, and how small counts are hidden."""
        councils = self.table("rows_by_council")
        checked = self.in_words(
            councils.rows[-1][1][0] if councils.rows else self._none_or_withheld(councils),
            "engagements checked"
            + (
                " (an engagement in two of these reports, as in overlapping quarters, counted in each: a report"
                " lists no engagement without a finding, so they cannot be counted once)"
                if self.overlapping
                else ""
            ),
        )
        terms = (
            "; ".join(
                f"{self.overlay_titles.get(o, o)}, for its region's councils" for o in self.overlays
            )
            or "none"
        )
        return [
            f"{self.scope()}: {checked}; {self.in_words(self.region_total(f'{BREACH}_by_council_and_rule'), 'breaches')};"
            f" {self.in_words(self.region_total(f'{UNKNOWN}_by_council_and_rule'), 'unknown outcomes')}."
            + (
                " Some rules were not evaluated for every engagement, so their counts are of those evaluated: see the"
                " notes."
                if "some" in self.evaluated.values()
                else ""
            ),
            f"Produced {self.produced.isoformat()} from {len(self.reports)} report(s) under ruleset {self.ruleset}"
            f"{f' ({self.ruleset_title})' if self.ruleset_title else ''};"
            f" regional terms: {terms}.",
            self.marks(),
            f"Disclosure control follows the Government Statistical Service and ONS guidance on tables: counts from 1 to"
            f" {self.least - 1} are shown as <{self.least} (primary suppression), and further cells are hidden as * (a count of"
            f" {self.least} or more; a zero is never hidden) until no hidden count can be worked out from anything this paper"
            " publishes: any table, any total, or the same total in another table. The region's totals by rule, by council"
            f" and overall are shown unless they are themselves below {self.least}, or a region is too small to protect a count"
            " otherwise. Counts are of findings: one engagement may breach several rules.",
            "Quarters are calendar quarters of the engagement's start (Q1 = January to March).",
            "Do not publish this paper beside another that counts an overlapping set of the same findings (the region with"
            " and without one council, or two periods that share a quarter): the difference of their totals can give a"
            " hidden count away. Each paper protects its own counts, not those of two papers together.",
            *self.notes,
        ]

    def inputs(self) -> list[tuple[str, str, str]]:
        """(report, what it checked, SHA-256): the report files, then the exports each checked."""
        lines = []
        for r in self.reports:
            lines.append((r.path, "report", r.sha256))
            lines += [
                (r.path, f"{i['kind']}: {i['path']}", i["sha256"])
                for i in r.inputs
                if i["kind"] in ("engagements", "history")
            ]
        return lines


def _listed(reasons: list[str], most: int = 3) -> str:
    if not reasons:
        return "the reports do not say"
    more = f" (and {len(reasons) - most} more reasons)" if len(reasons) > most else ""
    return " / ".join(reasons[:most]) + more


def quarter(day: pl.Expr) -> pl.Expr:
    """A calendar quarter, '2025 Q3' (July to September)."""
    return pl.format("{} Q{}", day.dt.year(), day.dt.quarter())


@dataclass(frozen=True)
class _Draft:
    """A table before disclosure control: its words and the counts behind it."""

    key: str
    title: str
    heading: str
    columns: list[str]
    labels: list[str]
    counts: list[list[int]]
    row_totals: bool
    note: str = ""

    def grid(self) -> Grid:
        """A by-council-and-rule table's grand total, and an outcome column's total elsewhere, are the region's total of that outcome."""
        if self.row_totals:
            outcome = self.key.split("_by_")[0]
            return Grid(
                self.counts,
                True,
                {(len(self.counts), len(self.columns)): outcome},
                EXPENDABLE.get(self.key, 0),
            )
        shared = (
            {(len(self.counts), c): outcome for c, outcome in enumerate((BREACH, UNKNOWN))}
            if self.key != "rows_by_council"
            else {}
        )
        return Grid(self.counts, False, shared, EXPENDABLE[self.key])


def summarise(
    reports: list[CouncilReport], notes: list[str], least: int, produced: date
) -> BoardSummary:
    every = pl.concat([r.findings for r in reports])
    findings = _counted_once(every)
    if findings.height < every.height:
        notes = [
            *notes,
            "Some findings stand in more than one report (the same council, engagement id and rule, as in quarterly"
            " exports that overlap): each is counted once, under the last report given; engagements checked count such an"
            " engagement once per report.",
        ]
    names = council_names()
    if len(reports) > 1 and len({code for r in reports for code in r.checked_by_council}) > 1:
        pools = "; ".join(
            f"{r.path}: {', '.join(sorted(names.get(c, c) for c in r.checked_by_council)) or 'no council'}"
            for r in reports
        )
        notes = [
            *notes,
            "These reports were checked separately, so a worker who left one council's permanent staff and was engaged"
            " through an agency by another council inside the cooling-off period is found only where one report pooled both"
            " councils' exports (agency-check a.csv b.csv --format json): cooling-off was checked across the councils of"
            f" one report, not across reports. The councils of each report: {pools}.",
        ]
    named = [r.path for r in reports if r.identifiable]
    cautions = []
    if named:
        notes = [
            *notes,
            f"{', '.join(named)} checked exports with registration numbers, not pseudonyms: this paper names no worker,"
            " but those reports do; they are personal data, to stay with their council (a region's pooled check reads"
            " exports pseudonymised with agency-check pseudonymise).",
        ]
        cautions.append(
            f"{', '.join(named)} name workers by registration number: personal data, to stay with their council"
        )
    unapplied = _overlays_not_applied(reports)
    if unapplied:
        notes = [
            *notes,
            "Some reports were checked without their region's overlay, so its stricter terms were not applied to their"
            f" engagements: {'; '.join(unapplied)}.",
        ]
        cautions += [f"checked without its region's overlay: {u}" for u in unapplied]
    alike: dict[tuple, list[str]] = {}
    for r in reports:
        if r.missing_columns:
            alike.setdefault(
                tuple(sorted((c, tuple(rs)) for c, rs in r.missing_columns.items())), []
            ).append(r.path)
    if alike:
        notes = [
            *notes,
            "Some exports lacked columns the rules read, so those rules' outcomes there rest on what a missing value means"
            " (an engagement type taken as individual, a value not recorded as unknown): "
            + "; ".join(
                f"the exports checked by {', '.join(paths)} lack {', '.join(c for c, _ in missing)} (read by"
                f" {', '.join(sorted({rule for _, rules in missing for rule in rules}))})"
                for missing, paths in alike.items()
            )
            + ".",
        ]
    evaluated = _evaluated(reports)
    rules = [
        rule for rule, scope in evaluated.items() if scope != "no"
    ]  # a column of zeros not evaluated would read as none found
    checked: dict[str, int] = {}
    for r in reports:
        for code, n in r.checked_by_council.items():
            checked[code] = checked.get(code, 0) + n
    rejected_by = {
        code: n
        for code, n in pl.concat([r.rejected for r in reports])
        .group_by("la_code")
        .len()
        .iter_rows()
    }
    codes = sorted(
        {*checked, *findings["la_code"], *(c for c in rejected_by if c is not None)},
        key=lambda c: names[c].lower(),
    )
    council_rows = [names[code] for code in codes]
    drafts = [
        _Draft(
            "rows_by_council",
            "Engagements checked and rows rejected, by council",
            "council",
            ["engagements checked", "rows rejected"],
            council_rows + ([NOT_READABLE] if None in rejected_by else []),
            [[checked.get(c, 0), rejected_by.get(c, 0)] for c in codes]
            + ([[0, rejected_by[None]]] if None in rejected_by else []),
            row_totals=False,
            note="A rejected row whose council cell could not be read is counted under 'council not readable'."
            if None in rejected_by
            else "",
        ),
    ]
    for outcome, word in OUTCOMES:
        counts = _counts(findings.filter(pl.col("outcome") == outcome), "la_code", "rule_id")
        drafts.append(
            _Draft(
                f"{outcome}_by_council_and_rule",
                f"{word} by council and rule",
                "council",
                rules,
                council_rows,
                [[counts.get((c, rule), 0) for rule in rules] for c in codes],
                row_totals=True,
            )
        )
    for key, column, heading, blank in (
        ("by_agency", "agency", "agency", "agency not recorded"),
        ("by_role", "role", "role", "role not recorded"),
    ):
        counts = _counts(findings, column, "outcome")
        fewer = _fewer_agencies(counts) if column == "agency" else counts
        values = sorted(
            {k[0] for k in fewer}, key=lambda v: (v is None, v is OTHERS, str(v).lower())
        )
        drafts.append(
            _Draft(
                key,
                f"Breaches and unknown outcomes by {heading}",
                heading,
                ["breaches", "unknown"],
                [_label(v, column, blank) for v in values],
                [[fewer.get((v, BREACH), 0), fewer.get((v, UNKNOWN), 0)] for v in values],
                row_totals=False,
                note=f"The {MOST_AGENCIES - 1} agencies with the most findings are named; the rest are counted together"
                f" as '{OTHER_AGENCIES}'."
                if fewer is not counts
                else "",
            )
        )
    drafts.append(_by_quarter(findings))
    shown = protect([d.grid() for d in drafts], least, _limits(drafts), _units(drafts))
    tables = [
        BoardTable(
            d.key,
            d.title,
            d.heading,
            d.columns + ([TOTAL] if d.row_totals else []),
            list(zip([*d.labels, TOTAL], grid)),
            d.note,
        )
        if d.counts and grid is not None
        else BoardTable(
            d.key, d.title, d.heading, d.columns, [], d.note if grid is not None else WITHHELD
        )
        for d, grid in zip(drafts, shown)
    ]
    tables[-1] = _with_change(tables[-1])
    if tables[-1].rows and tables[-1].rows[0][0].startswith(EARLIER):
        cautions.append(
            f"the findings' start dates span more than {MOST_QUARTERS // 4} years (the paper counts the earliest"
            " quarters together): a start date typed years early?"
        )
    unevaluated = _not_evaluated_in(reports, codes, rules)
    tables[1:3] = [_marked_not_evaluated(t, codes, unevaluated) for t in tables[1:3]]
    notes = [*notes, *_partly_evaluated(reports, rules)]
    overlays = sorted({o for r in reports for o in r.overlays})
    titles, overlay_titles, ruleset_title = rule_titles(reports[0].ruleset, overlays)
    unshipped = [o for o in overlays if o not in overlay_titles]
    if (
        unshipped
    ):  # a region's own overlay file, or a name made up: its changes cannot be put in the titles
        said = (
            f"{', '.join(unshipped)} {'is not an overlay' if len(unshipped) == 1 else 'are not overlays'} this tool"
            " ships, so what it changes in the rules is not in this paper's rule titles: read them in the reports"
            f" checked under it ({', '.join(r.path for r in reports if set(unshipped) & set(r.overlays))})"
        )
        notes = [*notes, f"Regional terms {said}."]
        cautions.append(said)
    without = [r.path for r in reports if set(r.overlays) != set(overlays)]
    if without:  # a title an overlay changed is not the rule every report was checked under
        titles = {
            rule: f"{title} [not applied in {', '.join(without)}]"
            if "(overlays:" in title
            else title
            for rule, title in titles.items()
        }
    regions = sorted({region_by_code()[code] for code in codes})
    return BoardSummary(
        produced,
        reports[0].ruleset,
        overlays,
        least,
        reports,
        tables,
        notes,
        titles,
        evaluated,
        overlay_titles,
        regions,
        ruleset_title,
        _why_not_evaluated(reports),
        findings.height < every.height,
        cautions,
    )


def _not_evaluated_in(
    reports: list[CouncilReport], codes: list[str], rules: list[str]
) -> set[tuple[str, str]]:
    """(council, rule) where the rule was evaluated for none of the council's engagements: every report that checked the
    council evaluated it for none of its own, and at least one could not (a report counts by rule, not by council)."""
    found = set()
    for code in codes:
        holding = [r for r in reports if code in r.checked_by_council]
        for rule in rules:
            if any(r.not_evaluated.get(rule, 0) for r in holding) and all(
                r.evaluated(rule) <= 0 for r in holding
            ):
                found.add((code, rule))
    return found


def _marked_not_evaluated(
    table: BoardTable, codes: list[str], unevaluated: set[tuple[str, str]]
) -> BoardTable:
    """A council's 0 of a rule evaluated for none of its engagements is no breach found, not no breach: say n/e. The
    count behind it is 0 whatever the mark, so disclosure control is unchanged."""
    if not unevaluated or not table.rows:
        return table
    rows = [
        (
            label,
            [
                NOT_EVALUATED_MARK
                if i < len(codes) and cell == 0 and (codes[i], rule) in unevaluated
                else cell
                for rule, cell in zip(table.columns, cells)
            ],
        )
        for i, (label, cells) in enumerate(table.rows)
    ]
    return BoardTable(table.key, table.title, table.row_heading, table.columns, rows, table.note)


def _partly_evaluated(reports: list[CouncilReport], rules: list[str]) -> list[str]:
    """The reports that did not evaluate a rule the region's counts show for all their engagements: its counts there, and
    the region's total of it, are of the engagements evaluated, a floor, which a board should know before reading a
    total as the whole (a 0 where one council checked no cap is not 'no cap breaches in the region')."""
    partly: dict[tuple[str, bool], list[str]] = {}
    for r in reports:
        for rule in rules:
            if r.not_evaluated.get(rule, 0):
                partly.setdefault((r.path, r.evaluated(rule) <= 0), []).append(rule)
    if not partly:
        return []
    return [
        "Some rules were not evaluated for every engagement (no configuration for some, a cap's value for a region and"
        " role, say), so their counts and the region's totals of them are of the engagements evaluated, not all (how"
        " many were not is not said: it could point to a worker): "
        + "; ".join(
            f"{', '.join(named)} in {path}"
            + (f" (for none of its engagements: {NOT_EVALUATED_MARK} in its cells)" if none else "")
            for (path, none), named in partly.items()
        )
        + "."
    ]


def _overlays_not_applied(reports: list[CouncilReport]) -> list[str]:
    """Each report that checked councils of a region with a shipped overlay, without it: a West Midlands council's
    three-month findings are not the twelve months its region agreed."""
    regions, overlays = region_by_code(), shipped_overlays()
    names = council_names()
    missed = []
    for r in reports:
        by_overlay: dict[str, list[str]] = {}
        for code in r.checked_by_council:
            overlay = overlays.get(regions.get(code, ""))
            if overlay is not None and overlay not in r.overlays:
                by_overlay.setdefault(overlay, []).append(names.get(code, code))
        missed += [
            f"{r.path} ({_first_few(sorted(councils))}: --overlay {overlay})"
            for overlay, councils in sorted(by_overlay.items())
        ]
    return missed


def _first_few(names: list[str], most: int = 5) -> str:
    """Councils named in a sentence: a region's pooled report holds dozens. Semicolons, as 'Herefordshire, County of'
    is one council."""
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return "; ".join(names[:most]) + more


def _why_not_evaluated(reports: list[CouncilReport]) -> dict[str, list[str]]:
    why: dict[str, list[str]] = {}
    for report in reports:
        for rule, reasons in report.not_evaluated_why.items():
            why.setdefault(rule, []).extend(r for r in reasons if r not in why[rule])
    return why


def _evaluated(reports: list[CouncilReport]) -> dict[str, str]:
    """Each rule, in the reports' order: evaluated for 'every' or 'some' engagement it applies to, for 'no' engagement
    (none could be: its breaches are not known), or for 'none' because it applies to no engagement checked (its 0 is
    a true 0). An engagement a rule does not apply to is not one it was evaluated for."""
    scopes = {}
    for rule in dict.fromkeys(rule for r in reports for rule in r.rules):
        missed = sum(r.not_evaluated.get(rule, 0) for r in reports)
        evaluated = sum(r.evaluated(rule) for r in reports if rule in r.rules)
        scopes[rule] = (
            ("some" if missed else "every") if evaluated > 0 else "no" if missed else "none"
        )
    return scopes


EVALUATED_FOR = {
    "every": "every engagement it applies to",
    "some": "some engagements it applies to",
    "no": "no engagement",
    "none": "none: it applies to no engagement checked",
}


def _limits(drafts: list[_Draft]) -> list[Limit]:
    """A council's breaches and unknowns of one rule are findings about its engagements checked, at most one each: a reader
    who sees that council's engagements checked knows this too. So does one of the region's rule totals; and a council's
    findings of every rule are at most its engagements checked times the rules with findings."""
    rows, breaches, unknowns = drafts[0], drafts[1], drafts[2]
    places = [(i, i) for i in range(len(breaches.counts))] + [
        (len(breaches.counts), len(rows.counts))
    ]  # each council, then the region
    every = len(breaches.columns)
    return [
        Limit([(1, row, rule), (2, row, rule)], (0, checked, 0))
        for row, checked in places
        for rule in range(every)
    ] + [
        Limit([(1, row, every), (2, row, every)], (0, checked, 0), _rules_found(breaches, unknowns))
        for row, checked in places
    ]


def _rules_found(*drafts: _Draft) -> int:
    """The rules with a finding among these tables' counts: what a reader learns from their total rows (a zero is never
    hidden), and the most findings one engagement can have in them."""
    return sum(
        any(any(row[c] for row in d.counts) for d in drafts) for c in range(len(drafts[0].columns))
    )


def _units(drafts: list[_Draft]) -> list[Units]:
    """The agency, role and quarter tables' rows are engagements too, whose number a reader can reason about (`Units`)."""
    rows, breaches, unknowns = drafts[0], drafts[1], drafts[2]
    region = (0, len(rows.counts), 0)
    return [
        Units(
            place,
            [_rules_found(breaches), _rules_found(unknowns)],
            _rules_found(breaches, unknowns),
            region,
        )
        for place, d in enumerate(drafts)
        if d.key in ("by_agency", "by_role", "by_quarter")
    ]


def _counted_once(every: pl.DataFrame) -> pl.DataFrame:
    """Within a report every finding counts (files of one council may reuse ids); across reports, one engagement's finding counts once.

    The same council's engagement id and rule in two reports is the same finding (quarterly exports
    that overlap, a start date corrected); it is counted under the last report that holds it.
    """
    same = ["la_code", "engagement_id", "rule_id"]
    last = every.group_by(same).agg(pl.col("report").max())
    return every.join(
        last, on=[*same, "report"], how="semi", nulls_equal=True, maintain_order="left"
    ).drop("engagement_id", "file")


def _fewer_agencies(counts: dict[tuple, int]) -> dict[tuple, int]:
    """The agencies with the most findings, the rest counted together: a region's paper names the agencies that matter to
    it, and the disclosure control's time grows faster than its rows (a report naming thousands would take minutes)."""
    totals: dict[object, int] = {}
    for (agency, _), n in counts.items():
        if agency is not None:
            totals[agency] = totals.get(agency, 0) + n
    if len(totals) <= MOST_AGENCIES:
        return counts
    named = set(sorted(totals, key=lambda a: (-totals[a], str(a).lower()))[: MOST_AGENCIES - 1])
    fewer: dict[tuple, int] = {}
    for (agency, outcome), n in counts.items():
        key = (agency if agency is None or agency in named else OTHERS, outcome)
        fewer[key] = fewer.get(key, 0) + n
    return fewer


def _label(value: object, column: str, blank: str) -> str:
    """A row's label; an agency named like one of the paper's own rows ('Total') says it is an agency's name, so that no
    reader (or renderer) takes it for the total."""
    if value is None:
        return blank
    if value is OTHERS:
        return OTHER_AGENCIES
    if column == "role":
        return ROLE_WORDS.get(str(value), str(value))
    name = str(value)
    reserved = {TOTAL, OTHER_AGENCIES, blank, NOT_READABLE}
    return (
        f"{name} (an agency of this name)"
        if name.strip().casefold() in {r.casefold() for r in reserved}
        else name
    )


def _counts(findings: pl.DataFrame, row: str, column: str) -> dict[tuple, int]:
    return {(a, b): n for a, b, n in findings.group_by(row, column).len().iter_rows()}


def _by_quarter(findings: pl.DataFrame) -> _Draft:
    """Breaches and unknowns by the quarter the engagement started, every quarter between the first and last; the
    quarters before the last MOST_QUARTERS - 1 counted together, so a start date typed decades early (1925) costs one
    row, not four hundred (each row is a line the disclosure control solves over: 800 quarters took minutes)."""
    dated = findings.with_columns(quarter(pl.col("start_date")).alias("quarter"))
    counts = _counts(dated, "quarter", "outcome")
    span: list[str] = []
    if dated.height:
        first, last = cast(date, dated["start_date"].min()), cast(date, dated["start_date"].max())
        span = (
            pl.select(
                quarter(pl.date_range(first.replace(day=1), last, interval="1mo")).unique(
                    maintain_order=True
                )
            )
            .to_series()
            .to_list()
        )
    rows = [[counts.get((q, BREACH), 0), counts.get((q, UNKNOWN), 0)] for q in span]
    note = "Change is the difference in breaches from the quarter before (n/a for the first); it is hidden where either count is."
    if len(span) > MOST_QUARTERS:
        cut = len(span) - (MOST_QUARTERS - 1)
        earlier = [sum(row[i] for row in rows[:cut]) for i in (0, 1)]
        span, rows = [f"{EARLIER}{span[cut]}", *span[cut:]], [earlier, *rows[cut:]]
        note += (
            f" The quarters before {span[1]} are counted together (a start date years before the rest may be a typing"
            " error: see the reports' findings)."
        )
    return _Draft(
        "by_quarter",
        "Breaches and unknown outcomes by quarter of engagement start",
        "quarter",
        ["breaches", "unknown"],
        span,
        rows,
        row_totals=False,
        note=note,
    )


def _with_change(table: BoardTable) -> BoardTable:
    """The quarter table with the change in breaches from the quarter before, hidden where either count is."""
    rows = []
    previous: Shown | None = None
    for label, cells in table.rows:
        if label == TOTAL:
            change: Shown = ""
        elif previous is None or label.startswith(EARLIER):
            change = "n/a"  # no quarter before (or many together): a '-' would read as a fall
        elif isinstance(cells[0], int) and isinstance(previous, int):
            change = f"{cells[0] - previous:+d}" if cells[0] != previous else "0"
        else:
            change = (
                HIDDEN_CHANGE  # not '*', which is a count of 5 or more: a change can be any number
            )
        previous = None if label.startswith(EARLIER) else cells[0]
        rows.append((label, [*cells, change]))
    return BoardTable(
        table.key,
        table.title,
        table.row_heading,
        [*table.columns, "change in breaches"],
        rows,
        table.note,
    )


def _shipped(kind: str, name: str, load):
    """A shipped ruleset or overlay by the name a report gives; None for a name that is not one (a file of one's own)."""
    path = shipped(kind, name) if len(name) <= 60 else None
    if path is None:
        return None
    try:
        return load(path)
    except RuleFileError:
        return None


def rule_titles(ruleset: str, overlays: list[str]) -> tuple[dict[str, str], dict[str, str], str]:
    """Each rule's title as the check words it (with what the overlays change in it), each overlay's title and the
    ruleset's, from the shipped files of these names; a name that is not a shipped file gives none."""
    loaded = {
        name: overlay
        for name in overlays
        if (overlay := _shipped("overlays", name, load_overlay)) is not None
    }
    rules = _shipped("rulesets", ruleset, load_ruleset)
    titles = titles_of(rules, list(loaded.values())) if rules is not None else {}
    return (
        titles,
        {name: overlay.overlay.title for name, overlay in loaded.items()},
        rules.ruleset.title if rules is not None else "",
    )
