"""Properties that hold for any export (hypothesis): order, independence, monotone caps, reconciled counts."""

from __future__ import annotations

import csv
import json
import random
import tempfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agency_rules import api
from agency_rules.report import Report

from .conftest import CASES, COMPLIANT, examples, write_csv

VALUES = {
    "worker_id": ["SW100001", "SW100002", "sw100003", "100004", "SW0", "x"],  # pseudonyms are never mixed with these in one run
    "la_code": ["E10000016", "E06000035", "E09000007", "E08000025", "E99999999"],
    "role": ["social_worker", "senior_social_worker", "team_manager", "other", "boss"],
    "start_date": ["2024-04-01", "2025-05-01", "31/08/2025", "29/02/2024", "31/02/2025"],
    "end_date": ["", "2025-07-31", "2026-04-30", "30/11/2025"],
    "qualified_date": ["", "2015-07-01", "2024-04-01", "2024-03-31", "2023-13-01"],
    "pqe_years": ["", "0", "2.5", "5", "9", "-1"],
    "asye_completed": ["", "yes", "no", "maybe"],
    "notice_period_weeks": ["", "4", "6", "8"],
    "notice_reciprocal": ["", "y", "n"],
    "reference_standard_template": ["", "1", "0"],
    "references_count": ["", "0", "1", "2"],
    "employment_model": ["", "umbrella", "paye", "ltd"],
    "pay_rate": ["", "30.00", "35.00", "35.01", "£40", "abc"],
    "agency_fee": ["", "4.50", "5"],
    "engagement_type": ["", "individual", "project_team"],
    "previous_substantive_la": ["", "E06000035", "E10000016", "E08000025"],
    "previous_substantive_end": ["", "2025-02-28", "2025-05-31"],
    "previous_leaving_reason": ["", "resignation", "redundancy", "probation"],
}
JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12)  # a bare CR splits a record (issue 7)


@st.composite
def rows(draw: st.DrawFn, min_size: int = 1, junk: bool = False) -> list[dict[str, str]]:
    count = draw(st.integers(min_size, 12))
    result = []
    for index in range(count):
        row = {**COMPLIANT, "engagement_id": f"E-{index}"}
        for column, choices in VALUES.items():
            row[column] = draw(JUNK if junk and draw(st.booleans()) and draw(st.booleans()) else st.sampled_from(choices))
        result.append(row)
    return result


def check(rows_: list[dict[str, str]], quoting: int = csv.QUOTE_MINIMAL, **options) -> Report:
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "e.csv", rows_, header=list(COMPLIANT) + [c for c in VALUES if c not in COMPLIANT], quoting=quoting)
        return api.run([path], api.Options(caps=[CASES / "caps.toml"], **options))


def by_engagement(report: Report) -> dict[tuple[str, str], str]:
    """Findings keyed by engagement and rule; the row number is where the row happens to stand, so it is left out."""
    return {(f["engagement_id"], f["rule_id"]): json.dumps([f["outcome"], f["message"], f["evidence"]], sort_keys=True) for f in report.finding_records()}


SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(rows(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_finding(rows_: list[dict[str, str]], rng: random.Random) -> None:
    shuffled = rows_[:]
    rng.shuffle(shuffled)
    for ruleset in ("consultation-2023", "statutory-2024"):
        assert by_engagement(check(rows_, ruleset=ruleset)) == by_engagement(check(shuffled, ruleset=ruleset))


@pytest.mark.slow
@SETTINGS
@given(rows(), rows(min_size=1))
def test_adding_an_unrelated_row_changes_no_other_rows_findings(rows_: list[dict[str, str]], extra: list[dict[str, str]]) -> None:
    added = {**extra[0], "engagement_id": "E-new", "worker_id": "SW999999"}
    before = by_engagement(check(rows_))
    after = by_engagement(check([*rows_, added]))
    assert {k: v for k, v in after.items() if k[0] != "E-new"} == before


@pytest.mark.slow
@SETTINGS
@given(rows(), st.decimals(min_value=0, max_value=50, places=2))
def test_raising_pay_never_removes_a_cap_breach(rows_: list[dict[str, str]], rise) -> None:
    raised = []
    for row in rows_:
        try:
            pay = float(row["pay_rate"].removeprefix("£"))
        except ValueError:
            raised.append(row)
            continue
        raised.append({**row, "pay_rate": f"{pay + float(rise):.2f}"})
    for ruleset in ("consultation-2023", "statutory-2024"):
        before = {f["engagement_id"] for f in check(rows_, ruleset=ruleset).finding_records() if f["rule_id"] == "CAP001" and f["outcome"] == "breach"}
        after = {f["engagement_id"] for f in check(raised, ruleset=ruleset).finding_records() if f["rule_id"] == "CAP001" and f["outcome"] == "breach"}
        assert before <= after


@pytest.mark.slow
@SETTINGS
@given(rows(junk=True))
def test_rows_read_equal_checked_plus_rejected(rows_: list[dict[str, str]]) -> None:
    report = check(rows_)
    assert report.rows_read == report.rows_checked + report.rows_rejected
    for counts in report.counts.values():
        assert sum(counts.values()) == report.rows_checked


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rows(), rows(junk=True)))
@example([{**COMPLIANT, "start_date": "31/08/2025", "end_date": "2025-07-31"}, {**COMPLIANT, "engagement_id": "E-2", "worker_id": "sw100003", "agency": ""}])
def test_a_dataframe_of_the_same_cells_gives_the_same_report_as_the_csv(rows_: list[dict[str, str]]) -> None:
    """The API's in-memory path and the file path share every step after reading: same findings, counts and rejections."""
    header = list(COMPLIANT) + [c for c in VALUES if c not in COMPLIANT]
    frame = pl.DataFrame([{c: row.get(c, "") for c in header} for row in rows_], schema={c: pl.String for c in header})
    from_csv = check(rows_)
    from_frame = api.run([frame], api.Options(caps=[CASES / "caps.toml"]))
    assert by_engagement(from_frame) == by_engagement(from_csv)
    assert from_frame.counts == from_csv.counts
    assert from_frame.rejected_rows.drop("file").equals(from_csv.rejected_rows.drop("file"))


@pytest.mark.slow
@SETTINGS
@given(rows(junk=True))
def test_quoting_every_cell_gives_the_same_report(rows_: list[dict[str, str]]) -> None:
    """Exports that quote every cell take polars' quoted reader; the report must be the one of the minimally quoted file."""
    minimal, quoted = check(rows_), check(rows_, quoting=csv.QUOTE_ALL)
    assert by_engagement(quoted) == by_engagement(minimal)
    assert quoted.counts == minimal.counts
    assert quoted.rejected_rows.drop("file").equals(minimal.rejected_rows.drop("file"))


SOUTH_EAST, ALSO_SOUTH_EAST, LONDON = "E10000016", "E06000035", "E09000007"
STARTS = ["2025-05-31", "2025-06-01", "2025-08-31", "2025-11-30", "2025-12-01"]
ENDS = ["2024-11-30", "2025-02-28", "2025-03-01", "2025-05-30", "2025-05-31", "2025-08-30", "2025-08-31", "2025-09-01", "2026-01-01"]
ROLES_ = st.tuples(st.sampled_from([SOUTH_EAST, ALSO_SOUTH_EAST, LONDON]), st.sampled_from(ENDS), st.sampled_from(["resignation", "redundancy", ""]))


def cooling_off_by_rules(start: str, roles: list[tuple[str, str, str]]) -> str:
    """docs/semantics.md read directly: a same-region role ending before the start, with start < end + 3 months, breaches unless its reason is exempt."""
    day = date.fromisoformat(start)
    deciding = [(la, reason) for la, end, reason in roles
                if la != LONDON and date.fromisoformat(end) < day < date.fromisoformat(end) + relativedelta(months=3)]
    if any(reason not in ("", "redundancy") for _, reason in deciding):
        return "breach"
    return "unknown" if any(reason == "" for _, reason in deciding) else "pass"


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.sampled_from(STARTS), min_size=1, max_size=6), st.lists(ROLES_, max_size=25))
def test_cooling_off_decides_every_engagement_of_a_worker_with_many_roles_as_the_rule_reads(starts: list[str], roles: list[tuple[str, str, str]]) -> None:
    """However many engagements and past roles one worker has, each engagement's COOL001 outcome is the rule's."""
    engagements = [{**COMPLIANT, "engagement_id": f"E-{i}", "start_date": start, "end_date": ""} for i, start in enumerate(starts)]
    with tempfile.TemporaryDirectory() as folder:
        history = Path(folder) / "history.csv"
        history.write_text("worker_id,la_code,employment,start_date,end_date,leaving_reason\n"
                           + "".join(f"SW100001,{la},substantive,2010-01-01,{end},{reason}\n" for la, end, reason in roles))
        path = write_csv(Path(folder) / "e.csv", engagements)
        report = api.run([path], api.Options(history=history))
    found = {f["engagement_id"]: f["outcome"] for f in report.finding_records() if f["rule_id"] == "COOL001"}
    assert report.counts["COOL001"]["pass"] == sum(1 for e in engagements if e["engagement_id"] not in found)
    for engagement in engagements:
        assert found.get(engagement["engagement_id"], "pass") == cooling_off_by_rules(engagement["start_date"], roles), engagement
