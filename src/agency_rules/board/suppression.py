"""Small counts hidden from a board, so that no worker can be picked out of a table.

A count from 1 to `least - 1` is shown as `<least` (primary suppression). A table's row and column
totals would give a single hidden count back (total minus the others), so wherever a row or
column, totals included, has exactly one hidden cell, the smallest other count in it, preferring
counts above zero, is hidden too and shown as `*` (secondary suppression), until no line has one.
"""

from __future__ import annotations

from collections.abc import Sequence

Shown = int | str
SECONDARY = "*"


def with_totals(counts: Sequence[Sequence[int]], row_totals: bool = True) -> list[list[int]]:
    """The counts with a total column (if several columns and `row_totals`) and a total row."""
    rows = [list(r) + ([sum(r)] if row_totals else []) for r in counts]
    width = len(rows[0]) if rows else len(counts[0]) if counts else 0
    return rows + [[sum(r[c] for r in rows) for c in range(width)]]


def suppress(grid: Sequence[Sequence[int]], least: int, row_totals: bool = True) -> list[list[Shown]]:
    """`grid` as `with_totals` makes it: its last row holds column totals, its last column (if `row_totals`) row totals."""
    height, width = len(grid), len(grid[0]) if grid else 0
    lines: list[list[tuple[int, int]]] = []
    for r in range(height):  # each row with its total (the total row's last cell is the grand total)
        if row_totals:
            lines.append([(r, c) for c in range(width)])
    for c in range(width):  # each column with its total
        lines.append([(r, c) for r in range(height)])
    hidden: dict[tuple[int, int], str] = {
        (r, c): f"<{least}" for r in range(height) for c in range(width) if 0 < grid[r][c] < least
    }
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            others = [cell for cell in line if cell not in hidden]
            if not others:
                continue
            pick = min(others, key=lambda cell: (grid[cell[0]][cell[1]] == 0, grid[cell[0]][cell[1]]))
            hidden[pick] = SECONDARY
            changed = True
    return [[hidden.get((r, c), grid[r][c]) for c in range(width)] for r in range(height)]


def shown(count: int, least: int) -> Shown:
    """One count on its own (no total to recover it from)."""
    return f"<{least}" if 0 < count < least else count
