"""The typed engagement: one agency assignment of one worker, as the rules see it."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

ROLES = ("social_worker", "senior_social_worker", "advanced_practitioner", "team_manager", "iro_cp_chair", "other")
ENGAGEMENT_TYPES = ("individual", "project_team")
EMPLOYMENT_MODELS = ("umbrella", "ltd", "paye")
LEAVING_REASONS = ("resignation", "redundancy", "probation", "end_of_contract", "retirement", "dismissal", "other")
EMPLOYMENTS = ("substantive", "agency")


class Engagement(NamedTuple):
    """One valid row of engagements.csv, fields in the data contract's column order.

    A tuple, so a million of them are built at C speed; `row` is the spreadsheet row (the header
    is row 1) and `region` the engaging LA's region.
    """

    engagement_id: str
    worker_id: str
    la_code: str
    role: str
    start_date: date
    end_date: date | None = None
    offer_date: date | None = None
    agency: str | None = None
    framework: str | None = None
    engagement_type: str = "individual"
    team_workers_identified: bool | None = None
    team_costs_itemised: bool | None = None
    team_la_practice_control: bool | None = None
    qualified_date: date | None = None
    qualified_overseas: bool | None = None
    pqe_years: float | None = None
    asye_completed: bool | None = None
    notice_period_weeks: float | None = None
    notice_reciprocal: bool | None = None
    la_substantive_notice_weeks: float | None = None
    reference_received: bool | None = None
    reference_standard_template: bool | None = None
    references_count: int | None = None
    employment_model: str | None = None
    pay_rate: float | None = None
    agency_fee: float | None = None
    framework_fee: float | None = None
    expenses_per_hour: float | None = None
    previous_substantive_la: str | None = None
    previous_substantive_end: date | None = None
    previous_leaving_reason: str | None = None
    row: int = 0
    region: str = ""

    @property
    def offered(self) -> date:
        """The contract's default: no offer_date means offered on the start date."""
        return self.offer_date or self.start_date


CONTRACT_COLUMNS = Engagement._fields[:-2]


class PastRole(NamedTuple):
    """A role a worker held before, from the `previous_*` columns or from --history."""

    la_code: str | None
    region: str | None
    employment: str
    end_date: date | None
    leaving_reason: str | None
    source: str
