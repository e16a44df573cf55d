"""`agency-check`'s entry point: Ctrl-C, SIGTERM or SIGHUP while the tool is still loading end it quietly, before the
command line is imported; from then on `cli.main` says what was interrupted. `--version` alone loads nothing else."""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # said before the command line and its libraries load
        from .version import __version__

        print(f"agency-check {__version__}")
        return
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(
            signum, lambda number, _frame: os._exit(128 + number)
        )  # nothing is written yet: nothing to clean up
    os.environ.setdefault(
        "POLARS_ENGINE_AFFINITY", "in-memory"
    )  # as api.in_memory does for a check, for every command (a board summary, a contract check) too
    os.environ.setdefault(  # read by polars' allocator as it loads: memory a stage frees goes back within 0.2 s, not 10 s,
        "_RJEM_MALLOC_CONF",  # so the next stage does not stand on top of it (a million-row run's peak 1,032 -> 939 MiB)
        "dirty_decay_ms:200,muzzy_decay_ms:0",
    )
    from .cli import main as run

    run()
