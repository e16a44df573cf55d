"""Procurement (issue 10): contract files read strictly; a malformed one is refused with the file, the key and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from agency_rules.inputs.contracts import load_contract
from agency_rules.tomlfiles import RuleFileError

GOOD = """
[contract]
name = "South East Social Work Framework"
reference = "SE-FW-2025"
route = "framework"
supplier = "Oakfield Locums"
councils = ["Kent County Council", "E06000035"]
start = 2025-04-01
end = 2027-03-31

[clauses]
binds_supplier = true
notice_weeks = 6
references = { count = 2, practice_based = true }

[[rate]]
region = "South East"
role = "social_worker"
employment_model = "umbrella"
pay_rate = 34.0
effective_from = 2025-04-01
effective_to = 2026-03-31
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_contract_is_read_with_councils_by_name_or_code_and_silent_clauses_left_unknown(tmp_path: Path) -> None:
    contract = load_contract(write(tmp_path, GOOD))
    assert contract.contract.councils == ["E10000016", "E06000035"]
    assert contract.clauses.notice_weeks == 6 and contract.clauses.references.count == 2
    assert contract.clauses.notice_reciprocal is None and contract.clauses.cooling_off_months is None  # silent: unknown, never a pass
    assert contract.rate[0].pay_rate == 34.0


@pytest.mark.parametrize("change, says", [
    (('notice_weeks = 6', 'notice_week = 6'), "clauses.notice_week: unknown key (did you mean 'notice_weeks'?)"),
    (('start = 2025-04-01', 'start = "1 April 2025"'), "contract.start: must be a date written as YYYY-MM-DD"),
    (('start = 2025-04-01', 'start = 2025-02-30'), "2025-02-30 is not a real date"),
    (('end = 2027-03-31', 'end = 2024-03-31'), "end is before start"),
    (('role = "social_worker"', 'role = "boss"'), "rate South East / boss / umbrella: role"),
    (('region = "South East"', 'region = "Narnia"'), "unknown region 'Narnia'"),
    (('"E06000035"', '"Kingston"'), "'Kingston' could be more than one council"),
    (('"E06000035"', '"Gotham"'), "Gotham"),
    (('pay_rate = 34.0', 'pay_rate = "lots"'), "pay_rate: must be a number (not 'lots')"),
    (('route = "framework"', 'route = "handshake"'), "contract.route"),
    (('effective_to = 2026-03-31', 'effective_to = 2028-03-31'), "outside the term"),
])
def test_a_malformed_contract_is_refused_with_the_file_the_key_and_the_reason(tmp_path: Path, change: tuple[str, str], says: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as error:
        load_contract(path)
    assert str(path) in str(error.value) and says in str(error.value)
