"""The project config file: a council's or region's standing choices, so the command stays short.

`agency-rules.toml` in the working directory (or `--config FILE`) may set `ruleset`, `overlays`,
`caps`, `waivers`, `history`, `column_map` and `contracts`; paths are relative to the file. Options
on the command line win: a given ruleset, waivers, history or column map replaces the file's;
overlays, caps and contracts are added after the file's, so a later caps file still replaces
earlier entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..tomlfiles import RuleFileError, Strict, closest, load_model
from .columns import ENGAGEMENT_COLUMNS, HISTORY_COLUMNS, Choice, read_one

CONFIG_NAME = "agency-rules.toml"


class ProjectConfig(Strict):
    ruleset: str | None = None
    overlays: list[str] = []
    caps: list[Path] = []
    waivers: Path | None = None
    history: Path | None = None
    column_map: Path | None = None
    contracts: list[Path] = []

    def relative_to(self, folder: Path) -> ProjectConfig:
        def place(path: Path | None) -> Path | None:
            return None if path is None else folder / path

        def rules(name: str) -> str:
            return (
                str(folder / name) if name.endswith(".toml") else name
            )  # a shipped ruleset or overlay goes by its name

        return self.model_copy(
            update={
                "ruleset": None if self.ruleset is None else rules(self.ruleset),
                "overlays": [rules(name) for name in self.overlays],
                "caps": [p if _shipped_name(p, folder) else folder / p for p in self.caps],
                "contracts": [folder / p for p in self.contracts],
                "waivers": place(self.waivers),
                "history": place(self.history),
                "column_map": place(self.column_map),
            }
        )


def _shipped_name(path: Path, folder: Path) -> bool:
    """`london-2016` in a config names a shipped cap table, as on the command line, unless a file of that name sits beside the config."""
    return path.suffix != ".toml" and len(path.parts) == 1 and not (folder / path).exists()


def find_config(
    explicit: Path | None, folder: Path | None = None, given: frozenset[str] = frozenset()
) -> tuple[ProjectConfig, Path] | None:
    """The config named on the command line, else agency-rules.toml in the working directory, else none; `given`, the
    settings the command line gives instead (a found config's own is then not read)."""
    path = explicit or (folder or Path.cwd()) / CONFIG_NAME
    if explicit is None and not path.is_file():
        return None
    settings = load_model(path, ProjectConfig, "setting").relative_to(path.parent)
    if (
        explicit is None
    ):  # found, not given: it may have been planted, so it reads nothing outside its own folder
        home = path.parent.resolve()
        files = [
            p for c in settings.contracts for p in ([c, *c.glob("*.toml")] if c.is_dir() else [c])
        ]  # a link inside a folder too
        rules = [
            Path(name)
            for name in [settings.ruleset or "", *settings.overlays]
            if name.endswith(".toml")
        ]
        named = [
            ("history", settings.history),
            ("waivers", settings.waivers),
            ("column_map", settings.column_map),
            *(("caps", p) for p in settings.caps if p.is_absolute() or len(p.parts) > 1),
            *(("contracts", p) for p in files),
            *(("ruleset or overlays", p) for p in rules),
        ]
        for key, named_path in named:
            if (
                named_path is not None
                and key not in given
                and not named_path.resolve().is_relative_to(home)
            ):
                raise RuleFileError(
                    f"{path}: {key} names {named_path}, outside the folder of this config, which the tool found "
                    "by itself: a found config names only files beside it; give that file on the command line, "
                    "or the config with --config"
                )
    return settings, path


class ColumnMapFile(Strict):
    """`[columns]`: export header → contract column; `[values.COLUMN]`: a council's own word → the contract's value."""

    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class ColumnMap:
    """How one HR system's export maps onto the contract: headers (any case) and the words of enumerated columns (any case)."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    spelled: dict[str, str] = field(
        default_factory=dict
    )  # each header as the map writes it, for messages


CONTRACT_COLUMNS = {c.name: c for c in (*ENGAGEMENT_COLUMNS, *HISTORY_COLUMNS)}


def load_column_map(path: Path) -> ColumnMap:
    model = load_model(path, ColumnMapFile, "column")
    return column_map_of(model.columns, model.values, str(path))


def column_map_of(
    columns: dict[str, str], values: dict[str, dict[str, str]], where: str
) -> ColumnMap:
    """The map, refused if a target is not a contract column or a value the column does not take, naming the entry."""
    for header, target in columns.items():
        if target.strip().lower() not in CONTRACT_COLUMNS:
            raise RuleFileError(
                f"{where}: [columns] {header!r} = {target!r}: {target!r} is not a contract column{_did_you_mean(target, CONTRACT_COLUMNS)}"
            )
    for column, words in values.items():
        contract = CONTRACT_COLUMNS.get(column)
        if contract is None or not contract.translatable:
            choosable = [name for name, c in CONTRACT_COLUMNS.items() if c.translatable]
            raise RuleFileError(
                f"{where}: [values.{column}]: only these columns take value maps: {', '.join(choosable)}{_did_you_mean(column, choosable)}"
            )
        for word, value in words.items():
            if not value:
                continue  # "" = not recorded
            kind = contract.kind
            if isinstance(kind, Choice) and value not in kind.allowed:
                raise RuleFileError(
                    f"{where}: [values.{column}] {word!r} = {value!r}: {column} is one of {', '.join(kind.allowed)}, "
                    f'or "" for not recorded{_did_you_mean(value, kind.allowed)}'
                )
            try:
                read_one(kind, value)
            except ValueError as error:
                raise RuleFileError(
                    f"{where}: [values.{column}] {word!r} = {value!r}: {error}"
                ) from None
    return ColumnMap(
        {k.strip().lower(): v.strip().lower() for k, v in columns.items()},
        {
            column: {k.strip().lower(): v for k, v in words.items()}
            for column, words in values.items()
        },
        {k.strip().lower(): k for k in columns},
    )


def _did_you_mean(text: str, choices: Iterable[str]) -> str:
    match = closest(text, choices)
    return f" (did you mean {match!r}?)" if match else ""
