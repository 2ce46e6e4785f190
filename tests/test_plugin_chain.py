"""`leakledger.plugins.chain` is the three plugin lines in one: the same books, the same errors."""

from __future__ import annotations

import re

from beancount import loader
from beancount.parser import printer
from conftest import MAIN

ONE_LINE = 'option "operating_currency" "USD"\nplugin "leakledger.plugins.chain"\n'


def _text(entries) -> list[str]:
    return [printer.format_entry(e) for e in entries]


THREE_LINES = "".join(f'plugin "leakledger.plugins.{name}"\n' for name in ("figures", "shares", "integrity"))


def test_the_shipped_one_line_loads_the_books_as_three_lines_do(tmp_path, books):
    text = MAIN.read_text(encoding="utf-8")
    assert 'plugin "leakledger.plugins.chain"\n' in text
    text = text.replace('plugin "leakledger.plugins.chain"\n', THREE_LINES)
    text = re.sub(r'^include "([^"]+)"', lambda m: f'include "{MAIN.parent / m[1]}"', text, flags=re.M)
    one_line = tmp_path / "one-line.beancount"
    one_line.write_text(text, encoding="utf-8")
    entries, errors, _ = loader.load_file(str(one_line))
    assert errors == []
    assert _text(entries) == _text(books[0])


def test_one_line_reports_the_same_errors(tmp_path):
    body = """
2019-01-01 open Assets:OpenAI:Cash USD
2019-01-01 open Income:Microsoft:Bing USD
2024-03-01 * "Cash across the entities"
  Assets:OpenAI:Cash      100.00 USD
  Income:Microsoft:Bing  -100.00 USD
"""
    three = 'option "operating_currency" "USD"\n' + THREE_LINES
    got = [sorted(e.message for e in loader.load_string(head + body)[1]) for head in (ONE_LINE, three)]
    assert got[0] == got[1] and len(got[0]) == 3  # no source, no kind, OpenAI's books off by 100


def test_the_chain_leaves_the_garbage_collector_as_it_found_it():
    """The chain pauses the cyclic collector while it runs: on, it is on again after; off, it stays off."""
    import gc

    body = ONE_LINE + "2019-01-01 open Assets:OpenAI:Cash USD\n"
    assert gc.isenabled()
    try:
        loader.load_string(body)
        assert gc.isenabled()
        gc.disable()
        loader.load_string(body)
        assert not gc.isenabled()
    finally:
        gc.enable()
