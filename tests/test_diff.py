"""`agency-check diff`: two check reports compared engagement by engagement and rule by rule."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agency_rules.cli import app
from agency_rules.errors import InputError
from agency_rules.report_diff import ABSENT, compare, directions

from .conftest import COMPLIANT, REPO, write_csv

FIXTURES = REPO / "fixtures"


def report(tmp_path: Path, name: str, *args: str) -> Path:
    target = tmp_path / name
    result = CliRunner().invoke(app, ["check", *args, "--format", "json", "-o", str(target), "-q"])
    assert result.exit_code in (0, 1, 3), result.output
    return target


def outcomes(path: Path) -> dict[tuple[str, str, str], str]:
    return {(f["file"], f["engagement_id"], f["rule_id"]): f["outcome"] for f in json.loads(path.read_text())["findings"]}


@pytest.mark.slow
def test_the_two_regimes_over_the_fixtures_differ_exactly_where_their_outcomes_do(tmp_path: Path) -> None:
    args = [str(FIXTURES / "engagements.csv"), "--history", str(FIXTURES / "history.csv"), "--caps", str(FIXTURES / "caps.toml")]
    old = report(tmp_path, "old.json", *args)
    new = report(tmp_path, "new.json", *args, "--ruleset", "statutory-2024")
    before, after = outcomes(old), outcomes(new)
    expected = {k: (before.get(k, ABSENT), after.get(k, ABSENT)) for k in set(before) | set(after)
                if before.get(k, ABSENT) != after.get(k, ABSENT)}
    diff = compare(old, new)
    assert {(c.file, c.engagement_id, c.rule_id): (c.before, c.after) for c in diff.changes} == expected
    assert diff.settings == ["ruleset: consultation-2023 -> statutory-2024",
                             "rules checked only in the old report: ASYE001, CAP002, CAP003, INTL001, REF002"]
    assert diff.only_in_old == [] and diff.only_in_new == [] and diff.matched_by == "file and engagement id"
    for rule, by in diff.counts.items():
        assert by["newly_breaching"] == sum(1 for (_, _, r), (b, a) in expected.items() if r == rule and a == "breach")


@pytest.mark.parametrize("before, after, ways", [
    ("breach", "unknown", ("no_longer_breaching", "newly_unknown")),
    ("absent", "breach", ("newly_breaching",)),
    ("breach", "waived", ("no_longer_breaching", "newly_waived")),
    ("waived", "absent", ("no_longer_waived",)),
    ("unknown", "absent", ("no_longer_unknown",)),
])
def test_each_change_goes_every_way_it_goes(before: str, after: str, ways: tuple[str, ...]) -> None:
    assert directions(before, after) == ways


def test_next_quarters_export_is_matched_by_id_and_new_engagements_are_said(tmp_path: Path) -> None:
    q3 = write_csv(tmp_path / "q3.csv", [COMPLIANT, {**COMPLIANT, "engagement_id": "E-2"}])
    q4 = write_csv(tmp_path / "q4.csv", [{**COMPLIANT, "notice_period_weeks": "2"}, {**COMPLIANT, "engagement_id": "E-3",
                                                                                   "notice_period_weeks": "1"}])
    diff = compare(report(tmp_path, "q3.json", str(q3)), report(tmp_path, "q4.json", str(q4)))
    assert diff.matched_by.startswith("engagement id")
    assert [e for _, e in diff.only_in_old] == ["E-2"] and [e for _, e in diff.only_in_new] == ["E-3"]
    changes = {(c.engagement_id, c.rule_id): (c.before, c.after, c.only_in) for c in diff.changes}
    assert changes[("E-1", "NOTICE001")] == ("absent", "breach", None)
    assert changes[("E-3", "NOTICE001")] == ("absent", "breach", "new")
    assert diff.newly_breaching == 2
    assert any(s.startswith("engagements: q3.csv -> q4.csv") for s in diff.settings)


@pytest.mark.slow
def test_the_command_exits_1_only_when_something_newly_breaches_and_writes_each_format(tmp_path: Path) -> None:
    good = report(tmp_path, "good.json", str(write_csv(tmp_path / "e.csv", [COMPLIANT])))
    bad = report(tmp_path, "bad.json", str(write_csv(tmp_path / "f.csv", [{**COMPLIANT, "notice_period_weeks": "2"}])))
    assert CliRunner().invoke(app, ["diff", str(bad), str(good)]).exit_code == 0
    result = CliRunner().invoke(app, ["diff", str(good), str(bad), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["kind"] == "report_diff" and document["counts"]["NOTICE001"]["newly_breaching"] == 1
    assert document["changes"][0] | {"directions": None} == {"file": str(tmp_path / "f.csv"), "engagement_id": "E-1",
                                                             "rule_id": "NOTICE001", "from": "absent", "to": "breach",
                                                             "directions": None}
    lines = list(csv.DictReader(io.StringIO(CliRunner().invoke(app, ["diff", str(good), str(bad), "--format", "csv"]).stdout)))
    assert [(line["rule_id"], line["from"], line["to"]) for line in lines] == [("NOTICE001", "absent", "breach")]
    assert "| NOTICE001 | 1 | 0 |" in CliRunner().invoke(app, ["diff", str(good), str(bad), "--format", "md"]).stdout


def test_a_file_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"kind": "board_summary"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a check report"):
        compare(other, other)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not a JSON report"):
        compare(broken, broken)
