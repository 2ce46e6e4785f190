"""A period's flows between OpenAI and Microsoft as an inline SVG diagram, and as a table.

Drawn when the page is built (the published site, and the Fava page from
Python), with no script. OpenAI's node stands on the left, Microsoft's on
the right; each flow is a band as wide as its amount, fanning out from the
nodes into a lane of its own. The two 20% shares meet at a netting node:
OpenAI's 20% goes in, the net payment (the cash) and Microsoft's 20% (set
off against it) come out. What an amount is shows in how it is drawn:
exact amounts solid; a lower bound hatched and outlined, as wide as its
bound, with a dashed edge beyond it (it may be wider); a range solid to its low end and hatched to its high end; a flow
not known, or withheld because the books have errors, a dashed line with
no width. Every band carries its figure as its tooltip (`<title>`) and
links to the figure's page where it has one. Widths are computed from the
Decimal amounts, with one scale for every diagram of a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from leakledger.flows import LOWER, RANGE, SHORT, UNKNOWN, Flow, PeriodFlows
from leakledger.periods import parse_period
from leakledger.presentation import short_money as short
from leakledger.publish.markup import Markup, join
from leakledger.table_numbers import months

__all__ = ["BAND_SPACE", "COLOURS", "WIDTH", "flow_diagram", "flow_scale", "flow_table"]

WIDTH = 560
#: The height the busiest node of a page takes: its bands' sum at the page's scale.
BAND_SPACE = Decimal(150)
TOP, LABEL, LANE_GAP, NODE_GAP, BOTTOM = 34, 18, 8, 3, 8
NODE_W, NET_W, CURVE = 12, 8, 70
LEFT_X, RIGHT_X = Decimal(8), Decimal(WIDTH - 8 - NODE_W)
NET_X = Decimal(292)
FONT = 12
#: About this many units per character of a 12-unit label (clamping labels inside the picture).
CHAR = Decimal("6.6")

COLOURS = {
    "inference": "#c2410c",
    "training": "#a16207",
    "openai_share": "#6d4fc2",
    "net_payment": "#333333",
    "microsoft_share": "#0f766e",
    "funding": "#15803d",
}

HrefOf = Callable[[PeriodFlows, Flow], "str | None"]
#: (x, y) of a band's top edge, in the picture's units.
Point = tuple[Decimal, Decimal]
CENT = Decimal("0.01")


def _sides(pf: PeriodFlows) -> tuple[Decimal, Decimal]:
    """What OpenAI's and Microsoft's nodes hold: the drawn amounts of their bands."""

    def total(keys) -> Decimal:
        return sum((pf.flow(k).drawn or Decimal(0) for k in keys), Decimal(0))

    left = total(("inference", "training", "openai_share", "funding"))
    right = total(("inference", "training", "net_payment", "microsoft_share", "funding"))
    return left, right


def flow_scale(periods: list[PeriodFlows]) -> Decimal:
    """Units of height per USD, one for a whole page: its busiest node takes BAND_SPACE."""
    most = max((max(_sides(pf)) for pf in periods), default=Decimal(0))
    return BAND_SPACE / most if most > 0 else Decimal(0)


def _num(value: Decimal | int) -> str:
    """A coordinate to the hundredth of a unit, without trailing zeros."""
    return f"{Decimal(value).quantize(CENT):f}".rstrip("0").rstrip(".")


def _band_path(stations: Sequence[Point], width: Decimal) -> str:
    """A band along `stations` (top-edge points), `width` thick, S-curves between them.

    It starts at the first station's top and ends at its bottom, so the
    band's thickness is the last point's y less the first's.
    """
    top = [f"M{_num(stations[0][0])},{_num(stations[0][1])}"]
    for (x0, y0), (x1, y1) in zip(stations, stations[1:]):
        mid = (x0 + x1) / 2
        top.append(f"C{_num(mid)},{_num(y0)} {_num(mid)},{_num(y1)} {_num(x1)},{_num(y1)}")
    back = list(reversed(stations))
    bottom = [f"L{_num(back[0][0])},{_num(back[0][1] + width)}"]
    for (x0, y0), (x1, y1) in zip(back, back[1:]):
        mid = (x0 + x1) / 2
        bottom.append(f"C{_num(mid)},{_num(y0 + width)} {_num(mid)},{_num(y1 + width)} {_num(x1)},{_num(y1 + width)}")
    return " ".join([*top, *bottom, "Z"])


def _centre_line(stations: Sequence[Point]) -> str:
    parts = [f"M{_num(stations[0][0])},{_num(stations[0][1])}"]
    for (x0, y0), (x1, y1) in zip(stations, stations[1:]):
        mid = (x0 + x1) / 2
        parts.append(f"C{_num(mid)},{_num(y0)} {_num(mid)},{_num(y1)} {_num(x1)},{_num(y1)}")
    return " ".join(parts)


def _span_text(label: str) -> str:
    """A span as short as a label can take it: "Jan–Sep" within one year, else as written."""
    span = parse_period(label)
    if months(span) and span.start.year == span.end.year:
        first, last = f"{span.start:%b}", f"{span.end:%b}"
        return first if first == last else f"{first}–{last}"
    return label


def _label_text(flow: Flow, pf: PeriodFlows) -> str:
    arrow = "→" if flow.payer == "OpenAI" else "←"
    if flow.withheld:
        amount = "withheld (errors)"
    elif flow.kind == UNKNOWN or flow.amount is None:
        amount = "not known"
    elif flow.kind == LOWER:
        amount = f"≥ {short(flow.amount)}"
    elif flow.kind == RANGE and flow.high is not None:
        amount = f"{short(flow.amount)} – {short(flow.high)}"
    else:
        amount = short(flow.amount)
    # Where the row's flows cover different spans, each partial one says which.
    part = f" ({_span_text(flow.covers)})" if flow.covers and flow.covers != pf.covered else ""
    return f"{arrow} {SHORT[flow.key]}: {amount}{part}"


def _tooltip(pf: PeriodFlows, flow: Flow) -> str:
    money = flow.text if flow.kind == UNKNOWN else f"{flow.text} USD"
    return f"{flow.label}, {flow.payer} → {flow.payee}, {pf.period}: {money} ({flow.what})"


def _partial_note(pf: PeriodFlows) -> str:
    """What a period's heading says of flows that cover less of it."""
    if pf.covered:
        return f" (figures for {pf.covered} only)"
    if any(f.covers for f in pf.flows):
        return " (some flows cover less of it: each says which)"
    return ""


def flow_diagram(diagram_id: str, pf: PeriodFlows, scale: Decimal, href_of: HrefOf | None = None) -> Markup:
    """One period's flows as an SVG (ids prefixed `diagram_id`, so several fit on a page)."""
    widths = {f.key: f.drawn * scale if f.drawn is not None else Decimal(0) for f in pf.flows}
    # Lanes down the middle, each under a row for its labels.
    y = Decimal(TOP)
    lanes: dict[str, Decimal] = {}
    for lane in (("inference",), ("training",), ("openai_share", "net_payment"), ("microsoft_share",), ("funding",)):
        y += LABEL
        for key in lane:
            lanes[key] = y
        y += max(widths[k] for k in lane) + LANE_GAP
    height = y - LANE_GAP + BOTTOM
    # Each node holds its bands stacked tight, in lane order, starting at the first lane.
    node_y: dict[tuple[str, str], Decimal] = {}
    for side, keys in (
        ("OpenAI", ("inference", "training", "openai_share", "funding")),
        ("Microsoft", ("inference", "training", "net_payment", "microsoft_share", "funding")),
    ):
        at = Decimal(TOP + LABEL)
        for key in keys:
            node_y[(side, key)] = at
            at += widths[key] + NODE_GAP
        node_y[(side, "end")] = at - NODE_GAP
    left_edge, right_edge = LEFT_X + NODE_W, RIGHT_X
    stations = {}
    for key in ("inference", "training", "funding"):
        stations[key] = [
            (left_edge, node_y[("OpenAI", key)]),
            (left_edge + CURVE, lanes[key]),
            (right_edge - CURVE, lanes[key]),
            (right_edge, node_y[("Microsoft", key)]),
        ]
    stations["openai_share"] = [
        (left_edge, node_y[("OpenAI", "openai_share")]),
        (left_edge + CURVE, lanes["openai_share"]),
        (NET_X, lanes["openai_share"]),
    ]
    for key in ("net_payment", "microsoft_share"):
        stations[key] = [
            (NET_X + NET_W, lanes[key]),
            (right_edge - CURVE, lanes[key]),
            (right_edge, node_y[("Microsoft", key)]),
        ]
    defs, bands = [], []
    for flow in pf.flows:
        colour = COLOURS[flow.key]
        points, width = stations[flow.key], widths[flow.key]
        name = _tooltip(pf, flow)
        data = Markup(' data-flow="{}" data-kind="{}" data-amount="{}" data-width="{}"').format(
            flow.key, flow.kind, "" if flow.drawn is None else flow.drawn, _num(width)
        )
        if flow.drawn is None:
            shape = Markup(
                '<path class="band unknown"{} d="{}" fill="none" stroke="{}" stroke-width="1.5" '
                'stroke-dasharray="5 4"><title>{}</title></path>'
            ).format(data, _centre_line(points), colour, name)
        elif flow.kind in (LOWER, RANGE):
            hatch = f"{diagram_id}-hatch-{flow.key}"
            defs.append(
                Markup(
                    '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" '
                    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
                    '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2.5"/></pattern>'
                ).format(hatch, colour)
            )
            shape = Markup(
                '<path class="band {}"{} d="{}" fill="url(#{})" stroke="{}" stroke-width="1.5"><title>{}</title></path>'
            ).format("lower" if flow.kind == LOWER else "range", data, _band_path(points, width), hatch, colour, name)
            if flow.kind == LOWER:  # a dashed edge beyond the bound: the flow may be wider, even where it is thin
                shape += Markup(
                    '<path class="bound-edge" d="{}" fill="none" stroke="{}" stroke-width="1" stroke-dasharray="3 3"/>'
                ).format(_centre_line([(x, y + width + Decimal("3.5")) for x, y in points]), colour)
            if flow.kind == RANGE and flow.amount is not None:  # the part the range is sure of, solid
                shape += Markup('<path class="band-low" d="{}" fill="{}" fill-opacity="0.85"/>').format(
                    _band_path(points, flow.amount * scale), colour
                )
        else:
            shape = Markup(
                '<path class="band exact"{} d="{}" fill="{}" fill-opacity="0.82"><title>{}</title></path>'
            ).format(data, _band_path(points, width), colour, name)
        href = href_of(pf, flow) if href_of else None
        if href:
            shape = Markup('<a href="{}" aria-label="{}">{}</a>').format(href, name, shape)
        bands.append(Markup('<g class="flow" data-flow="{}">{}</g>').format(flow.key, shape))
    labels = []
    for flow in pf.flows:
        text = _label_text(flow, pf)
        points = stations[flow.key]
        # The shares' labels stand either side of the netting node; the others centre on their lane.
        if flow.key == "openai_share":
            x, anchor = NET_X - 4, "end"
        elif flow.key in ("net_payment", "microsoft_share"):
            x, anchor = NET_X + NET_W + 4, "start"
        else:
            half = len(text) * CHAR / 2
            x, anchor = min(max((points[1][0] + points[-2][0]) / 2, half + 2), WIDTH - half - 2), "middle"
        labels.append(
            Markup('<text class="flow-label" x="{}" y="{}" text-anchor="{}">{}</text>').format(
                _num(x), _num(lanes[flow.key] - 5), anchor, text
            )
        )
    net_bottom = max(
        lanes["openai_share"] + widths["openai_share"],
        lanes["net_payment"] + widths["net_payment"],
        lanes["microsoft_share"] + widths["microsoft_share"],
    )
    nodes = Markup(
        '<rect class="node" x="{lx}" y="{top}" width="{nw}" height="{lh}" fill="#1b1b1b"><title>OpenAI</title></rect>'
        '<rect class="node" x="{rx}" y="{top}" width="{nw}" height="{rh}" fill="#1b1b1b"><title>Microsoft</title></rect>'
        '<rect class="node netting" x="{nx}" y="{ny}" width="{netw}" height="{nh}" fill="#6b6b6b">'
        "<title>Netting: OpenAI's 20% less Microsoft's 20% is paid as one net payment</title></rect>"
        '<text class="party" x="{lx}" y="{py}">OpenAI</text>'
        '<text class="party" x="{rr}" y="{py}" text-anchor="end">Microsoft</text>'
    ).format(
        lx=_num(LEFT_X),
        rx=_num(RIGHT_X),
        rr=_num(RIGHT_X + NODE_W),
        top=_num(TOP + LABEL),
        nw=NODE_W,
        lh=_num(max(node_y[("OpenAI", "end")] - TOP - LABEL, Decimal(2))),
        rh=_num(max(node_y[("Microsoft", "end")] - TOP - LABEL, Decimal(2))),
        nx=_num(NET_X),
        ny=_num(lanes["openai_share"]),
        netw=NET_W,
        nh=_num(max(net_bottom - lanes["openai_share"], Decimal(2))),
        py=TOP - 10,
    )
    title_id = f"{diagram_id}-title"
    title = f"Money between OpenAI and Microsoft, {pf.period}{_partial_note(pf)}"
    return Markup(
        '<svg class="flows" id="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="group" aria-labelledby="{}" '
        'font-size="{}"><title id="{}">{}</title><defs>{}</defs>{}{}{}</svg>'
    ).format(
        diagram_id,
        WIDTH,
        _num(height),
        WIDTH,
        _num(height),
        title_id,
        FONT,
        title_id,
        title,
        join(defs),
        join(bands),
        nodes,
        join(labels),
    )


def flow_table(caption: str, pf: PeriodFlows, cell: Callable[[Flow], Markup | str] | None = None) -> Markup:
    """The same flows as a table: flow and who pays whom, amount (linked by `cell`), what the amount is."""
    rows = []
    for flow in pf.flows:
        amount = cell(flow) if cell else flow.text
        rows.append(
            Markup(
                '<tr data-flow="{}"><th scope="row">{}<span class="dir">{} → {}</span></th>'
                '<td class="num">{}</td><td class="what">{}</td></tr>'
            ).format(flow.key, flow.label, flow.payer, flow.payee, amount, flow.what)
        )
    return Markup(
        '<div class="table-wrap" role="region" aria-label="{}" tabindex="0"><table class="flow-table">'
        '<caption>{}</caption><thead><tr><th scope="col">Flow, from → to</th>'
        '<th scope="col" class="num">Amount (USD)</th><th scope="col">What the amount is</th></tr></thead>'
        "<tbody>{}</tbody></table></div>"
    ).format(caption, caption, join(rows))


def flow_section(prefix: str, periods: list[PeriodFlows], href_of: HrefOf | None = None, *, level: int = 3) -> Markup:
    """Every period's diagram beside its table, one scale for all; empty Markup when there are none.

    On a narrow screen the table goes under the diagram, and the diagram
    (drawn at its own size, so its labels stay readable) scrolls sideways,
    with a cue saying so.
    """
    if not periods:
        return Markup("")
    scale = flow_scale(periods)
    parts = []
    for pf in periods:
        slug = "".join(c if c.isalnum() else "-" for c in pf.period.lower())
        diagram_id = f"{prefix}-{slug}"
        heading = pf.period + _partial_note(pf)

        def cell(flow: Flow, pf: PeriodFlows = pf) -> Markup | str:
            href = href_of(pf, flow) if href_of else None
            return Markup('<a href="{}">{}</a>').format(href, flow.text) if href else flow.text

        parts.append(
            Markup(
                '<section class="flow-period" aria-labelledby="{id}-h"><h{level} id="{id}-h">{heading}</h{level}>'
                '<div class="flow-pair"><div class="flow-wrap" role="region" aria-label="{label}" tabindex="0">'
                "{svg}</div>"
                '<p class="flow-cue">The picture is wider than the screen: scroll it sideways.</p>'
                '<div class="flow-table-wrap">{table}</div></div></section>'
            ).format(
                id=diagram_id,
                level=level,
                heading=heading,
                label=f"Flow diagram, {pf.period}",
                svg=flow_diagram(diagram_id, pf, scale, href_of),
                table=flow_table(f"The flows of {pf.period} (USD)", pf, cell),
            )
        )
    key = Markup(
        '<p class="note flow-key">Each band is as wide as its amount, one scale for every period here. '
        "Solid: exact. Hatched and outlined, with a dashed edge: a lower bound, drawn as wide as its bound (the flow may be wider). "
        "Dashed line: not known, or withheld while the books have errors. OpenAI's 20% meets the netting node "
        "(grey): Microsoft's 20% is set off against it, and the net payment is the cash that settles the rest. "
        "Each band links to where its figure comes from.</p>"
    )
    return Markup('<div class="flows-all">{}{}</div>').format(key, join(parts))
