"""A contract as checked: each clause's or rate line's finding, and the contract's verdict, as the renderers and the
engagement check (a contract's own shortfalls, PROC001) read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain import BREACH, PASS, UNKNOWN
from ..inputs.contracts import Contract, ContractFile, period_in_words


@dataclass(frozen=True)
class ClauseFinding:
    """One requirement of one rule held against one clause or rate line of a contract."""

    rule_id: str
    item: str  # "clause notice_weeks", or "rate South East / social_worker / umbrella"
    outcome: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def where_and_when(self) -> str:
        """'South East, in force on 1 Apr 2025' or 'South East, 1 Oct 2025 to 31 Mar 2026': what every human format says beside a finding."""
        region = self.evidence.get("region") or self.evidence.get("cap_region") or ""
        if self.evidence.get("in_force_on"):
            day = date.fromisoformat(self.evidence["in_force_on"])
            when = f"in force on {day:%-d %b %Y}"
        elif self.evidence.get("from"):
            until = self.evidence.get("to")
            when = period_in_words(
                date.fromisoformat(self.evidence["from"]),
                date.fromisoformat(until) if until else None,
            )
        else:
            when = ""
        return ", ".join(part for part in (region, when) if part) or "the whole term"


@dataclass(frozen=True)
class CheckedContract:
    """A contract file as read, with every finding of its check."""

    path: str
    sha256: str
    data: ContractFile
    findings: list[ClauseFinding]
    overlays_not_chosen: tuple[
        str, ...
    ] = ()  # shipped overlays of regions it serves that the check was not given

    @property
    def contract(self) -> Contract:
        return self.data.contract

    @property
    def term(self) -> str:
        return period_in_words(self.contract.start, self.contract.end)

    def count(self, outcome: str) -> int:
        """Terms with this outcome: a clause that serves two rules (binds_supplier, for PQE001 and ASYE001) counts once."""
        return len({f.item for f in self.findings if f.outcome == outcome})

    def outcome(self) -> str:
        """As an engagement's outcome would be: a term falling short is a breach; one the contract is silent on, unknown."""
        return BREACH if self.count(BREACH) else UNKNOWN if self.count(UNKNOWN) else PASS

    def verdict(self) -> str:
        unchecked = (
            f"; not checked against the regional overlay(s) {', '.join(self.overlays_not_chosen)} of the regions it serves (--overlay)"
            if self.overlays_not_chosen
            else ""
        )
        if self.count(BREACH):
            return (
                f"does not comply: {self.count(BREACH)} term(s) fall short of the rules{unchecked}"
            )
        if self.count(UNKNOWN):
            return f"complies as far as it says, but {self.count(UNKNOWN)} term(s) the rules need cannot be confirmed{unchecked}"
        return f"complies with every term the rules need{unchecked}"


@dataclass(frozen=True)
class ContractCheck:
    """What `agency-check contract` reports: the contracts checked, against which ruleset and overlays."""

    contracts: list[CheckedContract]
    ruleset: str
    overlays: list[str]
