"""One check run: load the rules and inputs, evaluate, and assemble the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .caps import load_caps
from .evaluation import Context, Engine
from .loading import read_engagements, read_history
from .report import Report
from .rulebook import Overlay, Ruleset, check_overlay_fits, find_overlay, find_ruleset, load_overlay, load_ruleset, read_toml
from .waivers import load_waivers

DEFAULT_RULESET = "consultation-2023"


@dataclass
class CheckOptions:
    engagements: Path
    history: Path | None = None
    ruleset: str = DEFAULT_RULESET
    overlays: list[str] = field(default_factory=list)
    caps: list[Path] = field(default_factory=list)
    waivers: Path | None = None
    as_of: date | None = None
    column_map: Path | None = None


def load_rules(ruleset_name: str, overlay_names: list[str]) -> tuple[Ruleset, list[Overlay]]:
    ruleset = load_ruleset(find_ruleset(ruleset_name))
    overlays = []
    for name in overlay_names:
        path = find_overlay(name)
        overlay = load_overlay(path)
        check_overlay_fits(overlay, ruleset, path)
        overlays.append(overlay)
    return ruleset, overlays


def load_column_map(path: Path | None) -> dict[str, str] | None:
    """A `[columns]` table of export header → contract column, for HR systems with their own names."""
    if path is None:
        return None
    columns = read_toml(path).get("columns", {})
    return {str(k): str(v) for k, v in columns.items()}


def run_check(options: CheckOptions) -> Report:
    ruleset, overlays = load_rules(options.ruleset, options.overlays)
    context = Context(caps=load_caps(options.caps))
    waivers = load_waivers(options.waivers) if options.waivers else {}
    column_map = load_column_map(options.column_map)
    history = read_history(options.history, column_map) if options.history else None
    if history is not None:
        context.history = history.roles
    loaded = read_engagements(options.engagements, column_map)
    engine = Engine(ruleset, overlays, context, waivers, options.as_of)
    evaluation = engine.evaluate(loaded.engagements)
    titles = {r.id: r.title for r in ruleset.rule} | {r.id: r.title for o in overlays for r in o.rule}
    inputs = [loaded.info] + ([history.info] if history and history.info else [])
    return Report(
        ruleset=ruleset.ruleset.id,
        overlays=[o.overlay.id for o in overlays],
        as_of=options.as_of,
        inputs=inputs,
        rows_read=loaded.rows_read,
        rows_checked=len(loaded.engagements),
        rejected_rows=loaded.rejected,
        evaluation=evaluation,
        rule_titles=titles,
        rejected_history_rows=history.rejected if history else [],
    )
