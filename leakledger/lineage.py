"""Lineage: where a derived figure comes from, as a short tree.

`leakledger explain revenue-share-2024` (a link) or
`leakledger explain ledger/2024.beancount:4` (a FILE:LINE) finds the entries
there, and for each figure the plugins derived from them shows the rule, the
arithmetic and the inputs, down to each input's source and URL.
"""

from __future__ import annotations

import bisect
import functools
import os
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from leakledger import derived as D
from leakledger import pads
from leakledger.book_index import BookIndex, EntryIndex, index_books
from leakledger.derived import Derived
from leakledger.errors import NotFound
from leakledger.figures import figure_amount, figure_of, figures_of, is_generated, refine
from leakledger.figures import usd as _usd
from leakledger.headlines import headline
from leakledger.headlines import usd_range as _usd_range
from leakledger.intervals import Interval
from leakledger.knowledge import known_since, known_since_text
from leakledger.metadata import text_of
from leakledger.model import GENERATED_TAG, PAYMENT_METRIC, A, entity_of
from leakledger.periods import Period, period_of
from leakledger.presentation import bracket_text
from leakledger.remainders import remainder_interval, total_and_parts
from leakledger.table_numbers import running
from leakledger.unitemized import itemized_interval

__all__ = ["Node", "ExplainError", "EntryIndex", "Lineage", "find_entries", "lineage", "tree_text"]


class ExplainError(NotFound):
    """A target that names no entry."""


@dataclass
class Node:
    label: str
    children: list[Node] = field(default_factory=list)

    def add(self, label: str) -> Node:
        child = Node(label)
        self.children.append(child)
        return child


def _num(value) -> str:
    number = getattr(value, "number", value)
    if isinstance(number, Decimal):
        text = f"{number:,.2f}"
        return f"{text} {value.currency}" if hasattr(value, "currency") else text
    return str(value)


def _interval_or_number(interval: Interval) -> str:
    """An exact interval as its number, else bracketed."""
    return running(interval.low) if interval.is_exact and interval.low is not None else bracket_text(interval)


def _open_end(interval: Interval | None, why: str) -> str:
    """ "; open above: WHY" where the interval's top is open (a lower bound), else ""."""
    return f"; open above: {why}" if interval is not None and interval.high is None else ""


_NO_BASE = "a Microsoft revenue base in force (Bing, Azure OpenAI Service) has no recorded figure, so its 20% is [0, ∞)"


def _where(entry, root=None) -> str:
    filename = entry.meta.get("filename", "?")
    if root and not filename.startswith("<"):
        filename = _relative(os.path.abspath(filename), os.path.abspath(root))
    return f"{filename}:{entry.meta.get('lineno', '?')}"


@functools.lru_cache(maxsize=1024)
def _relative(filename: str, root: str) -> str:
    """`filename` from `root`, both absolute (as it is where it cannot be): once per file, not per line shown."""
    try:
        return os.path.relpath(filename, root)
    except ValueError:
        return filename


def _date(entry):
    return entry.date


# --- finding the target ----------------------------------------------------


def _span_end(entry) -> int:
    lines = [p.meta.get("lineno", 0) for p in getattr(entry, "postings", ()) if p.meta]
    return max([entry.meta.get("lineno", 0), *lines])


def find_entries(entries, target: str, index: EntryIndex | None = None) -> list:
    """The entries a target names: `LINK`, `^LINK`, or `FILE:LINE` (any line of an entry)."""
    index = index or EntryIndex(entries)
    file_part, sep, line_part = target.rpartition(":")
    if sep and line_part.isdigit() and file_part:
        line = int(line_part)
        files = [index.lines_of(name) for name in index.files(file_part)]
        if not files:
            raise ExplainError(f"no entry of the books is in {file_part}")
        lengths = [n for f in files if (n := f.length) is not None]  # a file that cannot be read: not said
        if len(lengths) == len(files) and line > max(lengths):
            raise ExplainError(f"no entry at {target}: {file_part} has {max(lengths)} lines")
        # The hand-written entry that starts last at or before the line, and the next entry's line.
        lineno = max((n for f in files if (n := f.last_written(line)) is not None), default=None)
        if lineno is None:
            raise ExplainError(f"no entry at {target}")
        at = [e for f in files for e in f.at.get(lineno, ())]
        start = next(e for e in at if not is_generated(e))
        later = [n for f in files if (n := f.next_after(line)) is not None]
        # A refined total no longer has its postings: it spans the lines up to the next entry.
        end = _span_end(start) if getattr(start, "postings", None) else min(later, default=line + 1) - 1
        if line > end:
            raise ExplainError(f"no entry at {target}")
        return at
    link = target.lstrip("^")
    found = index.linked([link])
    if not found:
        raise ExplainError(f"no entry has the link ^{link}")
    return found


# --- the tree --------------------------------------------------------------


class _Explainer:
    def __init__(self, entries, root=None, books: BookIndex | None = None):
        self.entries = entries
        self.root = root
        self.books = books if books is not None else index_books(entries)
        self.index = self.books.lines
        self.rules = self.books.rules
        #: How many lower-bound implied revenues the lines so far showed: a sum over one is "at least".
        self.lower_bounds = 0
        #: The interval of the implied revenues the lines so far showed: their sum's.
        self.implied_range = Interval.exact(Decimal(0))

    def figure(self, parent: Node, entry, role: str | None = None) -> Node:
        """A hand-written figure: what, how much, kind, and its sources with URLs."""
        label = headline(entry)
        node = parent.add(f"{role}: {label}" if role else label)
        for key in ("source", "url", "reported-by", "reported-url"):
            if entry.meta.get(key):
                node.add(f"{key}: {entry.meta[key]}")
        balance = self._padded_balance(entry)
        node.add(
            f"known since {known_since(balance)}, with the balance of {balance.date} it pads to (Beancount dates "
            f"the pad itself {entry.date})"
            if balance is not None
            else known_since_text(entry)
        )
        if entry.meta.get("cumulative") is not None:
            node.add(
                f"given as {_num(entry.meta['cumulative'])} from {entry.meta.get('cumulative-start')}; "
                f"recorded as this increment"
            )
        node.add(f"at {_where(entry, self.root)}")
        return node

    def implied_of(self, links, label: str) -> list[Derived]:
        """The implied revenue of one payment period, among the entries sharing a link."""
        return [d for d in self.books.linked(links, D.RULE_IMPLIED) if d.payment_period == label]

    def implied_lines(self, parent: Node, links, label: str) -> Decimal:
        """One line per implied revenue entry of a period; their sum (their intervals' sum in `self.implied_range`)."""
        total = Decimal(0)
        for d in self.implied_of(links, label):
            bound = ", lower bound" if d.lower_bound else ""
            line = parent.add(
                f"implies OpenAI revenue ({period_of(d.entry)}{bound}): ({_usd(d.payment)} + "
                f"{_usd(d.microsoft_share)}) / {d.rate} = {_usd(d.revenue)}"
            )
            revenue = d.revenue_interval
            if revenue is not None:
                self.implied_range = self.implied_range + revenue
                if not revenue.is_exact:
                    self.interval_line(line, d)
            if d.microsoft_share:
                start = d.period_start or d.date
                self.microsoft_share(line, Period(start, d.date) if d.period_revenue is None else period_of(d.entry))
            total += d.revenue or Decimal(0)
            self.lower_bounds += bool(d.lower_bound)
        return total

    def refinement(self, parent: Node, fig, refs, role: str) -> Decimal:
        """A total, its parts (nested), its remainder, whether the parts are complete, and what it all implies."""
        node = self.figure(parent, fig.entry, role)
        ref = refs.totals.get(id(fig))
        if ref is None:
            return self.implied_lines(node, fig.links, fig.period.label)
        implied = Decimal(0)
        bounds_before = self.lower_bounds
        range_before = self.implied_range
        self.implied_range = Interval.exact(Decimal(0))
        for part in sorted(ref.parts, key=lambda p: p.period.start):
            implied += self.refinement(node, part, refs, "part")
        for remainder in self.books.linked(fig.links, D.RULE_REMAINDER):
            rest = remainder.entry
            if remainder.total_period == fig.period.label:
                units = rest.postings[0].units
                assert units is not None, "a remainder the plugin generates posts its amount"
                sub = node.add(
                    f"remainder: {_num(units.number)} USD over {period_of(rest)}, no part recorded ({rest.narration})"
                )
                if remainder.remainder_interval is not None:
                    self.remainder_interval(sub, fig, refs, remainder.remainder_interval)
                implied += self.implied_lines(sub, rest.links, period_of(rest).label)
        problem = ref.problem()
        if problem:
            node.add(f"parts do not fit: {problem}")
        elif ref.complete and ref.recorded != ref.total.amount:  # the parts lie within the total's stated range
            node.add(
                f"parts complete: {len(ref.parts)} cover {fig.period} and add up to {_num(ref.recorded)} USD, "
                f"within the total as stated ({fig.stated}): they post, and the total is their sum's source "
                f"to its precision"
            )
        elif ref.complete:
            node.add(
                f"parts complete: {len(ref.parts)} cover {fig.period} and add up to {_num(ref.recorded)} USD, "
                f"the total to the cent"
            )
        else:
            node.add(
                f"parts partial: {len(ref.parts)} recorded, {_num(ref.recorded)} USD; the remainder "
                f"{_num(ref.remainder)} USD posts over {', '.join(map(str, ref.gaps))}"
            )
        mine, self.implied_range = self.implied_range, range_before + self.implied_range
        if implied:
            if self.lower_bounds > bounds_before:  # a sum of lower bounds is one itself
                line = node.add(
                    f"implied OpenAI revenue over {fig.period}: at least {_num(implied)} USD in all "
                    "(a lower bound: a Microsoft revenue base in force has no recorded figure)"
                )
            else:
                line = node.add(f"implied OpenAI revenue over {fig.period}: {_num(implied)} USD in all")
            if not mine.is_exact:
                line.add(f"as intervals, the sum of its parts': {bracket_text(mine)}" + _open_end(mine, _NO_BASE))
            if role == "total":
                self.rule(node, A.OAI_REVENUE, fig.entry.date)
        if role == "total":
            for solved in (d.entry for d in self.books.linked(fig.links) if D.SOLVED in d.entry.meta):
                sub = node.add(
                    f"OpenAI's revenue over {period_of(solved)} is recorded, so these payments imply none: "
                    f"they solve Microsoft's share"
                )
                self.derived(sub, solved)
            self.share_not_known(node, fig)
        return implied

    def share_not_known(self, parent: Node, fig) -> None:
        """Where a payment lies in a span whose Microsoft share the books cannot solve: the books' note saying
        why (the one the report's `microsoft_share_blank` carries), with the revenue figure it is about."""
        if fig.metric != PAYMENT_METRIC:
            return
        said = set()
        for note, span in self.books.not_known:  # one note per share account: said once
            if note.comment in said or not span.contains(fig.period):
                continue
            said.add(note.comment)
            sub = parent.add(f"these payments imply no revenue and solve no share: {note.comment}")
            for source in self.sources_of(note):
                self.figure(sub, source, "revenue")

    def rule(self, parent: Node, base: str | None, day) -> None:
        """The rule in force for `base` on `day`; an accrual without a base account has none."""
        rule = self.rules.rule_at(base, day) if base is not None else None
        if rule is None:
            parent.add(f"rule: none in force for {base} on {day}")
            return
        node = parent.add(f"rule: {rule.rate:%} of {base} to {rule.payee}, in force from {rule.date}")
        for key in ("source", "url"):
            if rule.entry is not None and rule.entry.meta.get(key):
                node.add(f"{key}: {rule.entry.meta[key]}")
        if rule.entry is not None:
            node.add(known_since_text(rule.entry))

    def sources_of(self, generated) -> list:
        """The hand-written entries a generated one derives from: those sharing a link."""
        # Not the plugins' own notes either (a share not known carries its revenue's link).
        return [
            e
            for e in self.index.linked(generated.links or ())
            if not is_generated(e) and GENERATED_TAG not in (getattr(e, "tags", None) or ())
        ]

    def derived(self, parent: Node, entry, expand_implied: bool = True) -> None:
        d = Derived.of(entry)
        assert d is not None, entry
        rule = d.rule
        node = parent.add(f"{rule}: {entry.narration} ({entry.date})")
        if rule == D.RULE_IMPLIED:
            period = period_of(entry)
            if d.period_revenue is not None:  # one piece of a payment split by days (a rule or cap date inside it)
                node.add(
                    f"{d.formula}: ({_usd(d.payment)} + {_usd(d.microsoft_share)}) over {d.payment_period} "
                    f"is {_usd(d.period_revenue)} of revenue; this part, {period} ({period.days} days) at {d.rate}, "
                    f"is {_usd(d.revenue)}"
                )
            else:
                node.add(
                    f"{d.formula} = ({_usd(d.payment)} + {_usd(d.microsoft_share)}) / {d.rate} = {_usd(d.revenue)}"
                )
            if d.revenue_interval is not None and not d.revenue_interval.is_exact:
                self.interval_line(node, d)
            if d.cap_note:
                node.add(f"lower bound: {d.cap_note.removeprefix('a lower bound: ')}")
            elif d.lower_bound:
                node.add(
                    "lower bound: a Microsoft revenue base in force (Bing, Azure OpenAI Service) "
                    f"has no recorded figure for {period}"
                )
            label = d.payment_period
            payments = [
                e
                for e in self.sources_of(entry)
                if text_of(e.meta.get("metric")) == "revenue-share"
                and getattr(e, "postings", None)
                and period_of(e).label == label
            ]
            for payment in payments:
                self.figure(node, payment, "payment")
            self.microsoft_share(node, period)
            self.rule(node, A.OAI_REVENUE, entry.date)
        elif rule == D.RULE_SHARE and d.solved:
            openai_share = D.number_of(entry.meta.get(D.OPENAI_SHARE))
            node.add(
                f"share = OpenAI's share - net payments - what recorded Microsoft bases accrue = "
                f"{_usd(openai_share)} - {_usd(d.payment)} - {_usd(d.microsoft_share)} "
                f"= {_usd(d.share)}: solved, not a bound"
            )
            if d.base is not None:
                cut = (
                    f" (cut at 0: the figures' far ends leave {_usd(d.base_cut)}, so they cannot all hold at once)"
                    if d.base_cut is not None
                    else ""
                )
                node.add(
                    f"base ({d.base_account}) = share / rate = {_usd(d.share)} / {d.rate} "
                    f"= {_usd(d.base)}; {_usd_range(d.base_interval)} to the precision of {d.base_moved_by} as stated{cut}"
                )
            self.solved_interval(node, d)
            for source in self.sources_of(entry):
                fig = figure_of(source)
                if fig is None or fig.metric not in ("revenue", "revenue-share") or not fig.live:
                    continue
                # a refined total its parts leave a remainder of: the remainder posts for it (generated, unlisted)
                if fig.posting or self.books.linked(fig.links, D.RULE_REMAINDER):
                    self.figure(node, source, fig.metric)
            self.rule(node, A.OAI_REVENUE, entry.date)  # OpenAI's share of the recorded revenue: its rule
            if d.base_account is not None:
                for solved_base in d.base_account.split(", "):  # the bases whose rate solves the base from the share
                    self.rule(node, solved_base, entry.date)
        elif rule == D.RULE_SHARE:
            uncapped = d.uncapped_share
            node.add(
                f"share = base x rate = {_usd(d.base)} x {d.rate} = {_usd(uncapped or d.share)}"
                + (f", cut to {_usd(d.share)}: what remained of the cap" if uncapped else "")
            )
            share = d.share_interval
            if share is not None and not share.is_exact:
                base_range = self.figures_interval(
                    entry, lambda e: any(p.account == d.base_account for p in e.postings)
                )
                if base_range is None and d.rate:  # a base with no ranged figure of its own (an implied revenue):
                    base_range = share.divided_by(d.rate)  # what the share's interval says of it, share / rate
                base_text = bracket_text(base_range) if base_range is not None else "its figures' stated range"
                node.add(f"as intervals: base {base_text} × {d.rate} = {bracket_text(share)}")
            self.cap_of_accrual(node, d)
            base = d.base_account
            for source in self.sources_of(entry):
                if any(p.account == base for p in source.postings):
                    self.figure(node, source, "base")
            for implied in self._implied_with(entry):
                if expand_implied:
                    self.derived(node, implied)
                else:
                    implied_d = Derived.of(implied)
                    assert implied_d is not None, "_implied_with returns generated implied-revenue entries"
                    node.add(f"base: {implied.narration} ({_usd(implied_d.revenue)}), derived above")
            self.rule(node, base, entry.date)
        elif rule == D.RULE_UNITEMIZED:
            self.unitemized(node, d)
        elif rule == D.RULE_SETTLEMENT:
            node.add(
                f"Microsoft's share {_usd(d.microsoft_share)} is set off against OpenAI's: "
                f"the payment {_usd(d.payment)} is net"
            )
        else:
            for key, value in sorted(entry.meta.items()):
                if key not in ("filename", "lineno"):
                    node.add(f"{key}: {_num(value)}")

    @functools.cached_property
    def _assertions(self) -> dict[str, list[data.Balance]]:
        return pads.assertions(self.entries)

    def _padded_balance(self, entry) -> data.Balance | None:
        """The balance assertion a `pad` directive or the padding Beancount makes of it fills, else None: either is
        known once that balance is (`knowledge.known_on`)."""
        return pads.filled_by(self._assertions, entry)

    def padding(self, parent: Node, entry) -> None:
        """Under Beancount's padding: that it is not exact where the balance it pads to has a tolerance."""
        balance = self._padded_balance(entry)
        if balance is None or not balance.tolerance or not isinstance(entry, data.Transaction):
            return
        account = entry.postings[0].account
        parent.add(
            f"not exact: it is the balance's stated amount less the flows the books post to {account}, so it moves "
            f"with the balance's tolerance (± {_num(balance.tolerance)} {balance.amount.currency}, "
            f"at {_where(balance, self.root)}) and with each flow stated as a range "
            f"(`leakledger statement` shows {entry.postings[1].account} as the range they allow)"
        )

    def unitemized(self, parent: Node, d: Derived) -> None:
        """OpenAI's costs the books do not itemize: the audited total less what they itemize, as posted and as
        intervals (the total as stated, each itemized expense as the range it stands for), and the total."""
        entry = d.entry
        units = entry.postings[0].units
        total, itemized = D.number_of(entry.meta.get(D.TOTAL)), D.number_of(entry.meta.get(D.ITEMIZED))
        parent.add(
            f"not itemized = total costs - the expenses the books itemize over {period_of(entry)} = "
            f"{_usd(total)} - {_usd(itemized)} = {_usd(units.number if units is not None else None)} "
            f"({entry.postings[0].account})"
        )
        where = (entry.meta.get("filename"), entry.meta.get("lineno"))
        record = next(
            (f for f in self.books.figures if (f.entry.meta.get("filename"), f.entry.meta.get("lineno")) == where), None
        )
        if record is None:
            return
        spent = self.itemized_interval(period_of(entry), entry.postings[0].account)
        if record.interval is not None and not (record.interval.is_exact and spent.is_exact):
            parent.add(
                f"as intervals: {_interval_or_number(record.interval)} − {_interval_or_number(spent)} = "
                f"{bracket_text(record.interval - spent)}: the total as stated, less each itemized expense as the "
                f"range it stands for"
            )
        self.figure(parent, record.entry, "total")

    def itemized_interval(self, span: Period, rest: str) -> Interval:
        """What OpenAI's itemized expenses over `span` stand for (`unitemized.itemized_interval`)."""
        entries = self.entries  # sorted by date, as loaded: bisected
        first = bisect.bisect_left(entries, span.start, key=_date)
        return itemized_interval(entries[first : bisect.bisect_right(entries, span.end, lo=first, key=_date)], rest)

    def remainder_interval(self, parent: Node, total, refs, piece: Interval) -> None:
        """A ranged total's remainder: the total's interval less its parts', and this piece's share of it."""
        ref = refs.totals.get(id(total))
        whole = remainder_interval(ref) if ref is not None else None
        if whole is None:
            parent.add(f"as an interval: {bracket_text(piece)}")
            return
        parts = " − ".join(bracket_text(p.interval) for p in ref.parts if p.interval is not None)
        assert total.interval is not None
        raw = total_and_parts(ref)
        kept = "" if raw[0] - raw[1] == whole else f" (kept to the total's sign: {bracket_text(raw[0] - raw[1])})"
        parent.add(
            f"as intervals: {bracket_text(total.interval)} − {parts} = {bracket_text(whole)}{kept} over the days no "
            f"part covers; this piece, its share of the days: {bracket_text(piece)}"
        )

    def interval_line(self, parent: Node, d: Derived) -> None:
        """An implied revenue's interval arithmetic: (payment + Microsoft's share as an interval) / rate."""
        revenue = d.revenue_interval
        assert revenue is not None, "called on an implied revenue"
        ms = d.microsoft_share_interval
        if d.period_revenue is not None:  # one piece of a payment split by days: its own share of the interval
            parent.add(f"as an interval, this part is {bracket_text(revenue)}" + _open_end(revenue, _NO_BASE))
            return
        why = d.cap_note.removeprefix("a lower bound: ") if d.cap_note else _NO_BASE
        paid = _interval_or_number(d.payment_interval or Interval.exact(Decimal(0)))  # "300M": as it is stated
        parent.add(
            f"as intervals: ({paid} + {bracket_text(ms)}) / {d.rate} = {bracket_text(revenue)}"
            + _open_end(revenue, why)
        )

    def figures_interval(self, generated, posts) -> Interval | None:
        """The sum of the stated intervals of the hand-written figures behind `generated` that `posts` picks."""
        found = [f for s in self.sources_of(generated) if posts(s) and (f := figure_of(s)) and f.interval]
        if not found:
            return None
        return sum((f.interval for f in found if f.interval is not None), Interval.exact(Decimal(0)))

    def solved_interval(self, parent: Node, d: Derived) -> None:
        """A solved Microsoft share's interval: OpenAI's rate x the revenue as stated, less the payments."""
        share = d.share_interval
        if share is None or share.is_exact:
            return
        revenue = self.recorded_revenue(period_of(d.entry))
        rule = self.rules.rule_at(A.OAI_REVENUE, d.date)
        if revenue is None or rule is None:
            parent.add(f"as an interval: {bracket_text(share)}, as the revenue is stated")
            return
        recorded = self.recorded_microsoft_share(d)
        payments = d.payment_interval or Interval.exact(Decimal(0))  # as they are stated ("300M")
        paid = _interval_or_number(payments)
        raw = revenue.times(rule.rate) - payments - recorded
        accrued = "" if recorded == Interval.exact(Decimal(0)) else f" − {_interval_or_number(recorded)}"
        text = f"as intervals: {rule.rate} × {bracket_text(revenue)} − {paid}{accrued} "
        text += f"= {bracket_text(raw)}"
        if raw != share:  # a share is not negative
            text += f", cut at 0: {bracket_text(share)}"
        base = d.base_interval
        if base is not None and not base.is_exact:
            text += f"; base = share / {d.rate} = {bracket_text(base)}"
        parent.add(text)
        if d.microsoft_total is not None:
            parent.add(
                f"Microsoft's whole share over {period_of(d.entry)}: what the payments leave, {rule.rate} × "
                f"{bracket_text(revenue)} − {paid}, and at least the recorded bases' share, a part of it, "
                f"{_interval_or_number(recorded)}: {bracket_text(d.microsoft_total)}"
            )

    def recorded_revenue(self, span: Period) -> Interval | None:
        """OpenAI's revenue the books post over `span`, as stated: each posting figure's range and each refined
        total's remainder's (`remainder-low:`..), an open end open; None where none posts.

        What the shares plugin solves a share from: a refined total posts as its parts and its remainder.
        """
        found = [
            f.interval
            for f in self.books.live_figures
            if f.posting and f.metric == "revenue" and f.interval is not None and span.contains(f.period)
        ]
        for x in self.books.of_rule(D.RULE_REMAINDER):
            if x.metric == "revenue" and span.contains(period_of(x.entry)):
                posted = figure_amount(x.entry, "revenue")
                if posted is not None:
                    found.append(x.remainder_interval or Interval.exact(posted))
        return sum(found, Interval.exact(Decimal(0))) if found else None

    def recorded_microsoft_share(self, solved: Derived) -> Interval:
        """The share Microsoft's recorded bases accrue over a solved share's period, as an interval."""
        span = period_of(solved.entry)
        found = [
            x.share_interval
            for x in self.books.shares_within(span)
            if not x.solved and entity_of(x.base_account or "") == "Microsoft"
        ]
        return sum((i for i in found if i is not None), Interval.exact(Decimal(0)))

    def cap_of_accrual(self, parent: Node, d: Derived) -> None:
        """What an accrual counts against its base's cap, and, on the one that reaches it, that later ones accrue nothing."""
        if d.cap is None:
            return
        node = parent.add(
            f"cap: {_usd(d.cap)} counted from {d.cap_counts_from}; accrued against it "
            f"{_usd(d.cap_accrued)}, left {_usd(d.cap_remaining)}"
        )
        if d.cap_note:
            node.add(f"{d.cap_note}; share not accrued: {_usd(d.cap_forgone)}")
        for status in self.books.caps:
            if d.cap_reached is not None and status.cap.base == d.base_account:
                reached = status.reached
                node.add(
                    f"held at 0: the cap was reached on {d.cap_reached}"
                    + (f", ^{', ^'.join(sorted(reached.entry.links))}" if reached and reached.entry.links else "")
                    + f"; this accrual is a known 0, not the {_usd(d.uncapped_share)} it would have been"
                )
            if status.ranged is not None and status.ranged.entry is d.entry:
                binding = status.binding_text() or "is not reached by what the books record, at their high ends too"
                node.add(
                    f"the shares are ranges: accrued against the cap {bracket_text(status.accrued_interval)}; "
                    f"the cap {binding}"
                )
        cap = self.rules.caps.get(d.base_account or "")
        if cap is not None:
            self.term(node, cap)

    def term(self, parent: Node, term) -> None:
        """A rule's or cap's source (and a cap's reading of counts-from), and where each is."""
        for entry in (term.entry, getattr(term, "reading", None)):
            if entry is None:
                continue
            for key in ("source", "url", "kind", "note"):
                if entry.meta.get(key):
                    parent.add(f"{key}: {entry.meta[key]}")
            parent.add(f"at {_where(entry, self.root)}")

    def term_status(self, parent: Node, entry) -> bool:
        """For a cap directive, or a figure posting to a capped base after the cap is reached: the cap's state.

        A figure posting to a share base whose rate is 0 on its date says which rule ended the share.
        """
        for base in {p.account for p in getattr(entry, "postings", ())} & set(self.rules.bases):
            rule = self.rules.rule_at(base, entry.date)
            if rule is not None and rule.rate == 0:
                node = parent.add(f"accrues nothing: the share of {base} to {rule.payee} is 0% from {rule.date}")
                self.term(node, rule)
        for status in self.books.caps:  # read once per load, not once per figure explained
            cap = status.cap
            if entry is cap.entry or entry is cap.reading:
                node = parent.add(f"revenue-share-cap: {status.summary()}")
                self.term(node, cap)
                return True
            posts = any(p.account == cap.base for p in getattr(entry, "postings", ()))
            if posts and status.reached is not None and entry.date > status.reached.date:
                parent.add(
                    f"accrues nothing: the cap on {cap.base}'s share ({_num(cap.amount)} USD, counted from "
                    f"{cap.counts_from}) was reached on {status.reached.date}, "
                    f"^{', ^'.join(sorted(status.reached.entry.links))}"
                )
        return False

    def _implied_with(self, accrual) -> list:
        """Implied revenue an OpenAI accrual is the share of (same link, same date)."""
        d = Derived.of(accrual)
        if d is None or entity_of(d.base_account or "") != "OpenAI":
            return []
        return [i.entry for i in self.books.linked(accrual.links, D.RULE_IMPLIED) if i.date == accrual.date]

    def microsoft_share(self, parent: Node, period: Period) -> None:
        """The Microsoft accruals inside a payment's period, and their base figures."""
        accruals = [d for d in self.books.shares_within(period) if entity_of(d.base_account or "") == "Microsoft"]
        if not accruals:
            return
        total = sum((d.share or Decimal(0) for d in accruals), Decimal(0))
        node = parent.add(f"microsoft-share: {_num(total)} USD, {len(accruals)} accrual(s) in {period}")
        for accrual in accruals:
            sub = node.add(
                f"{accrual.date}: {_usd(accrual.base)} x {accrual.rate} = {_usd(accrual.share)} ({accrual.base_account})"
            )
            for source in self.sources_of(accrual.entry):
                self.figure(sub, source, "base")


class Lineage:
    """Lineage trees of many targets in one set of entries, indexed once (`books`: read already)."""

    def __init__(self, entries, root=None, index: BookIndex | None = None):
        self.explainer = _Explainer(entries, root, index)
        self._found: dict[str, list] = {}

    def find(self, target: str) -> list:
        """The entries a target names (`find_entries`), found once per target (a site asks for each three times)."""
        if target not in self._found:
            self._found[target] = find_entries(self.explainer.entries, target, self.explainer.index)
        return list(self._found[target])

    def tree(self, target: str) -> Node:
        """The lineage tree of the entries a target names (see `find_entries`).

        Each derived entry shows its rule, arithmetic and inputs, and each input
        its source and URL; hand-written entries that nothing derived from show
        as themselves. A total its parts refine shows with its parts, what
        they imply, and whether they are complete.
        """
        found = self.find(target)
        explainer = self.explainer
        tree = Node(target if ":" in target else f"^{target.lstrip('^')}")
        totals = [f for f in figures_of(e for e in found if not is_generated(e)) if f.refined]
        if totals:
            _refinements(explainer, tree, totals, by_line=":" in target)
            return tree
        derived = [e for e in found if is_generated(e)]
        rank: dict[str | None, int] = {D.RULE_IMPLIED: 0, D.RULE_SHARE: 1, D.RULE_SETTLEMENT: 2}
        rule_of = {id(e): d.rule if (d := Derived.of(e)) else None for e in derived}
        derived.sort(key=lambda e: (rank.get(rule_of[id(e)], 3), e.date))
        implied_shown = any(rule_of[id(e)] == D.RULE_IMPLIED for e in derived)
        for entry in derived:
            explainer.derived(tree, entry, expand_implied=not implied_shown)
        # the shares plugin's notes carry the revenue's link: its explain says what the payments cannot solve
        for why in dict.fromkeys(
            e.comment for e in found if isinstance(e, data.Note) and e.meta.get(D.RULE) == D.NOT_KNOWN
        ):
            tree.add(why)
        if not derived:
            for entry in found:
                if not explainer.term_status(tree, entry):
                    node = explainer.figure(tree, entry)
                    fig = figure_of(entry)
                    if fig is not None:
                        explainer.share_not_known(node, fig)  # a payment alone (2025-Q3) in a span not solvable
                    explainer.padding(node, entry)
        return tree


def lineage(entries, target: str, root=None) -> Node:
    """The lineage tree of one target (see `Lineage.tree`); `root` shortens file names in it."""
    return Lineage(entries, root).tree(target)


def _refinements(explainer, tree: Node, totals, by_line: bool) -> None:
    """The tree of refined totals: the outermost ones a link names, or the one at a FILE:LINE."""
    links = frozenset(link for total in totals for link in total.entry.links)
    linked = figures_of(e for e in explainer.index.linked(links) if not is_generated(e))
    refs = refine(linked)
    if by_line:
        roots = [f for f in linked if any(f.entry is t.entry for t in totals)]
    else:
        roots = [f for f in linked if id(f) in refs.totals and id(f) not in refs.ancestors]
    for fig in sorted(roots, key=lambda f: f.period.start):
        explainer.refinement(tree, fig, refs, "total")


def tree_text(node: Node) -> str:
    """The tree as plain text with box-drawing branches, one line per node."""
    lines = [node.label]

    def walk(children, prefix):
        for i, child in enumerate(children):
            last = i == len(children) - 1
            lines.append(f"{prefix}{'└── ' if last else '├── '}{child.label}")
            walk(child.children, prefix + ("    " if last else "│   "))

    walk(node.children, "")
    return "\n".join(lines)
