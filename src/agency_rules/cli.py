"""The command line: `agency-check ENGAGEMENTS.csv` (the default command) and `agency-check rules`."""

from __future__ import annotations

import difflib
import filecmp
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar, cast

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from .domain import BREACH, DEFAULT_RULESET, UNKNOWN
from .errors import AgencyRulesError, InputError
from .help_text import PlainCommand, PlainGroup
from .renderers import (
    BOARD_RENDERERS,
    COLUMNS_RENDERERS,
    CONTRACT_RENDERERS,
    DIFF_RENDERERS,
    EXPLAIN_RENDERERS,
    RENDERERS,
    RETURN_RENDERERS,
    RULES_RENDERERS,
)
from .renderers.printable import printable
from .renderers.terminal import broken_pipe, drop_stdout
from .shown import quote
from .version import __version__
from .written import new_file_mode, refuse_overwriting, write_beside

if TYPE_CHECKING:
    import polars as pl

    from .api import Options
    from .pseudonyms import Pseudonymised
    from .report import RenderOptions

EXAMPLES = """\b
Examples:
  agency-check engagements.csv
  agency-check export.xlsx --column-map map.toml --caps caps.toml -o report.xlsx

\b
Exit status:
  0  every row read and no breach
  1  at least one breach (or unknown, with --fail-on unknown)
  2  could not run: a usage error, or a file that cannot be read
  3  no breach, but some rows were rejected"""

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # errors and help in plain text (help_text.py draws the help)
    cls=PlainGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="Check agency child and family social worker engagements against the national agency rules and regional MoUs.",
    epilog=EXAMPLES,
)


class Command(PlainCommand):
    """Every error a user can fix, from any command, said in one place: one plain line, exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AgencyRulesError as error:
            raise fail(str(error)) from None


SHORT = {  # each command in a line of the top-level help
    "check": "Check engagements against the rules (the default command).",
    "rules": "List the rules, or explain one.",
    "columns": "Show how an export's headers and values will be read.",
    "pseudonymise": "Replace registration numbers by regional pseudonyms.",
    "summary": "Combine councils' reports into a board summary.",
    "contract": "Check contracts' terms and rate cards.",
    "return": "Draft the DfE quarterly agency data return.",
    "explain": "Say why each rule gave one engagement its outcome.",
    "diff": "Compare two check reports: what changed.",
}
COMMANDS = tuple(SHORT)
EXIT_ERROR = 2
E = TypeVar("E", bound=Enum)
COLUMN_MAP_HELP = "A TOML file whose [columns] table maps the export's headers to the contract's columns, and [values.COLUMN] tables its words."


# Options several commands share, declared once
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Say nothing on stderr but errors.")]
ColumnMapFile = Annotated[
    Path | None, typer.Option("--column-map", metavar="FILE", help=COLUMN_MAP_HELP)
]
SheetName = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="NAME", help="The workbook sheet to read (default: the first)."
    ),
]
RulesetName = Annotated[
    str, typer.Option("--ruleset", metavar="NAME", help="consultation-2023 or statutory-2024.")
]
HistoryFile = Annotated[
    Path | None,
    typer.Option(
        "--history",
        metavar="FILE",
        help="Past roles of workers (history.csv), for cooling-off.",
    ),
]
RulesetChoice = Annotated[
    str | None,
    typer.Option(
        "--ruleset",
        metavar="NAME",
        help="consultation-2023 (default) or statutory-2024 (or a path to a ruleset .toml).",
    ),
]
OverlayNames = Annotated[
    list[str],
    typer.Option(
        "--overlay",
        metavar="NAME",
        help="Regional overlay: london, south-east, west-midlands (repeatable).",
    ),
]
CapsFiles = Annotated[
    list[Path],
    typer.Option(
        "--caps",
        metavar="FILE",
        help="Caps file (TOML), or a shipped table by name (london-2016); repeatable, later files replace earlier entries.",
    ),
]
WaiversFile = Annotated[
    Path | None,
    typer.Option("--waivers", metavar="FILE", help="Waivers and explanations file (TOML)."),
]
ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Project config file (default: agency-rules.toml in this folder, if there is one).",
    ),
]
Councils = Annotated[
    list[str],
    typer.Option(
        "--council",
        metavar="NAME",
        help="Report only this council's engagements (ONS code or name; repeatable).",
    ),
]
ContractFiles = Annotated[
    list[Path],
    typer.Option(
        "--contracts",
        metavar="FILE_OR_DIR",
        help="Contract files (TOML), or folders of them: each engagement is held against the contract its framework names (repeatable).",
    ),
]
ReportFile = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file instead of the terminal.",
    ),
]
Overlays = Annotated[
    list[str], typer.Option("--overlay", metavar="NAME", help="Regional overlay (repeatable).")
]


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"
    xlsx = "xlsx"


SUFFIXES = {
    ".json": Format.json,
    ".csv": Format.csv,
    ".md": Format.md,
    ".html": Format.html,
    ".htm": Format.html,
    ".xlsx": Format.xlsx,
    ".txt": Format.table,
}


def to_file(output: Path | None) -> Path | None:
    """The file a report goes to: `-o -` is standard output, as for every command, not a file named -."""
    return None if output is not None and str(output) == "-" else output


def report_format(
    chosen: Format | None, output: Path | None, offered: tuple[Format, ...] = tuple(Format)
) -> Format:
    """--format, else the --output file's extension, else the terminal table; a format the extension contradicts is refused,
    and so is one this report does not come in (`offered`)."""
    implied = SUFFIXES.get(output.suffix.lower()) if output else None
    if chosen is not None and chosen not in offered:
        raise fail(
            f"--format {chosen.value}: this report comes as {', '.join(f.value for f in offered)}"
        )
    if implied is not None and implied not in offered:
        raise fail(
            f"--output {output}: this report does not come as {implied.value}; it comes as {', '.join(f.value for f in offered)}"
        )
    if chosen and implied and chosen is not implied:
        raise fail(
            f"--output {output} looks like {implied.value} but --format is {chosen.value}; give a matching extension or leave --format out"
        )
    if (
        output is not None and output.suffix and implied is None
    ):  # with --format too: report.pdf holding JSON misleads
        known = ", ".join(sorted(suffix for suffix, kind in SUFFIXES.items() if kind in offered))
        raise fail(
            f"--output {output}: no report format has the extension {output.suffix!r} ({known}); give one of those"
            + ("" if chosen else ", or --format with a file of no extension")
        )
    result = chosen or implied or Format.table
    if result is Format.xlsx and output is None:
        raise fail("--format xlsx writes a workbook, which needs --output FILE.xlsx")
    return result


class GroupBy(str, Enum):
    council = "council"
    agency = "agency"


class FailOn(str, Enum):
    breach = "breach"
    unknown = "unknown"


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner on standard error naming the stage a run is in, when standard error is a terminal; it leaves no trace."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("starting")
        yield lambda stage: bar.update(task, description=stage)


def fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text.assemble(("agency-check: error:", "bold red"), " ", printable(message))
    )
    return typer.Exit(EXIT_ERROR)


def refuse_existing(targets: list[Path], option: str) -> None:
    """Every name taken already, said at once (a council's raw export left in the folder is one of them)."""
    taken = [target for target in targets if target.exists() or target.is_symlink()]
    if taken:
        raise InputError(
            f"{', '.join(map(str, taken))}: already {'exists' if len(taken) == 1 else 'exist'}, and {option} never has a"
            " file replaced (it may be a council's raw export or an earlier run's output); move "
            f"{'it' if len(taken) == 1 else 'them'}, or give another {option}"
        )


def write_new_files(files: list[tuple[Path, Callable[[TextIO], None]]], option: str) -> list[Path]:
    """Write each file whole beside its name, then give every one its name, never over a file already there; the names
    found holding, byte for byte, what this run writes (kept, not written again).

    A name is given by a hard link, which fails where anything has the name, so nothing is ever replaced; a run stopped by
    anything that can be caught leaves no file under any of the names. A kill that cannot be caught, in the moment
    between two names, can leave some named: each holds exactly what the run writes, so the same command run again
    keeps them and names the rest (at worst a hidden .partial file is left).
    """
    written: list[Path] = []
    named: list[Path] = []
    kept: list[Path] = []
    folder = files[0][0].parent if files else Path()
    try:
        for target, write in files:
            folder = target.parent
            written.append(write_beside(target, write, new_file_mode()))
        present = [target for target, _ in files if target.exists() or target.is_symlink()]
        kept = [
            target
            for (target, _), temporary in zip(files, written)
            if target in present and _same_bytes(target, temporary)
        ]
        refuse_existing([target for target in present if target not in kept], option)
        for (target, _), temporary in zip(files, written):
            if target in kept:
                continue
            try:
                os.link(temporary, target)
            except FileExistsError:
                refuse_existing([target], option)
            named.append(target)
        named.clear()  # every file has its name: none is taken back
    except OSError as error:
        raise InputError(
            f"cannot write in {option} {folder} ({error.strerror or error}); nothing was written"
        ) from None
    finally:
        for path in [*named, *written]:
            path.unlink(missing_ok=True)
    return kept


def _same_bytes(target: Path, temporary: Path) -> bool:
    """Whether a regular file (not a link) already holds exactly these bytes."""
    return (
        target.is_file()
        and not target.is_symlink()
        and filecmp.cmp(target, temporary, shallow=False)
    )


def write_atomically(output: Path, write: Callable[[TextIO], None]) -> None:
    """Write beside the target, then rename into place: a failure or interrupt leaves any old report whole."""
    folder = output.parent
    if not folder.is_dir():
        raise fail(
            f"{output}: the folder {folder} {'is not a folder' if folder.exists() else 'does not exist'}; make it"
            " first, or give another --output (nothing was written)"
        )
    try:
        written = write_beside(
            output, write, output.stat().st_mode & 0o777 if output.exists() else new_file_mode()
        )
        try:
            os.replace(written, output)
        except OSError:
            written.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise fail(
            f"{output}: cannot write the report ({error.strerror or error}); any previous report there is unchanged"
        ) from None


def settled(
    engagements: list[Path], given: Options, config: Path | None, output: Path | None, quiet: bool
) -> Options:
    """A run's settings: an output that would replace an input refused, then completed by the project config (said
    on stderr when found by itself), and refused again for what the config names."""
    refuse_overwriting([*engagements, *given.files(), config], output)
    options, found = given.with_config(config)
    if found is not None and not quiet:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            printable(f"using project config {found}"), markup=False
        )
    refuse_overwriting([*engagements, *options.files()], output)
    return options


def layout_for(output: Path | None, chosen: Format, **more: Any) -> RenderOptions:
    """Colour and the terminal's width for a table on the terminal; a fixed width for a file or a pipe's other formats."""
    from .report import RenderOptions

    to_terminal = output is None and chosen is Format.table
    return RenderOptions(
        color=to_terminal and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        width=Console().width if to_terminal else 160,
        **more,
    )


def deliver(write: Callable[[TextIO], None], output: Path | None, announce: str | None) -> None:
    """A report to standard output (a reader that stops early is not this run's failure), or to a file, whole, then announced."""
    if output is None:
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except OSError as error:
            if not broken_pipe(error):
                raise
            drop_stdout()
        return
    write_atomically(output, write)
    if announce:
        # one line, whatever the width: in a log, a line broken at 80 columns breaks mid-sentence
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            printable(announce), markup=False
        )


def as_of_day(value: object) -> date:
    from .inputs.columns import parse_day

    if isinstance(value, date):
        return value
    try:
        return parse_day(str(value))
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


AsOfDay = Annotated[
    date | None,
    typer.Option(
        "--as-of",
        parser=as_of_day,
        metavar="DAY",
        help="Use the parameter values in force on this day for every engagement, and judge waivers on it (default: today).",
    ),
]


def whole_number(value: object) -> int:
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise typer.BadParameter(f"{printable(text)!r} is not a whole number of 0 or more")
    return int(text)


MAX_HORIZON = 3660  # ten years of days: further than any cap table or waiver looks


def horizon_days(value: object) -> int:
    days = whole_number(value)
    if days > MAX_HORIZON:
        raise typer.BadParameter(f"{days} days is more than {MAX_HORIZON} (ten years)")
    return days


def one_of(kind: type[E]) -> Callable[[object], E]:
    """Parses an option into its enum; typer's own check words a refusal as a Python 'Value error'."""
    names = ", ".join(member.value for member in kind)

    def parse(value: object) -> E:
        if isinstance(value, kind):
            return value
        try:
            return kind(str(value).lower())
        except ValueError:
            raise typer.BadParameter(f"{printable(str(value))!r} is not one of {names}") from None

    return parse


def choices(members: Iterable[Enum]) -> str:
    """An option's values for its help, '[table|json|…]': an Enum's, or the formats one report comes in."""
    return "[" + "|".join(member.value for member in members) + "]"


@app.command(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXAMPLES,
    short_help=SHORT["check"],
    cls=Command,
)
def check(
    engagements: Annotated[
        list[Path],
        typer.Argument(
            help="The engagements export: CSV or a workbook (.xlsx, .xlsm, .xls, .ods); several files are checked as one run.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    sheet: SheetName = None,
    history: HistoryFile = None,
    ruleset: RulesetChoice = None,
    overlay: OverlayNames = [],
    caps: CapsFiles = [],
    waivers: WaiversFile = None,
    contracts: ContractFiles = [],
    as_of: AsOfDay = None,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            parser=one_of(Format),
            metavar=choices(Format),
            help="Report format (default: from the --output extension, else table).",
        ),
    ] = None,
    output: ReportFile = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            parser=one_of(FailOn),
            metavar=choices(FailOn),
            help="'unknown' makes unknown outcomes exit 1 like breaches.",
        ),
    ] = FailOn.breach,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            parser=whole_number,
            metavar="N",
            help="Findings shown per rule in table/md/html (0 = all).",
        ),
    ] = 20,
    column_map: ColumnMapFile = None,
    config: ConfigFile = None,
    timings: Annotated[
        bool,
        typer.Option(
            "--timings",
            help="Print the seconds each stage took (setup, read, parse, rules, report) to stderr.",
        ),
    ] = False,
    quiet: Quiet = False,
    council: Councils = [],
    agency: Annotated[
        list[str],
        typer.Option(
            "--agency",
            metavar="NAME",
            help="Report only this agency's engagements (any case; repeatable).",
        ),
    ] = [],
    rule: Annotated[
        list[str], typer.Option("--rule", metavar="ID", help="Report only this rule (repeatable).")
    ] = [],
    horizon: Annotated[
        int | None,
        typer.Option(
            "--horizon",
            parser=horizon_days,
            metavar="DAYS",
            help="Also list the dated events of the next DAYS days from --as-of (else today) that need no new data: waivers expiring, caps changing, legacy engagements coming under the statutory rules, cooling-off windows closing.",
        ),
    ] = None,
    group_by: Annotated[
        GroupBy | None,
        typer.Option(
            "--group-by",
            parser=one_of(GroupBy),
            metavar=choices(GroupBy),
            help="Group the table and Markdown findings by council or agency.",
        ),
    ] = None,
) -> None:
    """Check an engagements export, CSV or workbook (the default command: `agency-check engagements.csv`)."""
    from .api import Options, run
    from .report import headline

    output = to_file(output)
    given = Options(
        history=history,
        ruleset=ruleset,
        overlays=list(overlay),
        caps=list(caps),
        waivers=waivers,
        as_of=as_of,
        column_map=column_map,
        sheet=sheet,
        councils=list(council),
        agencies=list(agency),
        rules=list(rule),
        contracts=list(contracts),
        horizon=horizon,
    )
    options = settled(engagements, given, config, output, quiet)
    output_format = report_format(output_format, output)
    with progress(quiet) as on_stage:
        report = run(list(engagements), options, on_stage)
    render = RENDERERS[output_format.value]
    layout = layout_for(
        output, output_format, limit=limit, group_by=group_by.value if group_by else None
    )
    started = time.perf_counter()
    deliver(
        lambda handle: render(report, layout, handle),
        output,
        None if quiet else f"report written to {output}: {headline(report)}",
    )
    if timings:
        stages = {**report.timings, "report": time.perf_counter() - started}
        print(
            "timings: " + " ".join(f"{stage}={seconds:.3f}s" for stage, seconds in stages.items()),
            file=sys.stderr,
        )
    raise typer.Exit(report.exit_status(fail_on is FailOn.unknown))


VIEW_FORMATS = (Format.table, Format.json)

ViewFormat = Annotated[
    Format | None,
    typer.Option(
        "--format",
        parser=one_of(Format),
        metavar=choices(VIEW_FORMATS),
        help="table (default) or json.",
    ),
]


def view_options() -> RenderOptions:
    """The terminal's width (COLUMNS, else the terminal's own), as the check's table uses it."""
    from .report import RenderOptions

    return RenderOptions(width=Console().width)


@app.command(short_help=SHORT["rules"], cls=Command)
def rules(
    rule_id: Annotated[
        str | None, typer.Argument(help="A rule id, e.g. COOL001, to explain.")
    ] = None,
    ruleset: RulesetName = DEFAULT_RULESET,
    overlay: Overlays = [],
    output_format: ViewFormat = None,
) -> None:
    """List the rules of a ruleset and overlays, or explain one: what it requires, its source, its parameters by date."""
    from .engine.rulebook import load_rules
    from .rules_view import explain_rule, list_rules

    chosen = report_format(output_format, None, VIEW_FORMATS)
    loaded, overlays = load_rules(ruleset, list(overlay))
    view = (
        list_rules(loaded, overlays)
        if rule_id is None
        else explain_rule(loaded, overlays, rule_id.upper())
    )
    if view is None:
        raise fail(f"no rule {rule_id} in {loaded.ruleset.id}; `agency-check rules` lists them")
    deliver(lambda out: RULES_RENDERERS[chosen.value](view, view_options(), out), None, None)


@app.command(short_help=SHORT["columns"], cls=Command)
def columns(
    export: Annotated[
        Path | None,
        typer.Argument(
            help="An engagements export (CSV or workbook).", show_default=False, metavar="FILE"
        ),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            metavar="FILE",
            help="A history file of past roles, read as --history reads it.",
        ),
    ] = None,
    column_map: ColumnMapFile = None,
    sheet: SheetName = None,
    ruleset: RulesetName = DEFAULT_RULESET,
    overlay: Overlays = [],
    output_format: ViewFormat = None,
) -> None:
    """Show how an export's (or a history file's) headers and values will be read, which contract columns it lacks, and which rules those leave without data."""
    from .columns_view import view_columns
    from .inputs.config import load_column_map

    if export is None and history is None:
        raise fail(
            "name an export (agency-check columns FILE), a history file (--history FILE), or both"
        )
    chosen = report_format(output_format, None, VIEW_FORMATS)
    loaded_map = load_column_map(column_map) if column_map else None
    views = [
        view_columns(path, loaded_map, sheet, ruleset, list(overlay), history=is_history)
        for path, is_history in ((export, False), (history, True))
        if path is not None
    ]
    deliver(lambda out: COLUMNS_RENDERERS[chosen.value](views, view_options(), out), None, None)
    refused = [
        f"a check would refuse {view.label}: " + "; and ".join(view.problems)
        for view in views
        if view.problems
    ]
    if refused:
        raise fail("; ".join(refused))


@app.command(short_help=SHORT["pseudonymise"], cls=Command)
def pseudonymise(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Engagements exports or history files (CSV or workbook).",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            metavar="KEY",
            help="The region's secret key: 32 random bytes as 64 hex digits or 44 base64 characters, its owner's only.",
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            metavar="DIR",
            help="Where to write each file's pseudonymised CSV (same name, .csv); made if missing; nothing in it is "
            "replaced.",
        ),
    ] = None,
    new_key: Annotated[
        Path | None,
        typer.Option(
            "--new-key",
            metavar="KEY",
            help="Write a fresh random key here, readable by you only, and stop.",
        ),
    ] = None,
    column_map: ColumnMapFile = None,
    sheet: SheetName = None,
    passphrase: Annotated[
        bool,
        typer.Option(
            "--passphrase",
            help="The key file holds a passphrase (20 characters or more), not a random key: weaker; --new-key is better.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Say nothing on stderr but errors and warnings about the key.",
        ),
    ] = False,
) -> None:
    """Replace Social Work England numbers by the region's keyed pseudonyms, writing only the data contract's columns."""
    from .inputs.config import load_column_map
    from .inputs.files import given_twice, same_file
    from .pseudonyms import fingerprint, read_key
    from .pseudonyms import new_key as make_key
    from .pseudonyms import pseudonymise as pseudonymise_file

    say = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
    if new_key is not None:
        if files or key_file or passphrase:
            raise InputError(
                "--new-key makes a random key and stops; run again with --key-file to pseudonymise"
            )
        make_key(new_key)
        if not quiet:
            say.print(
                printable(
                    f"wrote a new key to {new_key}, readable by you only; keep it where only the region's analysts can read it"
                )
            )
        return
    if not files or key_file is None or output_dir is None:
        missing = [
            words
            for words, given in (
                ("the files", files),
                ("--key-file KEY", key_file),
                ("--output-dir DIR", output_dir),
            )
            if not given
        ]
        folders = [str(path) for path in files or [] if path.is_dir()]
        raise InputError(
            f"missing {' and '.join(missing)}: pseudonymise needs the files, --key-file KEY and --output-dir DIR"
            " (or --new-key KEY to make a key)"
            + (
                f"; {folders[0]} is a folder: did you mean --output-dir {folders[0]}?"
                if folders and output_dir is None
                else ""
            )
        )
    if any(str(path) == "-" for path in files):
        raise InputError(
            "pseudonymise reads named files, not standard input: each output is named after its input"
        )
    for path in files:
        if same_file(path, key_file):
            raise InputError(
                f"{path}: is the --key-file, a key, not an export; its content is not shown"
            )
    twice = given_twice(files)
    if twice is not None:  # two outputs of one export would be pooled as two councils' engagements
        raise InputError(
            f"{twice[1]}: is {twice[0]} again (a link or a second name); give each export once"
        )
    targets = output_names(files, output_dir)
    key = read_key(key_file, passphrase)
    if passphrase:
        say.print(
            "warning: --passphrase: a passphrase is weaker than a random key, since people choose words "
            "others can guess; prefer a key made by agency-check pseudonymise --new-key"
        )
    if any(
        key.is_relative_to(folder)
        for key in (key_file.absolute(), key_file.resolve())
        for folder in (output_dir.absolute(), output_dir.resolve())
    ):  # the key, or a link to it, in the folder
        say.print(
            printable(
                f"warning: the key {key_file} is inside --output-dir {output_dir}, whose files are "
                "made to be shared; keep the key outside it, and outside any shared, synchronised or "
                "backed-up folder"
            )
        )
    if not quiet:
        say.print(
            f"key {fingerprint(key)} (a fingerprint, not the key: every council of the region should see the same)"
        )
    mapping = load_column_map(column_map) if column_map else None
    for target in targets:
        refuse_overwriting([*files, key_file, column_map], target, "--output-dir")
    make_folder(output_dir, "--output-dir")
    done = [pseudonymise_file(path, key, mapping, sheet) for path in files]
    kept = write_new_files(
        [(target, _csv_writer(result.frame)) for target, result in zip(targets, done)],
        "--output-dir",
    )
    for path, target, result in zip(files, targets, done):
        if not quiet:
            say.print(printable(pseudonymised_words(path, target, result)))
            if target in kept:
                say.print(
                    printable(f"  {target} was there already, holding exactly this: kept as it is")
                )


def output_names(files: list[Path], folder: Path) -> list[Path]:
    """Each input's output, named as the input with .csv; two inputs that would write one name (kent.csv and kent.xlsx,
    or Kent.csv beside kent.csv on a disk that ignores case) are refused, naming both."""
    targets = [folder / (path.stem + ".csv") for path in files]
    first: dict[str, Path] = {}
    for path, target in zip(files, targets):
        earlier = first.setdefault(target.name.casefold(), path)
        if earlier is not path:
            raise InputError(
                f"{earlier} and {path} would both be written to {target} (--output-dir {folder}); "
                "rename one, or pseudonymise them into different folders"
            )
    return targets


def make_folder(folder: Path, option: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{option} {folder}: is a file, not a folder") from None
    except OSError as error:
        raise InputError(
            f"{option} {folder}: cannot make the folder ({error.strerror or error})"
        ) from None


def pseudonymised_words(path: Path, target: Path, done: Pseudonymised) -> str:
    from .worker_ids import without_worker_id

    words = f"{path} -> {target}: {done.kind}, {done.frame.height:,} rows, {done.workers:,} worker(s) with a pseudonym"
    if done.dropped:
        more = f" and {len(done.dropped) - 20} more" if len(done.dropped) > 20 else ""
        dropped = [
            quote(without_worker_id(name)) for name in done.dropped[:20]
        ]  # 'Notes for SW310040': a header is text from the file, and this one names a worker
        words += f"; not written (not contract columns): {', '.join(dropped)}{more}"

    def rows(numbers: list[int]) -> str:
        """'row 51' or '3 rows (7, 9, 51)': the rows as the council's file numbers them."""
        if len(numbers) == 1:
            return f"row {numbers[0]}"
        return (
            f"{len(numbers)} rows ("
            + ", ".join(map(str, numbers[:10]))
            + (" …)" if len(numbers) > 10 else ")")
        )

    if done.blanked:
        words += f"; {rows(done.blanked)} had a worker id that is not a registration number: it was left blank, so the check will reject those rows"
    if done.unreadable:
        words += (
            f"; {rows(done.unreadable)} had more or fewer cells than the header, so their cells may sit under "
            "the wrong headers: only a mark was written, so the check will reject those rows"
        )
    if done.numbers_elsewhere:
        words += f"; {done.numbers_elsewhere} row(s) had a registration number in another column (an engagement id, say): it is now the pseudonym there too"
    if done.merged:
        words += (
            f"; {rows(done.merged)}: an engagement id that is now an earlier "
            "row's, the numbers in them being one worker's written two ways (SW310001-A, 310001-A): the check "
            "will reject them as duplicates, so give those engagements ids of their own"
        )
    return words


BOARD_FORMATS = (Format.table, Format.md, Format.html, Format.json, Format.xlsx)


def produced_on() -> date:
    """Today, or the day SOURCE_DATE_EPOCH names (the reproducible-builds convention), so a paper can be remade as it was."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date() if epoch else date.today()
    except (ValueError, OverflowError, OSError):
        raise InputError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
        ) from None


@app.command(short_help=SHORT["summary"], cls=Command)
def summary(
    reports: Annotated[
        list[Path],
        typer.Argument(
            help="JSON reports of agency-check (--format json), of one or many councils and quarters.",
            show_default=False,
            metavar="REPORT",
        ),
    ],
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            parser=one_of(Format),
            metavar=choices(BOARD_FORMATS),
            help="Summary format (default: from the --output extension, else table).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the summary to this file instead of the terminal.",
        ),
    ] = None,
    suppress_below: Annotated[
        int,
        typer.Option(
            "--suppress-below",
            parser=whole_number,
            metavar="N",
            help="Show counts from 1 to N-1 as <N, with the cells that would give them away.",
        ),
    ] = 5,
    quiet: Quiet = False,
) -> None:
    """Combine councils' JSON reports into a board summary that names no worker: by council and rule, agency, role and quarter."""
    from .board.reports import read_reports
    from .board.summary import summarise
    from .report import RenderOptions

    output = to_file(output)
    chosen = report_format(output_format, output, BOARD_FORMATS)
    if suppress_below < 3:
        raise InputError(
            "--suppress-below must be 3 or more: counts below it are hidden (the default, 5, hides 1 to 4), "
            "and a hidden count of 1 to 1 would be no secret"
        )
    refuse_overwriting(list(reports), output)
    kept, notes = read_reports(list(reports))
    board = summarise(kept, notes, suppress_below, produced_on())
    if not quiet:
        say = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
        for caution in board.cautions:
            say.print(printable(f"warning: {caution}"))
    render = BOARD_RENDERERS[chosen.value]
    deliver(
        lambda handle: render(board, RenderOptions(), handle),
        output,
        None if quiet else f"board summary written to {output}: {len(kept)} report(s)",
    )


CONTRACT_FORMATS = (Format.table, Format.md, Format.json, Format.csv, Format.xlsx)


DIFF_FORMATS = (Format.table, Format.json, Format.md, Format.csv)


DIFF_EXAMPLES = """\b
Examples:
  agency-check export.csv -o before.json && agency-check export.csv --ruleset statutory-2024 -o after.json
  agency-check diff before.json after.json
  agency-check diff q3.json q4.json --format csv -o changes.csv

\b
Exit status:
  0  nothing newly breaches
  1  something newly breaches
  2  could not run: a usage error, or a file that is not a check report"""


@app.command(short_help=SHORT["diff"], cls=Command, epilog=DIFF_EXAMPLES)
def diff(
    old: Annotated[
        Path, typer.Argument(help="The earlier check report (JSON).", metavar="OLD.json")
    ],
    new: Annotated[Path, typer.Argument(help="The later check report (JSON).", metavar="NEW.json")],
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            parser=one_of(Format),
            metavar=choices(DIFF_FORMATS),
            help="Format (default: from the --output extension, else table).",
        ),
    ] = None,
    output: ReportFile = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            parser=whole_number,
            metavar="N",
            help="Changes shown in the table (0 = all).",
        ),
    ] = 50,
    quiet: Quiet = False,
) -> None:
    """Compare two check reports (another ruleset, overlays, caps, waivers, or next quarter's export) engagement by engagement and rule by rule: newly breaching, no longer breaching, newly unknown, no longer unknown, waiver changes, and engagements only in one."""
    from .report_diff import compare

    output = to_file(output)
    chosen = report_format(output_format, output, DIFF_FORMATS)
    refuse_overwriting([old, new], output)
    changed = compare(old, new)
    layout = layout_for(output, chosen, limit=limit)
    deliver(
        lambda handle: DIFF_RENDERERS[chosen.value](changed, layout, handle),
        output,
        None if quiet else f"diff written to {output}: {len(changed.changes)} change(s)",
    )
    raise typer.Exit(1 if changed.newly_breaching else 0)


EXPLAIN_FORMATS = (Format.table, Format.json, Format.md)


EXPLAIN_EXAMPLES = """\b
Examples:
  agency-check explain export.csv --engagement E-17 --history history.csv --caps caps.toml
  agency-check explain kent.csv medway.csv --engagement A-1 --file medway.csv --format md

\b
Exit status:
  0  explained
  2  could not run: a usage error, a file that cannot be read, or no such engagement"""


@app.command(short_help=SHORT["explain"], cls=Command, epilog=EXPLAIN_EXAMPLES)
def explain(
    engagements: Annotated[
        list[Path],
        typer.Argument(
            help="The engagements export(s) the check reads: CSV or workbook.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    engagement: Annotated[
        str,
        typer.Option(
            "--engagement",
            metavar="ID",
            help="The engagement to explain, by its engagement_id.",
            show_default=False,
        ),
    ],
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help="The file the engagement is in, where its id is in several files of a pooled run.",
        ),
    ] = None,
    sheet: SheetName = None,
    history: HistoryFile = None,
    ruleset: RulesetChoice = None,
    overlay: OverlayNames = [],
    caps: CapsFiles = [],
    waivers: WaiversFile = None,
    contracts: ContractFiles = [],
    as_of: AsOfDay = None,
    column_map: ColumnMapFile = None,
    config: ConfigFile = None,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            parser=one_of(Format),
            metavar=choices(EXPLAIN_FORMATS),
            help="Format (default: from the --output extension, else table).",
        ),
    ] = None,
    output: ReportFile = None,
    quiet: Quiet = False,
) -> None:
    """Explain one engagement: every rule of the run with its outcome and why (the scope decision, each parameter in force with the day it took effect and the file that set it, the values compared, any exemption, contradiction, waiver or explanation). The outcomes are the check's with the same options."""
    from .api import Options, explain_engagement

    output = to_file(output)
    given = Options(
        history=history,
        ruleset=ruleset,
        overlays=list(overlay),
        caps=list(caps),
        waivers=waivers,
        as_of=as_of,
        column_map=column_map,
        sheet=sheet,
        contracts=list(contracts),
    )
    options = settled(engagements, given, config, output, quiet)
    chosen = report_format(output_format, output, EXPLAIN_FORMATS)
    with progress(quiet) as on_stage:
        why = explain_engagement(list(engagements), options, engagement, file, on_stage)
    layout = layout_for(output, chosen)
    deliver(
        lambda handle: EXPLAIN_RENDERERS[chosen.value](why, layout, handle),
        output,
        None if quiet else f"explanation of {engagement} written to {output}",
    )


RETURN_FORMATS = (Format.md, Format.json, Format.csv, Format.xlsx)


RETURN_EXAMPLES = """\b
Examples:
  agency-check return export.csv --quarter 2025-Q3 --caps caps.toml --waivers waivers.toml
  agency-check return export.xlsx --quarter 2025-Q3 --column-map map.toml -o return-2025-Q3.xlsx

\b
Exit status:
  0  the return drafted, every row read
  2  could not run: a usage error, or a file that cannot be read
  3  the return drafted, but some rows were rejected (the return lists them)"""


@app.command("return", short_help=SHORT["return"], cls=Command, epilog=RETURN_EXAMPLES)
def quarterly_return(
    engagements: Annotated[
        list[Path],
        typer.Argument(
            help="The council's engagements export(s): CSV or workbook; one return per council in them.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    quarter: Annotated[
        str,
        typer.Option(
            "--quarter",
            metavar="YYYY-Qn",
            help="The calendar quarter, e.g. 2025-Q3 (July to September 2025).",
            show_default=False,
        ),
    ],
    sheet: SheetName = None,
    history: HistoryFile = None,
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset",
            metavar="NAME",
            help="statutory-2024 (default: the return is a statutory duty) or consultation-2023.",
        ),
    ] = None,
    overlay: OverlayNames = [],
    caps: CapsFiles = [],
    waivers: WaiversFile = None,
    column_map: ColumnMapFile = None,
    config: ConfigFile = None,
    council: Councils = [],
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            parser=one_of(Format),
            metavar=choices(RETURN_FORMATS),
            help="Return format (default: from the --output extension, else md).",
        ),
    ] = None,
    output: ReportFile = None,
    quiet: Quiet = False,
) -> None:
    """Draft the DfE quarterly agency data return of each council in the export(s): the assignments active in the quarter, compliance with each rule, explanations, cap breaches with their sign-off, agencies, and the monthly cost. Waivers are judged on the quarter's last day."""
    from .api import Options, draft_return
    from .quarterly import parse_quarter
    from .report import RenderOptions

    try:
        period = parse_quarter(quarter)
    except ValueError as error:
        raise fail(f"--quarter {error}") from None
    output = to_file(output)
    given = Options(
        history=history,
        ruleset=ruleset,
        overlays=list(overlay),
        caps=list(caps),
        waivers=waivers,
        column_map=column_map,
        sheet=sheet,
        councils=list(council),
    )
    options = settled(engagements, given, config, output, quiet)
    chosen = report_format(output_format, output, RETURN_FORMATS)
    chosen = Format.md if chosen is Format.table else chosen
    with progress(quiet) as on_stage:
        drafted = draft_return(list(engagements), options, period, on_stage)
    councils = ", ".join(r.council for r in drafted.returns) or "no council"
    rejected = len(drafted.rejected_rows)
    said = (f"; {rejected} row(s) rejected" if rejected else "") + (
        f"; {len(drafted.notices)} notice(s)" if drafted.notices else ""
    )
    deliver(
        lambda handle: RETURN_RENDERERS[chosen.value](drafted, RenderOptions(), handle),
        output,
        None
        if quiet
        else f"return for {period.label} ({drafted.ruleset}) written to {output}: {councils}{said}",
    )
    if output is None and chosen is Format.csv and said and not quiet:
        Console(stderr=True, highlight=False).print(
            printable(
                f"the CSV holds the assignment data only{said}: the md, json or xlsx return lists them"
            ),
            markup=False,
        )
    raise typer.Exit(3 if drafted.rejected_rows else 0)


@app.command(short_help=SHORT["contract"], cls=Command)
def contract(
    contracts: Annotated[
        list[Path],
        typer.Argument(
            help="Contract files (TOML), or folders of them: a framework, managed-service or direct contract's terms and rate card.",
            show_default=False,
            metavar="CONTRACT",
        ),
    ],
    ruleset: RulesetName = DEFAULT_RULESET,
    overlay: Annotated[
        list[str],
        typer.Option(
            "--overlay",
            metavar="NAME",
            help="Regional overlay (repeatable); it applies where the contract serves its region.",
        ),
    ] = [],
    caps: Annotated[
        list[Path],
        typer.Option(
            "--caps",
            metavar="FILE",
            help="Caps file (TOML), or a shipped table by name; repeatable.",
        ),
    ] = [],
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            parser=one_of(Format),
            metavar=choices(CONTRACT_FORMATS),
            help="Report format (default: from the --output extension, else table).",
        ),
    ] = None,
    output: ReportFile = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            parser=one_of(FailOn),
            metavar=choices(FailOn),
            help="'unknown' makes a term the contract is silent on exit 1 like a breach.",
        ),
    ] = FailOn.breach,
    quiet: Quiet = False,
) -> None:
    """Check contracts' terms and rate cards against the rules, overlays and caps, before signing or renewing."""
    from .engine.checked_contract import ContractCheck
    from .engine.contract_check import check_contracts
    from .engine.rulebook import find_caps, load_rules
    from .inputs.caps import load_caps
    from .report import RenderOptions

    output = to_file(output)
    chosen = report_format(output_format, output, CONTRACT_FORMATS)
    refuse_overwriting(
        [
            *contracts,
            *caps,
            *(Path(name) for name in [ruleset, *overlay] if name.endswith(".toml")),
        ],
        output,
    )
    loaded, overlays = load_rules(ruleset, list(overlay))
    checked = check_contracts(
        list(contracts), loaded, overlays, load_caps([find_caps(path) for path in caps])
    )
    render = CONTRACT_RENDERERS[chosen.value]
    names = [o.overlay.id for o in overlays]
    breaches = sum(c.count(BREACH) for c in checked)
    deliver(
        lambda handle: render(
            ContractCheck(checked, loaded.ruleset.id, names), RenderOptions(), handle
        ),
        output,
        None
        if quiet
        else f"contract check written to {output}: {len(checked)} contract(s), {breaches} term(s) falling short",
    )
    failing = breaches or (fail_on is FailOn.unknown and any(c.count(UNKNOWN) for c in checked))
    raise typer.Exit(1 if failing else 0)


def version_callback(value: bool) -> None:
    if value:
        print(f"agency-check {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Check agency social worker engagements against the agency rules."""


def implied_check(argv: list[str]) -> bool:
    """`agency-check FILE …` means the check command; subcommands and top-level flags go to the group."""
    return bool(argv) and argv[0] not in COMMANDS and argv[0] not in ("--help", "-h", "--version")


class Stopped(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP (a closed terminal, a job killed), raised where the run stands, so it cleans up on
    its way out: no half-written report, no file named in --output-dir, and no .partial file left behind.
    Not a KeyboardInterrupt, which typer turns into a silent exit; nothing but main() catches it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


received: list[int] = []  # the signals that arrived, for a stop that surfaced as another exception


def stop(signum: int, _frame: object) -> None:
    received.append(signum)
    for other in (
        signal.SIGINT,
        signal.SIGTERM,
        signal.SIGHUP,
    ):  # a second signal must not break the clean-up of the first
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


NARROWEST = 20  # columns: a table narrower than this shows nothing legible


def main() -> None:
    argv = sys.argv[1:]
    columns = os.environ.get("COLUMNS")
    if columns is not None and not (columns.isdigit() and int(columns) >= NARROWEST):
        del os.environ[
            "COLUMNS"
        ]  # COLUMNS=0 printed nothing at all: the terminal's own width, else 80, instead
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    if not os.environ.get(
        "AGENCY_RULES_DEBUG"
    ):  # a library's clean-up failing after its error was said (a zip of a
        sys.unraisablehook = lambda _: (
            None
        )  # workbook half-written to a full disk) is no traceback for a user to read
    try:
        refuse_folder_outputs(argv)
        refuse_a_misspelt_command(argv)
        group = cast(PlainGroup, typer.main.get_command(app))
        command = (
            group.commands["check"] if implied_check(argv) else group
        )  # usage and help then name no `check` subcommand
        returned = command.main(
            args=argv or ["-h"], prog_name="agency-check", standalone_mode=False
        )
        status = returned if isinstance(returned, int) else 0
    except (
        typer.TyperException
    ) as error:  # an option's or argument's error: one line, as every other error
        fail(" ".join(error.format_message().split()) + usage_hint(argv))
        status = error.exit_code
    except typer.Abort:
        status = 1
    except SystemExit as done:
        status = 0 if done.code is None else done.code if isinstance(done.code, int) else EXIT_ERROR
    except Stopped as stopped:
        Console(stderr=True).print("agency-check: interrupted; nothing was written", markup=False)
        status = 128 + stopped.signum
    except BaseException as error:  # the last guard: a user sees a message, never a traceback
        if received:  # a stop raised inside a library's call back into Python comes out as that library's panic
            Console(stderr=True).print(
                "agency-check: interrupted; nothing was written", markup=False
            )
            finish(128 + received[0])
        if os.environ.get("AGENCY_RULES_DEBUG"):
            raise
        Console(stderr=True, soft_wrap=True).print(
            f"agency-check: internal error: {type(error).__name__}: {error} (set AGENCY_RULES_DEBUG=1 for details)",
            markup=False,
        )
        status = EXIT_ERROR
    finish(status)


FILE_OUTPUTS = ("-o", "--output", "--new-key")


def _csv_writer(frame: pl.DataFrame) -> Callable[[TextIO], None]:
    def write(handle: TextIO) -> None:
        handle.write(frame.write_csv())

    return write


def usage_hint(argv: list[str]) -> str:
    """Where the options are listed: a check's under `agency-check check -h`, since `agency-check -h` lists the commands."""
    named = argv[0] if argv and argv[0] in COMMANDS else "check" if implied_check(argv) else ""
    return f" (agency-check {named + ' ' if named else ''}-h lists the options)"


def refuse_a_misspelt_command(argv: list[str]) -> None:
    """`agency-check chek` would be read as a file named chek: said as the command it most likely means."""
    if not implied_check(argv) or argv[0].startswith("-") or os.path.lexists(argv[0]):
        return
    match = difflib.get_close_matches(argv[0].lower(), COMMANDS, n=1, cutoff=0.6)
    if match:
        fail(f"{argv[0]}: no such file; did you mean `agency-check {match[0]}`?")
        raise SystemExit(EXIT_ERROR)


def refuse_folder_outputs(argv: list[str]) -> None:
    """`-o out/` names a folder, but a path loses its last slash once read: the report was written to a file `out`."""
    for option, value in zip(argv, argv[1:] + [""]):
        named, _, joined = option.partition("=")
        if (
            named in FILE_OUTPUTS
            and (joined or value).endswith(("/", os.sep))
            and (joined or value) != "-"
        ):
            fail(
                f"{joined or value}: {named} names a folder (it ends in /); it takes a file's name"
            )
            raise SystemExit(EXIT_ERROR)


def finish(status: int) -> None:
    """Leave without tearing down a large run's frames one by one: the report is written and flushed, so nothing is lost."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
