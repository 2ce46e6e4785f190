"""Bar charts as inline SVG, drawn on the server.

No JavaScript and no charting library: the chart is part of the HTML Fava
inserts into the page, so it renders on Fava's partial page loads, offline,
in print, and with Fava's own colours (CSS variables, dark mode included).
Every bar is a link to the journal entries behind it and carries a tooltip
with the exact figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

#: Drawing area, in SVG user units; the SVG scales to its container's width.
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 36
#: Above this many periods the value labels on bars would collide.
MAX_LABELLED_GROUPS = 8


@dataclass(frozen=True)
class Point:
    """One figure: its value (None where the figures do not cover the period)."""

    value: Decimal | None
    href: str | None = None
    note: str = ""
    lower_bound: bool = False


@dataclass(frozen=True)
class Series:
    """A named row of figures, one per period; `css` names its colour class."""

    name: str
    css: str
    points: tuple[Point, ...]
    style: str = "bar"  # "bar" or "line"
    legend_note: str = ""


def short_amount(value: Decimal | float) -> str:
    """2469000000 -> '2.47B': the axis and bar labels, not the figures."""
    number = float(value)
    magnitude = abs(number)
    for bound, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= bound:
            text = f"{number / bound:.2f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{number:.0f}"


def full_amount(value: Decimal) -> str:
    return f"{value:,.2f} USD"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values spanning [low, high], always including zero."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    tick = start
    while tick < high + step * 0.999:
        ticks.append(round(tick, 6))
        tick += step
    return ticks


def bar_chart(title: str, periods: list[str], series: list[Series], *, chart_id: str,
              sublabels: list[str] | None = None) -> Markup:
    """A grouped bar chart (with optional line series) as an `<svg>` element.

    `sublabels` go under the period labels (e.g. the span a row's figures cover).
    """
    values = [float(p.value) for s in series for p in s.points if p.value is not None]
    # Headroom above the tallest bar for its label.
    ticks = nice_ticks(min(values, default=0.0) * 1.08, max(values, default=0.0) * 1.08)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    out: list[str] = [
        f'<svg class="leak-chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for tick in ticks:
        ty = y(tick)
        css = "zero" if tick == 0 else "grid"
        out.append(f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{short_amount(tick)}</text>')
    if not periods or not values:
        out.append(f'<text class="empty" x="{LEFT + plot_w / 2}" y="{TOP + plot_h / 2}" text-anchor="middle">'
                   "no figures for these filters</text></svg>")
        return Markup("".join(out))

    group_w = plot_w / len(periods)
    bars = [s for s in series if s.style == "bar"]
    bar_w = group_w * 0.8 / max(len(bars), 1)
    labelled = len(periods) <= MAX_LABELLED_GROUPS
    for i, period in enumerate(periods):
        x0 = LEFT + i * group_w
        out.append(f'<text class="period" x="{x0 + group_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(period)}</text>')
        if sublabels and sublabels[i]:
            out.append(f'<text class="covered" x="{x0 + group_w / 2:.1f}" y="{HEIGHT - BOTTOM + 29}" '
                       f'text-anchor="middle">{escape(sublabels[i])}</text>')
        for j, s in enumerate(bars):
            point = s.points[i]
            if point.value is None:
                continue
            v = float(point.value)
            top, bottom = y(max(v, 0.0)), y(min(v, 0.0))
            x = x0 + group_w * 0.1 + j * bar_w
            rect = (f'<rect class="bar {escape(s.css)}" x="{x:.1f}" y="{top:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{max(bottom - top, 0.5):.1f}"><title>{escape(_tooltip(s, period, point))}</title></rect>')
            out.append(_linked(rect, point.href))
            if labelled:
                ly = top - 8 if v >= 0 else bottom + 14
                out.append(f'<text class="value" x="{x + bar_w / 2 - 1:.1f}" y="{ly:.1f}" text-anchor="middle">'
                           f"{'≥ ' if point.lower_bound else ''}{short_amount(v)}</text>")
    for s in series:
        if s.style == "line":
            out += _line(s, periods, group_w, y)
    out.append("</svg>")
    return Markup("".join(out))


def _tooltip(s: Series, period: str, point: Point) -> str:
    text = f"{s.name}, {period}: {full_amount(point.value)}"
    return f"{text} ({point.note})" if point.note else text


def _linked(element: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{element}</a>' if href else element


def legend(series: list[Series]) -> Markup:
    """The chart's key as an HTML list (it wraps, where SVG text would not)."""
    items = []
    for s in series:
        mark = "dot" if s.style == "line" else "swatch"
        note = f' <span class="note">({escape(s.legend_note)})</span>' if s.legend_note else ""
        items.append(f'<li><span class="{mark} {escape(s.css)}"></span>{escape(s.name)}{note}</li>')
    return Markup(f'<ul class="leak-legend">{"".join(items)}</ul>')


def _line(s: Series, periods: list[str], group_w: float, y) -> list[str]:
    points = [(LEFT + (i + 0.5) * group_w, p) for i, p in enumerate(s.points) if p.value is not None]
    out = []
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y(float(p.value)):.1f}" for x, p in points)
        out.append(f'<polyline class="line {escape(s.css)}" points="{path}"/>')
    for (x, p), period in zip(points, [periods[i] for i, q in enumerate(s.points) if q.value is not None]):
        cy = y(float(p.value))
        dot = (f'<circle class="dot {escape(s.css)}" cx="{x:.1f}" cy="{cy:.1f}" r="5">'
               f"<title>{escape(_tooltip(s, period, p))}</title></circle>")
        out.append(_linked(dot, p.href))
    return out
