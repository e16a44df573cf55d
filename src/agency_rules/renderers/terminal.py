"""Standard output whose reader may stop reading (`agency-check … | head`): the rest is dropped quietly.

Rich ends the process with status 1 when its pipe closes; a command here keeps its own exit status
(a breach is still 1, a clean run still 0), because what the reader did not read changes nothing.
"""

from __future__ import annotations

import errno
import os
import sys

from rich.console import Console


def broken_pipe(error: OSError) -> bool:
    """Python says BrokenPipeError; polars' writer says OSError 'Broken pipe (os error 32)'."""
    return isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE or "os error 32" in str(error)


def drop_stdout() -> None:
    """Send whatever is still to be written to standard output nowhere, so later writes and the final flush succeed."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class StdoutConsole(Console):
    """A rich console for standard output that treats a closed pipe as the end of the reader's interest, not an error."""

    def on_broken_pipe(self) -> None:
        drop_stdout()
        self.quiet = True
