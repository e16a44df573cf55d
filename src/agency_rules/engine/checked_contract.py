"""A contract as checked: each clause's or rate line's finding, and the contract's verdict, as the renderers and the
engagement check (a contract's own shortfalls, PROC001) read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..inputs.contracts import Contract, ContractFile, period_in_words
from ..terms import BREACH, PASS, UNKNOWN


@dataclass(frozen=True)
class ClauseFinding:
    """One requirement of one rule held against one clause or rate line of a contract."""

    rule_id: str
    item: str  # "clause notice_weeks", or "rate South East / social_worker / umbrella"
    outcome: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedContract:
    """A contract file as read, with every finding of its check."""

    path: str
    sha256: str
    data: ContractFile
    findings: list[ClauseFinding]
    overlays_not_chosen: tuple[str, ...] = ()  # shipped overlays of regions it serves that the check was not given

    @property
    def contract(self) -> Contract:
        return self.data.contract

    @property
    def term(self) -> str:
        return period_in_words(self.contract.start, self.contract.end)

    def count(self, outcome: str) -> int:
        return sum(f.outcome == outcome for f in self.findings)

    def outcome(self) -> str:
        """As an engagement's outcome would be: a term falling short is a breach; one the contract is silent on, unknown."""
        return BREACH if self.count(BREACH) else UNKNOWN if self.count(UNKNOWN) else PASS

    def verdict(self) -> str:
        unchecked = (f"; not checked against the regional overlay(s) {', '.join(self.overlays_not_chosen)} of the regions it serves (--overlay)"
                     if self.overlays_not_chosen else "")
        if self.count(BREACH):
            return f"does not comply: {self.count(BREACH)} term(s) fall short of the rules{unchecked}"
        if self.count(UNKNOWN):
            return f"complies as far as it says, but {self.count(UNKNOWN)} term(s) the rules need cannot be confirmed{unchecked}"
        return f"complies with every term the rules need{unchecked}"
