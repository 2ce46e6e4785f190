"""Fava extension: the Leak model page.

    2019-01-01 custom "fava-extension" "leakledger.fava_ext"
    2019-01-01 custom "fava-extension" "leakledger.fava_ext" "{'by': 'half'}"

The page and its JSON endpoint show the tables of `leakledger report` and
`leakledger reconcile`, computed by the same code (leakledger.reports) on
the ledger as Fava's time, tag and account filters leave it, with links from
every figure to the journal entries behind it. The charts are drawn in the
browser by LeakModel.js (Fava's extension module) with the Chart.js shipped in
vendor/ (the machines have no internet), from the data the page embeds; the
tables carry every number when the charts cannot draw.
"""

from __future__ import annotations

import re
from typing import Any

from fava.application import url_for
from fava.context import g
from fava.core.filters import FilterError
from fava.ext import ExtensionConfigError, FavaExtensionBase, extension_endpoint
from flask import jsonify, request, send_file
from leakledger.fava_ext.view import (
    GROUPINGS,
    ModelView,
    chart_data,
    filtered_journal,
    model_entries,
    model_view,
    with_rules,
)
from markupsafe import Markup

from leakledger.publish.flow_svg import flow_section
from leakledger.tables import running

__all__ = ["LeakModel", "read_config"]

#: Chart.js as shipped in the package (see vendor/README.md).
CHART_JS = "vendor/chart.umd.min.js"

#: ast.literal_eval raises more than the SyntaxError Fava catches; any of
#: these escaping __init__ would make every page of the ledger a 500.
_LITERAL_ERRORS = (SyntaxError, ValueError, TypeError, MemoryError, RecursionError)
#: What Fava's filters raise, besides FilterError, on a filter they cannot read.
_UNPARSED_FILTER = (ValueError, OverflowError, TypeError, IndexError, re.error, RecursionError)


def read_config(config: Any) -> dict[str, str]:
    """The extension's settings from its parsed config; ValueError if malformed."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ValueError(f"expected a dict such as {{'by': 'year'}}, got {type(config).__name__}")
    unknown = sorted(map(str, set(config) - {"by"}))
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; known: by")
    by = config.get("by", "year")
    if by not in GROUPINGS:
        raise ValueError(f"'by' must be one of {', '.join(GROUPINGS)}, got {by!r}")
    return {"by": by}


class LeakModel(FavaExtensionBase):
    """The model's dashboard: reconciliation, charts, and links to the entries."""

    report_title = "Leak model"
    has_js_module = True

    def __init__(self, ledger, config: str | None = None) -> None:
        try:
            super().__init__(ledger, config)
            self.settings = read_config(self.config)
        except ExtensionConfigError:
            raise
        except _LITERAL_ERRORS as error:
            # Fava turns this one exception type into one error on its Errors page.
            raise ExtensionConfigError(error, str(config)) from None  # type: ignore[arg-type]
        self._views: dict[tuple, ModelView] = {}

    def after_load_file(self) -> None:
        self._views.clear()

    def grouping(self) -> str:
        """The request's `by` (year, half, quarter), else the configured one."""
        by = request.args.get("by")
        return by if by in GROUPINGS else self.settings["by"]

    def view(self) -> ModelView:
        """The model for the current request's filters and grouping, computed once per load."""
        args = request.args
        by = self.grouping()
        key = (args.get("account", ""), args.get("filter", ""), args.get("time", ""), by)
        view = self._views.get(key)
        if view is None:
            try:
                entries = with_rules(
                    *model_entries(self.ledger, g.filtered.entries, account=key[0], filter=key[1], time=key[2])
                )
            except FilterError:
                raise
            except _UNPARSED_FILTER as error:
                # Fava 1.30 lets some filters it cannot read escape as these
                # (`time=2024-13`, `time=0001`, `account=(`): the page says so instead of a 500.
                raise FilterError("filter", f"Fava cannot apply these filters: {error}") from None
            view = model_view(
                entries, self.ledger.options, by=by, href=_href, current_filter=key[1], errors=self.ledger.errors
            )
            if len(self._views) >= 64:
                self._views.clear()
            self._views[key] = view
        return view

    def charts(self) -> dict:
        return chart_data(self.view())

    def flow_diagrams(self) -> Markup:
        """The flows per period as inline SVG beside a table (as the published site draws them).

        A band links where the period table's figure links (its entries in
        the journal); funding and training, which have no column, to their
        figures' entries by link.
        """
        view = self.view()
        rows = {r["period"]: r for r in view.period_rows}
        current = request.args.get("filter", "")

        def href_of(pf, flow) -> str | None:
            if flow.column:
                return rows[pf.period]["links"].get(flow.column)
            if flow.links:
                return filtered_journal(_href, current, ", ".join(f"^{link}" for link in flow.links))
            return None

        return flow_section(f"leak-flows-{view.by}", view.flows, href_of, level=4)

    def by_href(self, by: str) -> str:
        return url_for("extension_report", extension_name=self.name, by=by)

    @staticmethod
    def amount(value) -> str:
        """A figure with its digits grouped, cents only where there are any."""
        return "—" if value is None else running(value)

    def filter_error(self) -> str | None:
        """Why Fava cannot apply the request's filters (the page says so), or None."""
        try:
            self.view()
        except FilterError as error:
            return error.message
        return None

    @extension_endpoint
    def model(self):
        """JSON: the period and reconciliation tables, and the links of every figure.

        A filter Fava cannot parse answers 400 with {"error": ...}, as Fava's own API does.
        """
        try:
            return self.view().as_json()
        except FilterError as error:
            response = jsonify({"error": error.message})
            response.status_code = 400
            return response

    @extension_endpoint("chart.js")
    def chart_js(self):
        """The vendored Chart.js, for LeakModel.js to import (Fava serves no library of its own)."""
        return send_file(self.extension_dir / CHART_JS, mimetype="text/javascript")


def _href(report: str, **query: str) -> str:
    """URL of one of Fava's report pages, keeping the request's filters."""
    return url_for("report", report_name=report, **query)
