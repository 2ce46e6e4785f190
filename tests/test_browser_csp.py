"""Markup typed into the books never runs in a browser: `leakledger serve`'s policy, in Chromium.

Fava 1.30 renders journal rows with autoescaping off, so a hand-written
narration `<img src=x onerror=...>` becomes an element on the Journal page.
`leakledger serve` sends a Content-Security-Policy without 'unsafe-inline':
the browser refuses the inline handler (and says so), while Fava's own
bundle, a file from the server, still draws the page. The integrity plugin
flags the narration too, so `check` says where it is.
"""

from __future__ import annotations

from pathlib import Path

from in_chromium import copy_of_the_books, screenshot, serve_also

HOSTILE = """
2025-12-31 * "Injected <img src=x onerror=\\"document.title='PWNED';window.pwned=1\\"> row" #claimed
  source: "<svg onload=window.pwned=2>"
  Assets:Microsoft:Cash          1.00 USD
  Income:Microsoft:Bing         -1.00 USD
"""


def hostile_books(folder: Path) -> Path:
    """A copy of the books with the hostile row in 2025.beancount."""
    main = copy_of_the_books(folder)
    with open(main.parent / "2025.beancount", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE)
    return main


HOSTILE_BOOKS = serve_also("hostile", hostile_books)


def test_a_hostile_narration_runs_no_script_on_the_journal(chromium, served):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda message: console.append(message.text))
    try:
        response = tab.goto(f"{served.url(HOSTILE_BOOKS)}journal/", wait_until="networkidle")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # Fava's own bundle ran: it rendered the journal, hostile row included, as an element.
        tab.wait_for_selector(".journal li", state="attached")
        row = tab.locator(".journal li", has_text="Injected").first
        assert row.count() == 1 and tab.locator(".journal img[src=x]").count() >= 1
        tab.wait_for_timeout(1500)  # the broken image has failed to load by now
        assert tab.evaluate("window.pwned") is None and "PWNED" not in tab.title()
        assert any("Content Security Policy" in text for text in console), console
        row.scroll_into_view_if_needed()
        screenshot(tab, "journal-hostile-narration", full_page=False)
    finally:
        context.close()
