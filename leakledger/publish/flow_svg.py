"""A period's flows between OpenAI and Microsoft as an inline SVG diagram, and as a table.

Drawn when the page is built (the published site, and the Fava page from
Python), with no script. OpenAI's node stands on the left, Microsoft's on
the right; each flow is a band as wide as its amount, fanning out from the
nodes into a lane of its own. The two 20% shares meet at a netting node:
OpenAI's 20% goes in, the net payment (the cash) and Microsoft's 20% (set
off against it) come out. What an amount is shows in how it is drawn:
exact amounts solid; a lower bound hatched and outlined, as wide as its
bound, with a dashed edge beyond it (it may be wider); a range solid to
its low end and hatched beyond it to its high end; a flow not known, or
withheld because the books have errors, or known only as a part of figures
over longer spans (funding: none to all of them), a dashed line with no
width. The
legend above the diagrams draws each style with the same code. Every band
carries its figure as its tooltip (`<title>`) and links to the figure's
page where it has one. Widths are computed from the Decimal amounts, with
one scale for every diagram of a page.

Labels stand only on the straight run of their lane, where no other band
passes: the curves near the nodes cross every lane's label row. A label too
long for its run breaks into lines (name, amount, span), and its lane's
label row grows to hold them; widths are estimated from the characters,
generously, since the picture is drawn with no script to measure it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from leakledger.flows import EXACT, LOWER, RANGE, SHORT, UNKNOWN, Flow, PeriodFlows
from leakledger.periods import parse_period
from leakledger.presentation import compact_money, range_text
from leakledger.publish.markup import Markup, join
from leakledger.table_numbers import months

__all__ = ["BAND_SPACE", "COLOURS", "WIDTH", "flow_diagram", "flow_scale", "flow_table"]

WIDTH = 560
#: The height the busiest node of a page takes: its bands' sum at the page's scale.
BAND_SPACE = Decimal(150)
TOP, LABEL, LINE, LANE_GAP, NODE_GAP, BOTTOM = 34, 18, 14, 8, 3, 8
NODE_W, NET_W, CURVE = 12, 8, 70
LEFT_X, RIGHT_X = Decimal(8), Decimal(WIDTH - 8 - NODE_W)
NET_X = Decimal(292)
FONT = 12
#: Room a label keeps from the netting node and from the ends of its lane's straight run.
PAD = 4
#: Where each flow's label may stand: the straight run of its lane, clear of the curves and the netting node.
RUNS = {
    **dict.fromkeys(("inference", "training", "funding"), (LEFT_X + NODE_W + CURVE + PAD, RIGHT_X - CURVE - PAD)),
    "openai_share": (LEFT_X + NODE_W + CURVE + PAD, NET_X - PAD),
    **dict.fromkeys(("net_payment", "microsoft_share"), (NET_X + NET_W + PAD, RIGHT_X - CURVE - PAD)),
}
#: Hundredths of an em a label's characters take, each the wider of DejaVu Sans's (the site's system font
#: on Linux) and Fira Sans's (Fava's), rounded up; any other character counts as 80.
EMS = {
    **dict.fromkeys(" ',.Iijl", 32),
    **dict.fromkeys("():;-frt", 40),
    **dict.fromkeys("–acesvxyzoLFkPTYJ", 60),
    **dict.fromkeys("0123456789bdghnpquESK", 65),
    **dict.fromkeys("ABCDGHNOQRUVXZ", 80),
    **dict.fromkeys("MWmw%→←≥", 100),
}

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


def _text_width(text: str) -> Decimal:
    """A generous estimate of a label's width in picture units (no script measures it when drawn)."""
    return Decimal(sum(EMS.get(c, 80) for c in text) * FONT) / 100


def _wrap(chunks: Sequence[str], room: Decimal) -> list[str]:
    """Chunks joined into as few lines as fit in `room`; a chunk too long alone breaks at its spaces."""
    lines: list[str] = []
    for chunk in chunks:
        for word in chunk.split(" ") if _text_width(chunk) > room else [chunk]:
            joined = f"{lines[-1]} {word}" if lines else word
            if lines and _text_width(joined) <= room:
                lines[-1] = joined
            else:
                lines.append(word)
    return lines


def _label_lines(flow: Flow, pf: PeriodFlows) -> list[str]:
    """A flow's label, in as many lines as its lane's straight run needs: name, amount, span."""
    low, high = RUNS[flow.key]
    return _wrap(_label_chunks(flow, pf), high - low)


def _label_chunks(flow: Flow, pf: PeriodFlows) -> list[str]:
    arrow = "→" if flow.payer == "OpenAI" else "←"
    if flow.withheld:
        amount = "withheld (errors)"
    elif flow.kind == UNKNOWN or flow.amount is None:
        amount = "not known"
    else:
        amount = range_text(flow.interval, point=compact_money)  # "2.613B–2.615B": never narrower
    # Where the row's flows cover different spans, each partial one says which.
    part = [f"({_span_text(flow.covers)})"] if flow.covers and flow.covers != pf.covered else []
    return [f"{arrow} {SHORT[flow.key]}:", amount, *part]


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


def _hatch(hatch_id: str, colour: str) -> Markup:
    return Markup(
        '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2.5"/></pattern>'
    ).format(hatch_id, colour)


def _shape(
    kind: str,
    points: Sequence[Point],
    widths: tuple[Decimal | None, Decimal | None],
    colour: str,
    hatch_id: str,
    attrs: Markup = Markup(""),
    title: Markup = Markup(""),
) -> tuple[Markup, Markup]:
    """One band as its kind draws it, in a diagram or in the legend: its pattern (or nothing) and its paths.

    `widths` are the drawn width (None: not known, a dashed line) and a
    range's low end as a width; `attrs` go on the main path, `title` in it.
    """
    width, low = widths
    if width is None:
        return Markup(""), Markup(
            '<path class="band unknown"{} d="{}" fill="none" stroke="{}" stroke-width="1.5" '
            'stroke-dasharray="5 4">{}</path>'
        ).format(attrs, _centre_line(points), colour, title)
    if kind not in (LOWER, RANGE):
        return Markup(""), Markup('<path class="band exact"{} d="{}" fill="{}" fill-opacity="0.82">{}</path>').format(
            attrs, _band_path(points, width), colour, title
        )
    shape = Markup('<path class="band {}"{} d="{}" fill="url(#{})" stroke="{}" stroke-width="1.5">{}</path>').format(
        "lower" if kind == LOWER else "range", attrs, _band_path(points, width), hatch_id, colour, title
    )
    if kind == LOWER:  # a dashed edge beyond the bound: the flow may be wider, even where it is thin
        shape += Markup(
            '<path class="bound-edge" d="{}" fill="none" stroke="{}" stroke-width="1" stroke-dasharray="3 3"/>'
        ).format(_centre_line([(x, y + width + Decimal("3.5")) for x, y in points]), colour)
    elif low is not None:  # the part the range is sure of: solid, opaque, so no hatching shows through
        shape += Markup('<path class="band-low" d="{}" fill="{}"/>').format(_band_path(points, low), colour)
    return _hatch(hatch_id, colour), shape


def _label(flow: Flow, lines: list[str], centre: Decimal, baseline: Decimal) -> Markup:
    """A flow's label inside its lane's run: the shares' either side of the netting node, the others centred."""
    run_from, run_to = RUNS[flow.key]
    if flow.key == "openai_share":
        x, anchor = run_to, "end"
    elif flow.key in ("net_payment", "microsoft_share"):
        x, anchor = run_from, "start"
    else:
        half = max(_text_width(line) for line in lines) / 2
        x, anchor = min(max(centre, run_from + half), run_to - half), "middle"
    top = baseline - LINE * (len(lines) - 1)
    if len(lines) == 1:
        body = Markup("{}").format(lines[0])
    else:
        body = join(
            Markup('<tspan x="{}" dy="{}">{}</tspan>').format(_num(x), 0 if i == 0 else LINE, line)
            for i, line in enumerate(lines)
        )
    return Markup('<text class="flow-label" x="{}" y="{}" text-anchor="{}">{}</text>').format(
        _num(x), _num(top), anchor, body
    )


def flow_diagram(diagram_id: str, pf: PeriodFlows, scale: Decimal, href_of: HrefOf | None = None) -> Markup:
    """One period's flows as an SVG (ids prefixed `diagram_id`, so several fit on a page)."""
    widths = {f.key: f.drawn * scale if f.drawn is not None else Decimal(0) for f in pf.flows}
    lines = {f.key: _label_lines(f, pf) for f in pf.flows}
    # Lanes down the middle, each under a row for its labels (as many lines as its longest needs).
    y = Decimal(TOP)
    lanes: dict[str, Decimal] = {}
    for lane in (("inference",), ("training",), ("openai_share", "net_payment"), ("microsoft_share",), ("funding",)):
        y += LABEL + LINE * (max(len(lines[k]) for k in lane) - 1)
        for key in lane:
            lanes[key] = y
        y += max(widths[k] for k in lane) + LANE_GAP
    height = y - LANE_GAP + BOTTOM
    # Each node holds its bands stacked tight, in lane order, starting at the first lane.
    top = lanes["inference"]
    node_y: dict[tuple[str, str], Decimal] = {}
    for side, keys in (
        ("OpenAI", ("inference", "training", "openai_share", "funding")),
        ("Microsoft", ("inference", "training", "net_payment", "microsoft_share", "funding")),
    ):
        at = top
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
        name = _tooltip(pf, flow)
        data = Markup(' data-flow="{}" data-kind="{}" data-amount="{}" data-width="{}"').format(
            flow.key, flow.kind, "" if flow.drawn is None else flow.drawn, _num(widths[flow.key])
        )
        low = flow.amount * scale if flow.kind == RANGE and flow.amount is not None else None
        pattern, shape = _shape(
            flow.kind,
            stations[flow.key],
            (None if flow.drawn is None else widths[flow.key], low),
            COLOURS[flow.key],
            f"{diagram_id}-hatch-{flow.key}",
            data,
            Markup("<title>{}</title>").format(name),
        )
        defs.append(pattern)
        href = href_of(pf, flow) if href_of else None
        if href:
            shape = Markup('<a href="{}" aria-label="{}">{}</a>').format(href, name, shape)
        bands.append(Markup('<g class="flow" data-flow="{}">{}</g>').format(flow.key, shape))
    labels = [
        _label(
            flow,
            lines[flow.key],
            (stations[flow.key][1][0] + stations[flow.key][-2][0]) / 2,
            lanes[flow.key] - 5,
        )
        for flow in pf.flows
    ]
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
        top=_num(top),
        nw=NODE_W,
        lh=_num(max(node_y[("OpenAI", "end")] - top, Decimal(2))),
        rh=_num(max(node_y[("Microsoft", "end")] - top, Decimal(2))),
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


#: A flow the books' errors may make wrong, as every table of the Leak model marks such a figure: struck, and "?".
SUSPECT = Markup(
    '<s class="suspect" title="may be wrong: the books have errors (listed at the top)">{}</s>'
    '<span class="suspect-flag" aria-label="may be wrong">?</span>'
)


def flow_table(caption: str, pf: PeriodFlows, cell: Callable[[Flow], Markup | str] | None = None) -> Markup:
    """The same flows as a table: flow and who pays whom, amount (linked by `cell`), what the amount is;
    a figure the books' errors may make wrong struck through and marked ?."""
    rows = []
    for flow in pf.flows:
        amount = cell(flow) if cell else flow.text
        if flow.withheld and flow.amount is not None:
            amount = SUSPECT.format(amount)
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


#: The legend's lines: how each kind of amount is drawn, in words beside a swatch drawn by the same code.
LEGEND = (
    (EXACT, "Solid: exact."),
    (
        RANGE,
        "Solid to its low end, then hatched to its high end, outlined: a range (the flow is at least the solid "
        "part and at most the whole band); its label gives both ends.",
    ),
    (
        LOWER,
        "Hatched and outlined to its bound, with a dashed edge beyond: a lower bound, or a range open above "
        "(the flow may be wider); its label says ≥.",
    ),
    (
        UNKNOWN,
        "Dashed line: not known, known only as a part of figures over longer spans (its label gives what "
        "they allow), or withheld while the books have errors.",
    ),
)
#: A swatch's size and its band's thickness: the band (with a lower bound's dashed edge) centred in it.
SWATCH_W, SWATCH_H, SWATCH_BAND = 44, 18, Decimal(10)


def _legend(prefix: str) -> list[Markup]:
    """One line per kind of amount: a small band drawn as the diagrams draw that kind, and what it means."""
    lines = []
    for kind, words in LEGEND:
        top = {UNKNOWN: Decimal(SWATCH_H) / 2, LOWER: Decimal(2)}.get(kind, (SWATCH_H - SWATCH_BAND) / 2)
        points = [(Decimal(1), top), (Decimal(SWATCH_W - 1), top)]
        widths = (None if kind == UNKNOWN else SWATCH_BAND, SWATCH_BAND / 2 if kind == RANGE else None)
        pattern, shape = _shape(kind, points, widths, COLOURS["net_payment"], f"{prefix}-key-{kind.replace(' ', '-')}")
        swatch = Markup(
            '<svg class="flow-swatch" width="{w}" height="{h}" viewBox="0 0 {w} {h}" aria-hidden="true" '
            'focusable="false" style="vertical-align: middle"><defs>{}</defs>{}</svg>'
        ).format(pattern, shape, w=SWATCH_W, h=SWATCH_H)
        lines.append(Markup('<p class="note flow-key" data-kind="{}">{}\u00a0{}</p>').format(kind, swatch, words))
    return lines


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
        '<div class="flow-legend"><p class="note flow-key">Each band is as wide as its amount, one scale for every '
        "period here. OpenAI's 20% meets the netting node (grey): Microsoft's 20% is set off against it, and the "
        "net payment is the cash that settles the rest. Each band links to where its figure comes from.</p>{}</div>"
    ).format(join(_legend(prefix)))
    return Markup('<div class="flows-all">{}{}</div>').format(key, join(parts))
