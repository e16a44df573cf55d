"""The Python API: `agency_rules.check(...)` runs one check and returns the Report; the command line is a thin layer over it.

import agency_rules
report = agency_rules.check("engagements.csv", history="history.csv", caps=["caps.toml"])
report.findings        # polars DataFrame, one row per breach, unknown or waived outcome
report.rejected_rows   # polars DataFrame, one row per reason a row was rejected
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TextIO, TypeVar

import polars as pl

from .domain import DEFAULT_RULESET, RETURN_RULESET
from .engine.context import Context, past_roles
from .engine.evaluation import Engine, Evaluation, Selection
from .engine.notices import Notice, said_once
from .engine.rulebook import (
    Overlay,
    Ruleset,
    find_caps,
    find_overlay,
    find_ruleset,
    load_rules,
    rule_titles,
    rules_dir,
)
from .inputs.caps import CapTable, load_caps
from .inputs.columns import (
    ENGAGEMENT_COLUMNS,
    PSEUDONYM_KEY,
    SOURCE_ROW,
    LaCode,
    parse_day,
    read_one,
)
from .inputs.config import ColumnMap, column_map_of, find_config, load_column_map
from .inputs.engagements import Loaded, Raw, parse_engagements, read_history, read_raw
from .inputs.files import InputError, InputFile
from .inputs.waivers import NONE, SignOffs, load_waivers
from .regions import council_names
from .renderers import json_report
from .report import RenderOptions, Report
from .shown import quote
from .tomlfiles import closest
from .worker_ids import mixed_keys
from .written import new_file_mode, refuse_overwriting, write_beside

OPTIONAL_COLUMNS = [c.name for c in ENGAGEMENT_COLUMNS if not c.required]
if TYPE_CHECKING:
    from .engine.checked_contract import CheckedContract
    from .engine.context import ContractBook
    from .explained import Explained
    from .quarterly import Quarter, QuarterlyReturn


Source = str | Path | pl.DataFrame
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Options:
    """The settings of one check: given on the command line or to `check`, completed by a project config with
    `with_config`, read by `run`. A ruleset of None is the default one, or the config's."""

    history: Source | None = None
    ruleset: str | None = None
    overlays: list[str] = field(default_factory=list)
    caps: list[Path] = field(default_factory=list)
    waivers: Path | None = None
    as_of: date | None = None
    column_map: Path | ColumnMap | None = None
    config: Path | None = None
    sheet: str | None = None
    councils: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    contracts: list[Path] = field(default_factory=list)
    horizon: int | None = None  # days after the reference day to list upcoming events in

    @property
    def ruleset_name(self) -> str:
        return self.ruleset or DEFAULT_RULESET

    def with_config(
        self, config: Path | None, folder: Path | None = None
    ) -> tuple[Options, Path | None]:
        """These settings completed by the project config (the one named, else `agency-rules.toml` in `folder`, if
        any): a given ruleset, waivers, history or column map replaces the config's; overlays, caps and contracts
        come after the config's, so a later caps file still replaces earlier entries. Also the config found by
        itself, which a user should be told about (None when it was named or there is none)."""
        given = frozenset(key for key in ("history", "waivers", "column_map") if getattr(self, key))
        found = find_config(config, folder, given=given)
        if found is None:
            return self, None
        file, path = found
        completed = replace(
            self,
            history=self.history or file.history,
            ruleset=self.ruleset or file.ruleset,
            overlays=list(dict.fromkeys([*file.overlays, *self.overlays])),
            caps=[*file.caps, *self.caps],
            waivers=self.waivers or file.waivers,
            column_map=self.column_map or file.column_map,
            config=path,
            contracts=list(dict.fromkeys([*file.contracts, *self.contracts])),
        )
        return completed, None if config is not None else path

    def files(self) -> list[Path]:
        """Every settings file these options name, which an output must never replace."""
        named = [
            self.history,
            *self.caps,
            self.waivers,
            self.column_map,
            self.config,
            *self.contracts,
        ]
        named += [
            Path(name) for name in [self.ruleset or "", *self.overlays] if name.endswith(".toml")
        ]
        return [path for path in named if isinstance(path, Path)]


def _path(source: Source) -> Path | pl.DataFrame:
    return source if isinstance(source, pl.DataFrame) else Path(source)


def check(
    engagements: Source | Sequence[Source],
    *,
    history: Source | Sequence[Source] | None = None,
    ruleset: str | None = None,
    overlays: str | Sequence[str] = (),
    caps: str | Path | Sequence[str | Path] = (),
    waivers: str | Path | None = None,
    as_of: date | str | None = None,
    horizon: int | None = None,
    column_map: str | Path | dict[str, str] | None = None,
    sheet: str | None = None,
    contracts: str | Path | Sequence[str | Path] = (),
    config: str | Path | None = None,
) -> Report:
    """Check engagements (a CSV or workbook path, several paths checked as one run, or a polars DataFrame) against a ruleset and overlays.

    `contracts` (files, or folders of them) links each engagement to the contract its `framework` names;
    `config` names a project config (`agency-rules.toml`) whose settings complete these, as on the command line.
    """
    day = parse_day(as_of) if isinstance(as_of, str) else as_of
    columns = (
        column_map_of(column_map, {}, "column_map")
        if isinstance(column_map, dict)
        else Path(column_map)
        if column_map
        else None
    )
    histories = (
        _one_or_many("history", history, (str, Path, pl.DataFrame), "a path or a DataFrame")
        if history is not None
        else []
    )
    if len(histories) > 1:
        raise InputError(
            "history= takes one history file (a region's pooled leavers feed), not several; combine them into one"
        )
    options = Options(
        history=histories[0] if histories else None,
        ruleset=ruleset,
        overlays=[
            str(o) for o in _one_or_many("overlays", overlays, (str,), "an overlay's name or file")
        ],
        caps=[
            Path(c)
            for c in _one_or_many(
                "caps", caps, (str, Path), "a caps file or a shipped table's name"
            )
        ],
        waivers=Path(waivers) if waivers else None,
        as_of=day,
        horizon=horizon,
        column_map=columns,
        sheet=sheet,
        contracts=[
            Path(c)
            for c in _one_or_many("contracts", contracts, (str, Path), "a contract file or folder")
        ],
    )
    if config is not None:
        options, _ = options.with_config(Path(config))
    given = (
        list(engagements)
        if isinstance(engagements, Sequence) and not isinstance(engagements, str)
        else [engagements]
    )
    sources = [
        source.collect() if isinstance(source, pl.LazyFrame) else source for source in given
    ]  # a lazy frame, made
    for source in sources:
        if not isinstance(source, (str, Path, pl.DataFrame)):
            raise InputError(
                f"engagements must be paths to exports or polars DataFrames, not {type(source).__name__}"
            )
    return run(sources, options)


def _one_or_many(name: str, given: object, kinds: tuple[type, ...], allowed: str) -> list[Any]:
    """One path or name, or a list of them: `caps="eoe-caps.toml"` is one file, never its characters; anything else is refused."""
    items = (
        [given]
        if isinstance(given, kinds)
        else list(given)
        if isinstance(given, (list, tuple))
        else None
    )
    if items is None or not all(isinstance(item, kinds) for item in items):
        odd = (
            type(given).__name__
            if items is None
            else next(type(item).__name__ for item in items if not isinstance(item, kinds))
        )
        raise InputError(f"{name}= takes {allowed}, or a list of them; not {odd}")
    return items


NEXT_STAGE = {
    "setup": "reading the exports",
    "read": "parsing every cell",
    "parse": "checking the rules",
    "rules": "writing the report",
}


@dataclass(frozen=True)
class Setup:
    """Stage 1, the settings loaded: rules, caps, contracts, waivers and column map, and how the report names each file."""

    ruleset: Ruleset
    overlays: list[Overlay]
    caps: CapTable
    contracts: list[CheckedContract] | None
    sign_offs: SignOffs
    column_map: ColumnMap | None
    files: list[InputFile]


@dataclass(frozen=True)
class Parsed:
    """Stages 2 and 3, the inputs read and parsed: each export's typed rows and rejections, and the history."""

    loaded: list[Loaded]
    history: Loaded | None
    engagements: pl.DataFrame
    rejected: pl.DataFrame


def set_up(sources: list[Source], options: Options) -> Setup:
    """Stage 1: refuse an export given twice, load every settings file."""
    if not sources:
        raise InputError("no export given: name one or more files (or DataFrames) to check")
    paths = [str(s) for s in sources if not isinstance(s, pl.DataFrame)]
    repeated = sorted({p for p in paths if paths.count(p) > 1})
    if repeated:
        raise InputError(
            f"{repeated[0]}: the same file is given twice; each export is checked once"
        )
    ruleset, overlays = load_rules(options.ruleset_name, options.overlays)
    cap_files = [find_caps(path) for path in options.caps]
    caps = load_caps(cap_files)
    contracts = (
        _checked_contracts(options.contracts, ruleset, overlays, caps)
        if options.contracts
        else None
    )
    column_map = (
        load_column_map(options.column_map)
        if isinstance(options.column_map, Path)
        else options.column_map
    )
    files = [
        InputFile.setting(find_ruleset(options.ruleset_name), "ruleset", rules_dir()),
        *(
            InputFile.setting(find_overlay(name), "overlay", rules_dir())
            for name in options.overlays
        ),
        *(InputFile.setting(path, "caps", rules_dir()) for path in cap_files),
        *(InputFile.setting(Path(c.path), "contract") for c in contracts or []),
        *(
            InputFile.setting(path, kind)
            for path, kind in (
                (options.waivers, "waivers"),
                (options.column_map, "column_map"),
                (options.config, "config"),
            )
            if isinstance(path, Path)
        ),
    ]
    sign_offs = load_waivers(options.waivers) if options.waivers else NONE
    return Setup(ruleset, overlays, caps, contracts, sign_offs, column_map, files)


def _checked_contracts(
    paths: list[Path], ruleset: Ruleset, overlays: list[Overlay], caps: CapTable
) -> list[CheckedContract]:
    """The contract check is loaded only for a run that names contracts: its models cost a run without them 0.1 s."""
    from .engine.contract_check import check_contracts

    return check_contracts(paths, ruleset, overlays, caps)


def _contract_book(contracts: list[CheckedContract]) -> ContractBook:
    from .engine.contract_book import contract_book

    return contract_book(contracts)


def parse(raws: list[Raw], setup: Setup, options: Options) -> Parsed:
    """Stage 3: every cell parsed; an export given twice under other names refused; the history read."""
    loaded = [parse_engagements(raw, setup.column_map) for raw in raws]
    _refuse_twice(loaded)
    history = (
        read_history(_path(options.history), setup.column_map)
        if options.history is not None
        else None
    )
    engagements = pl.concat([item.table.valid for item in loaded])
    rejected = pl.concat([item.table.errors for item in loaded])
    return Parsed(loaded, history, engagements, rejected)


def evaluate(
    parsed: Parsed,
    setup: Setup,
    options: Options,
    reference_day: date | None = None,
    within: pl.Expr | None = None,
) -> tuple[Engine, Evaluation, Selection]:
    """Stage 4: the rules over every engagement, with past roles, caps and contracts; notices of waivers that match nothing."""
    history = parsed.history
    _refuse_mixed_identifiers(
        [
            *((item.info.path, item.table.valid) for item in parsed.loaded),
            *([(history.info.path, history.table.valid)] if history else []),
        ]
    )
    roles = past_roles(
        parsed.engagements, history.table.valid if history else None, pooled=len(parsed.loaded) > 1
    )
    book = _contract_book(setup.contracts) if setup.contracts is not None else None
    context = Context(setup.caps, roles, contracts=book)
    selection = _selection(options, parsed.engagements, parsed.rejected, setup.column_map)
    if within is not None:  # a quarterly return's assignments
        picked = within if selection.engagements is None else selection.engagements & within
        selection = replace(selection, engagements=picked)
    engine = Engine(
        setup.ruleset,
        setup.overlays,
        context,
        setup.sign_offs,
        options.as_of,
        selection,
        reference_day or options.as_of or date.today(),
        options.horizon,
    )
    evaluation = engine.evaluate(parsed.engagements)
    evaluation.notices += _unmatched_sign_offs(setup.sign_offs, engine, parsed.rejected)
    return engine, evaluation, selection


def _unmatched_sign_offs(
    sign_offs: SignOffs, engine: Engine, rejected: pl.DataFrame
) -> list[Notice]:
    """A waiver or explanation that selects no engagement of the run, or names a rule the run does not have, does
    nothing: said once each, so a misspelt id or an expired file is seen."""
    entries = [("waiver", w) for w in sign_offs.waivers] + [
        ("explanation", e) for e in sign_offs.explanations
    ]
    rejected_ids = set(rejected["engagement_id"].drop_nulls().to_list())
    notices = []
    for index, (kind, entry) in enumerate(entries):
        does = "waives" if kind == "waiver" else "explains"
        if index in engine.matched.no_rule:
            why = f"names rule {entry.rule_id}, which this run does not check"
        elif index in engine.matched.unmatched:
            why = (
                "selects only a rejected row"
                if entry.engagement_id in rejected_ids
                else "matches no engagement in this run"
            )
        else:
            continue
        notices.append(
            said_once(
                entry.rule_id,
                "unmatched_waiver",
                1,
                f"the {kind} {entry.described()} {why}, so it {does} nothing",
            )
        )
    return notices


def assemble(
    parsed: Parsed,
    setup: Setup,
    options: Options,
    engine: Engine,
    evaluation: Evaluation,
    selection: Selection,
    timings: dict[str, float],
) -> Report:
    """Stage 5: the report, with what the exports lack and which rules that leaves on less evidence."""
    loaded, history = parsed.loaded, parsed.history
    present = set().union(*(item.table.present for item in loaded))
    reading = {
        column: [
            r for r in rules if not selection.rules or r in selection.rules
        ]  # --rule: only what that rule reads
        for column, rules in engine.rules_reading().items()
    }
    reading = {column: rules for column, rules in reading.items() if rules}
    evaluation.notices += _assumed_individual(loaded, reading.get("engagement_type", []), selection)
    return Report(
        ruleset=setup.ruleset.ruleset.id,
        overlays=[o.overlay.id for o in setup.overlays],
        as_of=options.as_of,
        inputs=[item.info for item in loaded] + ([history.info] if history else []) + setup.files,
        rows_read=sum(item.table.rows_read for item in loaded),
        rows_checked=parsed.engagements.height,
        rejected_rows=parsed.rejected,
        evaluation=evaluation,
        rule_titles=rule_titles(setup.ruleset, setup.overlays),
        rejected_history_rows=history.table.errors if history else None,
        timings=timings,
        pooled=len(loaded) > 1,
        missing_columns={
            column: reading[column]
            for column in OPTIONAL_COLUMNS
            if column not in present and column in reading
        },
        selection=selection.described,
        checked_by_council=dict(parsed.engagements.group_by("la_code").len().iter_rows()),
        upcoming=evaluation.upcoming,
        reference_day=engine.reference_day,
        horizon=options.horizon,
        checked=(
            parsed.engagements
            if selection.engagements is None
            else parsed.engagements.filter(selection.engagements)
        ).select("file", "engagement_id"),
        source_rows=any(
            SOURCE_ROW in item.table.present for item in [*loaded, *([history] if history else [])]
        ),
    )


def run(
    sources: list[Source], options: Options, on_stage: Callable[[str], None] | None = None
) -> Report:
    """The run as its named stages (setup, read, parse, rules, then the report); each stage's seconds go into
    `report.timings`. `on_stage` hears, in words, each stage as it begins (the command line shows it on a terminal)."""
    return _run(sources, options, on_stage).report


def draft_return(
    sources: list[Source],
    options: Options,
    quarter: Quarter,
    on_stage: Callable[[str], None] | None = None,
) -> QuarterlyReturn:
    """The quarterly return of each council of the exports: the check over the assignments active in the quarter,
    waivers judged on its last day. A pseudonymised export is refused: the DfE asks for registration numbers."""
    if options.ruleset is None:  # the return is a statutory duty: its rules by default
        options = replace(options, ruleset=RETURN_RULESET)
    checked = _run(
        sources, options, on_stage, quarter.last, quarter.active(), refuse=_refuse_pseudonyms
    )
    report, parsed, selection = checked.report, checked.parsed, checked.selection
    picked = quarter.active() if selection.engagements is None else selection.engagements
    councils = selection.councils or tuple(parsed.engagements["la_code"].unique())
    team_recorded = any("engagement_type" in item.table.present for item in parsed.loaded)
    from .quarterly import draft_returns

    return draft_returns(
        report,
        parsed.engagements.filter(picked),
        quarter,
        team_recorded,
        sorted(councils),
    )


def explain_engagement(
    sources: list[Source],
    options: Options,
    engagement_id: str,
    file: str | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Explained:
    """Every rule of the run for one engagement, passes and not-applicables too, each with why (`--file` picks the file
    of a pooled run whose id is in several). The outcomes are the check's: the same run, narrowed to this engagement."""
    wanted = engagement_id.strip()
    if not wanted:
        raise InputError("--engagement is empty: give an engagement_id of the export")
    found: list[str] = []

    def pick(parsed: Parsed) -> None:
        files = parsed.engagements["file"].unique(maintain_order=True).to_list()
        if file is not None:
            named = [f for f in files if f == file or Path(f).name == file]
            if not named:
                raise InputError(
                    f"--file {quote(file)}: no such file in this run; its files are {', '.join(files)}"
                )
            files = named
        rows = parsed.engagements.filter(
            (pl.col("engagement_id") == wanted) & pl.col("file").is_in(files)
        )
        holding = rows["file"].unique(maintain_order=True).to_list()
        if not holding:
            raise InputError(_no_such_engagement(wanted, file, parsed, files))
        if len(holding) > 1:
            raise InputError(
                f"engagement {quote(wanted)} is in {len(holding)} files ({', '.join(holding)}); "
                "name one with --file"
            )
        found.append(holding[0])

    def chosen() -> pl.Expr:
        return (pl.col("engagement_id") == wanted) & (pl.col("file") == found[0])

    checked = _run(sources, options, on_stage, within=None, refuse=pick)
    rows = checked.engine.explain(checked.parsed.engagements, chosen())
    from .explained import explained

    return explained(rows, checked.report)


def _no_such_engagement(wanted: str, file: str | None, parsed: Parsed, files: list[str]) -> str:
    """No engagement of that id: a rejected row of it, else the ids nearest it (the same digits, a part of it, or the
    closest spelling)."""
    rejected = parsed.rejected.filter(pl.col("engagement_id") == wanted)
    if rejected.height:
        first = rejected.row(0, named=True)
        return (
            f"engagement {quote(wanted)} is in a rejected row ({first['file']} row {first['row']}: "
            f"{first['column']}: {first['message']}), so no rule was checked for it"
        )
    ids = (
        parsed.engagements.filter(pl.col("file").is_in(files))["engagement_id"]
        .unique()
        .sort()
        .to_list()
    )
    digits = "".join(ch for ch in wanted if ch.isdigit()).lstrip("0")

    def same_digits(other: str) -> bool:
        return bool(digits) and "".join(ch for ch in other if ch.isdigit()).lstrip("0") == digits

    near = [i for i in ids if same_digits(i) or wanted.lower() in i.lower()][:5] or (
        [match] if (match := closest(wanted, ids)) else []
    )
    where = f" of {file}" if file else ""
    return f"no engagement {quote(wanted)} among the {len(ids)} engagements{where} checked" + (
        f"; did you mean {', '.join(map(quote, near))}?" if near else ""
    )


def _refuse_pseudonyms(parsed: Parsed) -> None:
    for item in parsed.loaded:
        valid = item.table.valid
        pseudonyms = valid.filter(pl.col("worker_id").str.starts_with("P-"))
        why = (
            f"row {pseudonyms['row'][0]} holds a regional pseudonym ({pseudonyms['worker_id'][0]})"
            if pseudonyms.height
            else "it has a source_row column, which only `agency-check pseudonymise` writes"
            if SOURCE_ROW in item.table.present
            else ""
        )
        if why:
            raise InputError(
                f"{item.info.path}: {why}; the DfE return asks for registration numbers, so draft "
                "it from the council's own export"
            )


def in_memory(function: Callable[P, R]) -> Callable[P, R]:
    """Every query of a run on polars' in-memory engine: the streaming engine it picks by default costs about 0.5 ms more
    a query (a one-row run 87 -> 62 ms) and was slower on a million rows too (4.4 s against 5.6 s, same report)."""

    @functools.wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with pl.Config(engine_affinity="in-memory"):
            return function(*args, **kwargs)

    return wrapped


@in_memory
def _run(
    sources: list[Source],
    options: Options,
    on_stage: Callable[[str], None] | None = None,
    reference_day: date | None = None,
    within: pl.Expr | None = None,
    refuse: Callable[[Parsed], None] | None = None,
) -> Checked:
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    tell = on_stage or (lambda _: None)
    tell("loading the rules")

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        clock = now
        tell(NEXT_STAGE[stage])

    setup = set_up(sources, options)
    lap("setup")
    raws = [
        read_raw(_path(source), column_map=setup.column_map, sheet=options.sheet)
        for source in sources
    ]
    lap("read")
    parsed = parse(raws, setup, options)
    del raws
    if refuse is not None:
        refuse(parsed)
    lap("parse")
    engine, evaluation, selection = evaluate(parsed, setup, options, reference_day, within)
    lap("rules")
    report = assemble(parsed, setup, options, engine, evaluation, selection, timings)
    return Checked(report, parsed, selection, engine)


@dataclass(frozen=True)
class Checked:
    """A run's report with what it was made from, for the commands built on a check (return, explain)."""

    report: Report
    parsed: Parsed
    selection: Selection
    engine: Engine


@in_memory
def write_json(report: Report, target: str | Path | TextIO) -> None:
    """The data contract's JSON report written to a path or an open text file a slice of findings at a time: a report
    of any size in bounded memory, where `report.as_json()` holds every finding as a Python dict."""
    if isinstance(
        target, (str, Path)
    ):  # whole or not at all, and never over an input, a link or a device, as the command line
        path = Path(target)
        if str(target).endswith(("/", os.sep)) or path.is_dir():
            raise InputError(f"{target}: write_json names a folder; give a file's name")
        refuse_overwriting([Path(item.path) for item in report.inputs], path, "write_json")
        mode = path.stat().st_mode & 0o777 if path.exists() else new_file_mode()
        os.replace(
            write_beside(path, lambda out: json_report.render(report, RenderOptions(), out), mode),
            path,
        )
    else:
        json_report.render(report, RenderOptions(), target)


def _refuse_twice(loaded: list[Loaded]) -> None:
    """One export given twice (another path to it, a link, a copy, a copy saved with other line endings, encoding,
    header case, column order or an extra column, the same frame, a frame read from the file) would have every count
    doubled: the engagements read from each, and the reasons its rows were rejected, are compared, not the bytes."""
    if len(loaded) < 2:
        return  # one export cannot be given twice; hashing a million rows to show it took 0.6 s
    labels: dict[tuple[int, ...], list[str]] = {}
    for item in loaded:
        valid = item.table.valid.select(
            pl.exclude("row", "file").cast(pl.String)
        )  # categories hash apart from text
        errors = item.table.errors.select(
            pl.col("engagement_id", "la_code", "column", "value", "message").cast(pl.String)
        )
        if valid.height + errors.height == 0:
            continue  # two exports of nothing are not one export
        key = (
            valid.height,
            errors.height,
            *(
                frame.hash_rows().sort().implode().hash(seed).item() if frame.height else 0
                for frame in (valid, errors)
                for seed in (1, 2)
            ),
        )
        labels.setdefault(key, []).append(item.info.path)
    for named in labels.values():
        if len(named) > 1:
            first, second = named[0], named[1]
            what = (
                "the same rows are given twice (one DataFrame twice, or two equal ones)"
                if first == second
                else f"{first} and {second} hold the same export"
            )
            raise InputError(
                f"{what}: checked together, every engagement in it would count twice; give it once"
            )


def _assumed_individual(
    loaded: list[Loaded], rules: list[str], selection: Selection
) -> list[Notice]:
    """An export without engagement_type has every engagement taken as individual, the data contract's default: said once
    per file, counting the engagements reported, since a project team's members would then pass the project-team rule unseen."""
    counts = {
        item.info.path: item.table.valid.height
        if selection.engagements is None
        else item.table.valid.filter(selection.engagements).height
        for item in loaded
        if "engagement_type" not in item.table.present
    }
    return [
        said_once(
            rule_id,
            "assumed_individual",
            count,
            f"{path} has no engagement_type column, so each was taken as individual (the default); "
            "a project team's members pass only where the export says they are one",
        )
        for path, count in counts.items()
        if count
        for rule_id in rules
    ]


def _refuse_mixed_identifiers(tables: list[tuple[str, pl.DataFrame]]) -> None:
    """Registration numbers and pseudonyms never match each other, so a run holding both would miss every cross-file role."""
    kinds: dict[str, list[str]] = {"registration numbers": [], "pseudonyms": []}
    for path, table in tables:
        found = table.select(
            pl.col("worker_id").str.starts_with("SW").any().alias("sw"),
            pl.col("worker_id").str.starts_with("P-").any().alias("p"),
        ).row(0)
        for kind, present in zip(kinds, found):
            if present:
                kinds[kind].append(path)
    keys: dict[str, list[str]] = {}
    for path, table in tables:
        if PSEUDONYM_KEY in table.columns:
            for named in table[PSEUDONYM_KEY].drop_nulls().unique().sort().to_list():
                keys.setdefault(named, []).append(path)
    mixed = mixed_keys(
        keys,
        "files were",
        ", so a worker would be missed across files (a cooling-off breach between councils, say)",
    )
    if mixed:
        raise InputError(mixed)
    if all(kinds.values()):
        raise InputError(
            f"Social Work England registration numbers ({', '.join(kinds['registration numbers'])}) and pseudonyms "
            f"({', '.join(kinds['pseudonyms'])}) are mixed in one run; they can never match, so a worker would be missed across files. "
            "Pseudonymise every file with the region's key (agency-check pseudonymise), or check the raw files only"
        )


def _refuse_unknown_agencies(asked: list[str], engagements: pl.DataFrame) -> None:
    """An --agency no checked engagement has is a misspelling far more often than an answer, so it is refused with the names there are."""
    agencies = (
        engagements.select(pl.col("agency").str.strip_chars().drop_nulls().unique().sort())
        .to_series()
        .to_list()
        if asked
        else []
    )
    known = {name.lower() for name in agencies}
    for name in asked:
        if name.strip().lower() not in known:
            match = next((a for a in sorted(known) if name.strip().lower() in a), None) or closest(
                name, known
            )
            more = f" and {len(agencies) - 20} more" if len(agencies) > 20 else ""
            listed = ", ".join(map(quote, agencies[:20])) + more
            suggestion = (
                f" (did you mean {quote(next(a for a in agencies if a.lower() == match))}?)"
                if match
                else ""
            )
            raise InputError(
                f"--agency {name!r}: no checked engagement has that agency{suggestion}; "
                + (f"the agencies are: {listed}" if agencies else "the export records no agency")
            )


def _refuse_unknown_councils(
    asked: list[str], codes: list[str], engagements: pl.DataFrame, rejected: pl.DataFrame
) -> None:
    """A --council no engagement of the run is in (checked, or rejected with its council read) would report nothing, which
    reads as a clean bill: refused with the councils there are."""
    present = (
        pl.concat([engagements["la_code"], rejected["la_code"].drop_nulls()])
        .unique()
        .sort()
        .to_list()
        if codes
        else []
    )
    names = council_names()
    for text, code in zip(asked, codes, strict=True):
        if code not in present:
            listed = ", ".join(f"{names[c]} ({c})" for c in present[:20]) + (
                f" and {len(present) - 20} more" if len(present) > 20 else ""
            )
            raise InputError(
                f"--council {text!r} ({names[code]}, {code}): no checked engagement is that council's; "
                + (f"the councils are: {listed}" if present else "no engagement was checked")
            )


def _selection(
    options: Options,
    engagements: pl.DataFrame,
    rejected: pl.DataFrame,
    column_map: ColumnMap | None,
) -> Selection:
    """--council (codes or names, or the column map's own words for a council), --agency (any case) and --rule as what the report covers."""
    words = column_map.values.get("la_code", {}) if column_map else {}
    try:
        codes = [
            str(read_one(LaCode(pl.String), words.get(text.strip().lower(), text)))
            for text in options.councils
        ]
    except ValueError as error:
        raise InputError(f"--council {error}") from None
    _refuse_unknown_councils(options.councils, codes, engagements, rejected)
    _refuse_unknown_agencies(options.agencies, engagements)
    picks = []
    if codes:
        picks.append(pl.col("la_code").is_in(codes))
    if options.agencies:
        picks.append(
            pl.col("agency")
            .str.strip_chars()
            .str.to_lowercase()
            .is_in([a.strip().lower() for a in options.agencies])
        )
    names = council_names()
    described = "; ".join(
        part
        for part in (
            "council " + " or ".join(names[c] for c in codes) if codes else "",
            "agency " + " or ".join(options.agencies) if options.agencies else "",
            "rule " + ", ".join(r.upper() for r in options.rules) if options.rules else "",
        )
        if part
    )
    return Selection(
        tuple(r.upper() for r in options.rules),
        pl.all_horizontal(picks) if picks else None,
        described,
        tuple(codes),
    )
