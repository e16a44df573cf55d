"""Project teams (PROJ001), with or without the statutory safeguards, for engagements and contract clauses."""

from __future__ import annotations

from typing import Any

import polars as pl

from ...domain import BREACH, PASS, UNKNOWN
from ...inputs.contracts import Clauses
from ..context import Context
from .kind import (
    FLAG,
    CheckKind,
    ClauseVerdict,
    Params,
    Verdict,
    choose,
    yes_no_clause,
)

E = pl.col


TEAM_SAFEGUARDS = (
    ("team_workers_identified", "every worker identified and approved by the LA"),
    ("team_costs_itemised", "costs itemised per worker"),
    ("team_la_practice_control", "the LA keeps control of practice"),
)


def project_team(
    frame: pl.LazyFrame, p: Params, ctx: Context, prefix: str
) -> tuple[pl.LazyFrame, Verdict]:
    """An individual engagement meets both regimes' project-team rules; a team member needs the safeguards, where allowed."""
    team = E("engagement_type") == "project_team"
    failed = pl.any_horizontal(~E(name) for name, _ in TEAM_SAFEGUARDS).fill_null(False)
    missing = pl.any_horizontal(E(name).is_null() for name, _ in TEAM_SAFEGUARDS)
    allowed = p["safeguards_allowed"]
    outcome = choose(
        (~team, PASS), (~allowed, BREACH), (failed, BREACH), (missing, UNKNOWN), otherwise=PASS
    )
    message = choose(
        (~allowed, "engaged as a member of a project team, which these rules do not allow"),
        (
            failed,
            pl.lit("project team without: ")
            + pl.concat_str(
                [pl.when(~E(name)).then(pl.lit(text)) for name, text in TEAM_SAFEGUARDS],
                separator="; ",
                ignore_nulls=True,
            ),
        ),
        otherwise=pl.lit("project team: not recorded whether ")
        + pl.concat_str(
            [pl.when(E(name).is_null()).then(pl.lit(name)) for name, _ in TEAM_SAFEGUARDS],
            separator=", ",
            ignore_nulls=True,
        ),
    )
    evidence = {
        "engagement_type": E("engagement_type"),
        **{name: E(name) for name, _ in TEAM_SAFEGUARDS},
    }
    return frame, Verdict(outcome, message, evidence)


def project_team_clause(
    clauses: Clauses, values: dict[str, Any]
) -> list[tuple[str, ClauseVerdict]]:
    teams, allowed = clauses.project_teams, values["safeguards_allowed"]
    if teams.supplied is None:
        return [
            (
                "project_teams.supplied",
                (
                    UNKNOWN,
                    "the contract does not say whether the supplier may provide project teams",
                    {},
                ),
            )
        ]
    if not teams.supplied:
        return [
            (
                "project_teams.supplied",
                (
                    PASS,
                    "the contract does not let the supplier provide project teams",
                    {"supplied": False},
                ),
            )
        ]
    if not allowed:
        return [
            (
                "project_teams.supplied",
                (
                    BREACH,
                    "the contract lets the supplier provide project teams, which these rules do not allow",
                    {"supplied": True},
                ),
            )
        ]
    return [
        yes_no_clause(f"project_teams.{name}", getattr(teams, name), f"project teams with {words}")
        for name, words in (
            ("workers_identified", "every worker identified and approved by the council"),
            ("costs_itemised", "costs itemised per worker"),
            ("la_practice_control", "the council keeping control of practice"),
        )
    ]


KINDS: dict[str, CheckKind] = {
    "project_team": CheckKind(
        project_team,
        {"safeguards_allowed": FLAG},
        (
            "engagement_type",
            "team_workers_identified",
            "team_costs_itemised",
            "team_la_practice_control",
        ),
        clause=project_team_clause,
        clause_keys=(
            "project_teams.supplied",
            "project_teams.workers_identified",
            "project_teams.costs_itemised",
            "project_teams.la_practice_control",
        ),
    ),
}
