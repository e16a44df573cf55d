"""`agency-check`'s entry point: Ctrl-C, SIGTERM or SIGHUP while the tool is still loading end it quietly, before the
command line (and polars with it) is imported; from then on `cli.main` says what was interrupted."""

from __future__ import annotations

import os
import signal


def main() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(
            signum, lambda number, _frame: os._exit(128 + number)
        )  # nothing is written yet: nothing to clean up
    from .cli import main as run

    run()
