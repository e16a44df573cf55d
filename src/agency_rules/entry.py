"""`agency-check`'s entry point: Ctrl-C, SIGTERM or SIGHUP while the tool is still loading end it quietly, before the
command line is imported; from then on `cli.main` says what was interrupted. `--version` alone loads nothing else."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import MutableMapping

# Read by polars' allocator as polars loads: memory a stage frees goes back to the system within 0.2 s, not the 0.5-1.5 s
# polars sets, so the next stage does not stand on what the last one freed (a million-row run's peak 1,040 -> 880 MiB).
# Set unless the user set it; polars' own value, passed down by a parent process that imported polars, is not the user's.
ALLOCATOR = "dirty_decay_ms:200,muzzy_decay_ms:0"
POLARS_ALLOCATOR = "dirty_decay_ms:500,muzzy_decay_ms:1000"


def tune_polars(environ: MutableMapping[str, str]) -> None:
    """Settings polars reads as it loads, so set before it does: its in-memory engine for every command (as
    `api.in_memory` does for a check) and the allocator's, each unless the user set it."""
    environ.setdefault("POLARS_ENGINE_AFFINITY", "in-memory")
    if environ.get("_RJEM_MALLOC_CONF", "") in ("", POLARS_ALLOCATOR):
        environ["_RJEM_MALLOC_CONF"] = ALLOCATOR


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # said before the command line and its libraries load
        from .version import __version__

        print(f"agency-check {__version__}")
        return
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(
            signum, lambda number, _frame: os._exit(128 + number)
        )  # nothing is written yet: nothing to clean up
    tune_polars(os.environ)
    from .cli import main as run

    run()
