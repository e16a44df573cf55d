"""Disclosure control over a whole board paper, as the Government Statistical Service and ONS do it.

Primary suppression shows every count from 1 to `least - 1` as `<least`. Secondary suppression then
hides further cells until no hidden count can be worked out from anything the paper publishes. The
paper is audited as one system, not table by table: every table's rows and columns add up to their
totals, and a total that stands in several tables (the region's breaches, in the council table and
again under agencies, roles and quarters) is one unknown wherever it stands.

The audit is the attack a reader with a solver can make. First interval reasoning: each hidden
count starts between the bounds its mark gives (`<5` is 1 to 4, `*` is 5 or more), and every line
whose total is known narrows the hidden counts in it, over and over, until nothing changes. Where
that fixes nothing, a linear programme per hidden count takes every line, bound and limit at once
(`_fixed_together`). A reader also knows facts about engagements that no cell shows (`Units`): each row
of a lesser table stands for one engagement or more, an engagement has at most one finding a rule, and
the region's engagements are its engagements checked; these enter as counts never shown, with lines of
whole-number weights. A hidden count narrowed to one value is given away; a cell in one of its
lines is hidden next (an inner count first, then a line's total; never a zero, which a reader
would rightly take for a count of 1 to 4 nearly always, so that it would protect nothing), and the
audit runs again. Where no such cell helps, the table that pins the count is withheld whole if it is one of the paper's
lesser tables (agencies, roles, quarters, rows); in the council tables the region's own total is
hidden first, and the table withheld only if that fails.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

Shown = int | str
SECONDARY = "*"
MANY = 10**15  # no upper bound: a `*` count can be any size
REPEATED = 2  # the rank of a total that stands in several tables
LATENT = 3  # the rank of a count never shown (a limit's slack, a row's engagements)
EXPENDABLE = 2  # tables this expendable or more are withheld before a repeated total is hidden
TRIALS = 3  # cells of each kind tried, cheapest first, for one that frees a pinned count alone


@dataclass
class Grid:
    """One table's counts: a total row beneath them and, with `row_totals`, a total column beside them.

    `shared` names cells that stand elsewhere in the paper too (a total repeated in another table):
    cells of one name are one count, hidden or shown together. Where no hiding of cells can protect
    a count (three hidden counts that must be 4 each to make their shown total of 12), a whole
    table is withheld instead, the one with the highest `expendable` first.
    """

    counts: Sequence[Sequence[int]]
    row_totals: bool = True
    shared: dict[tuple[int, int], str] = field(default_factory=dict)
    expendable: int = 0

    def with_totals(self) -> list[list[int]]:
        rows = [list(r) + ([sum(r)] if self.row_totals else []) for r in self.counts]
        width = len(rows[0]) if rows else 0
        return rows + [[sum(r[c] for r in rows) for c in range(width)]]


@dataclass(frozen=True)
class Limit:
    """What a reader knows beyond the sums: `parts` together are at most `times` x `bound` (a council's breaches and
    unknowns of one rule, at most its engagements checked; of all rules, at most that times the rules found)."""

    parts: Sequence[Cell]
    bound: Cell
    times: int = 1


@dataclass(frozen=True)
class Units:
    """A lesser table's rows as engagements: each row listed stands for one engagement or more, at most as many as its
    findings; an engagement has at most one finding a rule, so a row's count in column c is at most `most[c]` (the rules
    with any such finding) times its engagements, and its row at most `most_in_all` times; its rows' engagements are
    together at most the region's engagements checked (`total`). No engagement count is shown, but a reader can reason
    with them all the same."""

    grid: int
    most: Sequence[int]
    most_in_all: int
    total: Cell


@dataclass
class _Paper:
    """The paper as one system: each count a variable, each line a list of (variable, weight) that sums to zero."""

    values: list[int] = field(default_factory=list)
    rank: list[int] = field(
        default_factory=list
    )  # how dear a cell is to hide: inner counts 0, totals 1, repeated totals 2
    lines: list[list[tuple[int, int]]] = field(default_factory=list)
    line_table: list[int] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    latent: dict[int, int] = field(
        default_factory=dict
    )  # counts never shown, each with its least value: the room left under a limit (0), a row's engagements (1)
    limits: set[int] = field(
        default_factory=set
    )  # the lines of limits and units, whose latent counts let a count move freely

    def variable(self, value: int, rank: int, name: str | None) -> int:
        if name is not None and name in self.names:
            index = self.names[name]
            assert self.values[index] == value, f"the paper's {name} differs between tables"
            return index
        self.values.append(value)
        self.rank.append(rank)
        if name is not None:
            self.names[name] = len(self.values) - 1
        return len(self.values) - 1

    def line(self, table: int, terms: list[tuple[int, int]]) -> None:
        self.lines.append(terms)
        self.line_table.append(table)

    def unseen(self, value: int, least: int) -> int:
        """A count never shown, 'least' or more."""
        v = self.variable(value, LATENT, None)
        self.latent[v] = least
        return v

    def at_most(
        self, table: int, parts: list[tuple[int, int]], bound: list[tuple[int, int]]
    ) -> None:
        """Weighted `parts` are at most weighted `bound`: a line with a slack, owned by `table`."""
        room = sum(w * self.values[v] for v, w in bound) - sum(w * self.values[v] for v, w in parts)
        assert room >= 0, "a limit the counts break"
        self.limits.add(len(self.lines))
        self.line(table, [*parts, (self.unseen(room, 0), 1), *((v, -w) for v, w in bound if w)])


Cell = tuple[int, int, int]  # (grid, row, column), totals included


def protect(
    grids: Sequence[Grid],
    least: int,
    limits: Sequence[Limit] = (),
    units: Sequence[Units] = (),
) -> list[list[list[Shown]] | None]:
    """Each grid with its totals as the paper shows it (counts, `<least` or `*`), or None where it must be withheld whole.

    `limits` and `units` are what a reader knows beyond the sums; each of their lines is owned by the grid of its bound
    (of its rows, for units), and goes with it if that grid is withheld.
    """
    paper = _Paper()
    cells: list[list[list[int]]] = []
    for table, grid in enumerate(grids):
        full = grid.with_totals()
        height, width = len(full), len(full[0]) if full and full[0] else 0
        if not width:
            cells.append([[] for _ in full])
            continue
        total_row, total_column = height - 1, width - 1 if grid.row_totals else None
        ids = [
            [
                paper.variable(
                    full[r][c],
                    _rank(r == total_row or c == total_column, (r, c) in grid.shared),
                    grid.shared.get((r, c)),
                )
                for c in range(width)
            ]
            for r in range(height)
        ]
        for c in range(width):
            paper.line(
                table, [(ids[r][c], 1) for r in range(total_row)] + [(ids[total_row][c], -1)]
            )
        if total_column is not None:
            for r in range(height):
                paper.line(
                    table,
                    [(ids[r][c], 1) for c in range(total_column)] + [(ids[r][total_column], -1)],
                )
        cells.append(ids)

    def published(
        *places: Cell,
    ) -> bool:  # a table with no columns publishes nothing to reason from
        return all(c < len(cells[g][r]) for g, r, c in places)

    for limit in limits:
        if published(*limit.parts, limit.bound):
            g, r, c = limit.bound
            paper.at_most(
                g,
                [(cells[pg][pr][pc], 1) for pg, pr, pc in limit.parts],
                [(cells[g][r][c], limit.times)],
            )
    for rows_of in units:
        rows = cells[rows_of.grid][:-1]
        if not rows or not published(rows_of.total):
            continue
        engagements = []
        for row in rows:
            found = [(v, 1) for v in row]
            e = paper.unseen(*_engagements(paper, row, rows_of))
            engagements.append((e, 1))
            paper.at_most(rows_of.grid, [(e, 1)], found)
            paper.at_most(rows_of.grid, found, [(e, rows_of.most_in_all)])
            for (v, _), most in zip(found, rows_of.most):
                paper.at_most(rows_of.grid, [(v, 1)], [(e, most)])
        g, r, c = rows_of.total
        paper.at_most(rows_of.grid, engagements, [(cells[g][r][c], 1)])
    hidden = {v for v, value in enumerate(paper.values) if 0 < value < least} | set(paper.latent)
    withheld = _hide_until_safe(paper, hidden, least, [g.expendable for g in grids])
    return [
        None
        if table in withheld
        else [[_shown(paper.values[v], v in hidden, least) for v in row] for row in grid]
        for table, grid in enumerate(cells)
    ]


def _engagements(paper: _Paper, row: list[int], units: Units) -> tuple[int, int]:
    """A row's engagements: a value that keeps every unit line true (the fewest its findings allow: the true number is not
    known here, and any value the lines allow describes a paper the reader cannot tell from the real one), and the least
    a reader knows it is (1 for a row with a finding; a row of zeros, a quarter with none, may stand for none)."""
    found = [paper.values[v] for v in row]
    if not any(found):
        return 0, 0
    needed = [-(-n // most) for n, most in zip(found, units.most) if n]
    return max(1, -(-sum(found) // units.most_in_all), *needed), 1


def _rank(total: bool, repeated: bool) -> int:
    return REPEATED if repeated else 1 if total else 0


def _shown(value: int, hidden: bool, least: int) -> Shown:
    return (f"<{least}" if value < least else SECONDARY) if hidden else value


def _hide_until_safe(
    paper: _Paper, hidden: set[int], least: int, expendable: list[int]
) -> set[int]:
    """Hide cells beside the counts the audit pins down, and audit again, until it pins none; the tables withheld.

    Each round hides the cheapest cell that frees a pinned count alone (a total's count first: the
    counts inside its lines are often pinned through it). Where no count can be freed by one cell,
    the cheapest cell beside one of them is hidden, so that a later round can; where every cell a
    pinned count hangs together with is hidden already, a table is withheld.
    """
    on_lines = _lines_of(paper.values, paper.lines)
    withheld: set[int] = set()
    stuck: set[int] = (
        set()
    )  # pinned counts no single cell frees, until a cell hidden beside them changes that
    while True:
        low, high = _narrowed(paper, hidden, least, on_lines)
        pinned = sorted(
            (v for v in hidden - paper.latent.keys() if low[v] == high[v]),
            key=lambda v: (-paper.rank[v], v),
        )
        jointly = not pinned  # none pinned by a line alone: any the lines fix taken together?
        if jointly:
            pinned = sorted(
                _fixed_together(paper, hidden, low, high, on_lines),
                key=lambda v: (-paper.rank[v], v),
            )
        if not pinned:
            return withheld
        cell = None
        for count in (v for v in pinned if v not in stuck):
            cell = _freeing(paper, hidden, on_lines, count, low, high, least, jointly)
            if cell is not None:
                break
            stuck.add(count)
        table = _to_withhold(paper, on_lines, pinned, low, high, expendable)
        council = (
            expendable[table] < EXPENDABLE
        )  # a council table: cells further out, then a repeated total, go before it does
        for most in (1, REPEATED) if council else (1,):
            if cell is None:
                choices = [
                    c
                    for c in (
                        _beside(paper, hidden, on_lines, count, low, high, most, council)
                        for count in pinned
                    )
                    if c is not None
                ]
                cell = min(choices, key=lambda c: _cost(paper, c)) if choices else None
        if cell is not None:
            hidden.add(cell)
            stuck -= _component(paper.lines, hidden, on_lines, cell)
            continue
        table = _freeing_table(
            paper, hidden, least, on_lines, pinned[0], expendable, jointly, table
        )
        withheld.add(table)
        stuck.clear()
        _withhold(paper, table)


def _withhold(paper: _Paper, table: int) -> dict[int, list[tuple[int, int]]]:
    """Take a table's lines out of the paper; the lines taken, to put back after a trial."""
    taken = {
        line: paper.lines[line] for line, owner in enumerate(paper.line_table) if owner == table
    }
    for line in taken:
        paper.lines[line] = []
    return taken


def _freeing_table(
    paper: _Paper,
    hidden: set[int],
    least: int,
    on_lines: list[list[int]],
    pinned: int,
    expendable: list[int],
    jointly: bool,
    otherwise: int,
) -> int:
    """The most expendable table whose withholding frees the pinned count (a table whose lines reach it only through the
    counts of others frees nothing, and would be lost for nothing); `otherwise` where none does alone."""
    tables = sorted(
        {paper.line_table[line] for line in on_lines[pinned] if paper.lines[line]},
        key=lambda t: (-expendable[t], -t),
    )
    for table in tables:
        taken = _withhold(paper, table)
        low, high = _narrowed(paper, hidden, least, on_lines)
        freed = low[pinned] < high[pinned] and not (
            jointly and _fixed_together(paper, hidden, low, high, on_lines, only={pinned})
        )
        for line, terms in taken.items():
            paper.lines[line] = terms
        if freed:
            return table
    return otherwise


def _lines_of(values: Sequence[int], lines: Sequence[Sequence[tuple[int, int]]]) -> list[list[int]]:
    """For each count, the lines it stands on."""
    on_lines: list[list[int]] = [[] for _ in values]
    for index, line in enumerate(lines):
        for v, _ in line:
            on_lines[v].append(index)
    return on_lines


def _component(
    lines: Sequence[Sequence[tuple[int, int]]],
    hidden: set[int],
    on_lines: list[list[int]],
    start: int,
) -> set[int]:
    """The hidden counts linked to `start` through lines: the only ones whose bounds a change at `start` can move."""
    found = {start}
    frontier = [start]
    while frontier:
        v = frontier.pop()
        for line in on_lines[v]:
            for w, _ in lines[line]:
                if w in hidden and w not in found:
                    found.add(w)
                    frontier.append(w)
    return found


def _culprits(
    paper: _Paper,
    hidden: set[int],
    on_lines: list[list[int]],
    pinned: int,
    low: list[int],
    high: list[int],
    most: int = 1,
) -> list[int]:
    """The shown cells of rank `most` or less on the lines that pin the count, cheapest first."""
    lines = _pinning(paper, on_lines, pinned, low, high)
    return sorted(
        {v for line in lines for v, _ in paper.lines[line] if _may_hide(paper, hidden, v, most)},
        key=lambda v: _cost(paper, v),
    )


def _may_hide(paper: _Paper, hidden: set[int], v: int, most: int) -> bool:
    """A shown count of rank `most` or less, never a zero: a reader would take a hidden zero for a count of 1 to 4, and
    rightly so nearly always, so a hidden zero protects nothing."""
    return v not in hidden and paper.values[v] > 0 and paper.rank[v] <= most


def _cost(paper: _Paper, v: int) -> tuple[int, int, int]:
    """Inner counts before totals, the region's totals last; the smallest first, losing the least."""
    return paper.rank[v], paper.values[v], v


def _freeing(
    paper: _Paper,
    hidden: set[int],
    on_lines: list[list[int]],
    pinned: int,
    low: list[int],
    high: list[int],
    least: int,
    jointly: bool = False,
) -> int | None:
    """The cheapest shown cell that, hidden alone, frees the pinned count and pins nothing in its place; else the cheapest that
    frees it. A few of each kind are tried. (Hiding a count just over the threshold beside a small one often frees the small
    one but is pinned itself, its `*` giving it away, and a line's total would be hidden next, then the region's.)"""
    shown = _culprits(paper, hidden, on_lines, pinned, low, high)
    tried = [
        cell
        for rank in sorted({paper.rank[v] for v in shown})
        for cell in [v for v in shown if paper.rank[v] == rank][:TRIALS]
    ]
    freeing = None
    for cell in tried:
        trial = hidden | {cell}
        linked = _component(paper.lines, trial, on_lines, cell)
        trial_low, trial_high = _narrowed(paper, trial, least, on_lines, linked)
        if trial_low[pinned] < trial_high[pinned] and not (
            jointly
            and _fixed_together(paper, trial, trial_low, trial_high, on_lines, linked, {pinned})
        ):
            if all(trial_low[v] < trial_high[v] for v in linked - paper.latent.keys()):
                return cell
            freeing = cell if freeing is None else freeing
    return freeing


def _beside(
    paper: _Paper,
    hidden: set[int],
    on_lines: list[list[int]],
    pinned: int,
    low: list[int],
    high: list[int],
    most: int,
    outwards: bool,
) -> int | None:
    """The likeliest cell of rank `most` or less to hide next to a count no single cell frees: on a line that pins it, else
    (`outwards`) line by line further out. None where no such cell is left.
    """
    shown = _culprits(paper, hidden, on_lines, pinned, low, high, most)
    if shown or not outwards:  # a cell other lines hold too, so that a later round can free it
        return shown[0] if shown else None
    seen = {pinned}
    frontier = [pinned]
    while frontier:
        near = {
            v
            for p in frontier
            for line in on_lines[p]
            if line not in paper.limits
            for v, _ in paper.lines[line]
        }  # not across a limit
        shown = [v for v in near if _may_hide(paper, hidden, v, most)]
        if shown:
            return min(shown, key=lambda v: _cost(paper, v))
        frontier = [v for v in near if v not in seen]
        seen |= near
    return None


def _to_withhold(
    paper: _Paper,
    on_lines: list[list[int]],
    pinned: list[int],
    low: list[int],
    high: list[int],
    expendable: list[int],
) -> int:
    """The most expendable table holding a line that pins a count: withholding a table the count does not hang on frees nothing."""
    pinning = [line for count in pinned for line in _pinning(paper, on_lines, count, low, high)]
    lines = pinning or [line for count in pinned for line in on_lines[count] if paper.lines[line]]
    return max({paper.line_table[line] for line in lines}, key=lambda t: (expendable[t], t))


def _pinning(
    paper: _Paper, on_lines: list[list[int]], count: int, low: list[int], high: list[int]
) -> list[int]:
    """The lines that hold the count where the audit found it: each that by itself reaches one of its bounds (a line that
    allows at most 5 of a `*`, 5 or more, pins it with the mark); for a count the lines fix only together, every line it
    stands on."""
    lines = [line for line in on_lines[count] if paper.lines[line]]
    if low[count] < high[count]:
        return lines
    return [
        line
        for line in lines
        if low[count] in (bounds := _bounds_from(paper.lines[line], count, low, high, paper.latent))
        or high[count] in bounds
    ]


def _bounds_from(
    line: Sequence[tuple[int, int]], v: int, low: list[int], high: list[int], latent: dict[int, int]
) -> tuple[int, int]:
    """What one line alone, with the others' bounds, allows the count v. A count never shown counts as anything from its
    least up: its bounds were narrowed through the lines of what it stands beside, so they would make the line seem to pin
    whatever those pin."""
    rest = [
        _term(weight, *((latent[w], MANY) if w in latent else (low[w], high[w])))
        for w, weight in line
        if w != v
    ]
    return _solved(next(weight for w, weight in line if w == v), _sum(rest, 0), _sum(rest, 1))


Bound = int | None  # None: no bound that way


def _term(weight: int, low: int, high: int) -> tuple[Bound, Bound]:
    """The least and most of weight x a count between low and high (MANY or more: no upper bound)."""
    top = None if high >= MANY else weight * high
    return (weight * low, top) if weight > 0 else (top, weight * low)


def _sum(terms: Sequence[tuple[Bound, Bound]], end: int) -> Bound:
    """The least (end 0) or most (end 1) of a sum of terms; None where a term has no bound that way."""
    ends = [t[end] for t in terms]
    return None if None in ends else sum(e for e in ends if e is not None)


def _solved(weight: int, rest_low: Bound, rest_high: Bound) -> tuple[int, int]:
    """The whole numbers v with weight x v + rest = 0, the rest between its bounds: (-MANY, MANY) where unbounded."""
    bottom = -MANY if rest_high is None else -rest_high
    top = MANY if rest_low is None else -rest_low
    if weight < 0:
        weight, bottom, top = -weight, -top, -bottom
    return -(-bottom // weight), top // weight


def _narrowed(
    paper: _Paper,
    hidden: set[int],
    least: int,
    on_lines: list[list[int]],
    within: set[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Each count's bounds once every line has narrowed them as far as it can; `within`, only the lines of those hidden counts
    (a component: the bounds of counts outside it are then left as their marks give them)."""
    values, lines = paper.values, paper.lines
    low, high = list(values), list(values)
    for v in hidden if within is None else within:
        low[v], high[v] = (
            (paper.latent[v], MANY)
            if v in paper.latent
            else (1, least - 1)
            if values[v] < least
            else (least, MANY)
        )
    waiting = sorted(
        {
            line
            for v in (hidden if within is None else within)
            for line in on_lines[v]
            if lines[line]
        }
    )
    queued = set(waiting)
    while waiting:
        index = waiting.pop()
        queued.discard(index)
        for v in _narrow(lines[index], low, high):
            for other in on_lines[v]:
                if other not in queued:
                    queued.add(other)
                    waiting.append(other)
    return low, high


def _narrow(line: Sequence[tuple[int, int]], low: list[int], high: list[int]) -> list[int]:
    """Narrow each count of a line that sums to zero by what the others allow (from the bounds the line began with); the
    counts narrowed."""
    terms = [_term(weight, low[v], high[v]) for v, weight in line]
    ends = [
        (sum(t[end] or 0 for t in terms), sum(t[end] is None for t in terms)) for end in (0, 1)
    ]  # each end: the sum of its bounded terms, and how many are unbounded

    def rest(term: tuple[Bound, Bound], end: int) -> Bound:
        total, unbounded = ends[end]
        own = term[end]
        return None if unbounded - (own is None) else total - (own or 0)

    changed = []
    for (v, weight), term in zip(line, terms):
        bottom, top = _solved(weight, rest(term, 0), rest(term, 1))
        if bottom > low[v] or top < high[v]:
            low[v], high[v] = max(low[v], bottom), min(high[v], top)
            changed.append(v)
    return changed


def _fixed_together(
    paper: _Paper,
    hidden: set[int],
    low: list[int],
    high: list[int],
    on_lines: list[list[int]],
    within: set[int] | None = None,
    only: set[int] | None = None,
) -> set[int]:
    """The hidden counts that every line and bound taken together fix to one whole number, though no line fixes them alone.

    Two lines' difference can fix a count (B + K = 5 and B + K + b + k + p = 8 give b + k + p = 3, each 1 or more, so
    each 1), as can two limits added (their slacks 0 or more), or a row's engagements. This is the attack of a reader with a linear-programming
    solver: each count's least and greatest value over every table of real numbers the paper allows (scipy's HiGHS); a
    count with one whole number in that range is fixed. `within`, only those counts' lines; `only`, only those counts.
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_array

    open_ = sorted(v for v in (hidden if within is None else within) if low[v] < high[v])
    column = {v: i for i, v in enumerate(open_)}
    lines = sorted({line for v in open_ for line in on_lines[v] if paper.lines[line]})
    rows, cols, coefficients, totals = [], [], [], []
    for r, line in enumerate(lines):
        known = 0
        for v, sign in paper.lines[line]:
            if v in column:
                rows.append(r)
                cols.append(column[v])
                coefficients.append(sign)
            else:
                known += sign * low[v]  # a shown count, or a hidden one the lines already fix
        totals.append(-known)
    if not open_:
        return set()
    matrix = coo_array((coefficients, (rows, cols)), shape=(len(lines), len(open_))).tocsr()
    bounds = [(low[v], None if high[v] >= MANY else high[v]) for v in open_]
    fixed = set()
    for v in open_:
        if v in paper.latent or (only is not None and v not in only):
            continue
        ends = []
        for direction in (1, -1):
            aim = [0.0] * len(open_)
            aim[column[v]] = direction
            result = linprog(aim, A_eq=matrix, b_eq=totals, bounds=bounds, method="highs")
            ends.append(direction * result.fun if result.status == 0 else None)
        least, most = ends
        if (
            least is not None
            and most is not None
            and math.floor(most + 1e-6) <= math.ceil(least - 1e-6)
        ):
            fixed.add(v)
    return fixed
