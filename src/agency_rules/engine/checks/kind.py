"""What every check kind is made of: its verdict, its parameters' types, and the registry entry that holds both its
engagement side and its contract side."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import polars as pl

from ...domain import BREACH, LEAVING_REASONS, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ..context import Context

E = pl.col

ClauseVerdict = tuple[str, str, dict[str, Any]]
ClauseCheck = Callable[[Clauses, dict[str, Any]], list[tuple[str, ClauseVerdict]]]


@dataclass(frozen=True)
class Verdict:
    """A check's outcome per engagement, and for anything reported, why (in an HR officer's words) and on what evidence."""

    outcome: pl.Expr
    message: pl.Expr
    evidence: dict[str, pl.Expr]
    warning: pl.Expr | None = None
    passed: pl.Expr | None = (
        None  # a pass in words, where the check says more than that the rule is met
    )


@dataclass(frozen=True)
class ParamType:
    """What a parameter's values must be; checked when a rule file loads."""

    kind: type | tuple[type, ...]
    minimum: float | None = None
    choices: tuple[str, ...] | None = None
    is_list: bool = False

    def validate(self, name: str, value: Any) -> None:
        items = value if self.is_list else [value]
        if self.is_list and not isinstance(value, list):
            raise ValueError(f"parameter '{name}' must be a list")
        for item in items:
            if isinstance(item, bool) and self.kind is not bool or not isinstance(item, self.kind):
                raise ValueError(f"parameter '{name}' has value {item!r} of the wrong type")
            if isinstance(item, float) and not math.isfinite(item):
                raise ValueError(f"parameter '{name}' must be a finite number, not {item!r}")
            if self.minimum is not None and cast(float, item) < self.minimum:
                raise ValueError(
                    f"parameter '{name}' must be at least {self.minimum:g}, not {item!r}"
                )
            if self.choices is not None and item not in self.choices:
                raise ValueError(
                    f"parameter '{name}' has value {item!r}; allowed: {', '.join(self.choices)}"
                )

    def dtype(self) -> pl.DataType:
        kinds: dict[object, pl.DataType] = {bool: pl.Boolean(), int: pl.Int64(), str: pl.String()}
        base = kinds.get(self.kind, pl.Float64())
        return pl.List(base) if self.is_list else base


NUMBER = ParamType((int, float), minimum=0)


WHOLE = ParamType(int, minimum=0)


FLAG = ParamType(bool)


REASONS = ParamType(str, choices=LEAVING_REASONS, is_list=True)


Params = dict[str, pl.Expr]


Builder = Callable[[pl.LazyFrame, Params, Context, str], tuple[pl.LazyFrame, Verdict]]


@dataclass(frozen=True)
class CheckKind:
    """Everything about one kind of check: its engagement builder, its parameters' types, the optional engagement columns it
    reads (none of them: no data), what the run must be given, and its contract side: the clause a contract must carry
    (`clause`), the rate-line amount it caps (`rate_field`), or why it has neither (`no_contract_side`)."""

    build: Builder
    params: dict[str, ParamType] = field(default_factory=dict)
    reads: tuple[str, ...] = ()
    needs: str | None = None
    clause: ClauseCheck | None = None
    clause_keys: tuple[
        str, ...
    ] = ()  # the contract file's [clauses] keys the clause reads, for the generated docs
    rate_field: str | None = None
    no_contract_side: str = ""


def choose(*branches: tuple[pl.Expr, Any], otherwise: Any = None) -> pl.Expr:
    """when/then in order; values may be expressions or plain literals."""
    (condition, value), *rest = branches
    chain: Any = pl.when(condition).then(_expression(value))  # polars' Then, then ChainedThen
    for condition, value in rest:
        chain = chain.when(condition).then(_expression(value))
    return cast(pl.Expr, chain.otherwise(_expression(otherwise)))


def _expression(value: Any) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value)


def said(value: Any) -> str:
    """A clause's value, or a finding's evidence, in words: yes/no, lists joined, silence as 'not stated'."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return (
        "not stated"
        if value is None
        else ("yes" if value is True else "no" if value is False else str(value))
    )


def clause_outcome(value: bool | None) -> str:
    """A yes/no clause: what the rules need (pass), its refusal (breach), or the contract's silence (unknown)."""
    return PASS if value else UNKNOWN if value is None else BREACH


def yes_no_clause(key: str, value: bool | None, words: str) -> tuple[str, ClauseVerdict]:
    """A yes/no clause's finding, 'words: yes', with the clause's value as its evidence (under its last key)."""
    return key, (clause_outcome(value), f"{words}: {said(value)}", {key.rsplit(".", 1)[-1]: value})
