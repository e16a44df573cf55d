"""The Python API: the same check as the command line, from paths or a DataFrame, with findings and rejections as DataFrames."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

import agency_rules
from agency_rules import api
from agency_rules.inputs.files import InputError

from .conftest import COMPLIANT, REPO, write_csv
from .test_cli import FIXTURE_ARGS, run

FIXTURES = REPO / "fixtures"


@pytest.mark.slow
def test_check_gives_the_command_lines_report() -> None:
    report = agency_rules.check(FIXTURES / "engagements.csv", history=FIXTURES / "history.csv", caps=[FIXTURES / "caps.toml"])
    _, out, _ = run(*FIXTURE_ARGS, "--format", "json")
    document = json.loads(out)
    assert report.as_json()["summary"] == document["summary"]
    assert report.finding_records() == document["findings"]
    assert report.rejected_rows.filter(pl.col("row") == 28)["message"].to_list() == ["'31/02/2025' is not a real day"]


@pytest.mark.slow
def test_a_report_too_large_for_dicts_is_written_a_slice_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agency_rules import report as report_module

    report = agency_rules.check(FIXTURES / "engagements.csv", history=FIXTURES / "history.csv", caps=[FIXTURES / "caps.toml"])
    whole = report.as_json()
    agency_rules.write_json(report, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == json.loads(json.dumps(whole))
    monkeypatch.setattr(report_module, "IN_MEMORY", report.findings.height - 1)
    with pytest.raises(MemoryError, match="write_json"):
        report.as_json()
    agency_rules.write_json(report, tmp_path / "again.json")  # the bound is on dicts, not on the written report
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "r.json").read_bytes()


@pytest.mark.slow
def test_findings_and_rejections_are_dataframes_with_who_and_where() -> None:
    report = agency_rules.check(str(FIXTURES / "engagements.csv"), caps=[str(FIXTURES / "caps.toml")])
    assert isinstance(report.findings, pl.DataFrame) and isinstance(report.rejected_rows, pl.DataFrame)
    assert {"engagement_id", "row", "rule_id", "outcome", "message", "evidence", "worker_id", "la_code", "agency", "role"} <= set(report.findings.columns)
    assert set(report.rejected_rows.columns) == {
        "file", "row", "engagement_id", "column", "header", "value", "message", "code", "la_code", "source_row",
    }
    breaches = report.findings.filter(pl.col("outcome") == "breach").group_by("rule_id").len()
    assert dict(breaches.iter_rows()) == {r: c["breach"] for r, c in report.counts.items() if c["breach"]}


def test_a_typed_dataframe_in_memory_is_checked_like_its_csv(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            **{k: [v] for k, v in COMPLIANT.items()},
            "start_date": [date(2025, 11, 3)],
            "pay_rate": [36.0],
            "notice_period_weeks": [5],
            "asye_completed": [True],
        }
    )
    report = agency_rules.check(frame, caps=[REPO / "tests" / "cases" / "caps.toml"])
    assert report.rows_checked == 1
    assert {f["rule_id"]: f["outcome"] for f in report.finding_records()} == {"NOTICE001": "breach", "CAP001": "breach"}
    assert report.findings["row"].to_list() == [2, 2]


@pytest.mark.slow
def test_several_files_are_one_run_and_rejections_name_their_file(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [COMPLIANT])
    second = write_csv(tmp_path / "b.csv", [{**COMPLIANT, "engagement_id": "E-2", "start_date": "31/02/2025"}])
    report = agency_rules.check([first, second])
    assert (report.rows_read, report.rows_checked, report.rows_rejected) == (2, 1, 1)
    assert report.rejected_rows["file"].to_list() == [str(second)]


@pytest.mark.slow
def test_as_of_may_be_given_as_text() -> None:
    report = agency_rules.check(FIXTURES / "engagements.csv", as_of="2025-10-01")
    assert report.as_of == date(2025, 10, 1)


@pytest.mark.slow
def test_pooled_files_keep_rejected_rows_apart_and_name_the_file(tmp_path: Path) -> None:
    bad = {**COMPLIANT, "start_date": "31/02/2025"}
    first = write_csv(tmp_path / "a.csv", [{**bad, "engagement_id": "A-1"}])
    second = write_csv(tmp_path / "b.csv", [{**bad, "engagement_id": "B-1"}, {**COMPLIANT, "engagement_id": "B-2", "notice_period_weeks": "1"}])
    report = agency_rules.check([first, second])
    assert (report.rows_read, report.rows_checked, report.rows_rejected) == (3, 1, 2)
    document = report.as_json()
    assert [(r["file"], r["row"]) for r in document["rejected_rows"]] == [(str(first), 2), (str(second), 2)]
    assert [(f["file"], f["row"], f["rule_id"]) for f in report.finding_records()] == [(str(second), 3, "NOTICE001")]


def test_markup_in_a_cell_is_shown_as_text_in_the_terminal(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**COMPLIANT, "engagement_id": "[bold]E-1[/]", "notice_period_weeks": "1"}])
    code, out, err = run(str(path))
    assert code == 1 and "[bold]E-1[/]" in out and "Traceback" not in out + err


@pytest.mark.parametrize("extra", [
    pl.Series("notes", [[1, 2]]), pl.Series("blob", [b"x"]), pl.Series("gap", [timedelta(days=1)]), pl.Series("thing", [object()], dtype=pl.Object),
])
def test_a_frame_with_a_column_of_lists_bytes_durations_or_objects_is_checked_on_its_contract_columns(extra: pl.Series) -> None:
    assert api.check(pl.DataFrame([COMPLIANT]).with_columns(extra)).rows_checked == 1


def test_a_frame_whose_contract_column_holds_lists_a_lazy_frame_and_a_frame_of_nothing_are_met_plainly() -> None:
    from agency_rules.inputs.files import InputError

    frame = pl.DataFrame([COMPLIANT])
    with pytest.raises(InputError, match=r"agency \(List\(Int64\)\) hold lists"):
        api.check(frame.with_columns(pl.Series("agency", [[1]])))
    assert api.check(frame.lazy()).rows_checked == 1
    with pytest.raises(InputError, match="has no columns"):
        api.check(pl.DataFrame())


@pytest.mark.slow
def test_caps_overlays_contracts_and_history_take_one_value_as_well_as_a_list() -> None:
    one = agency_rules.check(FIXTURES / "engagements.csv", history=str(FIXTURES / "history.csv"), caps=str(FIXTURES / "caps.toml"),
                             overlays="south-east", contracts=FIXTURES / "contracts")
    many = agency_rules.check(FIXTURES / "engagements.csv", history=[FIXTURES / "history.csv"], caps=[FIXTURES / "caps.toml"],
                              overlays=["south-east"], contracts=[FIXTURES / "contracts"])
    assert one.overlays == ["south-east"] and one.as_json()["summary"] == many.as_json()["summary"]
    assert [i.kind for i in one.inputs] == [i.kind for i in many.inputs] and "caps" in [i.kind for i in one.inputs]
    assert agency_rules.check(FIXTURES / "engagements.csv", caps="london-2016").inputs[-1].path == "agency-rules:caps/london-2016.toml"


@pytest.mark.parametrize(
    "option, says",
    [({"caps": 3}, "caps= takes a caps file or a shipped table's name, or a list of them; not int"),
     ({"overlays": [None]}, "overlays= takes an overlay's name or file, or a list of them; not NoneType"),
     ({"contracts": {"a": 1}}, "contracts= takes"), ({"history": 7}, "history= takes"),
     ({"history": [FIXTURES / "history.csv", FIXTURES / "history.csv"]}, "history= takes one history file")],
)
def test_other_types_for_those_options_are_refused_in_words(option: dict, says: str) -> None:
    with pytest.raises(InputError, match=re.escape(says)):
        agency_rules.check(FIXTURES / "engagements.csv", **option)


def test_every_error_a_user_can_fix_is_one_family_for_a_python_caller(tmp_path: Path) -> None:
    from agency_rules.errors import AgencyRulesError, RuleFileError, UsageError

    assert issubclass(InputError, AgencyRulesError) and issubclass(RuleFileError, AgencyRulesError) and issubclass(UsageError, AgencyRulesError)
    bad_caps = tmp_path / "caps.toml"
    bad_caps.write_text("[[cap]]\nregion = 'Atlantis'\n", encoding="utf-8")
    for call in (lambda: agency_rules.check(tmp_path / "missing.csv"), lambda: agency_rules.check(FIXTURES / "engagements.csv", caps=bad_caps)):
        with pytest.raises(AgencyRulesError):
            call()


@pytest.mark.slow
def test_a_project_config_works_from_python_as_on_the_command_line(tmp_path: Path) -> None:
    settings = tmp_path / "agency-rules.toml"
    settings.write_text('ruleset = "statutory-2024"\noverlays = ["south-east"]\ncaps = ["caps.toml"]\n', encoding="utf-8")
    (tmp_path / "caps.toml").write_bytes((FIXTURES / "caps.toml").read_bytes())
    report = agency_rules.check(FIXTURES / "engagements.csv", config=settings)
    assert report.ruleset == "statutory-2024" and report.overlays == ["south-east"]
    assert {i.kind for i in report.inputs} >= {"caps", "config"}
    _, out, _ = run(str(FIXTURES / "engagements.csv"), "--config", str(settings), "--format", "json")
    assert json.loads(out)["summary"] == report.as_json()["summary"]
    given = agency_rules.check(FIXTURES / "engagements.csv", config=settings, ruleset="consultation-2023")
    assert given.ruleset == "consultation-2023"  # what is given replaces the config's ruleset, as on the command line


@pytest.mark.slow
def test_the_run_is_its_named_stages_and_each_can_be_run_alone() -> None:
    from agency_rules.inputs.engagements import read_raw

    options = api.Options(history=FIXTURES / "history.csv", caps=[FIXTURES / "caps.toml"])
    sources = [FIXTURES / "engagements.csv"]
    setup = api.set_up(sources, options)
    assert setup.ruleset.ruleset.id == "consultation-2023" and [f.kind for f in setup.files] == ["ruleset", "caps"]
    parsed = api.parse([read_raw(source, column_map=setup.column_map) for source in sources], setup, options)
    assert (parsed.engagements.height, parsed.rejected.select("row").n_unique()) == (26, 5)
    engine, evaluation, selection = api.evaluate(parsed, setup, options)
    staged = api.assemble(parsed, setup, options, engine, evaluation, selection, {})
    whole = api.run(sources, options)
    assert staged.as_json()["summary"] == whole.as_json()["summary"] and set(whole.timings) == {"setup", "read", "parse", "rules"}


def test_a_check_leaves_the_sessions_engine_affinity_as_it_was() -> None:
    """The check runs its queries on the in-memory engine, whatever the session chose, and gives the same report."""
    plain = agency_rules.check(REPO / "fixtures" / "engagements.csv", caps=[REPO / "fixtures" / "caps.toml"])
    with pl.Config(engine_affinity="streaming"):
        streaming = agency_rules.check(REPO / "fixtures" / "engagements.csv", caps=[REPO / "fixtures" / "caps.toml"])
        assert pl.Config.state(if_set=True).get("POLARS_ENGINE_AFFINITY") == "streaming"
    assert streaming.counts == plain.counts
    assert streaming.findings.equals(plain.findings)
