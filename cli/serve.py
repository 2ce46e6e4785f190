"""`leakledger serve`: Fava on the books found from here (or --ledger), each company's and scenario books in its file switcher.

Fava's `create_app` wants absolute paths, the books are loaded before the
server starts (so the printed URL answers at once), and Beancount's pickle
cache stays off: it would serve stale figures after a plugin changes.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import socket
import sys
from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import ledger_option

from leakledger.book_paths import books_or_found, company_ledgers, scenario_ledger
from leakledger.books import walk_includes
from leakledger.errors import BooksHaveErrors, Refused


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback address.

    A name that does not resolve counts as not loopback: better one warning
    too many than a server open to the network without a word.
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def ledger_files(ledger: Path | None, scenarios: list[str]) -> list[Path]:
    """The books to serve, absolute: the shipped (or given) books, each company's beside them, scenarios."""
    main = books_or_found(ledger).resolve()
    files = [main]
    for path in company_ledgers(main):
        if path.resolve() not in files:
            files.append(path.resolve())
    for name in scenarios:
        path = scenario_ledger(name, main).resolve()
        if path not in files:
            files.append(path)
    return files


def listen_error(host: str, port: int, error: OSError) -> Refused:
    """One line for a port the server cannot listen on (cheroot's own message is a tuple of tries)."""
    text = str(error)
    if os.strerror(errno.EADDRINUSE) in text or error.errno == errno.EADDRINUSE:
        return Refused(f"port {port} is in use; try --port")
    reasons = re.findall(r"\[Errno \d+\] ([^)]*)", text)
    return Refused(f"cannot listen on {host}:{port}: {reasons[-1] if reasons else error.strerror or text}")


@app.command()
def serve(
    port: int = typer.Option(5000, "--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host", "-H", help="Address to listen on (default: this machine only)."),
    scenario: list[str] = typer.Option(
        [],
        "--scenario",
        "-s",
        help="Scenario of the books (name in their scenarios/ folder, or a path) for Fava's file switcher; repeatable.",
    ),
    ledger: Path = ledger_option(),
) -> None:
    """Browse the books in Fava, with the Leak model page."""
    files = ledger_files(ledger, scenario)
    for path in files:
        walk_includes(path)  # Fava would hang on an include of /dev/zero: refused before it loads

    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    if host == "localhost":
        host = "127.0.0.1"
    if not is_loopback(host):
        typer.echo(
            f"warning: listening on {host}, not a loopback address: anyone who can reach "
            "this machine can read and edit the books",
            err=True,
        )

    from cheroot.wsgi import Server

    # Bind before loading the books: a taken port fails at once, not after the load.
    server = Server((host, port), None)
    try:
        server.prepare()
    except OSError as error:
        raise listen_error(host, port, error) from None
    try:
        from fava.application import create_app
        from leakledger.cli.serve_guard import guard

        from leakledger.books_lock import reading

        with reading(files):  # Fava's first load sees each file before a save or after it
            try:
                fava_app = create_app([str(f) for f in files], load=True)
            except RecursionError:
                raise BooksHaveErrors(
                    "Fava cannot build the books' account tree (an account nested too deep?); see: leakledger check"
                ) from None
            guard(fava_app, files)  # the books' lock on every request, fresh views for writes, fixed slugs
        ledgers = fava_app.config["LEDGERS"]
        for slug, fava_ledger in ledgers.items():
            if fava_ledger.errors:
                typer.echo(f"warning: {len(fava_ledger.errors)} error(s) in {slug}; see Fava's Errors page", err=True)
        server.wsgi_app = fava_app
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Fava: http://{shown}:{server.bind_addr[1]}/{ledgers.first_slug()}/")
        sys.stdout.flush()
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
