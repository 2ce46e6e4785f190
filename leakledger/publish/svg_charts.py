"""Grouped bar charts as inline SVG, drawn when the site is built.

No script draws them: the page works from file:// with JavaScript off and
prints as it shows. Each bar links to the page of the figure behind it and
carries its full value as a native tooltip (`<title>`). The value axis
starts at zero and its ticks are round numbers, so bar heights compare
honestly. Every bar carries its value label on its own band: level where
each fits its bar's width, else upright, with the axis raised to hold them.
Heights are computed from the Decimal figures themselves (no float on the
way), and the values shown as text come in already formatted. A bar that
stands for a range carries a whisker from its low end to its high end; a
lower bound (open above) an arrow up from its top. The axis reaches every
range's high end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from leakledger.presentation import compact_money, short_money
from leakledger.publish.markup import Markup, join

__all__ = ["Series", "bar_chart"]

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 46, 46
FONT = 12
#: A label's width per character, in chart units: 0.65 em (DejaVu Sans, the fallback here, draws digits
#: 0.64 em wide) at the largest size the stylesheet draws value labels (15 units, on a phone).
CHAR = Decimal("9.75")
#: The height of each further line of a sublabel, and the width of one of its characters (11px text).
SUB_LINE, SUB_CHAR = 15, 6.5


@dataclass
class Series:
    """One column of the period table: its label, colour, values and where each bar links."""

    label: str
    colour: str
    values: list  # Decimal or None per period
    texts: list[str]  # each value in words, for its tooltip ("730M–750M USD for 2024 (a range; ...)")
    hrefs: list  # site-relative URL per period, or None
    lower: list[bool]  # the value is a lower bound: an arrow up from its bar
    #: The label over each bar ("≈ 925M", "≥ 617.25M"); None: the value's short form.
    labels: list | None = None
    #: Each bar's range (Decimal or None per period): a whisker from low to high where both are known.
    lows: list | None = None
    highs: list | None = None
    #: Why a period has no bar ("not known: ..."), drawn in its place: a gap is never silent.
    unknown: list | None = None

    def label_of(self, i: int) -> str:
        given = self.labels[i] if self.labels else None
        value = Decimal(self.values[i])
        # a lower bound's label rounds down ("≥ 2.469B"): rounded up it would claim more than the books know
        return given or (f"≥ {compact_money(value, ROUND_FLOOR)}" if self.lower[i] else short_money(value))

    def range_of(self, i: int) -> tuple[Decimal, Decimal] | None:
        """The (low, high) of bar `i` where it stands for a range with both ends known, else None."""
        low = self.lows[i] if self.lows else None
        high = self.highs[i] if self.highs else None
        return None if low is None or high is None else (Decimal(low), Decimal(high))


def _step(span: Decimal) -> Decimal:
    """A round tick step giving about four ticks over `span`."""
    raw = span / 4
    power = Decimal(10) ** int(raw.log10().to_integral_value(ROUND_FLOOR))
    return next(m * power for m in (1, 2, Decimal("2.5"), 5, 10) if m * power >= raw)


def _slots(count: int, spans) -> list[tuple[float, float]]:
    """(x, width) of each period's group: equal, or on a time axis when `spans` gives dates."""
    plot_w = WIDTH - LEFT - RIGHT
    if not spans:
        return [(LEFT + plot_w * i / count, plot_w / count) for i in range(count)]
    first = min(start for start, _ in spans)
    days = (max(end for _, end in spans) - first).days + 1
    return [
        (LEFT + plot_w * (start - first).days / days, plot_w * ((end - start).days + 1) / days) for start, end in spans
    ]


def bar_chart(
    chart_id: str,
    title: str,
    periods: list[str],
    series: list[Series],
    *,
    sublabels: list[str | None] | None = None,
    spans: list | None = None,
    unit: str | None = None,
) -> Markup:
    """One chart as an `<svg>`: a group of bars per period, one bar per series.

    With `spans` ((first day, last day) per period) the groups sit on a time
    axis, each as wide as its period, so a year never passes for a quarter.
    `sublabels` are further lines under the period labels (the spans the
    figures cover; "\n" between lines). Period labels are drawn where they fit; value labels on
    every bar (level, or upright where a level one would reach over its neighbour), or on none where the bars
    are too narrow even for upright ones (the tooltips and tables carry them). `unit` names the value axis.
    """
    values = [Decimal(v) for s in series for v in s.values if v is not None]
    values += [end for s in series for i in range(len(periods)) if (r := s.range_of(i)) for end in r]
    title_id = f"{chart_id}-title"
    if not values or not periods:
        return Markup('<p class="none" id="{}">{}: no figures to draw.</p>').format(title_id, title)
    zero = Decimal(0)
    low, high = min(zero, *values), max(zero, *values)
    step = _step((high - low) or Decimal(1))
    top = (high / step).to_integral_value(ROUND_CEILING) * step if high > 0 else zero
    bottom = (low / step).to_integral_value(ROUND_FLOOR) * step if low < 0 else zero
    plot_h = HEIGHT - TOP - BOTTOM
    slots = _slots(len(periods), spans)

    def y(value: Decimal) -> Decimal:
        return TOP + plot_h * (top - value) / ((top - bottom) or 1)

    # The axis rises a step at a time until every value label stands inside the chart (upright ones are long).
    for _ in range(12):
        labels = _place_labels(series, slots, y)
        if labels is None or labels.inside:
            break
        top, bottom = (top + step, bottom) if labels.over else (top, bottom - step)
    placed = labels if labels is not None and labels.inside else None

    parts = [Markup('<title id="{}">{}</title>').format(title_id, title)]
    tick = bottom
    while tick <= top + step / 2:
        ty = y(tick)
        parts.append(
            Markup(
                '<line class="grid{}" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>'
                '<text class="tick" x="{}" y="{:.1f}" text-anchor="end">{}</text>'
            ).format(" zero" if tick == 0 else "", LEFT, WIDTH - RIGHT, ty, ty, LEFT - 6, ty + 4, short_money(tick))
        )
        tick += step
    if unit:
        parts.append(Markup('<text class="unit" x="4" y="{}">{}</text>').format(UNIT_Y, unit))
    # Value labels on every bar or on none: a lone label where one happens to fit reads as emphasis.
    for i, (period, (left, group)) in enumerate(zip(periods, slots)):
        bar = group * 0.8 / len(series)
        x0 = left + group * 0.1
        centre = left + group / 2
        if group >= CHAR * len(period):
            parts.append(
                Markup('<text class="period" x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                    centre, HEIGHT - BOTTOM + 17, period
                )
            )
        sub = (sublabels or [None] * len(periods))[i]
        lines = sub.split("\n") if sub else []
        if lines and group >= SUB_CHAR * max(map(len, lines)):  # each line where all fit, else none
            for k, line in enumerate(lines):
                parts.append(
                    Markup('<text class="sub" x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                        centre, HEIGHT - BOTTOM + 33 + SUB_LINE * k, line
                    )
                )
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                parts.append(_blank_mark(s, i, period, x0 + bar * j + bar / 2, y(zero)))
                continue
            value = Decimal(value)
            x = x0 + bar * j
            y_top, y_base = sorted((y(value), y(zero)))
            name = f"{s.label}, {period}: {s.texts[i]}"
            rect = Markup(
                '<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
                "<title>{}</title></rect>"
            ).format(x + 1, y_top, max(bar - 2, 1), max(y_base - y_top, 0.5), s.colour, name)
            href = s.hrefs[i]
            parts.append(Markup('<a href="{}" aria-label="{}">{}</a>').format(href, name, rect) if href else rect)
            mark, label_y = _range_mark(s, i, name, (x + bar / 2, bar), y_top, y)
            parts.append(mark)
            if placed is not None:
                parts.append(_value_label(x + bar / 2, placed, (i, j), s.label_of(i)))
    # a sublabel of several lines (what each bar covers) lengthens the chart below its axis, not its plot
    extra = SUB_LINE * max((sub.count("\n") for sub in sublabels or () if sub), default=0)
    return Markup(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" role="group" aria-labelledby="{}" font-size="{}">{}</svg>'
    ).format(chart_id, WIDTH, HEIGHT + extra, title_id, FONT, join(parts))


#: The baseline of the value axis's unit, over the plot; no value label stands above the line under it.
UNIT_Y, LABEL_TOP = 13, 18
#: A value label's height at the largest size the stylesheet draws it (15 units), with room to spare.
LABEL_H = 17
#: The gap between a bar (or its whisker) and its label.
GAP = 4


@dataclass
class Labels:
    """Where each bar's value label stands: {(period, series): (y of its anchor, under its bar)}, upright or level."""

    at: dict
    upright: bool
    #: Whether every label stays inside the chart; if not, whether one rises over the top (else under the bottom).
    inside: bool
    over: bool


def _place_labels(series: list[Series], slots: list[tuple[float, float]], y) -> Labels | None:
    """Each bar's value label, level over its bar where every label fits its bar's band, else upright (reading
    upwards from its bar, as "not known" does); None where the bars are too narrow even for upright labels.

    A label stays within its own bar's band (the bar's share of its period's group), so it never stands over
    a neighbour, whatever the neighbour's height; a negative value's label hangs under its bar.
    """
    zero = Decimal(0)
    count = len(series)
    found = []  # (key, text length in units, where its bar's mark ends, below)
    bands = []  # each label's bar's band, wider on a longer period's group (a time axis)
    for i, (left, group) in enumerate(slots):
        bar = group * 0.8 / count
        for j, s in enumerate(series):
            if s.values[i] is None:
                continue
            value = Decimal(s.values[i])
            x = left + group * 0.1 + bar * j
            y_top, y_base = sorted((y(value), y(zero)))
            _, mark_top = _range_mark(s, i, "", (x + bar / 2, bar), y_top, y)
            below = value < 0
            found.append(((i, j), CHAR * len(s.label_of(i)), y_base if below else mark_top, below))
            bands.append(bar)
    level = all(length <= band for (_, length, _, _), band in zip(found, bands))
    if not level and min(bands, default=0) < LABEL_H:
        return None
    at, over, under = {}, False, False
    for key, length, edge, below in found:
        rise = LABEL_H if level else length  # how far the label reaches from its bar
        # a level label's anchor is its baseline: one hanging under its bar sits a line lower
        at[key] = (edge + GAP + (0 if not level else LABEL_H - 4), True) if below else (edge - GAP, False)
        if below:
            under = under or edge + GAP + rise > HEIGHT - BOTTOM
        else:
            over = over or edge - GAP - rise < LABEL_TOP
    return Labels(at, not level, not (over or under), over)


def _value_label(x: float, labels: Labels, key: tuple[int, int], text: str) -> Markup:
    """Bar `key`'s value label at `x`: level and centred on its bar, or upright reading upwards from its bar's
    end (ending there when it hangs under a negative bar)."""
    y, below = labels.at[key]
    if not labels.upright:
        return Markup('<text class="value" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>').format(x, y, text)
    return Markup(
        '<text class="value" x="{x:.1f}" y="{y:.1f}" transform="rotate(-90 {x:.1f} {y:.1f})" dy=".35em"'
        ' text-anchor="{a}">{t}</text>'
    ).format(x=x, y=y, a="end" if below else "start", t=text)


#: How far a lower bound's arrow reaches over its bar, in chart units.
ARROW = 14


def _range_mark(s: Series, i: int, name: str, where: tuple[float, float], y_top: Decimal, y) -> tuple[Markup, Decimal]:
    """Bar `i`'s whisker (a range) or arrow (a lower bound), and the height its label stands over.

    `where` is the bar's centre and width; `y` maps a value to its height.
    """
    centre, bar = where
    found = s.range_of(i)
    if found is not None:
        low, high = (y(end) for end in found)
        cap = min(bar / 3, 8)
        path = (
            f"M{centre:.1f},{low:.1f}V{high:.1f}"
            f"M{centre - cap:.1f},{high:.1f}H{centre + cap:.1f}M{centre - cap:.1f},{low:.1f}H{centre + cap:.1f}"
        )
        mark = Markup('<path class="whisker" d="{}"><title>{}</title></path>').format(path, name)
        return mark, min(y_top, high)
    if s.lower[i]:
        base, top = y_top, y_top - ARROW
        path = (
            f"M{centre:.1f},{base:.1f}V{top + 4:.1f}"
            f"M{centre - 4:.1f},{top + 5:.1f}L{centre:.1f},{top - 1:.1f}L{centre + 4:.1f},{top + 5:.1f}Z"
        )
        mark = Markup('<path class="whisker open" d="{}"><title>{}</title></path>').format(path, name)
        return mark, top
    return Markup(""), y_top


def _blank_mark(s: Series, i: int, period: str, centre: float, base: Decimal) -> Markup:
    """ "not known" upright in the place of a series' missing bar, with why as its tooltip; nothing if none is given.

    A series with no value anywhere draws nothing: its legend entry says so.
    """
    why = s.unknown[i] if s.unknown else None
    if not why or all(v is None for v in s.values):
        return Markup("")
    return Markup(
        '<text class="unknown" x="{x:.1f}" y="{y:.1f}" transform="rotate(-90 {x:.1f} {y:.1f})" dy=".35em">'
        "not known<title>{name}</title></text>"
    ).format(x=centre, y=base - 4, name=f"{s.label}, {period}: {why}")


def legend(series: list[Series]) -> Markup:
    """The series as an HTML list under the chart (a series with no value says so)."""
    items = []
    for s in series:
        none = "" if any(v is not None for v in s.values) else " (no figure)"
        bound = " (≥: a lower bound, arrow up)" if any(s.lower) else ""
        bound += " (whisker: its range)" if any(s.range_of(i) for i in range(len(s.values))) else ""
        items.append(
            Markup('<li><span class="swatch" style="background:{}" aria-hidden="true"></span>{}{}{}</li>').format(
                s.colour, s.label, bound, none
            )
        )
    return Markup('<ul class="legend">{}</ul>').format(join(items))
