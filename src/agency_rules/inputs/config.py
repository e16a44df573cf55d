"""The project config file: a council's or region's standing choices, so the command stays short.

`agency-rules.toml` in the working directory (or `--config FILE`) may set `ruleset`, `overlays`,
`caps`, `waivers`, `history` and `column_map`; paths are relative to the file. Options on the
command line win: a given ruleset, waivers, history or column map replaces the file's; overlays
and caps are added after the file's, so a later caps file still replaces earlier entries.
"""

from __future__ import annotations

from pathlib import Path

from ..tomlfiles import Strict, load_model

CONFIG_NAME = "agency-rules.toml"


class ProjectConfig(Strict):
    ruleset: str | None = None
    overlays: list[str] = []
    caps: list[Path] = []
    waivers: Path | None = None
    history: Path | None = None
    column_map: Path | None = None

    def relative_to(self, folder: Path) -> ProjectConfig:
        def place(path: Path | None) -> Path | None:
            return None if path is None else folder / path

        return self.model_copy(
            update={
                "caps": [folder / p for p in self.caps],
                "waivers": place(self.waivers),
                "history": place(self.history),
                "column_map": place(self.column_map),
            }
        )


def find_config(explicit: Path | None, folder: Path | None = None) -> tuple[ProjectConfig, Path] | None:
    """The config named on the command line, else agency-rules.toml in the working directory, else none."""
    path = explicit or (folder or Path.cwd()) / CONFIG_NAME
    if explicit is None and not path.is_file():
        return None
    return load_model(path, ProjectConfig, "setting").relative_to(path.parent), path


class ColumnMap(Strict):
    """A `[columns]` table of export header → contract column, for HR systems with their own names."""

    columns: dict[str, str]


def load_column_map(path: Path) -> dict[str, str]:
    return load_model(path, ColumnMap, "column").columns
