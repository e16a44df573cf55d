"""One check run: load the rules and inputs, evaluate, and assemble the report.

A large export is split into byte ranges checked by forked processes (one per core), and their
results are merged in file order; a small one, or one that cannot be split safely, is checked in
this process. Either way the report is the same.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from array import array
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .caps import load_caps
from .csvfile import Part
from .evaluation import Context, Engine, Evaluation
from .loading import EngagementReader, RejectedRow, read_history
from .report import Report
from .rulebook import (
    Overlay,
    Ruleset,
    Strict,
    check_overlay_fits,
    find_overlay,
    find_ruleset,
    load_model,
    load_overlay,
    load_ruleset,
)
from .waivers import load_waivers

DEFAULT_RULESET = "consultation-2023"
PARALLEL_FROM_BYTES = 8 << 20


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
    workers: int = 0


def load_rules(ruleset_name: str, overlay_names: list[str]) -> tuple[Ruleset, list[Overlay]]:
    ruleset = load_ruleset(find_ruleset(ruleset_name))
    overlays = []
    for name in overlay_names:
        path = find_overlay(name)
        overlay = load_overlay(path)
        check_overlay_fits(overlay, ruleset, path)
        overlays.append(overlay)
    return ruleset, overlays


class ColumnMap(Strict):
    """A `[columns]` table of export header → contract column, for HR systems with their own names."""

    columns: dict[str, str]


def load_column_map(path: Path | None) -> dict[str, str] | None:
    return None if path is None else load_model(path, ColumnMap, "column").columns


@dataclass
class PartResult:
    evaluation: Evaluation
    rejected: list[RejectedRow]
    read: int
    records: int
    checked: int
    id_hashes: array


def check_part(reader: EngagementReader, engine: Engine) -> PartResult:
    """Check one range; its engagement ids travel back as hashes, enough to see a duplicate across ranges."""
    evaluation = engine.evaluate(reader)
    hashes = array("q", map(hash, reader.first_row))
    return PartResult(evaluation, reader.rejected, reader.rows.read, reader.rows.records, reader.checked, hashes)


_JOB: tuple[EngagementReader, Engine] | None = None


def _check_forked(part: Part) -> PartResult:
    assert _JOB is not None
    reader, engine = _JOB
    return check_part(EngagementReader(reader.file, reader.shape, part), engine)


def merge(results: list[PartResult]) -> PartResult:
    """Results of consecutive ranges as one: row numbers shifted by the records before each range."""
    first = results[0]
    offset = first.records
    for result in results[1:]:
        result.evaluation.findings = [f._replace(row=f.row + offset) for f in result.evaluation.findings]
        for rejected in result.rejected:
            rejected.row += offset
        first.evaluation.merge(result.evaluation)
        first.rejected += result.rejected
        first.read += result.read
        first.checked += result.checked
        offset += result.records
    first.records = offset
    return first


def check_engagements(reader: EngagementReader, engine: Engine, workers: int) -> PartResult:
    global _JOB
    parts = reader.parts(workers) if workers > 1 and reader.file.size >= PARALLEL_FROM_BYTES else []
    if len(parts) < 2:
        return check_part(reader, engine)
    _JOB = (reader, engine)
    try:
        with multiprocessing.get_context("fork").Pool(len(parts)) as pool:
            results = pool.map(_check_forked, parts)
    finally:
        _JOB = None
    seen: set[int] = set()
    for result in results:
        hashes = set(result.id_hashes)
        if not hashes.isdisjoint(seen):
            # an id used in two ranges (or two ids with one hash): only one pass can say which row came first
            return check_part(EngagementReader(reader.file, reader.shape), engine)
        seen |= hashes
    return merge(results)


def run_check(options: CheckOptions) -> Report:
    """Check with the cyclic garbage collector paused: a run builds millions of short-lived tuples and no cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_check(options)
    finally:
        if collecting:
            gc.enable()


def _run_check(options: CheckOptions) -> Report:
    ruleset, overlays = load_rules(options.ruleset, options.overlays)
    context = Context(caps=load_caps(options.caps))
    waivers = load_waivers(options.waivers) if options.waivers else {}
    column_map = load_column_map(options.column_map)
    history = read_history(options.history, column_map) if options.history else None
    if history is not None:
        context.history = history.roles
    reader = EngagementReader.open(options.engagements, column_map)
    engine = Engine(ruleset, overlays, context, waivers, options.as_of)
    workers = options.workers or min(2, os.cpu_count() or 1)
    result = check_engagements(reader, engine, workers)
    titles = {r.id: r.title for r in ruleset.rule} | {r.id: r.title for o in overlays for r in o.rule}
    inputs = [reader.info(result.read)] + ([history.info] if history and history.info else [])
    return Report(
        ruleset=ruleset.ruleset.id,
        overlays=[o.overlay.id for o in overlays],
        as_of=options.as_of,
        inputs=inputs,
        rows_read=result.read,
        rows_checked=result.checked,
        rejected_rows=result.rejected,
        evaluation=result.evaluation,
        rule_titles=titles,
        rejected_history_rows=history.rejected if history else [],
    )
