"""The domain's fixed words: job types, enumerations of the data contract, and the outcomes of a rule."""

from __future__ import annotations

from datetime import date

FIRST_DAY, LAST_DAY = (
    date(1900, 1, 1),
    date(2099, 12, 31),
)  # every date read, in an export or a settings file

ROLES = (
    "social_worker",
    "senior_social_worker",
    "advanced_practitioner",
    "team_manager",
    "iro_cp_chair",
    "other",
)
CAPPED_ROLES = ROLES[:-1]
APPROVER_WORDS = {
    "director_of_childrens_services": "the Director of Children's Services",
    "chief_executive": "the chief executive",
}
ROLE_WORDS = {role: role.replace("_", " ") for role in ROLES} | {
    "iro_cp_chair": "IRO or CP chair"
}  # for readers
ENGAGEMENT_TYPES = ("individual", "project_team")
EMPLOYMENT_MODELS = ("umbrella", "ltd", "paye")
LEAVING_REASONS = (
    "resignation",
    "redundancy",
    "probation",
    "end_of_contract",
    "retirement",
    "dismissal",
    "other",
)
EMPLOYMENTS = ("substantive", "agency")

PASS = "pass"
BREACH = "breach"
UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"
WAIVED = "waived"
NOT_EVALUATED = "not_evaluated"
OUTCOMES = (PASS, BREACH, UNKNOWN, NOT_APPLICABLE, WAIVED, NOT_EVALUATED)
REPORTED = (BREACH, UNKNOWN, WAIVED)

DEFAULT_RULESET = "consultation-2023"  # the data contract's default
RETURN_RULESET = "statutory-2024"  # the quarterly return's: a duty of the statutory guidance
