"""A board's charts as inline SVG, drawn by matplotlib from the protected tables only.

A hidden count is never drawn at its size: a heat-map cell shows its label on grey, a bar is left
out and labelled, a quarter is marked by a grey strip along the axis, named in the legend. Text is drawn as paths, so the SVG
needs no font; text is never read as mathematics (a `$` is a dollar sign); the SVG has no script,
link or date in it. Labels sit where nothing else is drawn: beside a bar's end, inside a cell, or
under the axis, thinned out when there are too many to fit.
"""

from __future__ import annotations

import io
import re

from .summary import NOT_EVALUATED_MARK, TOTAL, BoardTable
from .suppression import SECONDARY, Shown

HIDDEN_COLOUR = "#d9d9d9"
MARK_COLOURS = {
    "*": "#bdbdbd",
    NOT_EVALUATED_MARK: "#f2f2f2",
}  # a hidden count of 5 or more a shade darker than one under 5 (HIDDEN_COLOUR); not evaluated paler than either
BAR_COLOUR = "#1f5f8b"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "agency-rules",
            "svg.fonttype": "path",
            "font.size": 9,
            "text.parse_math": False,
            "text.usetex": False,
        }
    )
    from matplotlib import pyplot

    return pyplot


def _svg(figure, title: str) -> str:
    """The figure as an SVG element for inline use: no XML prolog or doctype, an accessible name, and ids of its own.

    Matplotlib numbers its elements the same way in every figure; several charts on one page would
    repeat ids, so each chart's ids (and the references to them) take a prefix from its title.
    """
    buffer = io.StringIO()
    figure.savefig(
        buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
    )
    _pyplot().close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    prefix = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + "-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attribute(title)}" ', 1)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _whole_numbers():
    """Ticks at whole numbers only: there is no half a breach."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _hidden_colour(mark: Shown) -> str:
    return MARK_COLOURS.get(str(mark), HIDDEN_COLOUR)


def _hidden_words(mark: str, least: int) -> str:
    """What a mark means, for a legend: `<5` is 1 to 4; `*` is 5 or more."""
    if mark.startswith("<") and mark[1:].isdigit():
        return f"{mark} hidden: 1 to {int(mark[1:]) - 1}"
    if mark == NOT_EVALUATED_MARK:
        return f"{mark} not evaluated: not known, not 0"
    return f"{mark} hidden: {least} or more" if mark == "*" else f"{mark} hidden"


def heatmap(table: BoardTable, least: int) -> str:
    """Councils down, rules across, each cell coloured by its count and labelled; hidden cells grey with their label."""
    pyplot = _pyplot()
    rows = [(label, cells[:-1]) for label, cells in table.rows if label != TOTAL]
    columns = [c for c in table.columns if c != TOTAL]
    figure, axes = pyplot.subplots(
        figsize=(max(4.0, 0.75 * len(columns) + 2.5), max(1.6, 0.42 * len(rows) + 1.0))
    )
    peak = max([v for _, cells in rows for v in cells if isinstance(v, int)] + [1])
    colours = pyplot.get_cmap("Reds")
    for y, (_, cells) in enumerate(rows):
        for x, value in enumerate(cells):
            known = isinstance(value, int)
            colour = (
                colours(0.12 + 0.78 * value / peak)
                if isinstance(value, int) and value
                else ("#ffffff" if known else _hidden_colour(str(value)))
            )
            axes.add_patch(pyplot.Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="#ffffff"))
            dark = isinstance(value, int) and value / peak > 0.55
            axes.text(
                x + 0.5,
                y + 0.5,
                str(value),
                ha="center",
                va="center",
                color="#ffffff" if dark else "#222222",
            )
    axes.set_xlim(0, len(columns))
    axes.set_ylim(len(rows), 0)
    axes.set_xticks([x + 0.5 for x in range(len(columns))], columns, rotation=45, ha="right")
    axes.set_yticks([y + 0.5 for y in range(len(rows))], [label for label, _ in rows])
    axes.tick_params(
        length=0, labeltop=len(rows) > 12
    )  # a tall map names its rules above as well as below
    for side in axes.spines.values():
        side.set_visible(False)
    hidden = sorted({str(v) for _, cells in rows for v in cells if not isinstance(v, int)})
    keys = []
    if any(isinstance(v, int) and v for _, cells in rows for v in cells):
        keys += [
            pyplot.Rectangle((0, 0), 1, 1, facecolor=colours(0.12), label="few breaches"),
            pyplot.Rectangle((0, 0), 1, 1, facecolor=colours(0.9), label=f"most breaches ({peak})"),
        ]
    if hidden:
        keys += [
            pyplot.Rectangle(
                (0, 0), 1, 1, facecolor=_hidden_colour(mark), label=_hidden_words(mark, least)
            )
            for mark in hidden
        ]
    if keys:
        axes.legend(handles=keys, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes.set_title(table.title, loc="left")
    return _svg(figure, table.title)


def bars(title: str, labels: list[str], values: list[Shown]) -> str:
    """Horizontal bars of shown counts, each labelled just beyond its end; a hidden count gets no bar, only its label."""
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(6.0, max(1.6, 0.3 * len(labels) + 0.9)))
    known = [v if isinstance(v, int) else 0 for v in values]
    axes.barh(range(len(labels)), known, color=BAR_COLOUR)
    for y, (value, length) in enumerate(zip(values, known)):
        axes.annotate(
            str(value),
            (length, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            color="#222222" if isinstance(value, int) else "#555555",
        )
    axes.set_yticks(range(len(labels)), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, max(known + [1]) * 1.15)
    axes.xaxis.set_major_locator(_whole_numbers())
    if not any(
        known
    ):  # every count hidden or zero: a scale of fractions of a breach would say nothing
        axes.set_xticks([])
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, loc="left")
    return _svg(figure, title)


TICKS = (
    24  # quarter labels at most along the axis: beyond that every k-th, so none overlaps the next
)


def trend(title: str, labels: list[str], values: list[Shown], least: int) -> str:
    """A line through the shown counts by quarter; a hidden quarter breaks the line and is a grey band over the range its
    mark means (1 to 4 for `<5`; 5 up to the top for `*`, with an arrow there and '5 or more' at its foot, since a band that
    stops reads as a count of about its height), each mark its own shade, named in the legend: a band its whole height
    made a quarter of fewer than 5 look larger than one of 7."""
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(6.5, 2.8))
    points = [float(v) if isinstance(v, int) else float("nan") for v in values]
    axes.plot(
        range(len(labels)),
        points,
        marker="o" if len(labels) <= 4 * TICKS else "",
        color=BAR_COLOUR,
        label="breaches"
        if any(isinstance(v, int) for v in values)
        else None,  # no line drawn, none named
    )
    shown = [v for v in values if isinstance(v, int)]
    ceiling = max([*shown, least if SECONDARY in values else least - 1]) * 1.15 + 0.5
    named: set[str] = set()
    for x, value in enumerate(values):
        if not isinstance(value, int):
            mark = str(value)
            bottom, top = (least, ceiling) if mark == SECONDARY else (1, least - 1)
            axes.add_patch(
                pyplot.Rectangle(
                    (x - 0.4, bottom),
                    0.8,
                    top - bottom,
                    facecolor=_hidden_colour(mark),
                    lw=0,
                    label=None if mark in named else _hidden_words(mark, least),
                )
            )
            named.add(mark)
            if mark == SECONDARY:  # no top: an arrow says the band goes on up, words say from where
                axes.plot([x], [ceiling], marker="^", color="#555555", clip_on=False)
                if len(labels) <= TICKS:
                    axes.text(
                        x, least, f"{least} or more", ha="center", va="bottom", color="#333333"
                    )
    step = -(-len(labels) // TICKS)
    axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    axes.set_xlim(-0.6, len(labels) - 0.4)
    axes.set_ylim(0, ceiling)
    axes.yaxis.set_major_locator(_whole_numbers())
    if named:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, loc="left")
    return _svg(figure, title)
