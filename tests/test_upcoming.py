"""Upcoming events (`--horizon DAYS` from the reference day): each kind on both sides of the horizon's last day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agency_rules import check
from agency_rules.cli import app

from .conftest import COMPLIANT, write_csv

SIGNED = 'approved_by = { director_of_childrens_services = "A. Name", chief_executive = "B. Name" }\n'
CAPS = ('[[cap]]\nregion = "South East"\nrole = "social_worker"\neffective_from = 2024-01-01\neffective_to = 2026-03-31\n'
        'pay_rate = 40.00\nsource = "test"\n\n[[cap]]\nregion = "South East"\nrole = "social_worker"\n'
        'effective_from = 2026-04-01\npay_rate = 33.00\nsource = "test"\n')


def events(tmp_path: Path, row: dict[str, str], as_of: str, horizon: int, waivers: str = "", caps: str = CAPS,
           ruleset: str = "statutory-2024") -> list[dict]:
    (tmp_path / "caps.toml").write_text(caps, encoding="utf-8")
    options = {}
    if waivers:
        (tmp_path / "waivers.toml").write_text(waivers, encoding="utf-8")
        options["waivers"] = tmp_path / "waivers.toml"
    report = check(write_csv(tmp_path / "e.csv", [{**COMPLIANT, **row}]), ruleset=ruleset, caps=tmp_path / "caps.toml",
                   as_of=as_of, horizon=horizon, **options)
    return report.upcoming_records()


WAIVER = (f'[[waiver]]\nrule_id = "CAP001"\nengagement_id = "E-1"\nreason = "x"\napproved_on = 2025-11-01\n'
          f"expires_on = 2026-01-31\n{SIGNED}")
OVER = {"pay_rate": "41.00", "end_date": ""}  # above the £40 cap in force on its start


@pytest.mark.parametrize("horizon, seen", [(30, True), (29, False)])
def test_a_waiver_expiring(tmp_path: Path, horizon: int, seen: bool) -> None:
    found = [e for e in events(tmp_path, OVER, "2026-01-01", horizon, WAIVER) if e["kind"] == "waiver_expiring"]
    assert [(e["date"], e["rule_id"], e["engagement_id"]) for e in found] == ([("2026-01-31", "CAP001", "E-1")] if seen else [])


def test_no_waiver_event_for_an_engagement_ending_by_the_expiry(tmp_path: Path) -> None:
    found = events(tmp_path, {**OVER, "end_date": "2026-01-31"}, "2026-01-01", 60, WAIVER)
    assert [e for e in found if e["kind"] == "waiver_expiring"] == []


@pytest.mark.parametrize("horizon, seen", [(30, True), (29, False)])
def test_a_cap_changing_for_a_running_engagement_says_whether_its_pay_is_above_the_new_cap(
        tmp_path: Path, horizon: int, seen: bool) -> None:
    found = [e for e in events(tmp_path, {"end_date": ""}, "2026-03-02", horizon) if e["kind"] == "cap_changing"]
    assert [e["date"] for e in found] == (["2026-04-01"] if seen else [])
    if seen:
        assert "becomes £33.00; this engagement's pay of £34.00 is above it" in found[0]["message"]


def test_no_cap_event_for_an_engagement_ending_before_the_change(tmp_path: Path) -> None:
    found = events(tmp_path, {"end_date": "2026-03-31"}, "2026-03-02", 60)
    assert [e for e in found if e["kind"] == "cap_changing"] == []


LEGACY = {"offer_date": "2024-09-01", "start_date": "2024-10-01", "end_date": ""}


@pytest.mark.parametrize("horizon, seen", [(30, True), (29, False)])
def test_a_legacy_engagement_coming_under_the_statutory_rules(tmp_path: Path, horizon: int, seen: bool) -> None:
    found = [e for e in events(tmp_path, LEGACY, "2025-09-01", horizon) if e["kind"] == "statutory_rules_apply"]
    assert [e["date"] for e in found] == (["2025-10-01"] if seen else [])


def test_no_regime_event_for_a_legacy_engagement_ending_before_it(tmp_path: Path) -> None:
    found = events(tmp_path, {**LEGACY, "end_date": "2025-09-30"}, "2025-09-01", 60)
    assert [e for e in found if e["kind"] == "statutory_rules_apply"] == []


LEFT = {"previous_substantive_la": "E10000016", "previous_substantive_end": "2025-10-15",
        "previous_leaving_reason": "resignation"}  # starts 3 Nov 2025: the window closes on 15 Jan 2026


@pytest.mark.parametrize("horizon, seen", [(14, True), (13, False)])
def test_a_cooling_off_window_closing_for_a_breach(tmp_path: Path, horizon: int, seen: bool) -> None:
    found = [e for e in events(tmp_path, LEFT, "2026-01-01", horizon) if e["kind"] == "cooling_off_closing"]
    assert [(e["date"], e["rule_id"]) for e in found] == ([("2026-01-15", "COOL001")] if seen else [])


@pytest.mark.slow
def test_events_come_soonest_first_after_the_findings_in_every_format(tmp_path: Path) -> None:
    row = {**OVER, **LEFT}
    found = events(tmp_path, row, "2026-01-01", 120, WAIVER)
    assert [e["date"] for e in found] == sorted(e["date"] for e in found) and len(found) == 3
    export = write_csv(tmp_path / "e.csv", [{**COMPLIANT, **row}])
    args = ["check", str(export), "--ruleset", "statutory-2024", "--caps", str(tmp_path / "caps.toml"), "--waivers",
            str(tmp_path / "waivers.toml"), "--as-of", "2026-01-01", "--horizon", "120"]
    document = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    assert [e["kind"] for e in document["upcoming"]] == ["cooling_off_closing", "waiver_expiring", "cap_changing"]
    for name in ("table", "md", "csv"):
        text = CliRunner().invoke(app, [*args, "--format", name]).stdout
        assert text.index("COOL001") < text.rindex("cooling-off closing" if name != "csv" else "upcoming"), name
    assert "Upcoming, 1 Jan 2026 to 1 May 2026 (120 days): 3 event(s)" in CliRunner().invoke(app, [*args, "--format", "md"]).stdout


@pytest.mark.slow
def test_the_window_is_recorded_even_without_events_and_a_horizon_past_ten_years_is_refused(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    args = ["check", str(export), "--as-of", "2026-01-01", "--horizon", "10"]
    document = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    assert document["upcoming_window"] == {"from": "2026-01-01", "to": "2026-01-11"} and document["upcoming"] == []
    lines = CliRunner().invoke(app, [*args, "--format", "csv"]).stdout.splitlines()
    assert "Upcoming, 1 Jan 2026 to 11 Jan 2026 (10 days): 0 event(s)" in lines[-1]
    for days in ("3661", "99999999999", "-1"):
        result = CliRunner().invoke(app, ["check", str(export), "--horizon", days])
        assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.slow
def test_the_workbook_has_an_upcoming_sheet_with_date_cells(tmp_path: Path) -> None:
    import fastexcel

    (tmp_path / "caps.toml").write_text(CAPS, encoding="utf-8")
    export = write_csv(tmp_path / "e.csv", [{**COMPLIANT, **LEFT}])
    target = tmp_path / "r.xlsx"
    CliRunner().invoke(app, ["check", str(export), "--ruleset", "statutory-2024", "--as-of", "2026-01-01",
                             "--horizon", "30", "-o", str(target), "-q"])
    sheet = fastexcel.read_excel(target).load_sheet("Upcoming").to_polars()
    assert sheet.columns == ["date", "event", "engagement", "rule", "what", "file"]
    assert str(sheet["date"][0])[:10] == "2026-01-15" and sheet["event"][0] == "cooling-off closing"
