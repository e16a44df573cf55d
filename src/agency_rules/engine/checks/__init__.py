"""The closed vocabulary of checks a rule file may name, one module per kind holding everything about it: its
engagement builder (polars expressions: outcome, message, evidence), its parameters and their words, the columns it
reads, and its contract side (the clause a contract must carry, the rate-line amount it caps) or why it has none.

A builder sees the engagement columns, its parameters as columns (the values in force for each engagement, see
parameters.py) and the run's context, and returns a Verdict. Scope and the regime's dates are decided outside the
checks (evaluation.py). A new kind is one module here, added to CHECKS.
"""

from __future__ import annotations

from . import caps, contracts, cooling_off, experience, notice, project_team, references
from .kind import NUMBER, CheckKind, ClauseCheck, ParamType, Verdict, choose, said

CHECKS: dict[str, CheckKind] = {
    **experience.KINDS,
    **cooling_off.KINDS,
    **notice.KINDS,
    **references.KINDS,
    **caps.KINDS,
    **project_team.KINDS,
    **contracts.KINDS,
}
PARAMETER_WORDS = {  # how messages name each parameter, for readers who never see a rule file
    "min_years": "the minimum years of post-qualified experience",
    "experience_in": "where post-qualified experience counts",
    "months": "the months of cooling-off",
    "exempt_reasons": "the leaving reasons that are exempt",
    "min_weeks": "the minimum notice in weeks",
    "reciprocal_required": "whether notice must bind both sides",
    "shorter_la_notice_applies": "whether the LA's shorter notice is enough",
    "min_count": "the minimum number of references",
    "safeguards_allowed": "whether project teams with safeguards are allowed",
}
CAP_CHECKS = frozenset({"pay_cap", "agency_fee_cap", "framework_fee_cap"})

__all__ = [
    "CAP_CHECKS",
    "CHECKS",
    "NUMBER",
    "PARAMETER_WORDS",
    "CheckKind",
    "ClauseCheck",
    "ParamType",
    "Verdict",
    "choose",
    "said",
]
