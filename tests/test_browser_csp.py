"""Markup typed into the books is text in a browser, and never runs: `leakledger serve` in Chromium.

Fava 1.30 renders journal rows with autoescaping off: a hand-written payee
`<meta http-equiv="refresh">` sent the Journal and Account pages elsewhere,
a narration `<div style="position:fixed">` covered the Journal with a fake
sign-in link, and `<img src=x onerror=...>` became an element (issue 22,
item 8). `leakledger serve` escapes every template
(leakledger.fava_ext.escaping), so none of them is an element of any page:
Journal, Account, Query, Leak model. Its Content-Security-Policy (no inline
script) stays as a second wall. The integrity plugin flags the payee and
narration, so `check` says where they are (tests/test_fava_escaping.py).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from in_chromium import copy_of_the_books, screenshot, serve_also

REFRESH = '<meta http-equiv=\\"refresh\\" content=\\"0;url=about:blank#refreshed\\">'
COVER = (
    '<div id=\\"cover\\" style=\\"position:fixed;top:0;left:0;width:100%;height:100%;background:#fff\\">Sign in</div>'
)
HOSTILE = f"""
2025-12-31 * "{REFRESH}" "Injected <img src=x onerror=\\"document.title='PWNED';window.pwned=1\\"> row {COVER}" #claimed
  source: "<svg onload=window.pwned=2>{COVER}"
  Assets:Microsoft:Cash          1.00 USD
  Income:Microsoft:Bing         -1.00 USD
"""
#: Any element the payload would make, if it were markup.
PAYLOAD = "meta[http-equiv], img[src=x], svg[onload], #cover, [onerror], [onload]"
QUERY = "SELECT date, payee, narration, entry_meta('source') WHERE narration ~ 'Injected'"


def hostile_books(folder: Path) -> Path:
    """A copy of the books with the hostile row in 2025.beancount."""
    main = copy_of_the_books(folder)
    with open(main.parent / "2025.beancount", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE)
    return main


HOSTILE_BOOKS = serve_also("hostile", hostile_books)


def test_hostile_payee_narration_and_metadata_are_text_on_every_page(chromium, served):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    base = served.url(HOSTILE_BOOKS)
    pages = {
        "journal": (f"{base}journal/", ".journal li"),
        "account": (f"{base}account/Assets:Microsoft:Cash/", ".journal li"),
        "query": (f"{base}query/?query_string={urllib.parse.quote(QUERY)}", "table td"),
        "leak-model": (f"{base}extension/LeakModel/", "table"),
    }
    try:
        for name, (url, rows) in pages.items():
            response = tab.goto(url, wait_until="networkidle")
            assert response.status == 200, (name, response.status)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            tab.wait_for_selector(rows, state="attached")
            if name != "leak-model":  # the row is there, its payload shown as text
                shown = tab.locator(rows, has_text="Injected <img src=x onerror=").first
                assert shown.count() == 1, name
                assert "position:fixed" in shown.inner_text(), name
                shown.scroll_into_view_if_needed()
            tab.wait_for_timeout(1200)  # a refresh of 0 s, or a broken image's onerror, has happened by now
            assert tab.locator(PAYLOAD).count() == 0, name
            # Still where it was (Fava's query page re-encodes its own query string).
            assert tab.url.split("?")[0] == url.split("?")[0] and "refreshed" not in tab.url, name
            assert tab.evaluate("window.pwned") is None and "PWNED" not in tab.title(), name
            screenshot(tab, f"hostile-text-{name}", full_page=False)
    finally:
        context.close()
