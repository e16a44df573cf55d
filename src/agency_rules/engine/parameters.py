"""Dated parameters: for every engagement, each rule's parameter values in force on its day and in its region.

A parameter has layers: the ruleset's values (every region), then each overlay's changes (its
region only); the latest layer with a value in force wins, and within a layer the last matching
value. The days where anything changes cut time into intervals, in each of which a region's
resolution is fixed; each (regions, interval) becomes one condition of a when/then chain, so the
look-up is a column expression, not a per-row call.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from ..messages import phrase
from ..regions import REGIONS
from .checks import CHECKS, PARAMETER_WORDS
from .context import DAY
from .rulebook import DatedValue, Overlay, RuleSpec


@dataclass(frozen=True)
class Layer:
    """One file's dated values for a parameter; `region` None for the ruleset's own values."""

    values: tuple[DatedValue, ...]
    set_by: str
    region: str | None


@dataclass(frozen=True)
class Resolution:
    """Values and their evidence in force, or the first parameter that has none (and why)."""

    values: tuple[tuple[str, Any], ...]
    evidence: str
    missing: str | None = None
    unset: str | None = None


def layers_of(spec: RuleSpec, origin: str, overlays: list[Overlay]) -> dict[str, list[Layer]]:
    layers = {name: [Layer(tuple(values), origin, None)] for name, values in spec.params.items()}
    for overlay in overlays:
        for change in overlay.change:
            if change.rule == spec.id and change.param in layers:
                layers[change.param].append(
                    Layer(
                        tuple(change.values),
                        f"overlay {overlay.overlay.id}",
                        overlay.overlay.region,
                    )
                )
    return layers


def resolve(layers: dict[str, list[Layer]], on: date, region: str, floor: date) -> Resolution:
    values: list[tuple[str, Any]] = []
    evidence: dict[str, Any] = {}
    for name, stack in layers.items():
        found = None
        for layer in reversed(stack):
            if layer.region not in (None, region):
                continue
            for item in layer.values:
                start = item.from_ or floor
                if start <= on and (item.to is None or on <= item.to):
                    found = (item, start, layer.set_by)
            if found:
                break
        if found is None:
            return Resolution((), "", missing=name)
        item, start, set_by = found
        if item.unset is not None:
            return Resolution((), "", missing=name, unset=item.unset)
        values.append((name, tuple(item.value) if isinstance(item.value, list) else item.value))
        evidence[name] = {
            "value": item.value,
            "in_force_from": start.isoformat(),
            "to": item.to.isoformat() if item.to else None,
            "set_by": set_by,
        }
    return Resolution(tuple(values), json.dumps(evidence, ensure_ascii=False))


def change_days(layers: dict[str, list[Layer]], floor: date) -> list[date]:
    """The days on which any value of any layer starts or stops being in force (and the floor)."""
    days = {floor}
    for stack in layers.values():
        for layer in stack:
            for item in layer.values:
                if item.from_ and item.from_ > floor:
                    days.add(item.from_)
                if item.to and item.to >= floor and item.to < date.max:
                    days.add(item.to + timedelta(days=1))
    return sorted(days)


@dataclass(frozen=True)
class Segment:
    regions: tuple[str, ...]
    first: date
    last: date | None
    resolution: Resolution

    def condition(self, every_region: bool) -> pl.Expr:
        day = pl.col(DAY)
        condition = day >= self.first
        if self.last is not None:
            condition = condition & (day <= self.last)
        return condition if every_region else condition & pl.col("region").is_in(list(self.regions))


def segments(layers: dict[str, list[Layer]], floor: date) -> list[Segment]:
    """Maximal (regions, interval) pieces with one resolution each."""
    cuts = change_days(layers, floor)
    found: list[Segment] = []
    for index, first in enumerate(cuts):
        last = cuts[index + 1] - timedelta(days=1) if index + 1 < len(cuts) else None
        by_resolution: dict[Resolution, list[str]] = {}
        for region in REGIONS:
            by_resolution.setdefault(resolve(layers, first, region, floor), []).append(region)
        for resolution, regions in by_resolution.items():
            previous = next(
                (
                    s
                    for s in reversed(found)
                    if s.resolution == resolution
                    and s.regions == tuple(regions)
                    and s.last == first - timedelta(days=1)
                ),
                None,
            )
            if previous is not None:
                found[found.index(previous)] = Segment(
                    previous.regions, previous.first, last, resolution
                )
            else:
                found.append(Segment(tuple(regions), first, last, resolution))
    return found


@dataclass(frozen=True)
class Parameters:
    """A rule's parameters as expressions over each engagement's day and region."""

    values: dict[str, pl.Expr]
    evidence: pl.Expr
    unresolved: pl.Expr
    lacking: pl.Expr  # whether `unresolved` says something: asked of every row, where the words are built for a few


def parameters(spec: RuleSpec, layers: dict[str, list[Layer]], floor: date) -> Parameters:
    """The values in force, their evidence (JSON text), and why the rule has no value where it has none."""
    pieces = segments(layers, floor)
    every_region = all(len(s.regions) == len(REGIONS) for s in pieces)
    kinds = CHECKS[spec.check].params

    def chain(value_of: Callable[[Any], Any], dtype: pl.DataType | type[pl.DataType]) -> pl.Expr:
        branches = [(s.condition(every_region), value_of(s.resolution)) for s in pieces]
        if len(branches) == 1:
            return pl.lit(branches[0][1], dtype)
        expression: Any = pl.when(branches[0][0]).then(
            pl.lit(branches[0][1], dtype)
        )  # polars' Then, then ChainedThen
        for condition, value in branches[1:]:
            expression = expression.when(condition).then(pl.lit(value, dtype))
        return expression.otherwise(pl.lit(None, dtype))

    def value_of(name: str) -> Callable[[Any], Any]:
        def value(resolution: Any) -> Any:
            if resolution.missing is not None:
                return None
            found = dict(resolution.values)[name]
            return list(found) if kinds[name].is_list else found

        return value

    values = {name: chain(value_of(name), kinds[name].dtype()) for name in layers}
    missing = chain(
        lambda r: PARAMETER_WORDS.get(r.missing, r.missing) if r.missing else None, pl.String
    )
    why = chain(lambda r: r.unset, pl.String)
    reason = (
        pl.when(why.is_not_null())
        .then(phrase("no figure is set for {} ({})", missing, why))
        .when(missing.is_not_null())
        .then(
            phrase(
                "no value of {} is in force on {}", missing, pl.col(DAY).dt.to_string("%-d %b %Y")
            )
        )
    )
    return Parameters(
        values, chain(lambda r: r.evidence or "{}", pl.String), reason, missing.is_not_null()
    )
