"""Text from the books is never markup in Fava (issue 22, item 8), through a real Fava's Flask test client.

Fava 1.30's `_journal_table.html` turns autoescaping off, so a hand-written
payee `<meta http-equiv="refresh" ...>` sent the Journal and Account pages
elsewhere, and a narration `<div style="position:fixed">` covered the Journal
with a fake sign-in link. leakledger.fava_ext.escaping turns escaping back
on in every template: under `leakledger serve` (guarded) and in a Fava
started on the books directly, where the Leak model extension installs it.
The integrity plugin still flags the payee and the narration, so `check`
names their line. tests/test_browser_csp.py looks at the same rows in Chromium.
"""

from __future__ import annotations

import subprocess

import pytest
from fava_client import fava, get_json
from leakledger.fava_ext.escaping import EscapeEverything

REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
COVER = '<div style="position:fixed;top:0;left:0;width:100%;height:100%">Sign in <a href="https://evil.example/">here</a></div>'


def quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


#: One hand-written transaction: the payload in its payee, its narration and a metadata value.
HOSTILE = f"""
2025-12-31 * {quoted(REFRESH)} {quoted(COVER)} #claimed
  source: {quoted(COVER)}
  Assets:Microsoft:Cash          1.00 USD
  Income:Microsoft:Bing         -1.00 USD
"""
RAW = ("<meta http-equiv", "<div style=", '<a href="https://evil')
ESCAPED = ("&lt;meta http-equiv=&#34;refresh&#34;", "&lt;div style=&#34;position:fixed")


def hostile_books(folder):
    import shutil

    from conftest import LEDGER_DIR

    shutil.copytree(LEDGER_DIR, folder / "ledger", ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    with open(folder / "ledger" / "2025.beancount", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE)
    return folder / "ledger" / "main.beancount"


def journal_html(books) -> dict[str, str]:
    """The HTML Fava's Journal and an account's page insert as rows (both drawn by `_journal_table.html`)."""
    pages = {
        "journal": get_json(books.client, f"/{books.slug}/api/journal_page", page=1, order="desc")["data"]["journal"],
        "account": books.json("api/account_report", a="Assets:Microsoft:Cash", r="journal")["data"]["journal"],
    }
    assert all(pages.values())
    return pages


@pytest.mark.parametrize("guarded", [True, False], ids=["leakledger serve", "fava on the books"])
def test_payee_narration_and_metadata_come_out_escaped_on_journal_and_account_pages(tmp_path, guarded):
    books = fava(hostile_books(tmp_path), guarded=guarded)
    books.get("income_statement/")  # a first request: the extension installs the escaping before any page
    for page, html in journal_html(books).items():
        for raw in RAW:
            assert raw not in html, (page, raw)
        for escaped in ESCAPED:
            # payee, narration and the source: metadata, each once, as text
            assert html.count(escaped) >= (2 if "div" in escaped else 1), (page, escaped)
        assert "Sign in &lt;a href=&#34;https://evil.example/&#34;&gt;here&lt;/a&gt;" in html, page


def test_the_rows_fava_draws_are_unchanged_but_for_the_escaping(shipped_fava):
    """The shipped books hold no markup: escaping changes no row of their journal (same tags, links, numbers)."""
    books = shipped_fava
    escaped = get_json(books.client, f"/{books.slug}/api/journal_page", page=1, order="desc")["data"]["journal"]
    env = books.app.jinja_env
    assert EscapeEverything.identifier in env.extensions
    source = env.loader.get_source(env, "_journal_table.html")[0]
    assert "{% autoescape false %}" in source  # Fava still turns it off: the hook is what escapes
    with books.app.test_request_context(f"/{books.slug}/journal/"):
        from fava.context import g

        g.ledger = books.ledger()
        g.beancount_file_slug = books.slug
        unescaped_env = env.overlay(cache_size=0)  # compiles afresh, without the hook
        unescaped_env.extensions.pop(EscapeEverything.identifier)
        macro = unescaped_env.get_template("_journal_table.html").module.journal_table_contents
        page = g.ledger.get_filtered().paginate_journal(1, order="desc")
        plain = str(macro(page.entries))
    # The shipped texts hold apostrophes ("Microsoft's share"): those escape, nothing else moves.
    assert plain != escaped and "Microsoft&#39;s share" in escaped and "Microsoft's share" in plain
    assert escaped.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"') == plain.replace(
        "&#39;", "'"
    ).replace("&amp;", "&").replace("&#34;", '"')


def test_a_template_that_turns_escaping_off_escapes_anyway():
    """Whatever Fava's templates do: any `autoescape false` block, with or without whitespace control."""
    from jinja2 import Environment

    env = Environment(extensions=[EscapeEverything])
    for tag in ("{% autoescape false %}", "{%- autoescape false -%}", "{%autoescape   false%}"):
        text = env.from_string(tag + "{{ x }}{% endautoescape %}").render(x="<b>")
        assert text == "&lt;b&gt;", tag


def test_check_still_flags_the_payee_and_the_narration(tmp_path):
    ledger = hostile_books(tmp_path)
    done = subprocess.run(["leakledger", "check", "--ledger", str(ledger)], capture_output=True, text=True, timeout=60)
    line = (ledger.parent / "2025.beancount").read_text().splitlines().index(HOSTILE.splitlines()[1]) + 1
    assert done.returncode == 1
    flagged = [row for row in done.stdout.splitlines() if f"2025.beancount:{line}:" in row]
    assert any("payee looks like markup ('<m')" in row for row in flagged), done.stdout
    assert any("narration looks like markup ('<d')" in row for row in flagged), done.stdout
