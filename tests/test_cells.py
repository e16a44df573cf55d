"""The cells real exports hold: councils by name, money with separators, dates as HR systems write them (issue 8, point 2)."""

from __future__ import annotations

import polars as pl
import pytest

from agency_rules import api
from agency_rules.inputs.columns import MONEY, LaCode
from agency_rules.regions import SHORT_NAMES, la_by_name, local_authorities

from .conftest import COMPLIANT

COUNCIL = LaCode(pl.String)


def read(kind, text: str) -> tuple[object, str]:
    return pl.DataFrame({"t": [text]}).select(kind.value(pl.col("t")).alias("v"), kind.message(pl.col("t")).alias("m")).row(0)


def test_every_council_name_in_the_table_names_one_council() -> None:
    assert sorted(set(la_by_name().values())) == sorted(local_authorities())
    assert len(la_by_name()) == len(local_authorities()) + len(SHORT_NAMES)  # no two names share a key


@pytest.mark.parametrize(
    "text, code",
    [
        ("E10000016", "E10000016"), ("e10000016", "E10000016"), ("Kent", "E10000016"), ("Kent County Council", "E10000016"),
        ("KENT COUNTY COUNCIL", "E10000016"), ("Royal Borough of Greenwich", "E09000011"), ("Greenwich", "E09000011"),
        ("Bristol, City of", "E06000023"), ("Bristol City Council", "E06000023"), ("City of London", "E09000001"),
        ("London Borough of Camden", "E09000007"), ("Durham County Council", "E06000047"), ("Brighton & Hove City Council", "E06000043"),
        ("St. Helens Council", "E08000013"), ("Kingston upon Hull City Council", "E06000010"), ("Hull City Council", "E06000010"),
        ("BCP Council", "E06000058"),
        # issue 18: the forms councils and their suppliers write (abbreviations, long forms, Saint, &, acronyms)
        ("Hertfordshire CC", "E10000015"), ("Leeds CC", "E08000035"), ("Calderdale MBC", "E08000033"), ("Wakefield MDC", "E08000036"),
        ("LB Tower Hamlets", "E09000030"), ("RB Kingston upon Thames", "E09000021"), ("Redcar & Cleveland BC", "E06000003"),
        ("City of Bradford Metropolitan District Council", "E08000032"), ("Bradford MDC", "E08000032"), ("Sefton Metropolitan Borough Council", "E08000014"),
        ("City of York Council", "E06000014"), ("Westminster City Council", "E09000033"), ("City of London Corporation", "E09000001"),
        ("Saint Helens", "E08000013"), ("St Helens", "E08000013"), ("ST. HELENS MBC", "E08000013"), ("Council of the Isles of Scilly", "E06000053"),
        ("RBKC", "E09000020"), ("RBWM", "E06000040"), ("B&NES", "E06000022"), ("BANES", "E06000022"), ("BCP", "E06000058"),
        ("H&F", "E09000013"), ("LBHF", "E09000013"), ("Bath & North East Somerset Council", "E06000022"),
        ("London Borough of Barking & Dagenham", "E09000002"), ("Stoke on Trent City Council", "E06000021"),
    ],
)
def test_a_council_is_read_from_its_code_or_any_common_form_of_its_name(text: str, code: str) -> None:
    assert read(COUNCIL, text)[0] == code


@pytest.mark.parametrize(
    "text, says",
    [
        ("Kingston", "could be more than one council: Kingston upon Hull, City of (E06000010) or Kingston upon Thames (E09000021)"),
        ("Richmond", "did you mean Richmond upon Thames (E09000027)?"),
        ("Sussex", "could be more than one council: East Sussex (E10000011) or West Sussex (E10000032)"),
        ("Northamptonshire CC", "could be more than one council: North Northamptonshire (E06000061) or West Northamptonshire (E06000062)"),
        ("Hertfordshre CC", "is not the name of a council; did you mean Hertfordshire (E10000015)?"),
        ("Bradfrod MDC", "did you mean Bradford (E08000032)?"),
        ("Saint Albans", "is neither the ONS code nor the name"),  # a district, not one of the 153
        ("Hul", "did you mean Kingston upon Hull, City of (E06000010)?"),
        ("Gotham City Council", "is neither the ONS code nor the name"),
        ("E99999999", "is neither the ONS code nor the name"),
    ],
)
def test_a_name_that_is_not_one_council_is_refused_with_the_candidates(text: str, says: str) -> None:
    value, message = read(COUNCIL, text)
    assert value is None and says in message


@pytest.mark.parametrize("text, amount", [("£1,050.00", 1050.0), ("1,050", 1050.0), ("£ 34.50", 34.5), ("1,234.5", 1234.5), ("0", 0.0)])
def test_money_may_carry_a_pound_sign_and_thousands_separators(text: str, amount: float) -> None:
    assert read(MONEY, text)[0] == amount


@pytest.mark.parametrize("text", ["34,50", "1,05,000", ",123", "1,2345", "£-1"])
def test_a_decimal_comma_or_misplaced_separator_is_refused(text: str) -> None:
    value, message = read(MONEY, text)
    assert value is None and message.startswith(f"'{text}'")


def test_an_export_with_council_names_and_excel_dates_is_checked_end_to_end(check_one) -> None:
    outcomes, report = check_one({
        "la_code": "Kent County Council", "start_date": "03/11/2025 00:00", "end_date": "30-Apr-2026", "pay_rate": "£1,034.00",
        "qualified_date": "1 July 2015",
    })
    assert report.findings["council"].to_list() == ["Kent"] * report.findings.height
    assert outcomes["NOTICE001"] == "pass"


@pytest.mark.slow
@pytest.mark.parametrize("start, read", [("03/11/2025 09:00", True), ("03/11/2025 14:30", True), ("03/11/2025 22:59", True),
                                         ("03/11/2025 23:00", False), ("03/11/2025 23:59:59", False), ("03/11/2025 11:30 PM", False)])
def test_a_time_of_day_gives_the_calendar_day_but_a_shifted_midnight_rejects_the_row(start: str, read: bool) -> None:
    report = api.run([pl.DataFrame([{**COMPLIANT, "start_date": start}])], api.Options())
    assert report.rows_checked == int(read)
    if read:
        assert report.findings.filter(pl.col("rule_id") == "NOTICE001").height == 0 and report.rows_rejected == 0
    else:
        assert "has a time from 23:00 to 23:59, which is how a midnight moved by a time zone looks" in report.rejected_rows["message"][0]


@pytest.mark.slow
def test_the_notes_count_the_dates_that_carried_a_time_of_day_but_not_midnight() -> None:
    from agency_rules.report import decoding_notes

    rows = [{**COMPLIANT, "engagement_id": "E-1", "start_date": "03/11/2025 09:00", "end_date": "2026-01-30T14:30:00"},
            {**COMPLIANT, "engagement_id": "E-2", "start_date": "03/11/2025 00:00", "end_date": "30/01/2026 12:00 AM"},  # midnight: the day itself
            {**COMPLIANT, "engagement_id": "E-3", "start_date": "03/11/2025 23:30"}]  # refused, so not read as a day
    report = api.run([pl.DataFrame(rows)], api.Options())
    assert report.inputs[0].timed_dates == 2 and report.rows_rejected == 1
    assert "<DataFrame>: 2 date(s) carried a time of day; each was read as its calendar day" in decoding_notes(report)
    assert report.as_json()["inputs"][0]["dates_with_a_time"] == 2
    plain = api.run([pl.DataFrame([rows[1]])], api.Options())
    assert plain.inputs[0].timed_dates == 0 and not decoding_notes(plain) and "dates_with_a_time" not in plain.as_json()["inputs"][0]


@pytest.mark.parametrize("amount, said", [(0.5, "0.50"), (35.01, "35.01"), (999.995, "1,000.00"), (1050, "1,050.00"), (123456, "123,456.00"), (1234567.891, "1,234,567.89")])
def test_money_in_messages_has_pence_and_thousands_separated(amount: float, said: str) -> None:
    from agency_rules.engine.words import money

    assert pl.select(money(pl.lit(amount))).item() == said
