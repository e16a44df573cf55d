"""Small counts hidden from a board, so that no worker can be picked out of a table.

A count from 1 to `least - 1` is shown as `<least` (primary suppression). Then every total whose
row or column holds a hidden count is hidden too, shown as `*`, and so is the grand total if any
count is. Hiding only one more cell per row or column is not enough: a hidden count is known to be
at least 1, and with the totals of the other lines that can pin it down exactly. With the totals
hidden, no total shown adds up any hidden count, so a hidden count is known only to lie between 1
and `least - 1`, whatever a reader combines.
"""

from __future__ import annotations

from collections.abc import Sequence

Shown = int | str
SECONDARY = "*"


def with_totals(counts: Sequence[Sequence[int]], row_totals: bool = True) -> list[list[int]]:
    """The counts with a total column (if `row_totals`) and a total row."""
    rows = [list(r) + ([sum(r)] if row_totals else []) for r in counts]
    width = len(rows[0]) if rows else 0
    return rows + [[sum(r[c] for r in rows) for c in range(width)]]


def suppress(grid: Sequence[Sequence[int]], least: int, row_totals: bool = True) -> list[list[Shown]]:
    """`grid` as `with_totals` makes it: its last row holds column totals, its last column (if `row_totals`) row totals."""
    height, width = len(grid), len(grid[0]) if grid else 0
    if not height or not width:
        return [list(row) for row in grid]
    hidden: dict[tuple[int, int], str] = {(r, c): f"<{least}" for r in range(height) for c in range(width) if 0 < grid[r][c] < least}
    body_rows, body_columns = range(height - 1), range(width - 1 if row_totals else width)
    for r, c in list(hidden):
        if r in body_rows and c in body_columns:
            hidden.setdefault((height - 1, c), SECONDARY)  # the column's total
            if row_totals:
                hidden.setdefault((r, width - 1), SECONDARY)  # the row's total
    if any(r == height - 1 or (row_totals and c == width - 1) for r, c in hidden) and row_totals:
        hidden.setdefault((height - 1, width - 1), SECONDARY)  # the grand total adds up the hidden totals
    return [[hidden.get((r, c), grid[r][c]) for c in range(width)] for r in range(height)]

