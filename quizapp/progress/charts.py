"""Bar charts laid out on the server, drawn as inline SVG by the templates (no script, no CDN)."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
AXIS_LEFT = 44
PLOT_TOP = 12
PLOT_RIGHT = 24  # room for the last axis label
AXIS_BOTTOM = 28
LABEL_COLUMN = 220
ROW_HEIGHT = 26
LABEL_LINE = 14  # a row's label on two lines takes one line's height more
LABEL_LIMIT = 30  # characters of a row's label on one line: what the label column holds at 12px
MARK_ROOM = 16


@dataclass(frozen=True)
class Point:
    """One datum: its axis label, its value, and how the value reads in words."""

    label: str
    value: float
    text: str
    mark: str = ""  # written above a column, where a bar of no height must not read as no data


@dataclass(frozen=True)
class Bar:
    point: Point
    x: float
    y: float
    width: float
    height: float
    axis_label: str  # shown under (or beside) the bar; empty to keep the axis readable
    share: float = 0.0  # of a row chart's full scale, 0 to 1: where the drawing is too wide, a bar is drawn this long
    label_lines: tuple[str, ...] = ()  # a row chart's label, on one line or two


@dataclass(frozen=True)
class Tick:
    value: str
    position: float  # y for column charts, x for row charts


@dataclass(frozen=True)
class Chart:
    """Everything a template needs to draw a chart and its text alternative."""

    id: str
    title: str
    summary: str
    kind: str  # "columns" (a series over days) or "rows" (one bar per category)
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    label_header: str
    value_header: str
    # A series that ends today: where the chart is wider than the screen, it opens at its end, today.
    ends_now: bool = False
    # Nothing to draw yet: the page says so in words instead of drawing empty axes.
    empty: bool = False


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k not below value (at least 1), so axis ticks read well."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def column_chart(chart_id: str, title: str, summary: str, points: list[Point], label_every: int = 5,
                 label_header: str = "Day", value_header: str = "Count", height: int = 200,
                 maximum: float | None = None, ends_now: bool = False, empty: bool | None = None) -> Chart:
    """Vertical bars over a series (days), labelling every `label_every`-th bar and the last.

    Unless told, a series is empty when every count in it is 0."""
    top = maximum or nice_ceiling(max((p.value for p in points), default=0))
    plot_top = PLOT_TOP + (MARK_ROOM if any(p.mark for p in points) else 0)  # room for the mark of a full bar
    plot_width, plot_height = WIDTH - AXIS_LEFT - PLOT_RIGHT, height - plot_top - AXIS_BOTTOM
    band = plot_width / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        bar_height = plot_height * point.value / top
        labelled = index % label_every == 0 or index == len(points) - 1
        bars.append(Bar(point, AXIS_LEFT + index * band + band * 0.15, plot_top + plot_height - bar_height,
                        band * 0.7, bar_height, point.label if labelled else ""))
    # A count has no halves: on a scale of 1 or 5 the middle tick is left out rather than read "0.5" or "2.5".
    ticks = [Tick(_format(top * share), plot_top + plot_height * (1 - share)) for share in (0, 0.5, 1)
             if maximum is not None or float(top * share).is_integer()]
    if empty is None:
        empty = not any(p.value for p in points)
    return Chart(chart_id, title, summary, "columns", WIDTH, height, bars, ticks, label_header, value_header, ends_now,
                 empty)


def row_chart(chart_id: str, title: str, summary: str, points: list[Point], maximum: float = 100,
              label_header: str = "Topic", value_header: str = "Value") -> Chart:
    """Horizontal bars, one per category, on a fixed scale (percentages by default)."""
    plot_width = WIDTH - LABEL_COLUMN - 56
    bars, top = [], PLOT_TOP
    for point in points:
        lines = label_lines(point.label, LABEL_LIMIT)
        row = ROW_HEIGHT + LABEL_LINE * (len(lines) - 1)
        bars.append(Bar(point, LABEL_COLUMN, top + (row - ROW_HEIGHT) / 2 + 4, plot_width * point.value / maximum,
                        ROW_HEIGHT - 8, " ".join(lines), min(max(point.value / maximum, 0), 1), lines))
        top += row
    height = top + AXIS_BOTTOM
    ticks = [Tick(_format(maximum * share), LABEL_COLUMN + plot_width * share) for share in (0, 0.5, 1)]
    # A category at 0% is data (every answer wrong); only no category at all is empty.
    return Chart(chart_id, title, summary, "rows", WIDTH, height, bars, ticks, label_header, value_header,
                 empty=not points)


def _format(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def label_lines(text: str, limit: int) -> tuple[str, ...]:
    """A label on one line, or broken between words into two as even as can be, the second shortened if need be."""
    if len(text) <= limit:
        return (text,)
    # A topic is named whole where it can be: cut at a fixed length, "Purges and the Nazarbayev fam…" lost its point.
    words = text.split(" ")
    splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    fitting = [(first, rest) for first, rest in splits if len(first) <= limit]
    if not fitting:
        return (_shorten(text, limit),)
    whole = [(first, rest) for first, rest in fitting if len(rest) <= limit]
    if whole:
        first, rest = min(whole, key=lambda pair: max(len(pair[0]), len(pair[1])))
        return first, rest
    first, rest = fitting[-1]  # the fullest first line, so that as little as can be is cut from the second
    return first, _shorten(rest, limit)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
