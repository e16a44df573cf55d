"""Disclosure control audited as an attacker would: interval reasoning over the whole published paper.

The audit here is written apart from the suppression it checks. It reads only what a board paper
publishes (the JSON summary's tables), starts each hidden count between its published bounds
(`<5`: 1 to 4; `*`: 5 or more), knows that every column adds up to its total row, every table with
a Total column adds up across, and that the region's totals stand in several tables as one count;
knows that a council's breaches and unknowns of one rule are at most its engagements checked; then it
narrows every hidden count by every line until nothing changes. A hidden count narrowed to one value
fails the test, and so does one the lines and bounds fix taken together (integer programming).
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date
from itertools import product
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from agency_rules.board.reports import FINDING_COLUMNS, CouncilReport
from agency_rules.board.summary import summarise
from agency_rules.board.suppression import Grid, protect
from agency_rules.renderers import board_json
from agency_rules.report import RenderOptions

from .conftest import CASES, examples
from .test_cli import run

LEAST = 5
BIG = 10**12
RULES = ["COOL001", "NOTICE001", "REF001", "REF002", "CAP001"]
COUNCILS = ["E10000016", "E06000035", "E06000036", "E06000043", "E10000030"]  # Kent, Medway, Bracknell Forest, Brighton and Hove, Surrey


def bounds(cell: int | str) -> tuple[int, int]:
    if isinstance(cell, int):
        return cell, cell
    if cell == "n/e":  # a rule evaluated for none of a council's engagements: no finding of it there
        return 0, 0
    return (1, LEAST - 1) if cell == f"<{LEAST}" else (LEAST, BIG)


def audit(paper: dict) -> list[str]:
    """The hidden counts of a published board summary that interval reasoning pins to one value, named by table, row and column."""
    low: dict[str, int] = {}
    high: dict[str, int] = {}
    lines: list[list[tuple[str, int]]] = []

    def name(table: dict, label: str, column: str) -> str:
        if label == "Total" and table["key"].endswith("_by_council_and_rule") and column == "Total":
            return f"region {table['key'].split('_by_')[0]}"  # the grand total, the same count as below
        if label == "Total" and table["key"] in ("by_agency", "by_role", "by_quarter") and column in ("breaches", "unknown"):
            return f"region {'breach' if column == 'breaches' else 'unknown'}"
        return f"{table['key']}/{label}/{column}"

    for table in paper["tables"]:
        columns = [c for c in table["columns"] if c != "change in breaches"]
        grid = {(row["label"], c): row["cells"][i] for row in table["rows"] for i, c in enumerate(columns)}
        for (label, column), cell in grid.items():
            key = name(table, label, column)
            lo, hi = bounds(cell)
            low[key], high[key] = max(low.get(key, lo), lo), min(high.get(key, hi), hi)
        labels = [row["label"] for row in table["rows"]]
        if not labels:
            continue
        for column in columns:
            lines.append([(name(table, label, column), 1) for label in labels[:-1]] + [(name(table, "Total", column), -1)])
        if "Total" in columns:
            for label in labels:
                lines.append([(name(table, label, c), 1) for c in columns[:-1]] + [(name(table, label, "Total"), -1)])
    tables = {t["key"]: t for t in paper["tables"] if t["rows"]}
    unseen = iter(range(10**9))

    def at_most(parts: list[tuple[str, int]], bound: list[tuple[str, int]]) -> None:
        slack = f"slack/{next(unseen)}"  # the room left, never shown
        low[slack], high[slack] = 0, BIG
        lines.append([*parts, (slack, 1), *((v, -w) for v, w in bound if w)])

    rules = {key: _rules_found(paper, key) for key in ("breach_by_council_and_rule", "unknown_by_council_and_rule")}
    found_in_all = len(rules["breach_by_council_and_rule"] | rules["unknown_by_council_and_rule"])
    if "rows_by_council" in tables and "breach_by_council_and_rule" in tables:  # a council's findings of a rule <= its engagements
        councils = tables["breach_by_council_and_rule"]
        for row in councils["rows"]:
            checked = [(name(tables["rows_by_council"], row["label"], "engagements checked"), 1)]
            for rule in [*councils["columns"][:-1], "Total"]:
                found = [(name(councils, row["label"], rule), 1)] + (
                    [(name(tables["unknown_by_council_and_rule"], row["label"], rule), 1)] if "unknown_by_council_and_rule" in tables else [])
                at_most(found, checked if rule != "Total" else [(checked[0][0], found_in_all)])  # one finding a rule an engagement
    for key in ("by_agency", "by_role", "by_quarter"):  # each row listed is one engagement or more, each with a finding a rule at most
        if key not in tables:
            continue
        engagements = []
        for row in tables[key]["rows"][:-1]:
            e = f"engagements/{key}/{row['label']}"
            low[e], high[e] = (1 if any(cell != 0 for cell in row["cells"][:2]) else 0), BIG
            engagements.append((e, 1))
            b, u = (name(tables[key], row["label"], "breaches"), 1), (name(tables[key], row["label"], "unknown"), 1)
            at_most([(e, 1)], [b, u])
            at_most([b], [(e, len(rules["breach_by_council_and_rule"]))])
            at_most([u], [(e, len(rules["unknown_by_council_and_rule"]))])
            at_most([b, u], [(e, found_in_all)])
        if "rows_by_council" in tables:
            at_most(engagements, [(name(tables["rows_by_council"], "Total", "engagements checked"), 1)])
    changed = True
    while changed:
        changed = False
        for line in lines:
            for i, (v, weight) in enumerate(line):
                rest = line[:i] + line[i + 1:]
                rest_low = sum(w * (low[x] if w > 0 else high[x]) for x, w in rest)
                rest_high = sum(w * (high[x] if w > 0 else low[x]) for x, w in rest)
                lo, hi = -rest_high, -rest_low  # weight x v lies between these
                lo, hi = (-(-lo // weight), hi // weight) if weight > 0 else (-(-hi // weight), lo // weight)
                if lo > low[v] or hi < high[v]:
                    low[v], high[v] = max(low[v], lo), min(high[v], hi)
                    assert low[v] <= high[v], f"the published paper contradicts itself at {v}"
                    changed = True
    hidden = {name(t, row["label"], c) for t in paper["tables"] for row in t["rows"] for c, cell in zip(t["columns"], row["cells"])
              if isinstance(cell, str) and cell.startswith(("<", "*")) and c != "change in breaches"}
    return sorted(v for v in hidden if low[v] == high[v] or v in fixed_over_integers(lines, low, high, hidden))


def _rules_found(paper: dict, key: str) -> set[str]:
    """The rules a table's total row shows a finding of (a hidden count is one or more; a zero is never hidden); every rule
    of the table where it is withheld."""
    table = next((t for t in paper["tables"] if t["key"] == key), None)
    if table is None:
        return set()
    if not table["rows"]:
        return set(table["columns"][:-1])
    return {rule for rule, cell in zip(table["columns"][:-1], table["rows"][-1]["cells"]) if cell != 0}


def fixed_over_integers(lines: list[list[tuple[str, int]]], low: dict[str, int], high: dict[str, int], hidden: set[str]) -> set[str]:
    """The hidden counts that take one value in every table of whole numbers the paper allows: each count's least and greatest
    value by integer programming (scipy's MILP) over every line, bound and limit at once. Exact, where the suppression's own
    check is linear programming; lines taken together fix what no line fixes alone (a + b = 5, b + c = 7, a + c = 6: a = 2)."""
    names = sorted({v for line in lines for v, _ in line} | set(low))
    index = {v: i for i, v in enumerate(names)}
    matrix = np.zeros((len(lines), len(names)))
    for r, line in enumerate(lines):
        for v, sign in line:
            matrix[r, index[v]] += sign
    sums = LinearConstraint(matrix, 0, 0)
    box = Bounds([low[v] for v in names], [np.inf if high[v] >= BIG else high[v] for v in names])
    fixed = set()
    for v in sorted(hidden):
        if low[v] == high[v]:
            continue
        ends = []
        for direction in (1, -1):
            aim = np.zeros(len(names))
            aim[index[v]] = direction
            result = milp(aim, constraints=[sums], integrality=np.ones(len(names)), bounds=box)
            assert result.status == 0, f"the published paper contradicts itself at {v}"
            ends.append(round(direction * result.fun))
        if ends[0] == ends[1]:
            fixed.add(v)
    return fixed


def a_report(rows: list[dict], checked: dict[str, int], place: int = 0) -> CouncilReport:
    findings = pl.DataFrame(rows, schema=FINDING_COLUMNS, orient="row").with_columns(pl.lit(place).alias("report"))
    inputs = [{"path": f"export-{place}.csv", "sha256": f"{place:064x}", "kind": "engagements"}]
    total = sum(checked.values())
    return CouncilReport(f"report-{place}.json", f"{place:064x}", "consultation-2023", [], inputs, total, total, 0, RULES, {}, {}, checked, {},
                         findings, pl.DataFrame({"la_code": []}, schema={"la_code": pl.String}))


def paper_of(reports: list[CouncilReport]) -> dict:
    out = io.StringIO()
    board_json.render(summarise(reports, [], LEAST, date(2026, 1, 1)), RenderOptions(), out)
    return json.loads(out.getvalue())


def findings_of(counts: dict[tuple[str, str], int], outcome: str = "breach", agency: str = "Oakfield") -> list[dict]:
    return [{"file": "a.csv", "engagement_id": f"{council}-{rule}-{i}", "la_code": council, "agency": agency, "role": "social_worker",
             "rule_id": rule, "outcome": outcome, "start_date": date(2025, 7, 1)}
            for (council, rule), n in counts.items() for i in range(n)]


def table(paper: dict, key: str) -> dict[str, list]:
    return {row["label"]: row["cells"] for row in next(t for t in paper["tables"] if t["key"] == key)["rows"]}


def test_the_audit_finds_what_the_old_suppression_gave_away() -> None:
    """The issue's case: Medway's count hidden, its rule total hidden, but Kent's shown and the grand total published elsewhere."""
    old = {"tables": [
        {"key": "breach_by_council_and_rule", "columns": ["NOTICE001", "Total"],
         "rows": [{"label": "Kent", "cells": [20, 20]}, {"label": "Medway", "cells": ["<5", "<5"]}, {"label": "Total", "cells": ["*", "*"]}]},
        {"key": "by_agency", "columns": ["breaches", "unknown"], "rows": [{"label": "Oakfield", "cells": [22, 0]}, {"label": "Total", "cells": [22, 0]}]},
    ]}
    assert audit(old) == ["breach_by_council_and_rule/Medway/NOTICE001", "breach_by_council_and_rule/Medway/Total",
                          "breach_by_council_and_rule/Total/NOTICE001", "region breach"]


def test_kent_and_medway_totals_are_published_and_medways_count_cannot_be_worked_out() -> None:
    reports = [a_report(findings_of({("E10000016", "NOTICE001"): 20, ("E10000016", "REF001"): 9, ("E06000035", "NOTICE001"): 2,
                                     ("E06000035", "REF001"): 7}), {"E10000016": 40, "E06000035": 12})]
    paper = paper_of(reports)
    councils = table(paper, "breach_by_council_and_rule")
    assert councils["Medway"][RULES.index("NOTICE001")] == "<5"
    assert councils["Kent"][-1] == 29 and councils["Medway"][-1] == 9 and councils["Total"][-1] == 38  # the totals are published
    assert councils["Total"][RULES.index("NOTICE001")] == 22 and councils["Total"][RULES.index("REF001")] == 16
    assert table(paper, "by_agency")["Total"] == [38, 0]
    assert audit(paper) == []


def exact_values(grids: list[list[list[int]]], shown: list[list[list[int | str]]], cell: tuple[int, int, int]) -> set[int]:
    """Every value a hidden cell can take, by trying every value of every hidden cell (small grids only)."""
    hidden = [(g, r, c) for g, grid in enumerate(shown) for r, row in enumerate(grid) for c, v in enumerate(row) if isinstance(v, str)]
    inner = [(g, r, c) for g, r, c in hidden if r < len(grids[g]) and c < len(grids[g][0])]
    most = max(v for grid in grids for row in Grid(grid).with_totals() for v in row)
    options = [range(1, LEAST) if shown[g][r][c] == f"<{LEAST}" else range(LEAST, most + 1) for g, r, c in inner]
    found = set()
    for values in product(*options):
        trial = [[row[:] for row in grid] for grid in grids]
        for (g, r, c), v in zip(inner, values):
            trial[g][r][c] = v
        full = [Grid(t).with_totals() for t in trial]
        if all(isinstance(s, str) or s == full[g][r][c] for g, grid in enumerate(shown) for r, row in enumerate(grid) for c, s in enumerate(row)) \
                and all(not isinstance(s, str) or (s == f"<{LEAST}") == (full[g][r][c] < LEAST) for g, grid in enumerate(shown)
                        for r, row in enumerate(grid) for c, s in enumerate(row)):
            found.add(full[cell[0]][cell[1]][cell[2]])
    return found


@pytest.mark.slow
def test_no_hidden_count_of_small_grids_can_be_worked_out_exactly() -> None:
    """Beyond interval reasoning: every value of every hidden inner cell tried, each hidden cell can still take two values or more."""
    for counts in ([[0, 3, 1, 1, 0], [1, 5, 0, 1, 0]], [[3, 10], [8, 9]], [[1, 6], [7, 9]], [[2, 0], [0, 8]], [[4, 5, 6]]):
        shown = protect([Grid(counts)], LEAST)
        full = Grid(counts).with_totals()
        assert all(s == full[r][c] or isinstance(s, str) for r, row in enumerate(shown[0]) for c, s in enumerate(row))
        for r, row in enumerate(shown[0]):
            for c, s in enumerate(row):
                if isinstance(s, str):
                    assert len(exact_values([counts], shown, (0, r, c))) > 1, (counts, r, c, shown)


def test_counts_of_five_or_more_and_zeros_are_shown_where_nothing_needs_hiding() -> None:
    assert protect([Grid([[5, 0], [6, 0]])], LEAST) == [[[5, 0, 5], [6, 0, 6], [11, 0, 11]]]
    assert protect([Grid([[6, 7], [0, 0]])], LEAST) == [[[6, 7, 13], [0, 0, 0], [6, 7, 13]]]
    assert protect([Grid([[1]], row_totals=False)], LEAST) == [[["<5"], ["<5"]]]  # a small total is hidden itself


def test_a_total_repeated_in_another_table_is_hidden_in_both_or_neither() -> None:
    """One agency with all of a region's 3 breaches: the agency table's total is the council table's grand total."""
    grids = [Grid([[3, 0], [0, 0]], True, {(2, 2): "breach"}), Grid([[3, 0]], False, {(1, 0): "breach", (1, 1): "unknown"})]
    shown = protect(grids, LEAST)
    assert shown[0][2][2] == "<5" and shown[1][1][0] == "<5"


councils = st.dictionaries(st.sampled_from(COUNCILS), st.dictionaries(st.sampled_from(RULES), st.integers(0, 12), max_size=5), min_size=1, max_size=5)


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(breaches=councils, unknowns=councils, agencies=st.lists(st.sampled_from(["Oakfield", "Meridian", "Northdown", None]), min_size=1, max_size=4),
       quarters=st.lists(st.dates(date(2024, 1, 1), date(2026, 12, 31)), min_size=1, max_size=4), split=st.booleans(),
       spare=st.lists(st.integers(0, 3), min_size=5, max_size=5))
@example(breaches={"E10000016": {}}, unknowns={"E10000016": {"COOL001": 6, "NOTICE001": 6}}, agencies=["Oakfield"],
         quarters=[date(2024, 1, 1)], split=False, spare=[0, 0, 0, 0, 0])  # the role table of 4, 4, 4 is withheld
def test_no_hidden_count_of_a_generated_region_can_be_worked_out(breaches, unknowns, agencies, quarters, split, spare) -> None:
    rows = []
    for outcome, counts in (("breach", breaches), ("unknown", unknowns)):
        for council, by_rule in counts.items():
            for rule, n in by_rule.items():
                for i in range(n):
                    rows.append({"file": "a.csv", "engagement_id": f"{outcome}-{council}-{rule}-{i}", "la_code": council,
                                 "agency": agencies[i % len(agencies)], "role": ["social_worker", "team_manager", None][i % 3],
                                 "rule_id": rule, "outcome": outcome, "start_date": quarters[i % len(quarters)]})
    # engagements checked: the most findings of one rule, and a few more, so that the limit they set is close
    checked = {c: max([breaches.get(c, {}).get(r, 0) + unknowns.get(c, {}).get(r, 0) for r in RULES]) + spare[i]
               for i, c in enumerate(sorted({*breaches, *unknowns}))}
    checked = {c: n for c, n in checked.items() if n}
    assume(checked)
    if split:  # each council's report apart
        reports = [a_report([r for r in rows if r["la_code"] == c], {c: n}, place) for place, (c, n) in enumerate(checked.items())]
    else:
        reports = [a_report(rows, checked)]
    paper = paper_of(reports)
    assert audit(paper) == []
    marks = {cell for t in paper["tables"] for row in t["rows"] for cell in row["cells"] if cell in ("<5", "*")}
    assert "*" not in marks or "<5" in marks  # further cells are hidden only to protect a small count
    assert all(t["rows"] for t in paper["tables"]) or "<5" in marks or _small_count_in(rows)  # and a table is withheld only
    # for one (which a withheld table holds without showing it: 4, 4 and 4 by role, of 12 known, are each 4)


def _small_count_in(rows: list[dict]) -> bool:
    """Whether any count the paper tabulates (by council and rule, agency, role, quarter; each by outcome) is 1 to 4."""
    for keys in (("la_code", "rule_id"), ("agency",), ("role",), ("start_date",)):
        counts: dict[tuple, int] = {}
        for row in rows:
            key = (row["outcome"], *(row[k] if k != "start_date" else (row[k].year, (row[k].month - 1) // 3) for k in keys))
            counts[key] = counts.get(key, 0) + 1
        if any(0 < n < LEAST for n in counts.values()):
            return True
    return False


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9]), min_size=2, max_size=3), min_size=2, max_size=3).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_no_hidden_count_of_a_small_generated_grid_can_be_worked_out_exactly(counts) -> None:
    """Every value of every hidden inner cell tried (1-4 under <5, 5 or more under *): each hidden cell can still take two values."""
    shown = protect([Grid(counts)], LEAST)
    if shown[0] is None:  # withheld: four 1s under a <5 total can be nothing else
        assert sum(map(sum, counts)) < LEAST
        return
    most = max(v for row in Grid(counts).with_totals() for v in row)
    sizes = [LEAST - 1 if v == f"<{LEAST}" else most - LEAST + 1 for row in shown[0][:-1] for v in row[:-1] if isinstance(v, str)]
    combinations = 1
    for size in sizes:
        combinations *= max(size, 1)
    assume(combinations <= 50_000)
    for r, row in enumerate(shown[0]):
        for c, cell in enumerate(row):
            if isinstance(cell, str):
                assert len(exact_values([counts], shown, (0, r, c))) > 1, (counts, shown)


def test_a_table_no_hiding_of_cells_can_protect_is_withheld_whole_and_only_that_one() -> None:
    """Three roles with 4 breaches each under a published 12: each is 4 whatever is hidden, so the role table goes; the rest stays."""
    grids = [Grid([[6, 6]], True, {(1, 2): "breach"}), Grid([[4, 0], [4, 0], [4, 0]], False, {(3, 0): "breach", (3, 1): "unknown"}, 5)]
    councils, roles = protect(grids, LEAST)
    assert roles is None and councils == [[6, 6, 12], [6, 6, 12]]
    rows = [{"file": "a.csv", "engagement_id": f"e{i}", "la_code": "E10000016", "agency": "Oakfield",
             "role": ["social_worker", "team_manager", "advanced_practitioner"][i % 3], "rule_id": RULES[i % 2],
             "outcome": "breach", "start_date": date(2025, 7, 1)} for i in range(12)]
    paper = paper_of([a_report(rows, {"E10000016": 20})])
    withheld = next(t for t in paper["tables"] if t["key"] == "by_role")
    assert withheld["rows"] == [] and withheld["note"].startswith("Not published") and audit(paper) == []
    assert table(paper, "breach_by_council_and_rule")["Total"][-1] == 12


def test_the_audit_finds_a_count_that_only_lines_taken_together_fix() -> None:
    lines = [[("a", 1), ("b", 1), ("five", -1)], [("b", 1), ("c", 1), ("seven", -1)], [("a", 1), ("c", 1), ("six", -1)]]
    low = {"a": 1, "b": 1, "c": 1, "five": 5, "six": 6, "seven": 7}
    high = {**low, "a": 4, "b": 4, "c": 4}
    assert fixed_over_integers(lines, low, high, {"a", "b", "c"}) == {"a", "b", "c"}
    assert fixed_over_integers(lines[:2], low, high, {"a", "b", "c"}) == set()
    three = [[("b", 1), ("k", 1), ("p", 1), ("three", -1)]]  # each at least 1, three in all: each is 1
    assert fixed_over_integers(three, {"b": 1, "k": 1, "p": 1, "three": 3}, {"b": 4, "k": 4, "p": 4, "three": 3}, {"b", "k", "p"}) == {"b", "k", "p"}



@pytest.mark.slow
def test_the_audit_knows_a_councils_findings_of_a_rule_are_at_most_its_engagements_checked() -> None:
    """Kent checked 5 engagements: a hidden `*` (5 or more) of its breaches of one rule can only be 5."""
    leaky = {"tables": [
        {"key": "rows_by_council", "columns": ["engagements checked", "rows rejected"],
         "rows": [{"label": "Kent", "cells": [5, 0]}, {"label": "Medway", "cells": [9, 0]}, {"label": "Total", "cells": [14, 0]}]},
        {"key": "breach_by_council_and_rule", "columns": ["NOTICE001", "REF001", "Total"],
         "rows": [{"label": "Kent", "cells": ["*", "<5", "*"]}, {"label": "Medway", "cells": ["*", "<5", "*"]},
                  {"label": "Total", "cells": [13, 6, 19]}]},
    ]}
    assert "breach_by_council_and_rule/Kent/NOTICE001" in audit(leaky)
    reports = [a_report(findings_of({("E10000016", "NOTICE001"): 5, ("E10000016", "REF001"): 1, ("E06000035", "NOTICE001"): 8,
                                     ("E06000035", "REF001"): 5}), {"E10000016": 5, "E06000035": 9})]
    paper = paper_of(reports)
    assert audit(paper) == [] and table(paper, "breach_by_council_and_rule")["Kent"][RULES.index("REF001")] == "<5"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["limits", "lines"])
def test_the_attacks_a_solver_made_on_pooled_exports_no_longer_work(tmp_path: Path, case: str) -> None:
    """Two papers the second attack broke with an integer programme: adding two councils' limits gave Brighton and Hove's 1
    and Kent's 4 breaches of NOTICE001 (limits); subtracting two totals gave three hidden counts of 1 (lines)."""
    exports = sorted((CASES / "board" / case).glob("*.csv"))
    report_file = tmp_path / "pooled.json"
    code, _, err = run(*map(str, exports), "--format", "json", "--output", str(report_file), "--quiet")
    assert code in (0, 1, 3), err
    code, out, err = run("summary", str(report_file), "--format", "json")
    assert code == 0, err
    paper = json.loads(out)
    assert any(cell == "<5" for t in paper["tables"] for row in t["rows"] for cell in row["cells"])  # something to protect
    assert audit(paper) == []


def _four_engagements() -> list[CouncilReport]:
    """The attack on a four-engagement region: Cobalt's 5 breaches of 4 rules need 2 engagements, Acme and Bravo 1 each, so
    with engagements checked below 5 each of Acme and Bravo is one engagement, with one unknown (one rule had unknowns)."""
    rows = [{"file": "a.csv", "engagement_id": e, "la_code": "E10000016", "agency": agency, "role": "social_worker",
             "rule_id": rule, "outcome": outcome, "start_date": date(2025, 7, 1)}
            for e, agency, rule, outcome in [("C1", "Cobalt", "COOL001", "breach"), ("C1", "Cobalt", "NOTICE001", "breach"),
                                             ("C1", "Cobalt", "REF001", "breach"), ("C2", "Cobalt", "COOL001", "breach"),
                                             ("C2", "Cobalt", "REF002", "breach"), ("A1", "Acme", "CAP001", "unknown"),
                                             ("B1", "Bravo", "CAP001", "unknown")]]
    return [a_report(rows, {"E10000016": 4})]


def test_a_hidden_count_cannot_be_worked_out_from_what_a_reader_knows_of_engagements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each agency listed is one engagement or more, an engagement has one finding a rule at most, and the region checked
    fewer than 5: without those facts in the suppression the audit pins Acme's and Bravo's unknowns; with them, nothing."""
    from agency_rules.board import summary

    monkeypatch.setattr(summary, "_units", lambda drafts: [])
    blind = paper_of(_four_engagements())
    assert "by_agency/Acme/unknown" in audit(blind)
    monkeypatch.undo()
    paper = paper_of(_four_engagements())
    assert audit(paper) == []
    assert any(cell == "<5" for t in paper["tables"] for row in t["rows"] for cell in row["cells"])


@pytest.mark.slow
def test_a_region_of_many_agencies_names_those_with_most_findings_and_counts_the_rest_together() -> None:
    """Time stays bounded whatever a report names: 300 agencies make a table of 40 rows, the last the others together;
    every finding is still counted and nothing hidden can be worked out."""
    rows = [{"file": "a.csv", "engagement_id": f"e{i}-{k}", "la_code": COUNCILS[i % 2], "agency": f"Agency {i:03d}",
             "role": "social_worker", "rule_id": RULES[k % 5], "outcome": "breach" if (i + k) % 3 else "unknown",
             "start_date": date(2025, 1 + i % 12, 1)} for i in range(300) for k in range(1 + (i * 7) % 11)]
    paper = paper_of([a_report(rows, {COUNCILS[0]: 2000, COUNCILS[1]: 2000})])
    agencies = next(t for t in paper["tables"] if t["key"] == "by_agency")
    labels = [row["label"] for row in agencies["rows"]]
    assert len(labels) == 41 and labels[-2:] == ["other agencies", "Total"] and "39 agencies" in agencies["note"]
    most = max(range(300), key=lambda i: ((i * 7) % 11, -i))  # the agency with the most findings, first by name
    assert f"Agency {most:03d}" in labels
    assert table(paper, "by_agency")["Total"] == table(paper, "by_role")["Total"]  # none lost in the folding
    assert audit(paper) == []


def test_an_agency_named_like_a_row_of_the_paper_is_not_taken_for_it() -> None:
    rows = findings_of({("E10000016", "NOTICE001"): 6}, agency="Total") + findings_of({("E10000016", "REF001"): 7}, agency="other agencies")
    labels = [row["label"] for row in next(t for t in paper_of([a_report(rows, {"E10000016": 20})])["tables"] if t["key"] == "by_agency")["rows"]]
    assert labels == ["other agencies (an agency of this name)", "Total (an agency of this name)", "Total"]


@pytest.mark.parametrize("format_", ["md", "html"])
def test_a_withheld_table_says_so_in_every_format_never_nothing_found(format_: str) -> None:
    from agency_rules.renderers import board_html, board_md

    out = io.StringIO()
    paper = summarise(_four_engagements(), [], LEAST, date(2026, 1, 1))
    assert paper.table("by_agency").rows == []
    (board_md if format_ == "md" else board_html).render(paper, RenderOptions(), out)
    text = out.getvalue()
    section = text[text.index("by agency"):]
    assert section.index("Not published") < section.index("by role")
    assert "Nothing to count" not in text


@pytest.mark.slow
def test_a_headline_gives_the_region_s_total_as_another_table_publishes_it_when_the_council_tables_are_withheld() -> None:
    """The attacker's region of eight engagements (four a council), whose council tables are withheld whole: the agency,
    role and quarter tables still publish the region's 7 breaches and 7 unknowns, as one count with the council tables'
    totals, so the headline says 7 rather than 'not published'."""
    findings = [("E10000016", "E1", "NOTICE001", "unknown", "Bravo", "2025-07-19"), ("E10000016", "E1", "REF002", "breach", "Bravo", "2025-07-19"),
                ("E10000016", "E2", "NOTICE001", "breach", "Acme", "2025-01-19"), ("E10000016", "E3", "NOTICE001", "breach", "Acme", "2025-10-03"),
                ("E10000016", "E3", "REF001", "unknown", "Acme", "2025-10-03"), ("E10000016", "E4", "NOTICE001", "breach", "Cobalt", "2025-04-28"),
                ("E06000035", "E5", "NOTICE001", "breach", "Bravo", "2025-01-23"), ("E06000035", "E5", "REF001", "unknown", "Bravo", "2025-01-23"),
                ("E06000035", "E5", "REF002", "unknown", "Bravo", "2025-01-23"), ("E06000035", "E6", "NOTICE001", "unknown", "Acme", "2025-04-05"),
                ("E06000035", "E7", "NOTICE001", "breach", "Acme", "2025-01-16"), ("E06000035", "E7", "REF002", "breach", "Acme", "2025-01-16"),
                ("E06000035", "E8", "NOTICE001", "unknown", "Bravo", "2025-01-26"), ("E06000035", "E8", "REF002", "unknown", "Bravo", "2025-01-26")]
    rows = [{"file": "a.csv", "engagement_id": e, "la_code": code, "agency": agency, "role": "social_worker", "rule_id": rule,
             "outcome": outcome, "start_date": date.fromisoformat(start)} for code, e, rule, outcome, agency, start in findings]
    paper = paper_of([dataclasses.replace(a_report(rows, {"E10000016": 4, "E06000035": 4}), not_applicable={"CAP001": 8})])
    assert table(paper, "breach_by_council_and_rule") == {} and table(paper, "by_agency")["Total"] == [7, 7]  # what it stands on
    assert "; 7 breaches; 7 unknown outcomes." in paper["notes"][0] and "not published" not in paper["notes"][0]
    rules = {r["rule_id"]: r["breaches"] for r in paper["rules"]}
    assert rules["CAP001"] == 0 and rules["NOTICE001"] == "withheld"  # CAP001 applies to none of them: a true 0
    assert audit(paper) == []
