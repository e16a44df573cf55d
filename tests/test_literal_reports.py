"""Renderers tested from literal reports: a `Report` made of plain data (Evaluation.of_findings), no engine behind it,
so what each format says is checked against findings written out by hand."""

from __future__ import annotations

import csv
import html
import io
import json

import polars as pl
import pytest

from agency_rules.columns_view import ColumnsView
from agency_rules.domain import OUTCOMES
from agency_rules.engine.evaluation import FINDING_SCHEMA, Evaluation
from agency_rules.inputs.files import InputFile
from agency_rules.inputs.tables import ERROR_SCHEMA
from agency_rules.renderers import COLUMNS_RENDERERS, RENDERERS, RULES_RENDERERS
from agency_rules.report import RenderOptions, Report
from agency_rules.rules_view import ParamValue, RuleExplanation, RuleRow, RulesView

FINDINGS = [
    {"engagement_id": "E-1", "row": 2, "rule_id": "NOTICE001", "outcome": "breach", "severity": "breach",
     "message": "notice period of 4 weeks is shorter than the 6 weeks required", "evidence": '{"notice_period_weeks":4}',
     "source": "DfE consultation 2023, Q7", "worker_id": "SW100001", "la_code": "E10000016", "council": "Kent",
     "agency": "Northdown", "role": "iro_cp_chair", "start_date": "2025-11-03", "end_date": None, "file": "kent.csv", "source_row": None},
    {"engagement_id": "E-2", "row": 3, "rule_id": "REF001", "outcome": "unknown", "severity": "breach",
     "message": "whether references were received is not recorded", "evidence": '{"references_count":null}',
     "source": "DfE consultation 2023, Q5", "worker_id": "SW100002", "la_code": "E06000035", "council": "Medway",
     "agency": None, "role": "social_worker", "start_date": "2025-10-01", "end_date": "2026-03-31", "file": "kent.csv", "source_row": None},
]


def counts(**reported: dict[str, int]) -> dict[str, dict[str, int]]:
    return {rule: {o: by.get(o, 0) for o in OUTCOMES} for rule, by in reported.items()}


def literal_report() -> Report:
    findings = pl.DataFrame(FINDINGS, schema=FINDING_SCHEMA)
    evaluation = Evaluation.of_findings(findings, counts(NOTICE001={"breach": 1, "pass": 2}, REF001={"unknown": 1, "pass": 2}))
    rejected = pl.DataFrame(
        [{"row": 5, "engagement_id": "E-4", "column": "start_date", "value": "31/02/2025", "message": "'31/02/2025' is not a real day",
          "code": "not-a-real-day", "header": "Start", "la_code": "E10000016", "source_row": None}], schema=ERROR_SCHEMA,
    ).with_columns(pl.lit("kent.csv").alias("file"))
    return Report(
        ruleset="consultation-2023", overlays=[], as_of=None, inputs=[InputFile("kent.csv", "ab" * 32, 4, "utf-8")],
        rows_read=4, rows_checked=3, rejected_rows=rejected, evaluation=evaluation,
        rule_titles={"NOTICE001": "Six weeks' reciprocal notice", "REF001": "References for every candidate"},
    )


def rendered(name: str) -> str:
    out = io.StringIO()
    RENDERERS[name](literal_report(), RenderOptions(width=200), out)
    return out.getvalue()


def test_the_json_renderer_writes_the_literal_findings_and_counts_as_they_are() -> None:
    document = json.loads(rendered("json"))
    assert [(f["engagement_id"], f["rule_id"], f["outcome"]) for f in document["findings"]] == [
        ("E-1", "NOTICE001", "breach"), ("E-2", "REF001", "unknown")]
    assert document["findings"][0]["evidence"] == {"notice_period_weeks": 4}
    assert document["summary"]["rows_read"] == 4 and document["summary"]["engagements_with_breaches"] == 1
    assert document["summary"]["by_rule"]["REF001"]["unknown"] == 1
    assert document["rejected_rows"][0]["errors"][0]["code"] == "not-a-real-day"


@pytest.mark.parametrize("name", ["md", "html", "table"])
def test_the_human_formats_say_each_literal_finding_with_who_and_where(name: str) -> None:
    text = rendered(name)
    flat = " ".join((html.unescape(text) if name == "html" else text.replace("\\", "")).split())
    for words in ("notice period of 4 weeks is shorter than the 6 weeks required", "whether references were received is not recorded",
                  "IRO or CP chair", "Medway", "'31/02/2025' is not a real day"):
        assert words in flat, (name, words)
    assert "iro_cp_chair" not in text


def test_the_csv_has_one_line_per_literal_finding_then_the_rejected_row() -> None:
    lines = list(csv.DictReader(io.StringIO(rendered("csv").lstrip("\ufeff"))))
    assert [(line["engagement_id"], line["rule_id"], line["outcome"]) for line in lines] == [
        ("E-1", "NOTICE001", "breach"), ("E-2", "REF001", "unknown"), ("E-4", "", "rejected")]


def test_a_literal_report_groups_by_council_as_a_checked_one_does() -> None:
    out = io.StringIO()
    RENDERERS["md"](literal_report(), RenderOptions(width=200, group_by="council"), out)
    text = out.getvalue()
    assert text.index("## Kent") < text.index("notice period of 4 weeks") < text.index("## Medway") < text.index("whether references")


RULES = RulesView(
    "national-2023", "Proposed national rules", "proposed", "DfE consultation 2023",
    [RuleRow("NOTICE001", "Six weeks' notice", "Q7", "national-2023"),
     RuleRow("COOL101", "Twelve months' cooling-off\x1b[31m", "MoU", "overlay west-midlands (West Midlands)")],
)
EXPLAINED = RuleExplanation(
    "COOL001", "Cooling-off", "ruleset national-2023", "breach", "cooling_off", "3 months apart",
    ["roles social_worker"], False, "", "Q6", "", ["director_of_childrens_services"],
    [ParamValue("months", "3", "2024-01-01 (ruleset start)", "to 2025-09-30", "ruleset national-2023"),
     ParamValue("months", "6", "2025-10-01", "open-ended", "overlay south-east, South East only")],
)
COLUMNS = ColumnsView(
    "msp.csv", [("Worker Ref", "worker_id", "mapped by the column map"), ("Colour", "", "ignored: not a contract column")],
    [("references_count", False, ["REF001"])], [("role", [("Snr SW", 3)])], [("agency", [("Northdown Ltd", 2)])], [], "utf-8",
)


def view(renderers: dict, found: object, name: str) -> str:
    out = io.StringIO()
    renderers[name](found, RenderOptions(width=200), out)
    return out.getvalue()


def test_the_rules_list_and_one_rule_are_drawn_from_literal_views() -> None:
    listed = view(RULES_RENDERERS, RULES, "table")
    assert "Six weeks' notice" in listed and "overlay west-midlands (West Midlands)" in listed
    assert "\x1b" not in listed and "`agency-check rules RULE_ID` explains one rule." in listed
    one = view(RULES_RENDERERS, RulesView("national-2023", "", "", "", [], EXPLAINED, ""), "table")
    assert "months = 3  from 2024-01-01 (ruleset start), to 2025-09-30  (ruleset national-2023)" in one
    assert "months = 6  from 2025-10-01, open-ended  (overlay south-east, South East only)" in one
    assert "approval by: director_of_childrens_services" in one and "Applies to: roles social_worker" in one
    document = json.loads(view(RULES_RENDERERS, RULES, "json"))
    assert [r["id"] for r in document["rules"]] == ["NOTICE001", "COOL101"]
    assert document["rules"][1]["title"].endswith("\x1b[31m") and document["explained"] is None


def test_the_columns_view_is_drawn_from_a_literal_view() -> None:
    text = " ".join(view(COLUMNS_RENDERERS, [COLUMNS], "table").split())
    for words in ("How msp.csv will be read (UTF-8)", "Worker Ref", "mapped by the column map", "references_count", "REF001",
                  "role: words nothing translates", "'Snr SW'", "agency: read as written", "'Northdown Ltd'"):
        assert words in text, words
    (document,) = json.loads(view(COLUMNS_RENDERERS, [COLUMNS], "json"))
    assert document["headers"][0] == {"header": "Worker Ref", "read_as": "worker_id", "how": "mapped by the column map"}
    assert document["missing"] == [{"column": "references_count", "required": False, "rules": ["REF001"]}]
    assert document["unknown_values"] == [{"column": "role", "values": [{"value": "Snr SW", "rows": 3}]}]


def test_every_registered_renderer_is_there_and_takes_what_was_found_the_options_and_a_stream() -> None:
    import inspect

    from agency_rules import renderers

    registries = [v for v in vars(renderers).values() if isinstance(v, renderers.Registry)]
    assert len(registries) == 8
    for registry in registries:
        for name in registry:
            assert list(inspect.signature(registry[name]).parameters)[1:] == ["options", "out"], name
