"""Rule files: the shipped ones load and cite sources; broken or hostile ones are refused with file, rule and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from agency_rules.engine.rulebook import load_overlay, load_rules, load_ruleset, rules_dir
from agency_rules.inputs.caps import load_caps
from agency_rules.tomlfiles import RuleFileError

from .conftest import cap_for

CONSULTATION_IDS = ["PQE001", "ASYE001", "INTL001", "COOL001", "NOTICE001", "REF001", "REF002", "CAP001", "CAP002", "CAP003", "PROJ001"]
STATUTORY_IDS = ["PQE001", "COOL001", "NOTICE001", "REF001", "CAP001", "PROJ001"]

GOOD_RULE = """
[ruleset]
id = "test"
title = "t"
status = "s"
source = "src"
effective_from = 2024-01-01

[[rule]]
id = "COOL001"
title = "cooling-off"
check = "cooling_off"
source = "Q6"
requires = "r"
params.months = [{ from = 2024-01-01, value = 3 }]
params.exempt_reasons = [{ from = 2024-01-01, value = ["redundancy"] }]
"""


def test_shipped_rulesets_have_the_ids_of_rules_md_and_cite_sources() -> None:
    for name, ids in (("consultation-2023", CONSULTATION_IDS), ("statutory-2024", STATUTORY_IDS)):
        ruleset, overlays = load_rules(name, ["london", "south-east", "west-midlands"])
        assert [r.id for r in ruleset.rule if r.needs is None] == ids
        assert [(r.id, r.needs) for r in ruleset.rule if r.needs] == [("PROC001", "contracts"), ("PROC002", "contracts"), ("PROC003", "contracts")]
        assert all(r.source.strip() and r.requires.strip() for r in ruleset.rule)
        assert [o.overlay.region for o in overlays] == ["London", "South East", "West Midlands"]


def test_shipped_cap_tables_load_and_cite_sources() -> None:
    table = load_caps(sorted((rules_dir() / "caps").glob("*.toml")))
    assert len(table) == 4
    cap = cap_for(table, "London", "team_manager", __import__("datetime").date(2025, 1, 1))
    assert cap is not None and cap["pay_rate"] == 42.0 and "2016" in cap["source"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "change, words",
    [
        (("requires = \"r\"", "requires = \"r\"\ncolour = \"red\""), "rule COOL001: colour: unknown key"),
        (("from = 2024-01-01, value = 3", "from = 2024-13-01, value = 3"), "not valid TOML"),
        (("check = \"cooling_off\"", "check = \"eval\""), "unknown check 'eval'"),
        (("check = \"cooling_off\"", "check = \"__import__('os').system('touch /tmp/pwned')\""), "unknown check"),
        (("params.months = [{ from = 2024-01-01, value = 3 }]\n", ""), "needs parameter(s) months"),
        (("value = 3 }", "value = \"three\" }"), "wrong type"),
        (("value = 3 }", "value = -3 }"), "at least 0"),
        (("value = [\"redundancy\"]", "value = [\"fired\"]"), "allowed:"),
        (("params.months", "params.weeks = [{ value = 1 }]\nparams.months"), "has no parameter(s) weeks"),
        (("value = 3 }", "value = 3, unset = \"no figure\" }"), "exactly one of"),
        (("id = \"COOL001\"", "id = \"cool-1\""), "should match pattern"),
        (("effective_from = 2024-01-01", "effective_from = \"soon\""), "effective_from"),
    ],
)
def test_broken_rule_files_are_refused_naming_file_rule_and_reason(tmp_path: Path, change: tuple[str, str], words: str) -> None:
    assert change[0] in GOOD_RULE
    path = write(tmp_path, GOOD_RULE.replace(change[0], change[1], 1))
    with pytest.raises(RuleFileError) as error:
        load_ruleset(path)
    assert str(path) in str(error.value)
    assert words in str(error.value)
    assert not Path("/tmp/pwned").exists()


def test_the_good_rule_file_loads(tmp_path: Path) -> None:
    assert load_ruleset(write(tmp_path, GOOD_RULE)).rule[0].id == "COOL001"


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    rule = GOOD_RULE[GOOD_RULE.index("[[rule]]"):]
    with pytest.raises(RuleFileError, match="used twice: COOL001"):
        load_ruleset(write(tmp_path, GOOD_RULE + rule))


@pytest.mark.parametrize(
    "overlay, words",
    [
        ('region = "Atlantis"', "unknown region 'Atlantis'"),
        ('region = "London"\n[[change]]\nrule = "NOPE001"\nparam = "months"\nvalues = [{ value = 6 }]', "has no rule NOPE001"),
        ('region = "London"\n[[change]]\nrule = "COOL001"\nparam = "weeks"\nvalues = [{ value = 6 }]', "no parameter 'weeks'"),
        ('region = "London"\n[[change]]\nrule = "COOL001"\nparam = "months"\nvalues = [{ value = "six" }]', "wrong type"),
    ],
)
def test_broken_overlays_are_refused(tmp_path: Path, overlay: str, words: str) -> None:
    path = tmp_path / "overlay.toml"
    path.write_text(f'[overlay]\nid = "x"\ntitle = "x"\nsource = "s"\n{overlay}\n')
    with pytest.raises(RuleFileError, match=words):
        load_rules("consultation-2023", [str(path)])


def test_unknown_ruleset_and_overlay_names_list_the_available_ones() -> None:
    with pytest.raises(RuleFileError, match="available: consultation-2023, statutory-2024"):
        load_rules("statutory-2099", [])
    with pytest.raises(RuleFileError, match="available: london, south-east, west-midlands"):
        load_rules("consultation-2023", ["wales"])


def test_overlay_file_loads_alone() -> None:
    assert load_overlay(rules_dir() / "overlays" / "west-midlands.toml").change[0].values[0].value == 12


def test_a_date_that_is_not_a_day_names_the_rule_and_the_date(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("from = 2024-01-01, value = 3", "from = 2024-02-30, value = 3"))
    with pytest.raises(RuleFileError) as error:
        load_ruleset(path)
    message = str(error.value)
    assert "in COOL001:" in message and "2024-02-30 is not a real date" in message and str(path) in message


def test_every_check_kind_has_a_contract_side_or_says_why_and_every_parameter_has_its_words() -> None:
    from agency_rules.engine.checks import CHECKS, PARAMETER_WORDS

    for name, kind in CHECKS.items():
        assert kind.clause or kind.rate_field or kind.no_contract_side, name
        assert not (kind.clause and kind.no_contract_side), name
        assert bool(kind.clause) == bool(kind.clause_keys), f"{name}: a clause names the keys it reads"
        for parameter in kind.params:
            assert PARAMETER_WORDS.get(parameter), f"{name}.{parameter} has no words"


def test_the_check_docs_are_generated_from_the_registry_with_each_clauses_accepted_values() -> None:
    import importlib.util

    from .conftest import REPO

    spec = importlib.util.spec_from_file_location("make_check_docs", REPO / "tools" / "make_check_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.document()
    assert (REPO / "docs" / "checks.md").read_text(encoding="utf-8") == text
    assert "- contract clause `notice_weeks`: a number from 0 to 52" in text
    assert "- contract clause `cooling_off_exemptions`: a list of: resignation, redundancy" in text
    assert "- contract rate lines: `pay_rate` of each line" in text


TOY_RULESET = """
[ruleset]
id = "toy"
title = "A toy ruleset"
status = "a test"
effective_from = 2023-02-02
source = "a test"

[[rule]]
id = "TOY001"
title = "Notice, by a toy kind"
severity = "breach"
check = "toy_notice"
source = "a test"
requires = "Notice of at least the minimum."
params.min_weeks = [{ from = 2023-02-02, value = 6 }]
params.reciprocal_required = [{ from = 2023-02-02, value = false }]
params.shorter_la_notice_applies = [{ from = 2023-02-02, value = false }]
"""


def test_a_check_kind_added_in_one_place_runs_for_engagements_and_contracts_or_is_refused_naming_its_missing_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from agency_rules import api
    from agency_rules.engine import checks
    from agency_rules.engine.contract_check import check_contract
    from agency_rules.inputs.caps import load_caps
    from agency_rules.inputs.contracts import load_contract

    from .conftest import COMPLIANT, write_csv
    from .test_contracts import COMPLIANT_CLAUSES, HEADER

    toy = replace(checks.CHECKS["notice_period"])  # a new kind, registered once with both its sides
    monkeypatch.setitem(checks.CHECKS, "toy_notice", toy)
    ruleset = tmp_path / "toy.toml"
    ruleset.write_text(TOY_RULESET, encoding="utf-8")
    rows = [{**COMPLIANT, "engagement_id": "E-1", "notice_period_weeks": "5"}, {**COMPLIANT, "engagement_id": "E-2"}]
    report = api.run([write_csv(tmp_path / "e.csv", rows)], api.Options(ruleset=str(ruleset)))
    assert report.counts["TOY001"]["breach"] == 1 and report.counts["TOY001"]["pass"] == 1
    contract = tmp_path / "contract.toml"
    contract.write_text(HEADER + COMPLIANT_CLAUSES.replace("notice_weeks = 6", "notice_weeks = 5"), encoding="utf-8")
    loaded, layered = load_rules(str(ruleset), [])
    found = check_contract(load_contract(contract), loaded, layered, load_caps([]))
    assert {(f.rule_id, f.item, f.outcome) for f in found if f.rule_id == "TOY001"} == {("TOY001", "clause notice_weeks", "breach")}
    monkeypatch.setitem(checks.CHECKS, "toy_notice", replace(toy, clause=None))
    with pytest.raises(RuleFileError, match="check 'toy_notice' has no contract side"):
        load_rules(str(ruleset), [])
