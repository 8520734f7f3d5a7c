"""Charts drawn on the server as inline SVG: no script and no library, so they print as they show.

Every label and link is escaped here; the result is marked safe only once it is built. Each chart
is an image with a title for screen readers, and the pages put the same figures in a table beside it.
A chart is drawn on a fixed grid (viewBox) and scales to the width of its box, so it fits an A4 page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 240
LEFT = 44
RIGHT = 16
TOP = 16
BOTTOM = 36
TICKS = (0, 25, 50, 75, 100)
LEGEND_ROW = 14
LEGEND_CHAR = 6.5  # a generous average width of an 11px character

Number = float | int | Decimal | None


@dataclass(frozen=True)
class Series:
    """One line of a line chart; `css` names its colour class (chart-series-0, -1, ...)."""

    label: str
    values: Sequence[Number]
    css: str = "chart-series-0"


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plot_width() -> int:
    return WIDTH - LEFT - RIGHT


def _plot_height() -> int:
    return HEIGHT - TOP - BOTTOM


def _y(value: float, top: float) -> float:
    return TOP + _plot_height() * (1 - min(max(value, 0.0), top) / top)


def _axes(labels: Sequence[str], top: float, step: float, *, unit: str) -> list[str]:
    parts = []
    for tick in TICKS:
        value = top * tick / 100
        y = _y(value, top)
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" y2="{_fmt(y)}"/>')
        parts.append(
            f'<text class="chart-tick" x="{LEFT - 6}" y="{_fmt(y + 4)}" text-anchor="end">'
            f"{escape(_fmt(value))}{escape(unit)}</text>"
        )
    for index, label in enumerate(labels):
        x = LEFT + step * (index + 0.5)
        parts.append(
            f'<text class="chart-label" x="{_fmt(x)}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    return parts


def _legend(legend: list[tuple[str, str]]) -> tuple[list[str], int]:
    """The keys under the plot, wrapped onto more rows when they do not fit; gives the extra height."""
    keys: list[str] = []
    x: float = LEFT
    row = 0
    for label, css in legend:
        width = 24 + LEGEND_CHAR * len(label)
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, row = LEFT, row + 1
        y = HEIGHT - 12 + LEGEND_ROW * row
        keys.append(f'<rect class="{_attr(css)}" x="{_fmt(x)}" y="{y}" width="10" height="10"/>')
        keys.append(f'<text class="chart-legend" x="{_fmt(x + 14)}" y="{y + 9}">{escape(label)}</text>')
        x += width
    return keys, LEGEND_ROW * row


def _svg(title: str, parts: list[str], legend: list[tuple[str, str]]) -> SafeString:
    keys, extra = _legend(legend)
    body = "".join(parts + keys)
    # Every label and link above is escaped.
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + extra}" role="img" aria-label="{_attr(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Number],
    links: Sequence[str | None] | None = None,
    target: Sequence[Number] | None = None,
    value_label: str = "",
    target_label: str = "",
    top: float = 100.0,
    unit: str = "%",
) -> SafeString:
    """Bars per label (an empty value draws no bar), each a link when given, and a target line."""
    step = _plot_width() / max(len(labels), 1)
    parts = _axes(labels, top, step, unit=unit)
    for index, value in enumerate(values):
        if value is None:
            continue
        x = LEFT + step * index + step * 0.2
        y = _y(float(value), top)
        bar = (
            f'<rect class="chart-bar" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(step * 0.6)}" '
            f'height="{_fmt(TOP + _plot_height() - y)}"><title>{escape(labels[index])}: '
            f"{escape(_fmt(float(value)))}{escape(unit)}</title></rect>"
            f'<text class="chart-value" x="{_fmt(x + step * 0.3)}" y="{_fmt(y - 4)}" text-anchor="middle">'
            f"{escape(_fmt(float(value)))}</text>"
        )
        link = links[index] if links is not None else None
        parts.append(f'<a href="{_attr(link)}">{bar}</a>' if link else bar)
    legend = [(value_label, "chart-bar")] if value_label else []
    if target is not None:
        points = [
            f"{_fmt(LEFT + step * (index + 0.5))},{_fmt(_y(float(value), top))}"
            for index, value in enumerate(target)
            if value is not None
        ]
        if points:
            parts.append(f'<polyline class="chart-target" points="{" ".join(points)}"/>')
        if target_label:
            legend.append((target_label, "chart-target-key"))
    return _svg(title, parts, legend)


def line_chart(
    *, title: str, labels: Sequence[str], series: Sequence[Series], top: float = 100.0, unit: str = "%"
) -> SafeString:
    """One line per series over the labels; a gap where a value is empty (nothing was counted)."""
    step = _plot_width() / max(len(labels), 1)
    parts = _axes(labels, top, step, unit=unit)
    for line in series:
        run: list[str] = []
        runs: list[list[str]] = []
        for index, value in enumerate(line.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            x, y = LEFT + step * (index + 0.5), _y(float(value), top)
            run.append(f"{_fmt(x)},{_fmt(y)}")
            parts.append(
                f'<circle class="{_attr(line.css)}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3">'
                f"<title>{escape(line.label)} {escape(labels[index])}: {escape(_fmt(float(value)))}"
                f"{escape(unit)}</title></circle>"
            )
        if run:
            runs.append(run)
        for points in runs:
            parts.append(f'<polyline class="chart-line {_attr(line.css)}" points="{" ".join(points)}"/>')
    return _svg(title, parts, [(line.label, line.css) for line in series])
